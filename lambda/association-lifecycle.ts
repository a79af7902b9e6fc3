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

/*
 * The association's own resource: the stack's record that it owns the
 * association (see lib/package-association-properties.ts). Its Create checks
 * that the package is not already on the domain; its Update changes nothing;
 * its Delete, which CloudFormation sends only when the association leaves the
 * stack or its creation is undone, takes the package off the domain if it is
 * still there (the domain's resource has usually done so already).
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
    + 'another stack, a script or a person did. The stack does not take it over, because it would remove it from the domain later. '
    + 'Dissociate it from the domain first, or set adoptExisting: true on the association to make this stack its owner.');
}

/** The ownership check: done when the package is not on the domain (or may be adopted), wait while it is leaving, refuse otherwise. */
async function claim(apis: RegionalApis, spec: AssociationSpec): Promise<CheckResult> {
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
  if (!entry) return { IsComplete: true };
  if (entry.DomainPackageStatus === 'DISSOCIATING') return notYet('the package is leaving the domain');
  if (spec.adoptExisting) {
    log('adopting the existing association', { packageId });
    return { IsComplete: true };
  }
  throw refusal(spec, entry);
}

/** onEvent of the association's resource. */
export async function startAssociationOperation(apis: RegionalApis, event: CloudFormationCustomResourceEvent,
  now = Date.now()): Promise<AssociationStartResult> {
  const spec = parseAssociationSpec(event.ResourceProperties);
  // Named by the reference: for a package AWS provides, the name, which outlives the ID an engine upgrade swaps.
  const physicalId = event.RequestType === 'Create' ? `${spec.domain.region}/${spec.domain.domainName}/${spec.ref}` : event.PhysicalResourceId;
  const result = (goal: AssociationOperationState['Goal'], removal?: DomainChangeState): AssociationStartResult => {
    log('operation started', { requestType: event.RequestType, physicalId, goal });
    return { PhysicalResourceId: physicalId, Goal: goal, Removal: removal, StartedAt: now, FirstCheckDelaySeconds: removal?.FirstCheckDelaySeconds ?? 0 };
  };
  switch (event.RequestType) {
    case 'Create': {
      const otherAccount = crossAccountProblem(spec.domain, event.StackId);
      if (otherAccount) throw new OperationFailed(otherAccount);
      try {
        return result((await claim(apis, spec)).IsComplete ? 'owned' : 'claim');
      } catch (error) {
        if (error instanceof OperationFailed) throw error;
        if (!isTransient(error)) throw new OperationFailed(`Package ${spec.ref} on domain ${spec.domain.domainName}: ${describeError(error)}`);
        log('could not check ownership yet; isComplete will', { error: describeError(error) });
        return result('claim');
      }
    }
    // Nothing to check or change: refusing here could refuse a rollback, which sends the previous properties back.
    case 'Update': return result('owned');
    case 'Delete': return result('removed', await startDomainChange(apis, removalOf(spec, event.StackId), now));
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
    }, () => claim(apis, spec));
  }
}
