import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CheckResult } from './operation';
import { PackageApi, sdkPackageApi } from './package-api';
import { AnyIsCompleteEvent, checkResourceOperation, startResourceOperation } from './resource-router';

// Created on first use, once per Lambda container.
let api: PackageApi | undefined;
const packageApi = () => api ??= sdkPackageApi();

/** The Provider framework's onEvent handler. */
export function onEvent(event: CloudFormationCustomResourceEvent): Promise<object> {
  return startResourceOperation(packageApi(), event);
}

/** The Provider framework's isComplete handler: called until it reports completion or throws. */
export function isComplete(event: AnyIsCompleteEvent): Promise<CheckResult> {
  return checkResourceOperation(packageApi(), event);
}
