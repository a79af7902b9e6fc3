import { PackageDetails } from '@aws-sdk/client-opensearch';

/**
 * What a package operation must achieve:
 * - `available`: the package exists and is AVAILABLE (Create, or an update that changes nothing the service holds);
 * - `updated`: an UpdatePackage call has taken effect and its version is AVAILABLE;
 * - `deleted`: the package is gone.
 */
export type PackageGoal = 'available' | 'updated' | 'deleted';

/** The package as it was before an update, to tell the update's outcome from the old state. */
export interface PackageBaseline {
  readonly version?: string;
  readonly lastUpdated?: number;
}

export type PackageDecision =
  | { readonly kind: 'done' }
  | { readonly kind: 'wait'; readonly why: string }
  | { readonly kind: 'delete' }
  | { readonly kind: 'fail'; readonly reason: string };

export function packageBaselineOf(pkg: PackageDetails | undefined): PackageBaseline {
  return { version: pkg?.AvailablePackageVersion, lastUpdated: pkg?.LastUpdatedAt?.getTime() };
}

function failed(pkg: PackageDetails): PackageDecision {
  const details = [pkg.ErrorDetails?.ErrorType, pkg.ErrorDetails?.ErrorMessage].filter(Boolean).join(': ');
  return { kind: 'fail', reason: `${pkg.PackageStatus}${details ? `: ${details}` : ' (the service gave no error details)'}` };
}

/** The next step towards the goal, given the package as DescribePackages shows it (undefined when it has none). */
export function decidePackage(goal: PackageGoal, pkg: PackageDetails | undefined, baseline: PackageBaseline): PackageDecision {
  const status = pkg?.PackageStatus;
  if (goal === 'deleted') {
    switch (status) {
      case undefined:
      case 'DELETED': return { kind: 'done' };
      case 'DELETING': return { kind: 'wait', why: status };
      case 'DELETE_FAILED': return failed(pkg!);
      default: return { kind: 'delete' };
    }
  }
  switch (status) {
    case undefined: return { kind: 'fail', reason: 'the package no longer exists' };
    case 'COPYING':
    case 'VALIDATING': return { kind: 'wait', why: status };
    case 'AVAILABLE': {
      const unchanged = pkg!.AvailablePackageVersion === baseline.version && pkg!.LastUpdatedAt?.getTime() === baseline.lastUpdated;
      return goal === 'updated' && unchanged ? { kind: 'wait', why: 'update not visible yet' } : { kind: 'done' };
    }
    default: return failed(pkg!);
  }
}
