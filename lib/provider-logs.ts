import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { configuredProviderLogs, configureProviderLogs, DEFAULT_PROVIDER_LOGS, PROVIDER_ID, ProviderLogSettings } from './provider-log-settings';

/**
 * How long the stack's provider keeps its logs, and what happens to them
 * when the stack is deleted.
 */
export interface ProviderLogsProps {
  /**
   * How long the log group keeps log events.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly retention?: logs.RetentionDays;

  /**
   * What happens to the log group when it leaves the stack or the stack is
   * deleted. `RemovalPolicy.DESTROY` deletes it, and with it every log event,
   * so that the stack leaves nothing of the provider behind.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The log group of a stack's provider: every CustomPackage and
 * DomainPackageAssociation of a stack shares one custom-resource provider,
 * and all five of its Lambda functions (the library's two handlers and the
 * Provider framework's onEvent, isComplete and onTimeout functions) write
 * to one log group, the only one the provider has: the framework's waiter
 * state machine logs nothing, and no function logs to a group that Lambda
 * (or, with the `@aws-cdk/aws-lambda:useCdkManagedLogGroup` flag of newer
 * aws-cdk-lib, CDK) would create for it apart from the stack's settings.
 *
 * By default the log group keeps events for one month and stays after the
 * stack is deleted, as aws-cdk's log groups do, for a look at what the last
 * deployment did: its events then expire within the month, and the empty
 * group stays until deleted by hand. Give `removalPolicy: DESTROY` to
 * delete it with the stack.
 *
 * ```ts
 * import * as cdk from 'aws-cdk-lib';
 * import * as packages from 'cdk-opensearch-packages';
 *
 * packages.ProviderLogs.configure(this, {
 *   retention: cdk.aws_logs.RetentionDays.ONE_WEEK,
 *   removalPolicy: cdk.RemovalPolicy.DESTROY,
 * });
 * ```
 */
export class ProviderLogs {
  /**
   * Sets the log retention and removal policy of the provider of the
   * scope's stack. Call it before the stack's first CustomPackage or
   * DomainPackageAssociation, which creates the provider; calling it again
   * with other settings fails.
   *
   * @param scope the stack, or any construct in it
   */
  public static configure(scope: IConstruct, props: ProviderLogsProps): void {
    const stack = Stack.of(scope);
    const settings: ProviderLogSettings = {
      retention: props.retention ?? DEFAULT_PROVIDER_LOGS.retention,
      removalPolicy: props.removalPolicy ?? DEFAULT_PROVIDER_LOGS.removalPolicy,
    };
    const earlier = configuredProviderLogs(stack);
    if (earlier && (earlier.retention !== settings.retention || earlier.removalPolicy !== settings.removalPolicy)) {
      throw new Error(`ProviderLogs.configure: the provider logs of stack ${stack.node.path} are already configured `
        + `(retention ${earlier.retention} days, removalPolicy ${earlier.removalPolicy}): configure them once per stack.`);
    }
    const provider = stack.node.tryFindChild(PROVIDER_ID);
    if (!earlier && provider) {
      throw new Error(`ProviderLogs.configure: stack ${stack.node.path} already has its provider (${provider.node.path}), created with the default log settings `
        + 'by its first CustomPackage or DomainPackageAssociation: call ProviderLogs.configure before those.');
    }
    configureProviderLogs(stack, settings);
  }

  private constructor() {}
}
