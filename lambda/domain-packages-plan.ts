import { DomainPackageDetails, PackageDetails } from '@aws-sdk/client-opensearch';
import { DesiredPackage } from './domain-packages-spec';
import { errorDetailsOf } from './service-errors';

/*
 * What an operation on a domain's set of packages must do, and its next step,
 * decided from what the service shows. Pure: the lifecycle module makes the
 * calls.
 */

/** A package's entry on the domain when the operation started. */
export interface EntrySnapshot {
  readonly status?: string;
  readonly lastUpdated?: number;
  readonly version?: string;
}

/**
 * The domain as it was when the operation started, by package ID (a package
 * without an entry then is absent). `observed` is false when onEvent could not
 * read the domain; `since` is then when the operation started, in ms.
 */
export interface Baseline {
  readonly observed: boolean;
  readonly entries: Readonly<Record<string, EntrySnapshot>>;
  readonly since?: number;
}

/** The packages the operation must (re)associate, and those it must take off the domain. */
export interface Plan {
  readonly associate: string[];
  readonly dissociate: string[];
}

export type Step =
  | { readonly kind: 'done' }
  | { readonly kind: 'wait'; readonly why: string; readonly removing?: boolean }
  | { readonly kind: 'associate'; readonly packageIds: string[] }
  | { readonly kind: 'dissociate'; readonly packageIds: string[] }
  | { readonly kind: 'fail'; readonly reason: string };

/** What to do when the service refuses to take a package off a domain. */
export const IN_USE_HINT = 'If an index still uses the package, remove it from the index settings first, '
  + 'or give the association the removal policy RETAIN_ON_UPDATE_OR_DELETE to leave it on the domain.';

/** Whether an entry's status is an association or dissociation the service is still working on. */
export function isInFlight(status: string | undefined): boolean {
  return status === 'ASSOCIATING' || status === 'DISSOCIATING';
}

function snapshotOf(entry: DomainPackageDetails): EntrySnapshot {
  return { status: entry.DomainPackageStatus, lastUpdated: entry.LastUpdated?.getTime(), version: entry.PackageVersion };
}

export function baselineOf(entries: DomainPackageDetails[]): Baseline {
  return {
    observed: true,
    entries: Object.fromEntries(entries.map(e => [e.PackageID!, snapshotOf(e)])),
  };
}

export const UNOBSERVED: Baseline = { observed: false, entries: {} };

/** The baseline of an operation that started at `since` (ms) and could not read the domain then. */
export function unobservedSince(since: number): Baseline {
  return { ...UNOBSERVED, since };
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return [...a ?? []].sort().join() === [...b ?? []].sort().join();
}

/** How the entry differs from the prerequisites and key-store option the stack asks for, if it does. */
export function configurationDifference(entry: DomainPackageDetails, wanted: DesiredPackage): string | undefined {
  const differences: string[] = [];
  if (!sameList(entry.PrerequisitePackageIDList, wanted.prerequisitePackageIds)) {
    differences.push(`prerequisites [${(entry.PrerequisitePackageIDList ?? []).join(', ')}] instead of [${wanted.prerequisitePackageIds.join(', ')}]`);
  }
  const option = entry.AssociationConfiguration?.KeyStoreAccessOption;
  const roleArn = option?.KeyStoreAccessEnabled ? option.KeyAccessRoleArn ?? '(no role)' : undefined;
  if (roleArn !== wanted.keyAccessRoleArn) {
    differences.push(`key-store access ${roleArn ?? 'off'} instead of ${wanted.keyAccessRoleArn ?? 'off'}`);
  }
  return differences.length > 0 ? differences.join(' and ') : undefined;
}

/**
 * What the operation must change, from the domain as it is now (`current`,
 * which is also the baseline), the packages as DescribePackages shows them,
 * the set the stack wants and the set it had (undefined on Create). A package
 * is (re)associated when it is not ACTIVE, when its prerequisites or key-store
 * option differ, or when it is new to the set or its version label changed
 * and the domain does not run its latest available version. A package that
 * left the set is taken off the domain unless its removal policy keeps it.
 */
export function planChange(
  wanted: readonly DesiredPackage[],
  previous: readonly DesiredPackage[] | undefined,
  current: readonly DomainPackageDetails[],
  packages: readonly PackageDetails[],
): Plan {
  const entry = (id: string) => current.find(e => e.PackageID === id);
  const associate = wanted.filter(w => {
    const existing = entry(w.packageId);
    if (existing?.DomainPackageStatus !== 'ACTIVE' || configurationDifference(existing, w)) return true;
    const before = previous?.find(p => p.packageId === w.packageId);
    const labelChanged = !before || before.versionLabel !== w.versionLabel;
    const available = packages.find(p => p.PackageID === w.packageId)?.AvailablePackageVersion;
    return labelChanged && available !== undefined && existing.PackageVersion !== available;
  }).map(w => w.packageId);
  const dissociate = (previous ?? [])
    .filter(p => !p.retain && !wanted.some(w => w.packageId === p.packageId) && entry(p.packageId))
    .map(p => p.packageId);
  return { associate, dissociate };
}

/** What a Delete must take off the domain: every package whose removal policy does not keep it. */
export function planRemoval(wanted: readonly DesiredPackage[], current: readonly DomainPackageDetails[]): Plan {
  return { associate: [], dissociate: wanted.filter(w => !w.retain && current.some(e => e.PackageID === w.packageId)).map(w => w.packageId) };
}

/**
 * Whether the entry is the outcome of this operation rather than the state it
 * started from. The service keeps no record of who changed an entry, so an
 * entry that moved since the start counts as the outcome. When the start
 * could not be observed, an ACTIVE entry counts as old (associating again is
 * harmless) and a failed one as new (its error is reported, not retried
 * blindly), unless it was last updated before the operation started (say, the
 * failure of the update a rollback undoes).
 */
function moved(entry: DomainPackageDetails, baseline: Baseline): boolean {
  if (!baseline.observed) return entry.DomainPackageStatus !== 'ACTIVE' && !((entry.LastUpdated?.getTime() ?? Infinity) < (baseline.since ?? -Infinity));
  const before = baseline.entries[entry.PackageID!];
  const now = snapshotOf(entry);
  return !before || before.status !== now.status || before.lastUpdated !== now.lastUpdated || before.version !== now.version;
}

function errorText(entry: DomainPackageDetails): string {
  const details = errorDetailsOf(entry);
  return details || 'the service gave no error details';
}

/** `F1 ACTIVE v2, F2 ASSOCIATING v1`: the other packages' states, for failure reasons. */
export function statesOf(ids: readonly string[], current: ReadonlyMap<string, DomainPackageDetails>): string {
  return ids.map(id => {
    const entry = current.get(id);
    return entry ? `${id} ${entry.DomainPackageStatus} ${entry.PackageVersion ?? ''}`.trim() : `${id} not associated`;
  }).join(', ');
}

function failure(kind: 'ASSOCIATION_FAILED' | 'DISSOCIATION_FAILED', failed: DomainPackageDetails[], all: readonly string[], current: ReadonlyMap<string, DomainPackageDetails>): Step {
  const others = all.filter(id => !failed.some(f => f.PackageID === id));
  const each = failed.map(f => `package ${f.PackageID} ${kind}: ${errorText(f)}`).join('; ');
  const advice = kind === 'ASSOCIATION_FAILED'
    ? 'Fix the package and deploy again; CloudFormation rolls this operation back.'
    : IN_USE_HINT;
  return { kind: 'fail', reason: `${each}.${others.length > 0 ? ` The other packages of this operation: ${statesOf(others, current)}.` : ''} ${advice}` };
}

/**
 * The next step of the operation: first every package the stack wants must
 * be ACTIVE with the prerequisites and key-store option asked for (those of
 * the plan as the outcome of this operation), then every package of the
 * plan's removals must be gone. In-flight entries are waited for before a
 * failure is reported, so that the reason shows every package's final state.
 */
export function nextStep(plan: Plan, baseline: Baseline, wanted: readonly DesiredPackage[], current: ReadonlyMap<string, DomainPackageDetails>): Step {
  const inFlight = (e: DomainPackageDetails | undefined) => isInFlight(e?.DomainPackageStatus);

  const pending: string[] = [];
  const failed: DomainPackageDetails[] = [];
  let busy = false;
  for (const w of wanted) {
    const entry = current.get(w.packageId);
    const planned = plan.associate.includes(w.packageId);
    if (inFlight(entry)) busy = true;
    else if (!entry) pending.push(w.packageId);
    else if (entry.DomainPackageStatus === 'ACTIVE') {
      // Other prerequisites or key-store access than asked for (left by an operation this one did not make, such as
      // the failed update a rollback undoes) are associated again; a service that keeps them answers "already in
      // desired state", which the caller reports.
      if ((planned && !moved(entry, baseline)) || configurationDifference(entry, w)) pending.push(w.packageId);
    } else if (moved(entry, baseline) || !planned) failed.push(entry);
    else pending.push(w.packageId);
  }
  const wantedIds = wanted.map(w => w.packageId);
  if (busy) return { kind: 'wait', why: statesOf(wantedIds, current) };
  if (failed.length > 0) {
    const kind = failed.every(f => f.DomainPackageStatus === 'DISSOCIATION_FAILED') ? 'DISSOCIATION_FAILED' : 'ASSOCIATION_FAILED';
    return failure(kind, failed, plan.associate.length > 0 ? plan.associate : wantedIds, current);
  }
  if (pending.length > 0) return { kind: 'associate', packageIds: pending };

  const leaving = plan.dissociate.map(id => current.get(id)).filter((e): e is DomainPackageDetails => e !== undefined);
  if (leaving.some(inFlight)) return { kind: 'wait', why: statesOf(plan.dissociate, current), removing: true };
  const refused = leaving.filter(e => e.DomainPackageStatus === 'DISSOCIATION_FAILED' && moved(e, baseline));
  if (refused.length > 0) return failure('DISSOCIATION_FAILED', refused, plan.dissociate, current);
  if (leaving.length > 0) return { kind: 'dissociate', packageIds: leaving.map(e => e.PackageID!) };
  return { kind: 'done' };
}
