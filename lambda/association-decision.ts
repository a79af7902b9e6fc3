import { DomainPackageDetails, PackageDetails } from '@aws-sdk/client-opensearch';

/**
 * What an operation must achieve:
 * - `associate`: an AssociatePackage call must take effect (Create, replacement,
 *   or an update of the version label, prerequisites or key-store access);
 * - `keep`: the package must be on the domain, an ACTIVE association is fine as it is;
 * - `dissociate`: the package must leave the domain (Delete).
 */
export type Goal = 'associate' | 'keep' | 'dissociate';

/** The domain's entry for the package when the operation started; absent when there was none. */
export interface Baseline {
  readonly observed: boolean;
  readonly status?: string;
  readonly lastUpdated?: number;
  readonly version?: string;
}

/** What to do when the service refuses to dissociate a package. */
export const IN_USE_HINT = 'If an index still uses this package, remove it from the index settings first, or set the removal policy to RETAIN to leave it associated.';

export type Decision =
  | { readonly kind: 'done' }
  | { readonly kind: 'wait'; readonly why: string }
  | { readonly kind: 'associate' }
  | { readonly kind: 'dissociate' }
  | { readonly kind: 'fail'; readonly reason: string };

export function baselineOf(entry: DomainPackageDetails | undefined): Baseline {
  return {
    observed: true,
    status: entry?.DomainPackageStatus,
    lastUpdated: entry?.LastUpdated?.getTime(),
    version: entry?.PackageVersion,
  };
}

/**
 * Whether the entry is the one seen when the operation started. The service
 * keeps no record of who asked for a change, so an entry that moved since then
 * is taken as the outcome of this operation. When the start could not be
 * observed, an ACTIVE entry counts as old (AssociatePackage is idempotent) and
 * a failed one as new (its error is reported rather than retried blindly).
 */
function unchangedSinceStart(entry: DomainPackageDetails, baseline: Baseline): boolean {
  if (!baseline.observed) return entry.DomainPackageStatus === 'ACTIVE';
  return entry.DomainPackageStatus === baseline.status
    && entry.LastUpdated?.getTime() === baseline.lastUpdated
    && entry.PackageVersion === baseline.version;
}

function errorText(entry: DomainPackageDetails): string {
  const details = entry.ErrorDetails;
  if (!details?.ErrorType && !details?.ErrorMessage) return 'the service gave no error details';
  return [details.ErrorType, details.ErrorMessage].filter(Boolean).join(': ');
}

/**
 * The next step towards the goal, given the domain's entry for the package
 * (undefined when it has none). Failure reasons leave out which package and
 * domain: the caller knows them.
 */
export function decide(goal: Goal, entry: DomainPackageDetails | undefined, baseline: Baseline): Decision {
  if (goal === 'dissociate') {
    switch (entry?.DomainPackageStatus) {
      case undefined: return { kind: 'done' };
      case 'ASSOCIATING':
      case 'DISSOCIATING': return { kind: 'wait', why: entry.DomainPackageStatus };
      case 'DISSOCIATION_FAILED':
        return unchangedSinceStart(entry, baseline)
          ? { kind: 'dissociate' }
          : {
            kind: 'fail',
            reason: `DISSOCIATION_FAILED: ${errorText(entry)}. ${IN_USE_HINT}`,
          };
      default: return { kind: 'dissociate' };
    }
  }

  if (!entry) return { kind: 'associate' };
  const old = unchangedSinceStart(entry, baseline);
  switch (entry.DomainPackageStatus) {
    case 'ASSOCIATING':
    case 'DISSOCIATING': return { kind: 'wait', why: entry.DomainPackageStatus };
    case 'ACTIVE': return old && goal === 'associate' ? { kind: 'associate' } : { kind: 'done' };
    case 'ASSOCIATION_FAILED':
      return old ? { kind: 'associate' } : { kind: 'fail', reason: `ASSOCIATION_FAILED: ${errorText(entry)}` };
    default: return { kind: 'associate' };
  }
}

/** Whether the package can be associated now, must be waited for, or never will be. */
export function judgePackage(pkg: PackageDetails | undefined): Decision {
  if (!pkg) return { kind: 'fail', reason: 'package not found: DescribePackages knows no package with this ID in this account and Region.' };
  switch (pkg.PackageStatus) {
    case 'AVAILABLE': return { kind: 'associate' };
    case 'COPYING':
    case 'VALIDATING': return { kind: 'wait', why: `package ${pkg.PackageStatus}` };
    default: {
      const details = [pkg.ErrorDetails?.ErrorType, pkg.ErrorDetails?.ErrorMessage].filter(Boolean).join(': ');
      return { kind: 'fail', reason: `package is ${pkg.PackageStatus} and cannot be associated${details ? `: ${details}` : '.'}` };
    }
  }
}
