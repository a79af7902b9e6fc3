import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/*
 * The log settings of each stack's provider, which ProviderLogs.configure
 * records and the provider applies when a stack's first construct creates it.
 */

/** The construct ID of a stack's provider, a child of the stack. */
export const PROVIDER_ID = 'OpenSearchPackagesProvider';

/** What the provider applies to its log group. */
export interface ProviderLogSettings {
  readonly retention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** One month, kept after the stack is deleted. */
export const DEFAULT_PROVIDER_LOGS: ProviderLogSettings = { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN };

const configured = new WeakMap<Stack, ProviderLogSettings>();

/** The settings configured for the stack, if any. */
export function configuredProviderLogs(stack: Stack): ProviderLogSettings | undefined {
  return configured.get(stack);
}

/** Records the stack's settings, for its provider to apply when it is created. */
export function configureProviderLogs(stack: Stack, settings: ProviderLogSettings): void {
  configured.set(stack, settings);
}
