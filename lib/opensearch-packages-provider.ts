import * as path from 'path';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IDependable } from 'constructs';
import { CHECK_INTERVAL, delayFirstCheck, RETRY_TIMEOUT } from './check-schedule';
import { PackageSourceConfig } from './package-source';

/** The bundled handler, built from lambda/ by `npm run bundle`. */
const HANDLER_DIR = path.join(__dirname, '..', 'assets', 'package-association-handler');

/**
 * The custom-resource provider behind every CustomPackage and
 * DomainPackageAssociation of a stack: one per stack (a Provider deploys five
 * functions, six roles and a state machine), and one handler role whose
 * permissions grow with each domain and package source the stack names.
 */
export class OpenSearchPackagesProvider extends Construct {
  /** Finds the stack's provider, or creates it. */
  public static getOrCreate(scope: Construct): OpenSearchPackagesProvider {
    const stack = Stack.of(scope);
    const id = 'OpenSearchPackagesProvider';
    return stack.node.tryFindChild(id) as OpenSearchPackagesProvider | undefined ?? new OpenSearchPackagesProvider(stack, id);
  }

  /** The token custom resources use to reach the provider. */
  public readonly serviceToken: string;
  /** The role both handler functions run with. */
  public readonly handlerRole: iam.Role;
  /** The latest association of each domain, keyed by the domain's name (a token string is stable per domain). */
  private readonly lastAssociation = new Map<string, CustomResource>();
  private packageManagement?: iam.Policy;

  private constructor(scope: Construct, id: string) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'HandlerLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Manages the OpenSearch packages and package associations of this stack',
    });
    logGroup.grantWrite(this.handlerRole);
    // DescribePackages supports no resource type: `*` is the only resource IAM accepts for it.
    this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['es:DescribePackages'], resources: ['*'] }));

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
    });
    delayFirstCheck(provider);
    this.serviceToken = provider.serviceToken;
  }

  /**
   * Lets the handler manage packages on the domain. Returns what a custom
   * resource must depend on so that it runs only once the permission exists.
   */
  public grantDomain(domain: opensearch.IDomain): IDependable {
    const { policyDependable } = this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['es:AssociatePackage', 'es:DissociatePackage', 'es:ListPackagesForDomain', 'es:DescribeDomain'],
      resources: [domain.domainArn],
    }));
    return policyDependable ?? this.handlerRole;
  }

  /**
   * Makes the association wait for the previous association on the same
   * domain, so that a stack's associations reach each domain one at a time
   * instead of colliding with ConflictException.
   */
  public serialize(domain: opensearch.IDomain, association: CustomResource): void {
    const previous = this.lastAssociation.get(domain.domainName);
    if (previous) association.node.addDependency(previous);
    this.lastAssociation.set(domain.domainName, association);
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
        actions: ['es:CreatePackage', 'es:UpdatePackage', 'es:DeletePackage'],
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
