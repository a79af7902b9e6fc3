import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CUSTOM_PACKAGE_RESOURCE_TYPE } from '../lib/custom-package-properties';
import { PACKAGE_ASSOCIATION_RESOURCE_TYPE } from '../lib/package-association-properties';
import { checkOperation, IsCompleteEvent, startOperation } from './association-lifecycle';
import { CheckResult } from './operation';
import { PackageApi, sdkPackageApi } from './package-api';
import { checkPackageOperation, PackageIsCompleteEvent, startPackageOperation } from './package-lifecycle';

// Created on first use, once per Lambda container.
let api: PackageApi | undefined;
const packageApi = () => api ??= sdkPackageApi();

function unknownType(type: string): Error {
  return new Error(`Unsupported resource type ${type}: this provider serves ${CUSTOM_PACKAGE_RESOURCE_TYPE} and ${PACKAGE_ASSOCIATION_RESOURCE_TYPE}.`);
}

/** The Provider framework's onEvent handler. */
export async function onEvent(event: CloudFormationCustomResourceEvent): Promise<object> {
  switch (event.ResourceType) {
    case PACKAGE_ASSOCIATION_RESOURCE_TYPE: return startOperation(packageApi(), event);
    case CUSTOM_PACKAGE_RESOURCE_TYPE: return startPackageOperation(packageApi(), event);
    default: throw unknownType(event.ResourceType);
  }
}

/** The Provider framework's isComplete handler: called until it reports completion or throws. */
export async function isComplete(event: IsCompleteEvent | PackageIsCompleteEvent): Promise<CheckResult> {
  switch (event.ResourceType) {
    case PACKAGE_ASSOCIATION_RESOURCE_TYPE: return checkOperation(packageApi(), event as IsCompleteEvent);
    case CUSTOM_PACKAGE_RESOURCE_TYPE: return checkPackageOperation(packageApi(), event as PackageIsCompleteEvent);
    default: throw unknownType(event.ResourceType);
  }
}
