import { DomainPackageDetails, PackageDetails } from '@aws-sdk/client-opensearch';
import { crossAccountProblem } from './domain-location';
import { Baseline, baselineOf, IN_USE_HINT, nextStep, Plan, planChange, planRemoval, statesOf, Step, UNOBSERVED } from './domain-packages-plan';
import { DesiredPackage, DomainPackagesSpec, PackageEntry, resolveEntries } from './domain-packages-spec';
import { log } from './log';
import { CheckResult, notYet, OperationFailed, runStep, StepLimits } from './operation';
import { PackageApi, RegionalApis } from './package-api';
import { awsPackageNameOf, Resolution, resolvePackages } from './package-resolution';
import { describeError, errorDetailsOf, isAlreadyInDesiredState, isNotAssociated, isResourceNotFound, isTransient } from './service-errors';
import { FIRST_CHECK_DELAY_SECONDS } from '../lib/check-timing';
import { ATTRIBUTE_SEPARATOR, ENTRY_ATTRIBUTES } from '../lib/domain-packages-properties';

/** What onEvent hands to every isComplete call of the same operation. */
export interface DomainChangeState {
  /** What the operation must change; absent when onEvent could not read the domain (isComplete plans then). */
  readonly Plan?: Plan;
  /** The package each reference of the change means on the domain (absent with Plan). */
  readonly Resolution?: Resolution;
  readonly Baseline: Baseline;
  /** Epoch milliseconds when the operation started; the wait is measured from here. */
  readonly StartedAt: number;
  readonly FirstCheckDelaySeconds: number;
}


/** The change's sets with the package IDs their references mean on the domain now. */
interface ResolvedChange {
  readonly wanted: DesiredPackage[];
  readonly previous?: DesiredPackage[];
  /** The set the resource holds (what a removal takes off the domain). */
  readonly held: DesiredPackage[];
}

function resolveChange(change: DomainChange, resolution: Resolution): ResolvedChange {
  return {
    wanted: resolveEntries(change.wanted, resolution),
    previous: change.previous && resolveEntries(change.previous, resolution),
    held: resolveEntries(change.spec.packages, resolution),
  };
}

/** What the handler sees of the domain: its packages, the packages the change names, and what each reference means now. */
interface Observation {
  readonly current: DomainPackageDetails[];
  readonly packages: PackageDetails[];
  readonly resolution: Resolution;
}

/**
 * Reads the domain and the packages the change names, and resolves the
 * references: those the stack wants must resolve (a name or engine version
 * the domain lacks fails here, before anything changes), others may not.
 */
async function observe(api: PackageApi, change: DomainChange): Promise<Observation> {
  const domainName = change.spec.domain.domainName;
  const current = await api.listDomainPackages(domainName);
  const refs = [...new Set([...change.wanted, ...change.previous ?? [], ...change.spec.packages].map(e => e.ref))];
  const packages = await api.describePackages(refs.filter(ref => awsPackageNameOf(ref) === undefined));
  const rules = {
    mustResolve: change.wanted.map(e => e.ref),
    ownedBefore: (change.previous ?? []).map(e => e.ref),
    templateEngineVersion: change.spec.engineVersion,
  };
  const resolution = await resolvePackages(api, domainName, refs, current, packages, rules);
  const more = [...new Set(Object.values(resolution))].filter(id => !packages.some(p => p.PackageID === id));
  return { current, packages: more.length > 0 ? [...packages, ...await api.describePackages(more)] : packages, resolution };
}

/** CloudFormation's limit on a custom resource response, less what the Provider framework adds around Data. */
const MAX_DATA_BYTES = 3500;

/**
 * A change to the packages of one domain. `spec.packages` is the set the
 * resource holds; the change works towards `wanted` (none when the set
 * leaves the stack) and, on an update, away from `previous`.
 */
export interface DomainChange {
  readonly spec: DomainPackagesSpec;
  readonly wanted: PackageEntry[];
  /** On an update of the same domain, the set the resource held before; undefined otherwise. */
  readonly previous?: PackageEntry[];
  /** True when the set leaves the stack: its packages leave the domain, unless their removal policy keeps them. */
  readonly removal: boolean;
  /** The stack's ARN: the handler acts on domains of the stack's account only. */
  readonly stackId: string;
}

function failure(spec: DomainPackagesSpec, reason: string): OperationFailed {
  return new OperationFailed(`Domain ${spec.domain.domainName} (${spec.domain.region}): ${reason}`);
}

function limitsOf(change: DomainChange, startedAt: number, now: number, lastSeen: () => string): StepLimits {
  const { spec } = change;
  return {
    now,
    deadline: startedAt + spec.waitSeconds * 1000,
    timedOut: () => `Timed out after ${spec.waitSeconds} seconds waiting for the packages of domain ${spec.domain.domainName} (${lastSeen()}).`
      + (change.removal ? ' They may still be associated: check ListPackagesForDomain and dissociate them by hand if needed.' : ''),
    explain: error => failure(spec, describeError(error)),
  };
}

/**
 * onEvent's part of a change: reads the domain, decides what the change
 * must do, and takes the first step (one AssociatePackages or
 * DissociatePackages call) at once, so that the waiter's first isComplete can
 * already see its effect.
 */
export async function startDomainChange(apis: RegionalApis, change: DomainChange, now = Date.now()): Promise<DomainChangeState> {
  const { spec } = change;
  const started = (plan: Plan | undefined, resolution: Resolution | undefined, baseline: Baseline, changed: boolean): DomainChangeState => {
    log('change started', { domainName: spec.domain.domainName, plan, resolution, changed });
    return { Plan: plan, Resolution: resolution, Baseline: baseline, StartedAt: now, FirstCheckDelaySeconds: changed ? FIRST_CHECK_DELAY_SECONDS : 0 };
  };
  const otherAccount = crossAccountProblem(spec.domain, change.stackId);
  if (otherAccount) {
    if (change.removal) return started({ associate: [], dissociate: [] }, undefined, UNOBSERVED, false);
    throw failure(spec, otherAccount);
  }
  const api = apis(spec.domain.region);

  let observation: Observation;
  try {
    observation = await observe(api, change);
  } catch (error) {
    if (error instanceof OperationFailed) throw failure(spec, error.message);
    if (isResourceNotFound(error) && change.removal) return started({ associate: [], dissociate: [] }, undefined, UNOBSERVED, false);
    if (isResourceNotFound(error)) throw failure(spec, `domain not found in ${spec.domain.region} (${describeError(error)}).`);
    if (!isTransient(error)) throw failure(spec, describeError(error));
    log('could not read the domain before the change; isComplete will', { error: describeError(error) });
    return started(undefined, undefined, UNOBSERVED, false);
  }
  const { current, packages, resolution } = observation;
  const resolved = resolveChange(change, resolution);
  checkResponseSize(spec, resolved.wanted, packages);
  const plan = planOf(change, resolved, current, packages);
  const baseline = baselineOf(current);
  const entries = entriesById(current);
  const step = nextStep(plan, baseline, resolved.wanted, entries);
  if (step.kind === 'fail') throw failure(spec, step.reason);
  let changed = false;
  if (step.kind === 'associate' || step.kind === 'dissociate') {
    try {
      changed = (await take(api, spec, resolved.wanted, step, entries)).changed;
    } catch (error) {
      if (error instanceof OperationFailed) throw error;
      if (!isTransient(error)) throw failure(spec, describeError(error));
      log('first step left to isComplete after a transient error', { error: describeError(error) });
    }
  }
  return started(plan, resolution, baseline, changed);
}

function planOf(change: DomainChange, resolved: ResolvedChange, current: DomainPackageDetails[], packages: PackageDetails[]): Plan {
  return change.removal ? planRemoval(resolved.held, current) : planChange(resolved.wanted, resolved.previous, current, packages);
}

/** isComplete's part of a change: reads the domain, takes the next step and reports whether the change is done. */
export async function checkDomainChange(apis: RegionalApis, change: DomainChange, state: DomainChangeState, now = Date.now()): Promise<CheckResult> {
  const { spec } = change;
  const api = apis(spec.domain.region);
  let lastSeen = 'not yet observed';
  const limits = limitsOf(change, state.StartedAt, now, () => lastSeen);
  return runStep(limits, async () => {
    let current: DomainPackageDetails[];
    let resolved: ResolvedChange;
    let plan: Plan;
    try {
      if (state.Plan) {
        // A plan made without a resolution (a removal from a domain that is gone or in another account) has nothing to do.
        current = state.Resolution ? await api.listDomainPackages(spec.domain.domainName) : [];
        resolved = resolveChange(change, state.Resolution ?? {});
        plan = state.Plan;
      } else {
        const observation = await observe(api, change);
        current = observation.current;
        resolved = resolveChange(change, observation.resolution);
        plan = planOf(change, resolved, current, observation.packages);
      }
    } catch (error) {
      if (error instanceof OperationFailed) throw failure(spec, error.message);
      if (!isResourceNotFound(error)) throw error;
      if (change.removal) {
        log('domain not found: nothing left to dissociate', { domainName: spec.domain.domainName });
        return { IsComplete: true };
      }
      throw failure(spec, `domain not found in ${spec.domain.region} (${describeError(error)}).`);
    }
    const entries = entriesById(current);
    const { wanted } = resolved;
    lastSeen = statesOf([...new Set([...wanted.map(w => w.packageId), ...plan.dissociate])], entries);
    const step = nextStep(plan, state.Baseline, wanted, entries);
    log('observed', { domainName: spec.domain.domainName, states: lastSeen, step: step.kind });
    switch (step.kind) {
      case 'done': return complete(wanted, entries);
      case 'fail': throw failure(spec, step.reason);
      default:
        if (now >= limits.deadline) throw new OperationFailed(limits.timedOut());
        return notYet(step.kind === 'wait' ? step.why : (await take(api, spec, wanted, step, entries)).why);
    }
  });
}

function entriesById(entries: readonly DomainPackageDetails[]): Map<string, DomainPackageDetails> {
  return new Map(entries.map(e => [e.PackageID!, e]));
}

/** What a step did: whether it made its call (or had to wait first), and why the operation is not done yet. */
interface StepTaken {
  readonly changed: boolean;
  readonly why: string;
}

/** Makes the step's one call, unless something must be waited for first; fails when the service refuses for good. */
async function take(api: PackageApi, spec: DomainPackagesSpec, desired: readonly DesiredPackage[], step: Extract<Step, { kind: 'associate' | 'dissociate' }>,
  current: ReadonlyMap<string, DomainPackageDetails>): Promise<StepTaken> {
  if (step.kind === 'dissociate') {
    try {
      await api.dissociate(spec.domain.domainName, step.packageIds);
    } catch (error) {
      if (isNotAssociated(error)) return { changed: false, why: 'already dissociated' };
      if (isTransient(error)) throw error;
      throw failure(spec, `DissociatePackages failed for ${step.packageIds.join(', ')}: ${describeError(error)}. ${IN_USE_HINT}`);
    }
    return { changed: true, why: 'dissociation requested' };
  }

  const packages = await api.describePackages(step.packageIds);
  for (const id of step.packageIds) {
    const pkg = packages.find(p => p.PackageID === id);
    if (!pkg) throw failure(spec, `package ${id} not found: DescribePackages knows no package with this ID in ${spec.domain.region}.`);
    if (pkg.PackageStatus === 'COPYING' || pkg.PackageStatus === 'VALIDATING') return { changed: false, why: `package ${id} ${pkg.PackageStatus}` };
    if (pkg.PackageStatus !== 'AVAILABLE') {
      const details = errorDetailsOf(pkg);
      throw failure(spec, `package ${id} is ${pkg.PackageStatus} and cannot be associated${details ? `: ${details}` : ''}.`);
    }
  }
  if (await domainIsProcessing(api, spec.domain.domainName)) return { changed: false, why: 'domain is processing a change' };
  const wanted = desired.filter(w => step.packageIds.includes(w.packageId));
  try {
    await api.associate(spec.domain.domainName, wanted.map(w => ({
      packageId: w.packageId,
      prerequisitePackageIds: w.prerequisitePackageIds.length > 0 ? w.prerequisitePackageIds : undefined,
      associationConfiguration: w.keyAccessRoleArn
        ? { KeyStoreAccessOption: { KeyAccessRoleArn: w.keyAccessRoleArn, KeyStoreAccessEnabled: true } }
        : undefined,
    })));
  } catch (error) {
    if (!isAlreadyInDesiredState(error)) throw error;
    const unchanged = wanted.filter(w => current.get(w.packageId)?.DomainPackageStatus === 'ACTIVE').map(w => w.packageId);
    throw failure(spec, `AssociatePackages answered "${describeError(error)}" for ${unchanged.join(', ') || step.packageIds.join(', ')}: `
      + 'the service keeps a package\'s prerequisites and key-store option when its version does not change. '
      + 'Remove the association in one deployment and add it back in the next, or dissociate the package by hand and deploy again.');
  }
  return { changed: true, why: 'association requested' };
}

/**
 * Whether to hold back because the domain is applying a change. Only an
 * optimisation (AssociatePackages' ConflictException is retried anyway), so a
 * DescribeDomain that fails for good does not stop the association.
 */
async function domainIsProcessing(api: PackageApi, domainName: string): Promise<boolean> {
  try {
    return (await api.describeDomain(domainName)).processing;
  } catch (error) {
    if (isTransient(error)) throw error;
    log('DescribeDomain failed; associating without checking for a change in progress', { error: describeError(error) });
    return false;
  }
}

function attributesOf(entry: DomainPackageDetails | undefined): string {
  return ENTRY_ATTRIBUTES.map(name => String(entry?.[name] ?? '')).join(ATTRIBUTE_SEPARATOR);
}

/** Done: each package's attributes under its key (every key present: CloudFormation fails a GetAtt on a missing one). */
function complete(wanted: readonly DesiredPackage[], entries: ReadonlyMap<string, DomainPackageDetails>): CheckResult {
  const data = Object.fromEntries(wanted.map(w => [w.key, attributesOf(entries.get(w.packageId))]));
  log('complete', data);
  return { IsComplete: true, Data: data };
}

/** Refuses, before anything changes, a set whose attributes would not fit in CloudFormation's response. */
function checkResponseSize(spec: DomainPackagesSpec, wanted: readonly DesiredPackage[], packages: readonly PackageDetails[]): void {
  const estimate = wanted.map(w => {
    const pkg = packages.find(p => p.PackageID === w.packageId);
    return w.key.length + 60 + (pkg?.PackageName?.length ?? 256) + (pkg?.PackageType?.length ?? 15) + 3 * w.packageId.length;
  }).reduce((a, b) => a + b, 0);
  if (estimate > MAX_DATA_BYTES) {
    throw failure(spec, `${wanted.length} packages in one stack: their attributes (about ${estimate} bytes) would not fit in CloudFormation's 4 KB custom resource response. `
      + 'Associate some of them with this domain from another stack.');
  }
}
