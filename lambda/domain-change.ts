import { DomainPackageDetails, PackageDetails } from '@aws-sdk/client-opensearch';
import { crossAccountProblem } from './domain-location';
import { Baseline, baselineOf, IN_USE_HINT, isInFlight, nextStep, Plan, planChange, planRemoval, statesOf, Step, UNOBSERVED, unobservedSince } from './domain-packages-plan';
import { DesiredPackage, DomainGroupSpec, PackageEntry, resolveEntries } from './domain-packages-spec';
import { log } from './log';
import { CheckResult, notYet, OperationFailed, runStep, StepLimits } from './operation';
import { AssociationRequest, PackageApi, RegionalApis } from './package-api';
import { awsPackageNameOf, Resolution, resolvePackages } from './package-resolution';
import { describeError, errorDetailsOf, isAlreadyInDesiredState, isDisabledOperation, isNotAssociated, isResourceNotFound, isTransient } from './service-errors';
import { contestMarker } from './stack-events';
import { FIRST_CHECK_DELAY_SECONDS, HANDLER_CEILING_SECONDS } from '../lib/check-timing';
import { ATTRIBUTE_SEPARATOR, ENTRY_ATTRIBUTES } from '../lib/domain-packages-properties';

/** What onEvent hands to every isComplete call of the same operation on one domain. */
export interface DomainChangeState {
  /** What the operation must change; absent when onEvent could not read the domain (isComplete plans then). */
  readonly Plan?: Plan;
  /** The package each reference of the change means on the domain (absent with Plan: the domain is gone or out of reach, nothing to do). */
  readonly Resolution?: Resolution;
  readonly Baseline: Baseline;
  /** Epoch milliseconds when the operation started; the wait is measured from here. */
  readonly StartedAt: number;
  readonly FirstCheckDelaySeconds: number;
}

/**
 * A change to the packages of one domain. `spec.packages` is the set the
 * resource holds; the change works towards `wanted` (none when the set
 * leaves the stack) and, on an update, away from `previous`.
 */
export interface DomainChange {
  readonly spec: DomainGroupSpec;
  readonly wanted: PackageEntry[];
  /** On an update, the set the resource held on this domain before; undefined on Create, and when the domain is new to the stack. */
  readonly previous?: PackageEntry[];
  /** True when the set leaves the stack: its packages leave the domain, unless the stack must leave them there. */
  readonly removal: boolean;
  /** The stack's ARN: the handler acts on domains of the stack's account only. */
  readonly stackId: string;
  /** True when the operation rolls an update back: `wanted` is what the stack held, and what of it was deleted by hand since is skipped. */
  readonly rollback?: boolean;
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
  const resolution: Record<string, string> = { ...await resolvePackages(api, domainName, refs, current, packages, rules) };
  const more = [...new Set(Object.values(resolution))].filter(id => !packages.some(p => p.PackageID === id));
  const described = more.length > 0 ? [...packages, ...await api.describePackages(more)] : [...packages];
  // A package the set already held that no longer exists was deleted out of band (the service deletes no package a
  // domain holds): there is nothing of it to associate or dissociate. So is one a rollback brings back (the set held
  // it before the failed update), unless the failed update created it again under its name. A package new to the
  // set must exist.
  const before = new Set([...change.previous ?? [], ...change.rollback ? change.wanted : []].map(e => e.ref));
  for (const ref of Object.keys(resolution)) {
    const pkg = described.find(p => p.PackageID === resolution[ref] && p.PackageStatus !== 'DELETED');
    // Nor can a rollback bring back a package whose last processing failed since the failed update took it off (the
    // service associates it nowhere): failing would leave the stack in UPDATE_ROLLBACK_FAILED, with the domain the same.
    if (change.rollback && before.has(ref) && pkg && FAILED_PROCESSING.has(pkg.PackageStatus!) && !current.some(e => e.PackageID === pkg.PackageID)) {
      log(`the package is ${pkg.PackageStatus} and cannot be associated: the rollback leaves it off the domain; `
        + 'give the package a new packageName, or associate it by hand once it is fixed', { domainName, packageId: pkg.PackageID });
      delete resolution[ref];
      continue;
    }
    if (before.has(ref) && !pkg) {
      const again = change.rollback ? await createdAgain(api, change.wanted.find(e => e.ref === ref)) : undefined;
      if (again) {
        log('the package was created again under its name: the rollback keeps the new one', { domainName, packageId: again.PackageID, was: resolution[ref] });
        resolution[ref] = again.PackageID!;
        described.push(again);
        continue;
      }
      log('the package no longer exists: nothing of it to associate or dissociate', { domainName, packageId: resolution[ref] });
      delete resolution[ref];
    }
  }
  return { current, packages: described, resolution };
}

/**
 * The package of the entry's name that the failed update a rollback undoes
 * created again after the one the rollback's properties name was deleted by
 * hand: the package resource keeps it, so the domain must too. Found by the
 * owner and name the entry's ownership record gives; dictionaries and other
 * packages of one version only (a plugin's name spans engine versions).
 */
async function createdAgain(api: PackageApi, entry: PackageEntry | undefined): Promise<PackageDetails | undefined> {
  const key = entry?.record?.association.split('/').slice(3).join('/') ?? '';
  const separator = key.indexOf(':');
  const [owner, name] = [key.slice(0, separator), key.slice(separator + 1)];
  if (separator < 0 || owner === 'id' || owner === 'AWS') return undefined;
  return (await api.packagesNamed(name)).find(p => p.PackageStatus === 'AVAILABLE' && p.PackageType !== 'ZIP-PLUGIN' && (p.PackageOwner ?? 'self') === owner);
}

/** A package whose last processing failed: it keeps its previous version, but the service associates it nowhere. */
const FAILED_PROCESSING = new Set(['COPY_FAILED', 'VALIDATION_FAILED']);

function failure(spec: DomainGroupSpec, reason: string): OperationFailed {
  return new OperationFailed(`Domain ${spec.domain.domainName} (${spec.domain.region}): ${reason}`);
}

/**
 * How long the operation may wait, in seconds from its start: the
 * association's `timeout` for the work a deployment asks for; the ceiling
 * for removing and undoing (a rollback, a cleanup, a deletion must be able
 * to finish, whatever the service's pace) and when the operation began by
 * waiting out an operation already in flight on the domain (the leftovers of
 * a failed deployment, which its rollback must wait for before undoing them).
 */
function budgetSeconds(change: DomainChange, state: DomainChangeState, removing: boolean): number {
  const busyAtStart = Object.values(state.Baseline.entries).some(e => isInFlight(e.status));
  return change.removal || removing || busyAtStart ? HANDLER_CEILING_SECONDS : change.spec.waitSeconds;
}

function limitsOf(change: DomainChange, state: DomainChangeState, now: number, removing: () => boolean, lastSeen: () => string): StepLimits {
  const { spec } = change;
  const budget = () => budgetSeconds(change, state, removing());
  return {
    now,
    deadline: () => state.StartedAt + budget() * 1000,
    timedOut: () => `Timed out after ${budget()} seconds waiting for the packages of domain ${spec.domain.domainName} (${lastSeen()}).`
      + (change.removal || removing() ? ' They may still be associated: check ListPackagesForDomain and dissociate them by hand if needed.' : ''),
    explain: error => failure(spec, describeError(error)),
  };
}

/** A change observed and planned by onEvent, before its first step. */
export interface PreparedChange {
  readonly change: DomainChange;
  readonly state: DomainChangeState;
  /** What onEvent saw, when it could see the domain. */
  readonly observed?: {
    readonly current: DomainPackageDetails[]; readonly wanted: DesiredPackage[]; readonly previous?: DesiredPackage[]; readonly packages: PackageDetails[];
  };
}

/**
 * onEvent's first part of a change: reads the domain and decides what the
 * change must do, changing nothing yet (see {@link beginDomainChange}).
 */
export async function prepareDomainChange(apis: RegionalApis, change: DomainChange, now = Date.now()): Promise<PreparedChange> {
  const { spec } = change;
  const nothingToDo: DomainChangeState = { Plan: { associate: [], dissociate: [] }, Baseline: UNOBSERVED, StartedAt: now, FirstCheckDelaySeconds: 0 };
  const otherAccount = crossAccountProblem(spec.domain, change.stackId);
  if (otherAccount) {
    if (change.removal) return { change, state: nothingToDo };
    throw failure(spec, otherAccount);
  }
  let observation: Observation;
  try {
    observation = await observe(apis(spec.domain.region), change);
  } catch (error) {
    if (error instanceof OperationFailed) throw failure(spec, error.message);
    if (isResourceNotFound(error) && toleratesMissingDomain(change)) {
      log('domain not found: the stack\'s packages cannot be on it; nothing to do', { domainName: spec.domain.domainName });
      return { change, state: nothingToDo };
    }
    if (isResourceNotFound(error)) throw failure(spec, `domain not found in ${spec.domain.region} (${describeError(error)}).`);
    if (!isTransient(error)) throw failure(spec, describeError(error));
    log('could not read the domain before the change; isComplete will', { error: describeError(error) });
    return { change, state: { Baseline: unobservedSince(now), StartedAt: now, FirstCheckDelaySeconds: 0 } };
  }
  const { current, packages, resolution } = observation;
  const resolved = resolveChange(change, resolution);
  checkDeclaredOnce(spec, resolved.wanted);
  const plan = planOf(change, resolved, current, packages);
  // Before any domain of the operation changes: a package that cannot be associated on one domain must not cost
  // another domain its association first (a move would leave it on neither, and the rollback could not put it back).
  packages.filter(p => plan.associate.includes(p.PackageID!)).forEach(p => checkAssociable(spec, p));
  return {
    change,
    state: { Plan: plan, Resolution: resolution, Baseline: baselineOf(current), StartedAt: now, FirstCheckDelaySeconds: 0 },
    observed: { current, wanted: resolved.wanted, previous: resolved.previous, packages },
  };
}

/**
 * A domain that is gone out of band is tolerated by a removal, and by an
 * update of a domain the resource already held (the domain vanished under
 * the stack: there is nothing to associate or dissociate on it, and failing
 * would leave the stack unable to roll back). Associating with a domain the
 * stack did not hold before fails.
 */
function toleratesMissingDomain(change: DomainChange): boolean {
  return change.removal || change.previous !== undefined;
}

/**
 * onEvent's second part: takes the change's first step (one call to
 * associate or dissociate) at once, so that the waiter's first isComplete can
 * already see its effect. A transient error leaves the step to isComplete.
 */
export async function beginDomainChange(apis: RegionalApis, prepared: PreparedChange): Promise<DomainChangeState> {
  const { change, state, observed } = prepared;
  const { spec } = change;
  let changed = false;
  if (observed && state.Plan) {
    const entries = entriesById(observed.current);
    const step = nextStep(state.Plan, state.Baseline, observed.wanted, entries);
    if (step.kind === 'fail') throw failure(spec, step.reason);
    if (step.kind === 'associate' || step.kind === 'dissociate') {
      try {
        changed = (await take(apis(spec.domain.region), spec, observed.wanted, step, entries)).changed;
      } catch (error) {
        if (error instanceof OperationFailed) throw error;
        if (!isTransient(error)) throw failure(spec, describeError(error));
        log('first step left to isComplete after a transient error', { error: describeError(error) });
      }
    }
  }
  log('change started', { domainName: spec.domain.domainName, plan: state.Plan, resolution: state.Resolution, changed });
  return { ...state, FirstCheckDelaySeconds: changed ? FIRST_CHECK_DELAY_SECONDS : 0 };
}

function planOf(change: DomainChange, resolved: ResolvedChange, current: DomainPackageDetails[], packages: PackageDetails[]): Plan {
  return change.removal ? planRemoval(resolved.held, current) : planChange(resolved.wanted, resolved.previous, current, packages);
}

/** isComplete's part of a change: reads the domain, takes the next step and reports whether the change is done. */
export async function checkDomainChange(apis: RegionalApis, change: DomainChange, state: DomainChangeState, now = Date.now()): Promise<CheckResult> {
  const { spec } = change;
  const api = apis(spec.domain.region);
  let lastSeen = 'not yet observed';
  let removing = false;
  const limits = limitsOf(change, state, now, () => removing, () => lastSeen);
  return runStep(limits, async () => {
    let current: DomainPackageDetails[];
    let resolved: ResolvedChange;
    let plan: Plan;
    try {
      if (state.Plan) {
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
      if (!toleratesMissingDomain(change)) throw failure(spec, `domain not found in ${spec.domain.region} (${describeError(error)}).`);
      log('domain not found: the stack\'s packages cannot be on it; nothing left to do', { domainName: spec.domain.domainName });
      return complete(change, [], new Map());
    }
    if (!state.Plan) checkDeclaredOnce(spec, resolved.wanted);
    const entries = entriesById(current);
    const { wanted } = resolved;
    lastSeen = statesOf([...new Set([...wanted.map(w => w.packageId), ...plan.dissociate])], entries);
    const step = nextStep(plan, state.Baseline, wanted, entries);
    removing = step.kind === 'dissociate' || (step.kind === 'wait' && step.removing === true);
    log('observed', { domainName: spec.domain.domainName, states: lastSeen, step: step.kind });
    switch (step.kind) {
      case 'done': {
        const stale = await staleAfterWaiting(api, plan, state.Baseline, entries);
        if (stale.length === 0) return complete(change, wanted, entries);
        if (now >= limits.deadline()) throw new OperationFailed(limits.timedOut());
        return notYet((await take(api, spec, wanted, { kind: 'associate', packageIds: stale }, entries)).why);
      }
      case 'fail': throw failure(spec, step.reason);
      default:
        if (now >= limits.deadline()) throw new OperationFailed(limits.timedOut());
        return notYet(step.kind === 'wait' ? step.why : (await take(api, spec, wanted, step, entries)).why);
    }
  });
}

/**
 * The packages to associate that the operation found in flight when it
 * started (another operation's association, such as the forward phase's that
 * a rollback waits out) and that settled ACTIVE at a version other than the
 * one the package makes available now: that association was not this
 * operation's, so it is made again.
 */
async function staleAfterWaiting(api: PackageApi, plan: Plan, baseline: Baseline, entries: ReadonlyMap<string, DomainPackageDetails>): Promise<string[]> {
  const settled = plan.associate.filter(id => isInFlight(baseline.entries[id]?.status) && entries.get(id)?.DomainPackageStatus === 'ACTIVE');
  if (settled.length === 0) return [];
  const packages = await api.describePackages(settled);
  return settled.filter(id => {
    const available = packages.find(p => p.PackageID === id)?.AvailablePackageVersion;
    return available !== undefined && entries.get(id)?.PackageVersion !== available;
  });
}

/**
 * Refuses one package declared twice for the domain (by ID and by AWS name,
 * say), which the names alone could not show at synth time.
 */
function checkDeclaredOnce(spec: DomainGroupSpec, wanted: readonly DesiredPackage[]): void {
  for (const w of wanted) {
    const twins = wanted.filter(other => other.packageId === w.packageId);
    if (twins.length > 1) {
      throw failure(spec, `package ${w.packageId} is declared ${twins.length} times for this domain (${twins.map(t => `as ${t.ref.replace(/^aws:/, 'awsPackageName ')}`).join(' and ')}): `
        + 'associate each package with a domain once.');
    }
  }
}

/**
 * The associations of the stack's own that the change takes off the domain:
 * those its plan dissociates, or, when onEvent could not read the domain (and
 * so made no plan), every one that leaves the set and that no removal policy keeps.
 */
export function leavingAssociations({ change, state }: PreparedChange): string[] {
  const held = change.removal ? change.spec.packages : (change.previous ?? []).filter(p => !change.wanted.some(w => w.ref === p.ref));
  const { Plan: plan } = state;
  const dissociated = plan ? resolveEntries(held, state.Resolution ?? {}).filter(p => plan.dissociate.includes(p.packageId)) : held.filter(p => !p.retain);
  return [...new Set(dissociated.flatMap(p => (p.record ? [p.record.association] : [])))];
}

/** An association of the change that may be contested, with when the domain's entry for it last changed (epoch milliseconds). */
export interface ContestCandidate {
  readonly association: string;
  readonly lastUpdated?: number;
}

/**
 * The associations of the change that may be contested: packages new to the
 * set whose ownership record found them absent from the domain (`owned`),
 * and that are on the domain now. Contested when the record was created in
 * this very operation and the entry changed before this resource's request
 * began (see {@link contestedFailure}). A package the set held before under
 * the same record (a plugin's successor after an engine upgrade) is not new.
 */
export function contestCandidates(prepared: PreparedChange): ContestCandidate[] {
  if (!prepared.observed) return [];
  const { wanted, current } = prepared.observed;
  const previous = prepared.observed.previous ?? [];
  const heldBefore = (w: DesiredPackage) => previous.some(p => p.packageId === w.packageId || p.record?.association === w.record?.association);
  return wanted.filter(w => w.record?.ownership === 'owned' && !heldBefore(w)).flatMap(w => {
    const entry = current.find(e => e.PackageID === w.packageId);
    return entry ? [{ association: w.record!.association, lastUpdated: entry.LastUpdated?.getTime() }] : [];
  });
}

/**
 * The failure of an operation whose ownership records, made moments before
 * in the same operation, found these associations absent, and which finds
 * them on the domain now: someone else associated them in between (another
 * stack deploying the same association at the same moment, a script, a
 * person). The service cannot say who, and the stack does not own them. The
 * reason names each as contested, so that the rollback leaves it on the
 * domain (see stack-events.ts).
 */
export function contestedFailure(associations: readonly string[]): OperationFailed {
  return new OperationFailed(`${associations.map(a => `package ${a.split('/').slice(3).join('/')} on domain ${a.split('/')[2]} was associated by someone else after this stack found it absent ${contestMarker(a)}`).join('; ')}: `
    + 'another stack deploying the same association at the same moment, a script or a person. This stack does not own it, takes nothing off the domain, and rolls back. '
    + 'Deploy again when the other deployment is over: the stack then refuses the association, or adopts it with adoptExisting: true.');
}

function entriesById(entries: readonly DomainPackageDetails[]): Map<string, DomainPackageDetails> {
  return new Map(entries.map(e => [e.PackageID!, e]));
}

/** What a step did: whether it made its call (or had to wait first), and why the operation is not done yet. */
interface StepTaken {
  readonly changed: boolean;
  readonly why: string;
}

/**
 * The packages in the order the service must receive them one at a time:
 * a package before those that name it as a prerequisite.
 */
function prerequisitesFirst<T extends { readonly packageId: string; readonly prerequisitePackageIds: readonly string[] }>(packages: readonly T[]): T[] {
  const ordered: T[] = [];
  const visit = (p: T, path: ReadonlySet<string>) => {
    if (ordered.includes(p) || path.has(p.packageId)) return;
    for (const id of p.prerequisitePackageIds) {
      const prerequisite = packages.find(q => q.packageId === id);
      if (prerequisite) visit(prerequisite, new Set([...path, p.packageId]));
    }
    ordered.push(p);
  };
  packages.forEach(p => visit(p, new Set()));
  return ordered;
}

function associationRequest(w: DesiredPackage): AssociationRequest {
  return {
    packageId: w.packageId,
    prerequisitePackageIds: w.prerequisitePackageIds.length > 0 ? w.prerequisitePackageIds : undefined,
    associationConfiguration: w.keyAccessRoleArn ? { KeyStoreAccessOption: { KeyAccessRoleArn: w.keyAccessRoleArn, KeyStoreAccessEnabled: true } } : undefined,
  };
}

/**
 * Makes the step's one call, unless something must be waited for first; fails when the service refuses for good.
 * One package goes in AssociatePackage (or DissociatePackage), several in one AssociatePackages (or
 * DissociatePackages) call, so that a plugin, its license and its configuration cost one blue/green deployment.
 * A domain that refuses the batch calls (DisabledOperationException) gets one package per call, prerequisites
 * first, each waited for before the next: the following steps come back here for the rest.
 */
async function take(api: PackageApi, spec: DomainGroupSpec, desired: readonly DesiredPackage[], step: Extract<Step, { kind: 'associate' | 'dissociate' }>,
  current: ReadonlyMap<string, DomainPackageDetails>): Promise<StepTaken> {
  const domainName = spec.domain.domainName;
  if (step.kind === 'dissociate') {
    const leaving = prerequisitesFirst(step.packageIds.map(id => ({
      packageId: id, prerequisitePackageIds: current.get(id)?.PrerequisitePackageIDList ?? [],
    })));
    try {
      return await oneOrBatch(leaving.map(p => p.packageId), 'dissociation',
        id => api.dissociatePackage(domainName, id), ids => api.dissociatePackages(domainName, ids));
    } catch (error) {
      if (isNotAssociated(error)) return { changed: false, why: 'already dissociated' };
      if (isTransient(error)) throw error;
      throw failure(spec, `dissociating ${step.packageIds.join(', ')} failed: ${describeError(error).replace(/\.?$/, '.')} ${IN_USE_HINT}`);
    }
  }

  const packages = await api.describePackages(step.packageIds);
  for (const id of step.packageIds) {
    const pkg = packages.find(p => p.PackageID === id);
    if (!pkg) throw failure(spec, `package ${id} not found: DescribePackages knows no package with this ID in ${spec.domain.region}.`);
    if (pkg.PackageStatus === 'COPYING' || pkg.PackageStatus === 'VALIDATING') return { changed: false, why: `package ${id} ${pkg.PackageStatus}` };
    checkAssociable(spec, pkg);
  }
  if (await domainIsProcessing(api, domainName)) return { changed: false, why: 'domain is processing a change' };
  const wanted = prerequisitesFirst(desired.filter(w => step.packageIds.includes(w.packageId)));
  try {
    return await oneOrBatch(wanted.map(w => w.packageId), 'association',
      id => api.associatePackage(domainName, associationRequest(wanted.find(w => w.packageId === id)!)),
      () => api.associatePackages(domainName, wanted.map(associationRequest)));
  } catch (error) {
    if (!isAlreadyInDesiredState(error)) throw error;
    const unchanged = wanted.filter(w => current.get(w.packageId)?.DomainPackageStatus === 'ACTIVE').map(w => w.packageId);
    throw failure(spec, `the service answered "${describeError(error)}" for ${unchanged.join(', ') || step.packageIds.join(', ')}: `
      + 'the service keeps a package\'s prerequisites and key-store option when its version does not change. '
      + 'Remove the association in one deployment and add it back in the next, or dissociate the package by hand and deploy again.');
  }
}

/** Fails for a package that cannot be associated: one whose last processing failed, or one deleted or being deleted. */
function checkAssociable(spec: DomainGroupSpec, pkg: PackageDetails): void {
  if (pkg.PackageStatus === 'AVAILABLE' || pkg.PackageStatus === 'COPYING' || pkg.PackageStatus === 'VALIDATING') return;
  const details = errorDetailsOf(pkg);
  throw failure(spec, `package ${pkg.PackageID} is ${pkg.PackageStatus} and cannot be associated${details ? `: ${details}` : ''}.`);
}

/** One call for one package, one batch call for several, or, where the domain refuses the batch, one call for the first. */
async function oneOrBatch(ids: readonly string[], what: string,
  one: (id: string) => Promise<void>, batch: (ids: string[]) => Promise<void>): Promise<StepTaken> {
  if (ids.length === 1) {
    await one(ids[0]);
    return { changed: true, why: `${what} of ${ids[0]} requested` };
  }
  try {
    await batch([...ids]);
    return { changed: true, why: `${what} of ${ids.join(', ')} requested` };
  } catch (error) {
    if (!isDisabledOperation(error)) throw error;
    log(`the domain refuses the batch call (${describeError(error)}): one package per call, each waited for before the next`, { packageIds: ids });
    await one(ids[0]);
    return { changed: true, why: `${what} of ${ids[0]} requested, the first of ${ids.length} (the domain refuses batch calls)` };
  }
}

/**
 * Whether to hold back because the domain is applying a change. Only an
 * optimisation (the association's ConflictException is retried anyway), so a
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

/**
 * Done: each package's attributes under its key. Every key the stack wants is
 * present (CloudFormation fails a GetAtt on a missing one), empty when the
 * package is not on the domain (a domain that disappeared out of band).
 */
function complete(change: DomainChange, wanted: readonly DesiredPackage[], entries: ReadonlyMap<string, DomainPackageDetails>): CheckResult {
  const data = Object.fromEntries(change.wanted.map(e => {
    const packageId = wanted.find(w => w.key === e.key)?.packageId;
    return [e.key, attributesOf(packageId === undefined ? undefined : entries.get(packageId))];
  }));
  log('complete', { domainName: change.spec.domain.domainName, ...data });
  return { IsComplete: true, Data: data };
}

/** What a set's attributes take in the response, roughly (the package names are known once DescribePackages answered). */
export function responseBytes(wanted: readonly DesiredPackage[], packages: readonly PackageDetails[]): number {
  return wanted.map(w => {
    const pkg = packages.find(p => p.PackageID === w.packageId);
    return w.key.length + 60 + (pkg?.PackageName?.length ?? 256) + (pkg?.PackageType?.length ?? 15) + 3 * w.packageId.length;
  }).reduce((a, b) => a + b, 0);
}
