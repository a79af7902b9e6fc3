import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { checkDomainChange, DomainChange, DomainChangeState, startDomainChange } from './domain-change';
import { parseDomainPackagesSpec, previousPackages } from './domain-packages-spec';
import { log } from './log';
import { CheckResult } from './operation';
import { RegionalApis } from './package-api';

export interface DomainStartResult extends DomainChangeState {
  readonly PhysicalResourceId: string;
}

export type DomainIsCompleteEvent = CloudFormationCustomResourceEvent & DomainChangeState;

/**
 * The change a request to the domain's resource asks for: Create and Update
 * work towards the set in the properties (an Update away from the old set),
 * Delete takes the set off the domain.
 */
function changeOf(event: CloudFormationCustomResourceEvent): DomainChange {
  const spec = parseDomainPackagesSpec(event.ResourceProperties);
  const common = { spec, stackId: event.StackId };
  if (event.RequestType === 'Delete') return { ...common, wanted: [], removal: true };
  if (event.RequestType === 'Create') return { ...common, wanted: spec.packages, removal: false };
  const before = previousPackages(event.OldResourceProperties);
  if (before.domainName !== undefined && before.domainName !== spec.domain.domainName) {
    // The domain was replaced (a new name under the same construct): CloudFormation deletes the old one with
    // whatever is on it, and the permission for it has already moved to the new domain.
    log('domain changed: the packages stay on the old domain, which is being replaced', { from: before.domainName, to: spec.domain.domainName });
    return { ...common, wanted: spec.packages, removal: false };
  }
  return { ...common, wanted: spec.packages, previous: before.packages, removal: false };
}

/** onEvent of the domain's resource. Its physical ID names the domain, and never changes. */
export async function startDomainPackagesOperation(apis: RegionalApis, event: CloudFormationCustomResourceEvent, now = Date.now()): Promise<DomainStartResult> {
  const change = changeOf(event);
  const physicalId = event.RequestType === 'Create' ? `${change.spec.domain.region}/${change.spec.domain.domainName}` : event.PhysicalResourceId;
  log('operation started', { requestType: event.RequestType, physicalId });
  return { PhysicalResourceId: physicalId, ...await startDomainChange(apis, change, now) };
}

/** isComplete of the domain's resource. */
export function checkDomainPackagesOperation(apis: RegionalApis, event: DomainIsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  return checkDomainChange(apis, changeOf(event), event, now);
}
