import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { AssociationIsCompleteEvent, checkAssociationOperation, startAssociationOperation } from './association-lifecycle';
import { checkDomainPackagesOperation, DomainIsCompleteEvent, startDomainPackagesOperation } from './domain-packages-lifecycle';
import { CheckResult } from './operation';
import { RegionalApis } from './package-api';
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
export async function startResourceOperation(apis: RegionalApis, event: CloudFormationCustomResourceEvent, now = Date.now()): Promise<object> {
  switch (event.ResourceType) {
    case DOMAIN_PACKAGES_RESOURCE_TYPE: return startDomainPackagesOperation(apis, event, now);
    case PACKAGE_ASSOCIATION_RESOURCE_TYPE: return startAssociationOperation(apis, event, now);
    case CUSTOM_PACKAGE_RESOURCE_TYPE: return startPackageOperation(apis(stackRegion(event)), event, now);
    default: throw unknownType(event.ResourceType);
  }
}

/** isComplete, routed by resource type. */
export async function checkResourceOperation(apis: RegionalApis, event: AnyIsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  switch (event.ResourceType) {
    case DOMAIN_PACKAGES_RESOURCE_TYPE: return checkDomainPackagesOperation(apis, event as DomainIsCompleteEvent, now);
    case PACKAGE_ASSOCIATION_RESOURCE_TYPE: return checkAssociationOperation(apis, event as AssociationIsCompleteEvent, now);
    case CUSTOM_PACKAGE_RESOURCE_TYPE: return checkPackageOperation(apis(stackRegion(event)), event as PackageIsCompleteEvent, now);
    default: throw unknownType(event.ResourceType);
  }
}
