import { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Baseline, baselineOf, decide, Goal, IN_USE_HINT, judgePackage } from './association-decision';
import { AssociationSpec, needsReassociation, parseAssociationSpec, physicalIdOf } from './association-spec';
import { log } from './log';
import { CheckResult, notYet, OperationFailed, runStep, StepLimits } from './operation';
import { PackageApi } from './package-api';
import { describeError, isAlreadyInDesiredState, isDomainNotFound, isNotAssociated, isResourceNotFound, isTransient } from './service-errors';
import { ASSOCIATION_ATTRIBUTES, AssociationAttribute } from '../lib/package-association-properties';

/** What onEvent hands to every isComplete call of the same operation. */
export interface OperationState {
  readonly Goal: Goal;
  readonly Baseline: Baseline;
  /**
   * On an update that replaces the association, the physical ID being
   * replaced. CloudFormation keeps that one if the update fails, and sends no
   * Delete for the new one, so a failure must undo the new association itself.
   */
  readonly Replaces?: string;
  /** Epoch milliseconds when the operation started; the wait is measured from here. */
  readonly StartedAt: number;
}

export interface StartResult extends OperationState {
  readonly PhysicalResourceId: string;
}

export type IsCompleteEvent = CloudFormationCustomResourceEvent & OperationState;

/**
 * onEvent: validates the request, decides what the operation must achieve,
 * records the domain's state before anything changes, and takes the first
 * step (AssociatePackage or DissociatePackage) when that state calls for it,
 * so that the waiter's first isComplete can already see its effect.
 * isComplete waits, and takes any further step.
 */
export async function startOperation(api: PackageApi, event: CloudFormationCustomResourceEvent, now = Date.now()): Promise<StartResult> {
  const spec = parseAssociationSpec(event.ResourceProperties);
  let goal: Goal;
  let physicalId = physicalIdOf(spec);
  let replaces: string | undefined;
  switch (event.RequestType) {
    case 'Create':
      goal = 'associate';
      break;
    case 'Update': {
      if (physicalId !== event.PhysicalResourceId) replaces = event.PhysicalResourceId;
      goal = replaces || needsReassociation(parseAssociationSpec(event.OldResourceProperties), spec) ? 'associate' : 'keep';
      break;
    }
    case 'Delete':
      goal = 'dissociate';
      physicalId = event.PhysicalResourceId;
      break;
  }
  const { baseline, entry } = await observeBaseline(api, spec, goal);
  log('operation started', { requestType: event.RequestType, physicalId, goal, baseline, replaces });
  const left = baseline.observed ? await takeFirstStep(api, spec, goal, entry, stepLimits(spec, goal, now, now)) : goal;
  return { PhysicalResourceId: physicalId, Goal: left, Baseline: baseline, Replaces: replaces, StartedAt: now };
}

async function observeBaseline(api: PackageApi, spec: AssociationSpec, goal: Goal): Promise<{ baseline: Baseline; entry?: DomainPackageDetails }> {
  try {
    const entries = await api.listDomainPackages(spec.domainName);
    const entry = entries.find(e => e.PackageID === spec.packageId);
    return { baseline: baselineOf(entry), entry };
  } catch (error) {
    if (isResourceNotFound(error) && goal !== 'dissociate') {
      throw failure(spec, `domain not found (${describeError(error)})`);
    }
    if (!isTransient(error) && !isResourceNotFound(error)) throw error;
    log('could not observe the domain before the operation; isComplete will', { error: describeError(error) });
    return { baseline: { observed: false } };
  }
}

/**
 * The first step, from the baseline itself. Transient errors leave it to
 * isComplete; an error that waiting will not cure fails the operation before
 * anything has changed. Returns the goal left for isComplete: `keep` when the
 * service answered that the package is already associated as requested.
 */
async function takeFirstStep(api: PackageApi, spec: AssociationSpec, goal: Goal, entry: DomainPackageDetails | undefined, limits: StepLimits): Promise<Goal> {
  const decision = decide(goal, entry, baselineOf(entry));
  if (decision.kind === 'fail') throw failure(spec, decision.reason);
  if (decision.kind !== 'associate' && decision.kind !== 'dissociate') return goal;
  const step = await runStep(limits, () => (decision.kind === 'associate' ? associate(api, spec, entry, goal) : dissociate(api, spec)));
  return step.IsComplete && goal !== 'dissociate' ? 'keep' : goal;
}

function stepLimits(spec: AssociationSpec, goal: Goal, startedAt: number, now: number, lastSeen = () => 'not yet observed'): StepLimits {
  return {
    now,
    deadline: startedAt + spec.waitSeconds * 1000,
    timedOut: () => timedOut(spec, goal, lastSeen()),
    explain: error => failure(spec, isDomainNotFound(error) ? `domain not found (${describeError(error)})` : describeError(error)),
  };
}

/** isComplete: observes the domain, takes the next step and reports whether the goal is reached. */
export async function checkOperation(api: PackageApi, event: IsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  const spec = parseAssociationSpec(event.ResourceProperties);
  const goal = event.Goal;
  let lastSeen = 'not yet observed';
  const limits = stepLimits(spec, goal, event.StartedAt, now, () => lastSeen);
  const step = runStep(limits, async () => {
    let entries;
    try {
      entries = await api.listDomainPackages(spec.domainName);
    } catch (error) {
      if (goal !== 'dissociate' || !isResourceNotFound(error)) throw error;
      log('domain not found: nothing left to dissociate', { domainName: spec.domainName });
      return { IsComplete: true };
    }
    const entry = entries.find(e => e.PackageID === spec.packageId);
    lastSeen = entry?.DomainPackageStatus ?? 'not associated';
    const decision = decide(goal, entry, event.Baseline);
    log('observed', { domainName: spec.domainName, packageId: spec.packageId, goal, status: lastSeen, decision: decision.kind });
    if (decision.kind === 'done') return complete(goal, entry);
    if (decision.kind === 'fail') throw failure(spec, decision.reason);
    if (now >= limits.deadline) throw new OperationFailed(limits.timedOut());
    switch (decision.kind) {
      case 'wait': return notYet(decision.why);
      case 'associate': return associate(api, spec, entry, goal);
      case 'dissociate': return dissociate(api, spec);
    }
  });
  const newAssociation = event.Replaces !== undefined && event.Baseline.observed && event.Baseline.status === undefined;
  return newAssociation ? step.catch(async error => { throw await undoReplacement(api, spec, error); }) : step;
}

/**
 * A replacement failed: takes the new association off the domain (without
 * waiting) and says so, or says what is left behind.
 */
async function undoReplacement(api: PackageApi, spec: AssociationSpec, error: Error): Promise<Error> {
  try {
    await api.dissociate(spec.domainName, spec.packageId);
    return new OperationFailed(`${error.message} The replacement was abandoned: DissociatePackage was called for package ${spec.packageId}; `
      + 'CloudFormation keeps the previous association.');
  } catch (cleanup) {
    if (isNotAssociated(cleanup)) return error;
    return new OperationFailed(`${error.message} Package ${spec.packageId} may remain associated with domain ${spec.domainName} `
      + `(DissociatePackage failed: ${describeError(cleanup)}); dissociate it by hand if the stack does not use it.`);
  }
}

async function associate(api: PackageApi, spec: AssociationSpec, entry: DomainPackageDetails | undefined, goal: Goal): Promise<CheckResult> {
  const ready = judgePackage(await api.describePackage(spec.packageId));
  if (ready.kind === 'fail') throw failure(spec, ready.reason);
  if (ready.kind === 'wait') return notYet(ready.why);
  if (await domainIsProcessing(api, spec.domainName)) return notYet('domain is processing a change');
  try {
    await api.associate({
      domainName: spec.domainName,
      packageId: spec.packageId,
      prerequisitePackageIds: spec.prerequisitePackageIds.length > 0 ? spec.prerequisitePackageIds : undefined,
      associationConfiguration: spec.keyAccessRoleArn
        ? { KeyStoreAccessOption: { KeyAccessRoleArn: spec.keyAccessRoleArn, KeyStoreAccessEnabled: true } }
        : undefined,
    });
  } catch (error) {
    if (!isAlreadyInDesiredState(error)) throw error;
    return entry ? complete(goal, entry) : notYet('already associated; waiting for ListPackagesForDomain to show it');
  }
  return notYet('association requested');
}

/**
 * Whether to hold back because the domain is applying a change. Only an
 * optimisation (AssociatePackage's ConflictException is retried anyway), so a
 * DescribeDomain that fails for good does not stop the association.
 */
async function domainIsProcessing(api: PackageApi, domainName: string): Promise<boolean> {
  try {
    return await api.isDomainProcessing(domainName);
  } catch (error) {
    if (isTransient(error)) throw error;
    log('DescribeDomain failed; associating without checking for a change in progress', { error: describeError(error) });
    return false;
  }
}

async function dissociate(api: PackageApi, spec: AssociationSpec): Promise<CheckResult> {
  try {
    await api.dissociate(spec.domainName, spec.packageId);
  } catch (error) {
    if (isNotAssociated(error)) return { IsComplete: true };
    if (isTransient(error)) throw error;
    throw failure(spec, `DissociatePackage failed: ${describeError(error)}. ${IN_USE_HINT}`);
  }
  return notYet('dissociation requested');
}

function failure(spec: AssociationSpec, reason: string): OperationFailed {
  return new OperationFailed(`Package ${spec.packageId} on domain ${spec.domainName}: ${reason}`);
}

function complete(goal: Goal, entry: DomainPackageDetails | undefined): CheckResult {
  if (goal === 'dissociate') return { IsComplete: true };
  const data = Object.fromEntries(ASSOCIATION_ATTRIBUTES.map(key => [key, String(entry?.[key] ?? '')])) as Record<AssociationAttribute, string>;
  log('complete', { ...data });
  return { IsComplete: true, Data: data };
}

function timedOut(spec: AssociationSpec, goal: Goal, lastSeen: string): string {
  const target = goal === 'dissociate'
    ? `to leave domain ${spec.domainName}; it may still be associated: check ListPackagesForDomain and dissociate it by hand if needed`
    : `to become ACTIVE on domain ${spec.domainName}`;
  return `Timed out after ${spec.waitSeconds} seconds waiting for package ${spec.packageId} ${target} (last status: ${lastSeen}).`;
}
