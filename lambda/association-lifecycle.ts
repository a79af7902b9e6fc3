import { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { AssociationSpec, parseAssociationSpec } from './association-spec';
import { checkDomainChange, DomainChange, DomainChangeState, startDomainChange } from './domain-change';
import { crossAccountProblem } from './domain-location';
import { log } from './log';
import { CheckResult, notYet, OperationFailed, runStep } from './operation';
import { RegionalApis } from './package-api';
import { awsPackageNameOf, resolvePackages } from './package-resolution';
import { describeError, isResourceNotFound, isTransient } from './service-errors';
import { ADOPTED_MARK, isAdoptedRecord } from '../lib/package-association-properties';

/*
 * The association's own resource: the stack's record that it owns the
 * association (see lib/package-association-properties.ts). Its Create checks
 * that the package is not already on the domain (or adopts it, and says so in
 * its physical ID); its Update changes nothing; its Delete, which
 * CloudFormation sends only when the association leaves the stack or its
 * creation is undone, takes the package off the domain if it is still there
 * (the domain's resource has usually done so already) and the stack did not
 * adopt it.
 */

/**
 * What onEvent hands to every isComplete call: `claim` while the ownership
 * check is still to be made (the domain could not be read, or the package is
 * being dissociated), `owned` once made; a Delete carries its change's state.
 */
export interface AssociationOperationState {
  readonly Goal: 'claim' | 'owned' | 'removed';
  readonly Removal?: DomainChangeState;
  readonly StartedAt: number;
  readonly FirstCheckDelaySeconds: number;
}

export interface AssociationStartResult extends AssociationOperationState {
  readonly PhysicalResourceId: string;
}

export type AssociationIsCompleteEvent = CloudFormationCustomResourceEvent & AssociationOperationState;

/** The removal of the one package from its domain, as a change of the domain's packages. */
function removalOf(spec: AssociationSpec, stackId: string): DomainChange {
  const pkg = { key: spec.ref, ref: spec.ref, prerequisitePackageIds: [], retain: false };
  return { spec: { domain: spec.domain, packages: [pkg], waitSeconds: spec.waitSeconds }, wanted: [], removal: true, stackId };
}

/** `F123` or `analysis-sudachi (G123)`: the package, as the stack names it and as the service does. */
function described(spec: AssociationSpec, packageId: string): string {
  const name = awsPackageNameOf(spec.ref);
  return name ? `${name} (${packageId})` : packageId;
}

function refusal(spec: AssociationSpec, entry: DomainPackageDetails): OperationFailed {
  return new OperationFailed(`Package ${described(spec, entry.PackageID!)} is already associated with domain ${spec.domain.domainName} `
    + `(${entry.DomainPackageStatus}${entry.PackageVersion ? `, version ${entry.PackageVersion}` : ''}), and this stack did not associate it: `
    + 'another stack, a script or a person did. The stack does not take it over unless told to. '
    + 'Dissociate it from the domain first to let the stack associate (and own) it, or set adoptExisting: true on the association '
    + 'to adopt it: the stack then manages it but never takes it off the domain.');
}

/** What the ownership check found: the package is not on the domain, the stack adopts it, or it is still leaving. */
type Claim = 'free' | 'adopted' | 'leaving';

/** The ownership check: the package is not on the domain (or may be adopted), or is leaving it; refuses otherwise. */
async function claim(apis: RegionalApis, spec: AssociationSpec): Promise<Claim> {
  const api = apis(spec.domain.region);
  let entries: DomainPackageDetails[];
  let packageId: string;
  try {
    entries = await api.listDomainPackages(spec.domain.domainName);
    packageId = (await resolvePackages(api, spec.domain.domainName, [spec.ref], entries, [], { mustResolve: [spec.ref], ownedBefore: [] }))[spec.ref];
  } catch (error) {
    if (isResourceNotFound(error)) throw new OperationFailed(`Domain ${spec.domain.domainName} not found in ${spec.domain.region} (${describeError(error)}).`);
    throw error;
  }
  const entry = entries.find(e => e.PackageID === packageId);
  log('ownership check', { domainName: spec.domain.domainName, packageId, status: entry?.DomainPackageStatus ?? 'not associated' });
  if (!entry) return 'free';
  if (entry.DomainPackageStatus === 'DISSOCIATING') return 'leaving';
  if (!spec.adoptExisting) throw refusal(spec, entry);
  log('adopting the existing association: the stack will never take it off the domain', { packageId });
  return 'adopted';
}

/** The record's physical ID: where the association is (for a package AWS provides, by name, which outlives the ID an engine upgrade swaps), and whether the stack adopted it. */
function recordId(spec: AssociationSpec, found: Claim): string {
  return `${spec.domain.region}/${spec.domain.domainName}/${spec.ref}${found === 'adopted' ? ADOPTED_MARK : ''}`;
}

/** onEvent of the association's resource. */
export async function startAssociationOperation(apis: RegionalApis, event: CloudFormationCustomResourceEvent,
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
        const found = await claim(apis, spec);
        return found === 'leaving' ? result('claim', recordId(spec, 'free')) : result('owned', recordId(spec, found));
      } catch (error) {
        if (error instanceof OperationFailed) throw error;
        if (!isTransient(error)) throw new OperationFailed(`Package ${spec.ref} on domain ${spec.domain.domainName}: ${describeError(error)}`);
        log('could not check ownership yet; isComplete will', { error: describeError(error) });
        return result('claim', recordId(spec, 'free'));
      }
    }
    // Nothing to check or change: refusing here could refuse a rollback, which sends the previous properties back.
    case 'Update': return result('owned', event.PhysicalResourceId);
    case 'Delete':
      if (isAdoptedRecord(event.PhysicalResourceId, spec.ref)) {
        log('leaving the package on the domain: the stack adopted this association, it did not make it', { packageRef: spec.ref });
        return result('owned', event.PhysicalResourceId);
      }
      return result('removed', event.PhysicalResourceId, await startDomainChange(apis, removalOf(spec, event.StackId), now));
  }
}

/** isComplete of the association's resource. */
export async function checkAssociationOperation(apis: RegionalApis, event: AssociationIsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  const spec = parseAssociationSpec(event.ResourceProperties);
  switch (event.Goal) {
    case 'owned': return { IsComplete: true };
    case 'removed': return checkDomainChange(apis, removalOf(spec, event.StackId), event.Removal!, now);
    case 'claim': return runStep({
      now,
      deadline: event.StartedAt + spec.waitSeconds * 1000,
      timedOut: () => `Timed out after ${spec.waitSeconds} seconds checking whether package ${spec.ref} is already on domain ${spec.domain.domainName}.`,
      explain: error => new OperationFailed(`Package ${spec.ref} on domain ${spec.domain.domainName}: ${describeError(error)}`),
    }, async () => {
      const found = await claim(apis, spec);
      return found === 'leaving' ? notYet('the package is leaving the domain') : { IsComplete: true, PhysicalResourceId: recordId(spec, found) };
    });
  }
}
