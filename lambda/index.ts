import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CheckResult } from './operation';
import { RegionalApis, sdkRegionalApis } from './package-api';
import { AnyIsCompleteEvent, checkResourceOperation, startResourceOperation } from './resource-router';

// Created on first use, once per Lambda container.
let apis: RegionalApis | undefined;
const regionalApis = () => apis ??= sdkRegionalApis();

/** The Provider framework's onEvent handler. */
export function onEvent(event: CloudFormationCustomResourceEvent): Promise<object> {
  return startResourceOperation(regionalApis(), event);
}

/** The Provider framework's isComplete handler: called until it reports completion or throws. */
export function isComplete(event: AnyIsCompleteEvent): Promise<CheckResult> {
  return checkResourceOperation(regionalApis(), event);
}
