import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IDependable } from 'constructs';
import { CHECK_INTERVAL, delayFirstCheck, RETRY_TIMEOUT } from './check-schedule';
import { PackageSourceConfig } from './package-source';
import { configuredProviderLogs, DEFAULT_PROVIDER_LOGS, PROVIDER_ID } from './provider-log-settings';

/** The bundled handler, built from lambda/ by `npm run bundle`. */
const HANDLER_DIR = path.join(__dirname, '..', 'assets', 'package-association-handler');

/**
 * The custom-resource provider behind every CustomPackage and
 * DomainPackageAssociation of a stack: one per stack (a Provider deploys five
 * functions, six roles and a state machine), and one handler role whose
 * permissions grow with each domain (a policy per domain, see DomainPackages)
 * and package source the stack names.
 */
export class OpenSearchPackagesProvider extends Construct {
  /** Finds the stack's provider, or creates it. */
  public static getOrCreate(scope: Construct): OpenSearchPackagesProvider {
    const stack = Stack.of(scope);
    return stack.node.tryFindChild(PROVIDER_ID) as OpenSearchPackagesProvider | undefined ?? new OpenSearchPackagesProvider(stack, PROVIDER_ID);
  }

  /** The token custom resources use to reach the provider. */
  public readonly serviceToken: string;
  /** The role both handler functions run with. */
  public readonly handlerRole: iam.Role;
  private packageManagement?: iam.Policy;

  private constructor(scope: Stack, id: string) {
    super(scope, id);

    // The one log group of all five functions (see ProviderLogs), with the stack's settings.
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', configuredProviderLogs(scope) ?? DEFAULT_PROVIDER_LOGS);
    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Manages the OpenSearch packages and package associations of this stack',
    });
    logGroup.grantWrite(this.handlerRole);
    // DescribePackages supports no resource type: `*` is the only resource IAM accepts for it.
    this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['es:DescribePackages'], resources: ['*'] }));
    // The stack's own resources and events, read before an association is claimed or removed: does the stack hold it
    // under another name, did its retaining removal policy keep it on the domain, did someone else make it meanwhile?
    this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudformation:DescribeStackEvents', 'cloudformation:ListStackResources'],
      resources: [Stack.of(this).stackId],
    }));
    // Before the stack takes an association it made off a domain: does another stack of the account hold an ownership
    // record that adopted it? DescribeStackResources finds the stack by the record's physical ID, in the Region of the
    // stack or of the domain.
    this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudformation:DescribeStackResources'],
      resources: [Stack.of(this).formatArn({ service: 'cloudformation', region: '*', resource: 'stack', resourceName: '*' })],
    }));

    const code = lambda.Code.fromAsset(HANDLER_DIR);
    const handler = (handlerId: string, entryPoint: string) => new lambda.Function(this, handlerId, {
      code,
      handler: `index.${entryPoint}`,
      runtime: lambda.determineLatestNodeRuntime(this),
      architecture: lambda.Architecture.ARM_64,
      role: this.handlerRole,
      logGroup,
      memorySize: 256,
      timeout: Duration.minutes(2),
      description: `OpenSearch packages and associations: ${entryPoint}`,
    });

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: handler('OnEventHandler', 'onEvent'),
      isCompleteHandler: handler('IsCompleteHandler', 'isComplete'),
      queryInterval: CHECK_INTERVAL,
      totalTimeout: RETRY_TIMEOUT,
      logGroup,
      // Explicit rather than the default: a later aws-cdk-lib that turned the waiter's logging on would add a log group the stack's settings do not govern.
      disableWaiterStateMachineLogging: true,
    });
    delayFirstCheck(provider);
    this.serviceToken = provider.serviceToken;
  }

  /**
   * Lets the handler create, update and delete packages from the source.
   * Returns what a custom resource must depend on.
   */
  public grantPackageSource(source: PackageSourceConfig): IDependable {
    this.packageManagement ??= new iam.Policy(this, 'PackageManagement', {
      roles: [this.handlerRole],
      statements: [new iam.PolicyStatement({
        // IAM supports no resource type for these actions: `*` is the only resource they accept.
        actions: ['es:CreatePackage', 'es:UpdatePackage', 'es:DeletePackage', 'es:GetPackageVersionHistory', 'es:ListDomainsForPackage'],
        resources: ['*'],
      })],
    });
    this.packageManagement.addStatements(new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [source.bucket.arnForObjects(source.key)],
    }));
    source.bucket.encryptionKey?.grantDecrypt(this.handlerRole);
    return this.packageManagement;
  }
}
