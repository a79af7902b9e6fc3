import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CheckResult, checkOperation, IsCompleteEvent, startOperation, StartResult } from './association-lifecycle';
import { PackageApi, sdkPackageApi } from './package-api';

// Created on first use, once per Lambda container.
let api: PackageApi | undefined;
const packageApi = () => api ??= sdkPackageApi();

/** The Provider framework's onEvent handler for Custom::OpenSearchPackageAssociation. */
export function onEvent(event: CloudFormationCustomResourceEvent): Promise<StartResult> {
  return startOperation(packageApi(), event);
}

/** The Provider framework's isComplete handler: called until it reports completion or throws. */
export function isComplete(event: IsCompleteEvent): Promise<CheckResult> {
  return checkOperation(packageApi(), event);
}
