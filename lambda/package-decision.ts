import { PackageDetails } from '@aws-sdk/client-opensearch';
import { errorDetailsOf } from './service-errors';

/**
 * What a package operation must achieve:
 * - `current`: the package exists, and the version it makes available was
 *   read from the source the stack asks for, with its description
 *   (Create, Update, and the rollback of either);
 * - `deleted`: the package is gone.
 */
export type PackageGoal = 'current' | 'deleted';

/** The package as it was when the operation started (or right after CreatePackage), to tell its outcome from older states. */
export interface PackageBaseline {
  readonly status?: string;
  readonly version?: string;
  readonly lastUpdated?: number;
}

export type PackageDecision =
  | { readonly kind: 'done' }
  | { readonly kind: 'wait'; readonly why: string }
  | { readonly kind: 'update' }
  | { readonly kind: 'delete' }
  | { readonly kind: 'fail'; readonly reason: string };

export function packageBaselineOf(pkg: PackageDetails | undefined): PackageBaseline {
  return { status: pkg?.PackageStatus, version: pkg?.AvailablePackageVersion, lastUpdated: pkg?.LastUpdatedAt?.getTime() };
}

/** Whether the package is as it was when the operation started: a failed status then is not this operation's outcome. */
function unchanged(pkg: PackageDetails, baseline: PackageBaseline): boolean {
  return pkg.PackageStatus === baseline.status && pkg.AvailablePackageVersion === baseline.version && pkg.LastUpdatedAt?.getTime() === baseline.lastUpdated;
}

/** A failure the service reports as its own (an internal error, "Try again"), which a new request can get past. */
function isInternalFailure(pkg: PackageDetails): boolean {
  const { ErrorType = '', ErrorMessage = '' } = pkg.ErrorDetails ?? {};
  return /^Internal|ServiceUnavailable|Throttling/i.test(ErrorType) || /try again/i.test(ErrorMessage);
}

function failed(pkg: PackageDetails): PackageDecision {
  const details = errorDetailsOf(pkg);
  return { kind: 'fail', reason: `${pkg.PackageStatus}${details ? `: ${details}` : ' (the service gave no error details)'}` };
}

/**
 * The next step towards the goal, given the package as DescribePackages
 * shows it (undefined when it has none) and whether the version it makes
 * available is what the stack asks for (`isCurrent`).
 */
export function decidePackage(goal: PackageGoal, pkg: PackageDetails | undefined, baseline: PackageBaseline, isCurrent: boolean): PackageDecision {
  const status = pkg?.PackageStatus;
  if (status === 'COPYING' || status === 'VALIDATING' || status === 'DELETING') return { kind: 'wait', why: status };
  if (goal === 'deleted') {
    if (status === undefined || status === 'DELETED') return { kind: 'done' };
    // A DELETE_FAILED from before this operation is tried again, and so is the service's own internal failure
    // ("Try again"); another failure that follows this operation's DeletePackage is reported.
    return status === 'DELETE_FAILED' && !unchanged(pkg!, baseline) && !isInternalFailure(pkg!) ? failed(pkg!) : { kind: 'delete' };
  }
  if (status === undefined || status === 'DELETED' || status === 'DELETE_FAILED') return { kind: 'fail', reason: `the package is ${status ?? 'gone'}` };
  if (isCurrent) return { kind: 'done' };
  // COPY_FAILED or VALIDATION_FAILED that this operation caused; an older one leaves the previous version available.
  if (status !== 'AVAILABLE' && !unchanged(pkg!, baseline)) return failed(pkg!);
  return { kind: 'update' };
}
