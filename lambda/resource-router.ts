import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { checkOperation, IsCompleteEvent, startOperation } from './association-lifecycle';
import { CheckResult } from './operation';
import { PackageApi } from './package-api';
import { checkPackageOperation, PackageIsCompleteEvent, startPackageOperation } from './package-lifecycle';
import { CUSTOM_PACKAGE_RESOURCE_TYPE } from '../lib/custom-package-properties';
import { PACKAGE_ASSOCIATION_RESOURCE_TYPE } from '../lib/package-association-properties';

/** The event isComplete receives: the request merged with what onEvent returned. */
export type AnyIsCompleteEvent = IsCompleteEvent | PackageIsCompleteEvent;

function unknownType(type: string): Error {
  return new Error(`Unsupported resource type ${type}: this provider serves ${CUSTOM_PACKAGE_RESOURCE_TYPE} and ${PACKAGE_ASSOCIATION_RESOURCE_TYPE}.`);
}

/** onEvent, routed by resource type. */
export async function startResourceOperation(api: PackageApi, event: CloudFormationCustomResourceEvent, now = Date.now()): Promise<object> {
  switch (event.ResourceType) {
    case PACKAGE_ASSOCIATION_RESOURCE_TYPE: return startOperation(api, event, now);
    case CUSTOM_PACKAGE_RESOURCE_TYPE: return startPackageOperation(api, event, now);
    default: throw unknownType(event.ResourceType);
  }
}

/** isComplete, routed by resource type. */
export async function checkResourceOperation(api: PackageApi, event: AnyIsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  switch (event.ResourceType) {
    case PACKAGE_ASSOCIATION_RESOURCE_TYPE: return checkOperation(api, event as IsCompleteEvent, now);
    case CUSTOM_PACKAGE_RESOURCE_TYPE: return checkPackageOperation(api, event as PackageIsCompleteEvent, now);
    default: throw unknownType(event.ResourceType);
  }
}
