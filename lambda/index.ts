import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Clients, sdkClients } from './clients';
import { CheckResult } from './operation';
import { AnyIsCompleteEvent, checkResourceOperation, startResourceOperation } from './resource-router';

// Created on first use, once per Lambda container.
let clients: Clients | undefined;
const sdk = () => clients ??= sdkClients();

/** The Provider framework's onEvent handler. */
export function onEvent(event: CloudFormationCustomResourceEvent): Promise<object> {
  return startResourceOperation(sdk(), event);
}

/** The Provider framework's isComplete handler: called until it reports completion or throws. */
export function isComplete(event: AnyIsCompleteEvent): Promise<CheckResult> {
  return checkResourceOperation(sdk(), event);
}
