import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { AssociationIsCompleteEvent, checkAssociationOperation, startAssociationOperation } from './association-lifecycle';
import { Clients } from './clients';
import { checkDomainPackagesOperation, DomainIsCompleteEvent, startDomainPackagesOperation } from './domain-packages-lifecycle';
import { CheckResult } from './operation';
import { checkPackageOperation, PackageIsCompleteEvent, startPackageOperation } from './package-lifecycle';
import { CUSTOM_PACKAGE_RESOURCE_TYPE } from '../lib/custom-package-properties';
import { DOMAIN_PACKAGES_RESOURCE_TYPE } from '../lib/domain-packages-properties';
import { PACKAGE_ASSOCIATION_RESOURCE_TYPE } from '../lib/package-association-properties';

/** The event isComplete receives: the request merged with what onEvent returned. */
export type AnyIsCompleteEvent = DomainIsCompleteEvent | AssociationIsCompleteEvent | PackageIsCompleteEvent;

function unknownType(type: string): Error {
  return new Error(`Unsupported resource type ${type}: this provider serves ${CUSTOM_PACKAGE_RESOURCE_TYPE}, `
    + `${DOMAIN_PACKAGES_RESOURCE_TYPE} and ${PACKAGE_ASSOCIATION_RESOURCE_TYPE}.`);
}

/** The Region the stack (and its packages) are in: the provider's own. */
function stackRegion(event: CloudFormationCustomResourceEvent): string {
  return event.StackId.split(':')[3] || process.env.AWS_REGION || '';
}

/** onEvent, routed by resource type. */
export async function startResourceOperation(clients: Clients, event: CloudFormationCustomResourceEvent, now = Date.now()): Promise<object> {
  switch (event.ResourceType) {
    case DOMAIN_PACKAGES_RESOURCE_TYPE: return startDomainPackagesOperation(clients, event, now);
    case PACKAGE_ASSOCIATION_RESOURCE_TYPE: return startAssociationOperation(clients, event, now);
    case CUSTOM_PACKAGE_RESOURCE_TYPE: return startPackageOperation(clients.opensearch(stackRegion(event)), event, now);
    default: throw unknownType(event.ResourceType);
  }
}

/** isComplete, routed by resource type. */
export async function checkResourceOperation(clients: Clients, event: AnyIsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  switch (event.ResourceType) {
    case DOMAIN_PACKAGES_RESOURCE_TYPE: return checkDomainPackagesOperation(clients, event as DomainIsCompleteEvent, now);
    case PACKAGE_ASSOCIATION_RESOURCE_TYPE: return checkAssociationOperation(clients, event as AssociationIsCompleteEvent, now);
    case CUSTOM_PACKAGE_RESOURCE_TYPE: return checkPackageOperation(clients.opensearch(stackRegion(event)), event as PackageIsCompleteEvent, now);
    default: throw unknownType(event.ResourceType);
  }
}
