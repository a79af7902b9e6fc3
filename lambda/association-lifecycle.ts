import { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { adoptedElsewhere } from './adopted-elsewhere';
import { AssociationSpec, parseAssociationSpec } from './association-spec';
import { Clients } from './clients';
import { beginDomainChange, checkDomainChange, DomainChange, DomainChangeState, prepareDomainChange } from './domain-change';
import { crossAccountProblem } from './domain-location';
import { unobservedSince } from './domain-packages-plan';
import { log } from './log';
import { CheckResult, notYet, OperationFailed, runStep } from './operation';
import { associationIdentity, formatRecordId, Ownership, OwnershipRecord, packageKey, parseRecordId } from './ownership-record';
import { awsPackageNameOf, resolvePackages } from './package-resolution';
import { describeError, isResourceNotFound, isTransient } from './service-errors';
import { orUnreadable } from './stack-api';
import { contestedAssociations, keptByStack } from './stack-events';
import { HANDLER_CEILING_SECONDS } from '../lib/check-timing';
import { PACKAGE_ASSOCIATION_RESOURCE_TYPE } from '../lib/package-association-properties';

/*
 * The association's ownership record: whether the stack made the
 * association (and may take it off the domain) or adopted it (and never
 * does), in its physical ID (see ownership-record.ts).
 *
 * Create, which CloudFormation sends only for an association new to the
 * template, is the ownership check: a package not on the domain is the
 * stack's to associate; one already there is the stack's own when another of
 * the stack's records holds the same association under another name (read
 * from the stack's resources: the package named by ID and then by AWS name,
 * the domain through a parameter and then literally), the stack's own again
 * when the stack's events show that its retaining removal policy kept it
 * there (`kept`), adopted with adoptExisting, and refused otherwise. Update follows the association the
 * properties name now and never refuses (a rollback comes as an Update).
 * Delete, which CloudFormation sends only when the operation that created
 * the record rolls back (its removal policy is RETAIN_ON_UPDATE_OR_DELETE or
 * RETAIN), undoes that creation: it takes the package off the domain if the
 * stack made the association, no other record of the stack still holds it,
 * and the failure being rolled back did not find it contested (stack-events.ts).
 */

/**
 * What onEvent hands to every isComplete call: `claim` while the ownership
 * check is still to be made (the domain could not be read, or the package is
 * leaving the domain), `settled` once made; for a Delete, `release` while it
 * is still to be seen whether another record of the stack holds the
 * association, `removed` once the removal started (with its change's state).
 */
export interface AssociationOperationState {
  readonly Goal: 'claim' | 'settled' | 'release' | 'removed';
  readonly Removal?: DomainChangeState;
  readonly StartedAt: number;
  readonly FirstCheckDelaySeconds: number;
}

export interface AssociationStartResult extends AssociationOperationState {
  readonly PhysicalResourceId: string;
}

export type AssociationIsCompleteEvent = CloudFormationCustomResourceEvent & AssociationOperationState & { PhysicalResourceId: string };

/** The removal of the one package from its domain, as a change of the domain's packages. */
function removalOf(spec: AssociationSpec, stackId: string): DomainChange {
  const pkg = { key: spec.ref, ref: spec.ref, prerequisitePackageIds: [], retain: false };
  return { spec: { key: '', domain: spec.domain, packages: [pkg], waitSeconds: HANDLER_CEILING_SECONDS }, wanted: [], removal: true, stackId };
}

/** `F123` or `analysis-sudachi (G123)`: the package, as the stack names it and as the service does. */
function described(spec: AssociationSpec, packageId: string): string {
  const name = awsPackageNameOf(spec.ref);
  return name ? `${name} (${packageId})` : packageId;
}

function refusal(spec: AssociationSpec, entry: DomainPackageDetails, stackReadable: boolean): OperationFailed {
  return new OperationFailed(`Package ${described(spec, entry.PackageID!)} is already associated with domain ${spec.domain.domainName} `
    + `(${entry.DomainPackageStatus}${entry.PackageVersion ? `, version ${entry.PackageVersion}` : ''}), and this stack did not associate it: `
    + 'another stack, a script or a person did, or this stack left it there with a retaining removal policy. The stack does not take it over unless told to. '
    + 'Dissociate it from the domain first to let the stack associate (and own) it, or set adoptExisting: true on the association '
    + 'to adopt it: the stack then manages it but never takes it off the domain.'
    + (stackReadable ? '' : ' (The stack\'s own resources could not be read from CloudFormation, so an association this stack holds under another name could not be recognised.)'));
}

/** The association the properties name, as the service knows it, and the domain's entry for its package. */
interface Found {
  readonly association: string;
  readonly entry?: DomainPackageDetails;
}

/** Reads the domain and the package, and names the association the way the service does. */
async function find(clients: Clients, spec: AssociationSpec): Promise<Found> {
  const api = clients.opensearch(spec.domain.region);
  let entries: DomainPackageDetails[];
  let packageId: string;
  try {
    entries = await api.listDomainPackages(spec.domain.domainName);
    packageId = (await resolvePackages(api, spec.domain.domainName, [spec.ref], entries, [], { mustResolve: [spec.ref], ownedBefore: [] }))[spec.ref];
  } catch (error) {
    if (isResourceNotFound(error)) throw new OperationFailed(`Domain ${spec.domain.domainName} not found in ${spec.domain.region} (${describeError(error)}).`);
    throw error;
  }
  const [details] = await api.describePackages([packageId]);
  return { association: associationIdentity(spec.domain, packageKey(details, packageId)), entry: entries.find(e => e.PackageID === packageId) };
}

/** Whether a stack resource of this status is part of the stack's template now. */
function isLive(status: string): boolean {
  return !status.startsWith('DELETE_') && status !== 'CREATE_FAILED' && status !== 'CREATE_IN_PROGRESS';
}

/**
 * Another record of the stack that holds the same association: the stack
 * declares it under another name. `undefined` when there is none;
 * `'unreadable'` when CloudFormation cannot be reached or refuses (the caller
 * then decides without it, on the side that removes nothing the stack did not make).
 */
async function siblingOf(clients: Clients, event: CloudFormationCustomResourceEvent, association: string): Promise<OwnershipRecord | 'unreadable' | undefined> {
  const resources = await orUnreadable('the stack\'s resources', () => clients.stack.resources(event.StackId));
  if (resources === 'unreadable') return resources;
  return resources
    .filter(r => r.resourceType === PACKAGE_ASSOCIATION_RESOURCE_TYPE && r.logicalId !== event.LogicalResourceId && isLive(r.status))
    .map(r => parseRecordId(r.physicalId))
    .find(record => record?.association === association && record.ownership !== 'unverified');
}

/** Whether the stack's events show that the stack made this association and a retaining removal policy kept it on the domain. */
async function keptOnDomain(clients: Clients, event: CloudFormationCustomResourceEvent, association: string, entry: DomainPackageDetails): Promise<boolean> {
  const events = await orUnreadable('the stack\'s events', () => clients.stack.events(event.StackId));
  return events !== 'unreadable' && keptByStack(events, association, entry.LastUpdated?.getTime());
}

/** Whether a failure of the stack's current operation found that someone else made this association: it is not the stack's to remove. */
async function contested(clients: Clients, event: CloudFormationCustomResourceEvent, association: string): Promise<boolean> {
  const events = await orUnreadable('the stack\'s events', () => clients.stack.events(event.StackId));
  return events !== 'unreadable' && contestedAssociations(events, event.StackId).has(association);
}

/** The ownership check's verdict: the record's ownership, or `leaving` while the package is being dissociated. */
type Verdict = { readonly association: string; readonly ownership: Ownership } | 'leaving';

/**
 * The ownership check. `mayRefuse` is false for an Update, which must accept
 * whatever it finds (a rollback comes as an Update): a package already there
 * that the stack does not hold is then adopted.
 */
async function claim(clients: Clients, spec: AssociationSpec, event: CloudFormationCustomResourceEvent, mayRefuse: boolean): Promise<Verdict> {
  const { association, entry } = await find(clients, spec);
  log('ownership check', { association, status: entry?.DomainPackageStatus ?? 'not associated' });
  if (!entry) return { association, ownership: 'owned' };
  if (entry.DomainPackageStatus === 'DISSOCIATING') return mayRefuse ? 'leaving' : { association, ownership: 'owned' };
  const sibling = await siblingOf(clients, event, association);
  if (sibling && sibling !== 'unreadable') {
    log('the stack holds this association under another name: this record continues it', { association, ownership: sibling.ownership });
    return { association, ownership: sibling.ownership };
  }
  if (!spec.adoptExisting && mayRefuse) {
    if (sibling !== 'unreadable' && await keptOnDomain(clients, event, association, entry)) {
      log('the stack made this association and its retaining removal policy kept it on the domain: this record continues it', { association });
      return { association, ownership: 'kept' };
    }
    throw refusal(spec, entry, sibling !== 'unreadable');
  }
  log('adopting the existing association: the stack will never take it off the domain', { association });
  return { association, ownership: 'adopted' };
}

/** A record whose check could not be made yet: it claims nothing, so a rollback of its failed creation removes nothing. */
function unverified(spec: AssociationSpec): string {
  return formatRecordId({ association: associationIdentity(spec.domain, `ref:${spec.ref}`), ownership: 'unverified' });
}

/** onEvent of the association's resource. */
export async function startAssociationOperation(clients: Clients, event: CloudFormationCustomResourceEvent,
  now = Date.now()): Promise<AssociationStartResult> {
  const spec = parseAssociationSpec(event.ResourceProperties);
  const result = (goal: AssociationOperationState['Goal'], physicalId: string, removal?: DomainChangeState): AssociationStartResult => {
    log('operation started', { requestType: event.RequestType, physicalId, goal });
    return { PhysicalResourceId: physicalId, Goal: goal, Removal: removal, StartedAt: now, FirstCheckDelaySeconds: removal?.FirstCheckDelaySeconds ?? 0 };
  };
  switch (event.RequestType) {
    case 'Create': {
      const otherAccount = crossAccountProblem(spec.domain, event.StackId);
      if (otherAccount) throw new OperationFailed(otherAccount);
      try {
        const verdict = await claim(clients, spec, event, true);
        return verdict === 'leaving' ? result('claim', unverified(spec)) : result('settled', formatRecordId(verdict));
      } catch (error) {
        if (error instanceof OperationFailed) throw error;
        if (!isTransient(error)) throw new OperationFailed(`Package ${spec.ref} on domain ${spec.domain.domainName}: ${describeError(error)}`);
        log('could not check ownership yet; isComplete will', { error: describeError(error) });
        return result('claim', unverified(spec));
      }
    }
    case 'Update': return result('settled', await follow(clients, spec, event));
    case 'Delete': {
      // The record's removal policy (RetainExceptOnCreate) sends a Delete only to undo its creation: what the stack did
      // not make, and what its retaining removal policy had kept on the domain before (`kept`), stays there.
      const record = parseRecordId(event.PhysicalResourceId);
      if (record?.ownership !== 'owned') {
        log(`leaving the package on the domain: ${record?.ownership === 'kept' ? 'it was there before this record' : 'the stack did not make this association'}`,
          { physicalId: event.PhysicalResourceId });
        return result('settled', event.PhysicalResourceId);
      }
      try {
        if (await heldElsewhere(clients, event, record!.association)) return result('settled', event.PhysicalResourceId);
      } catch (error) {
        log('could not read the stack\'s resources yet; isComplete will', { error: describeError(error) });
        return result('release', event.PhysicalResourceId);
      }
      const removal = removalOf(spec, event.StackId);
      return result('removed', event.PhysicalResourceId, await beginDomainChange(clients.opensearch, await prepareDomainChange(clients.opensearch, removal, now)));
    }
  }
}

/**
 * Whether the association must stay on the domain although this record made
 * it: another record of the stack holds it, the failure this creation's
 * rollback follows found that someone else associated it meanwhile, or
 * another stack adopted it and still declares it.
 */
async function heldElsewhere(clients: Clients, event: CloudFormationCustomResourceEvent, association: string): Promise<boolean> {
  const sibling = await siblingOf(clients, event, association);
  if (sibling !== undefined && sibling !== 'unreadable') {
    log('leaving the package on the domain: another record of the stack holds this association', { association });
    return true;
  }
  if (await contested(clients, event, association)) {
    log('leaving the package on the domain: someone else associated it while this stack was deploying it', { association });
    return true;
  }
  return await adoptedElsewhere(clients.stack, event.StackId, association) !== undefined;
}

/**
 * Update: the record follows the association its properties name now. The
 * same association keeps its record (the usual case: a new timeout, a
 * plugin's next engine version under the same name); another one (a domain
 * replaced, a parameter changed) is claimed without refusing, remembering
 * where the record was so that a rollback returns to it. An Update never
 * fails: when the service cannot tell, the record stays as it was.
 */
async function follow(clients: Clients, spec: AssociationSpec, event: CloudFormationCustomResourceEvent & { PhysicalResourceId: string }): Promise<string> {
  const record = parseRecordId(event.PhysicalResourceId);
  if (!record) return event.PhysicalResourceId;
  try {
    const { association } = await find(clients, spec);
    if (association === record.association) return event.PhysicalResourceId;
    if (record.was && parseRecordId(record.was)?.association === association) {
      log('the record returns to the association it held before', { association });
      return record.was;
    }
    const verdict = await claim(clients, spec, event, false);
    return verdict === 'leaving' ? event.PhysicalResourceId : formatRecordId({ ...verdict, was: event.PhysicalResourceId });
  } catch (error) {
    log('could not read the association; the record stays as it was', { error: describeError(error) });
    return event.PhysicalResourceId;
  }
}

/** isComplete of the association's resource. */
export async function checkAssociationOperation(clients: Clients, event: AssociationIsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  const spec = parseAssociationSpec(event.ResourceProperties);
  const removal = removalOf(spec, event.StackId);
  const explain = (error: unknown) => new OperationFailed(`Package ${spec.ref} on domain ${spec.domain.domainName}: ${describeError(error)}`);
  switch (event.Goal) {
    case 'settled': return { IsComplete: true };
    case 'removed': return checkDomainChange(clients.opensearch, removal, event.Removal!, now);
    case 'release': return runStep({
      now,
      deadline: () => event.StartedAt + HANDLER_CEILING_SECONDS * 1000,
      timedOut: () => `Timed out after ${HANDLER_CEILING_SECONDS} seconds reading the stack's resources before removing package ${spec.ref} from domain ${spec.domain.domainName}; `
        + 'it may still be associated.',
      explain,
    }, async () => {
      if (await heldElsewhere(clients, event, parseRecordId(event.PhysicalResourceId)!.association)) return { IsComplete: true };
      const state = { Baseline: unobservedSince(event.StartedAt), StartedAt: event.StartedAt, FirstCheckDelaySeconds: 0 };
      return checkDomainChange(clients.opensearch, removal, state, now);
    });
    case 'claim': {
      // Waiting for someone else's dissociation to finish does not count against the association's own timeout.
      let leaving = false;
      const budget = () => (leaving ? HANDLER_CEILING_SECONDS : spec.waitSeconds);
      return runStep({
        now,
        deadline: () => event.StartedAt + budget() * 1000,
        timedOut: () => `Timed out after ${budget()} seconds checking whether package ${spec.ref} is already on domain ${spec.domain.domainName}.`,
        explain,
      }, async () => {
        const verdict = await claim(clients, spec, event, true);
        leaving = verdict === 'leaving';
        if (leaving && now >= event.StartedAt + budget() * 1000) throw new OperationFailed(`Timed out after ${budget()} seconds waiting for package ${spec.ref} to leave domain ${spec.domain.domainName}.`);
        return verdict === 'leaving' ? notYet('the package is leaving the domain') : { IsComplete: true, PhysicalResourceId: formatRecordId(verdict) };
      });
    }
  }
}
