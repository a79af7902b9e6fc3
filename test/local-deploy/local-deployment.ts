import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { OpenSearchSimulator, StackResourceSummary } from '../simulator';
import { CfnTemplate } from './cfn-template';
import { StackArtifact } from './cloud-assembly';
import { customResourceEvent, newStackIdentity, StackIdentity } from './cloudformation-events';
import { CustomResourceDispatcher, RequestOutcome } from './custom-resource-dispatcher';
import { DeployedResource, DeploymentObserver, FunctionLogLine, RequestRecord, ResourceTiming } from './deployment-records';
import { stackAuthorizer } from './iam-policies';
import { isBelowLogLevel, LambdaService } from './lambda-service';
import { connectProviderFramework } from './provider-framework';
import { ResourceOperations } from './resource-operations';
import { StackLifecycle, StackOperationResult } from './stack-lifecycle';
import { StandInResources } from './stand-in-resources';
import { RetrySummary, StepFunctionsService } from './step-functions-service';
import { TemplateResolver } from './template-resolver';

/** Options of a {@link LocalDeployment}. */
export interface LocalDeploymentOptions {
  /** The OpenSearch simulator the handler talks to, and where domains of the stack are created. */
  readonly simulator: OpenSearchSimulator;
  /** The stack to deploy, from a cloud assembly (its assets are read from there). */
  readonly stack: StackArtifact;
  /**
   * Multiplies the waiter's query interval (and Lambda's async retry delays),
   * e.g. 0.01 turns the 10-second interval into 100 ms. Default 1.
   */
  readonly intervalScale?: number;
  /** Default `us-east-1`. */
  readonly region?: string;
  /** Default `123456789012`. */
  readonly accountId?: string;
  /** Receives progress as it happens. */
  readonly observer?: DeploymentObserver;
  /**
   * Whether the handler can read its stack's resources (CloudFormation's
   * ListStackResources, served by the simulator). Default true; false plays
   * a world where CloudFormation's API cannot be reached.
   */
  readonly cloudFormationApi?: boolean;
}

/** A waiter state machine's retry schedule, as synthesised and as run locally. */
export interface WaiterSchedule extends RetrySummary {
  readonly stateMachineArn: string;
  /** The interval actually waited between attempts, in milliseconds. */
  readonly localIntervalMs: number;
}

/**
 * A stack deployed locally: CloudFormation's lifecycle played against the
 * OpenSearch simulator, with every custom resource event routed through the
 * real Provider framework runtime to the bundled handler.
 */
export class LocalDeployment {
  /** The stack's name and id, as the events carry them. */
  public readonly identity: StackIdentity;
  /** Every line a Lambda function logged (handler and framework), in order; see `filtered` for what CloudWatch would get. */
  public readonly logs: FunctionLogLine[] = [];
  /** CloudFormation's side of custom resources; use it to deliver hand-made events. */
  public readonly dispatcher: CustomResourceDispatcher;
  public readonly intervalScale: number;
  private readonly stepFunctions: StepFunctionsService;
  private readonly operations: ResourceOperations;
  private readonly lifecycle: StackLifecycle;
  private readonly standIns: StandInResources;

  public constructor(private readonly options: LocalDeploymentOptions) {
    const observer = options.observer ?? {};
    this.intervalScale = options.intervalScale ?? 1;
    this.identity = newStackIdentity(options.stack.stackName, options.region ?? 'us-east-1', options.accountId ?? '123456789012');

    // Lambda invokes the framework, the framework invokes Lambda: the services reach each other through this.
    const invoke: LambdaService['invoke'] = request => lambda.invoke(request);
    this.dispatcher = new CustomResourceDispatcher({ invoke, intervalScale: this.intervalScale });
    this.stepFunctions = new StepFunctionsService({
      intervalScale: this.intervalScale,
      invoke: (functionArn, input) => invoke({ FunctionName: functionArn, Payload: JSON.stringify(input) }),
      onExecution: execution => this.dispatcher.trackWork(execution),
    });
    const lambda = new LambdaService({
      region: this.identity.region,
      baseEnvironment: {
        AWS_ACCESS_KEY_ID: 'AKIALOCALDEPLOY00000',
        AWS_SECRET_ACCESS_KEY: 'local-deploy-fake-secret-access-key',
        AWS_ENDPOINT_URL_OPENSEARCH: options.simulator.endpoint,
        ...options.cloudFormationApi === false ? {} : { AWS_ENDPOINT_URL_CLOUDFORMATION: options.simulator.endpoint },
      },
      onLog: (fn, level, text) => {
        const line = { functionLogicalId: fn.logicalId, level, text, filtered: isBelowLogLevel(fn, level) };
        this.logs.push(line);
        observer.functionLog?.(line);
      },
      onEnvironmentStarted: connectProviderFramework({ invoke, stepFunctions: this.stepFunctions, dispatcher: this.dispatcher }),
    });
    this.standIns = new StandInResources({
      simulator: options.simulator,
      lambda,
      stepFunctions: this.stepFunctions,
      assemblyDirectory: options.stack.directory,
      assetDirectories: options.stack.assetDirectories,
    });
    this.operations = new ResourceOperations(this.identity, this.dispatcher, this.standIns, observer);
    this.lifecycle = new StackLifecycle(this.identity, this.operations, observer);
    options.simulator.addAuthorizer(stackAuthorizer(() => this.lifecycle.resources.values()));
    options.simulator.serveStack(this.identity.stackId, () => this.stackResources(), () => this.operations.events);
  }

  /** The stack's resources as CloudFormation's ListStackResources lists them now. */
  public stackResources(): StackResourceSummary[] {
    const held = [...this.lifecycle.resources.values()].map(r => ({
      logicalId: r.logicalId, physicalId: r.provisioned.physicalId, resourceType: r.definition.Type, status: this.operations.statusOf(r.logicalId),
    }));
    const creating = this.operations.creating.filter(c => !this.lifecycle.resources.has(c.logicalId)).map(c => ({ ...c, status: 'CREATE_IN_PROGRESS' }));
    return [...held, ...creating];
  }

  /** Creates the stack, or updates it to the template (default: the synthesised one). */
  public deploy(template: CfnTemplate = this.options.stack.template): Promise<StackOperationResult> {
    return this.lifecycle.deploy(template);
  }

  /** Creates the stack, or updates it, to another synthesis of the app, whose assets it reads from then on. */
  public deployArtifact(artifact: StackArtifact): Promise<StackOperationResult> {
    this.standIns.useAssembly(artifact.directory, artifact.assetDirectories);
    return this.lifecycle.deploy(artifact.template);
  }

  /** Deletes the stack. */
  public destroy(): Promise<StackOperationResult> {
    return this.lifecycle.destroy();
  }

  /** The template last deployed successfully; undefined while the stack does not exist. */
  public get deployedTemplate(): CfnTemplate | undefined {
    return this.lifecycle.deployedTemplate;
  }

  /** Every custom resource request so far, with its response. */
  public get records(): readonly RequestRecord[] {
    return this.operations.records;
  }

  /**
   * How long every resource change so far took, stand-ins included (each
   * operation's own are in its result's `timings`, with its wall-clock `elapsedMs`).
   */
  public get timings(): readonly ResourceTiming[] {
    return this.operations.timings;
  }

  /** The resources the stack holds now. */
  public get resources(): ReadonlyMap<string, DeployedResource> {
    return this.lifecycle.resources;
  }

  /** The stack's outputs. */
  public outputs(): Record<string, string> {
    return this.lifecycle.outputs();
  }

  /** The packages each domain of the stack had when the stack deleted it, by domain name. */
  public get packagesAtDomainDeletion(): StandInResources['packagesAtDeletion'] {
    return this.standIns.packagesAtDeletion;
  }

  /** The retry schedule of every waiter state machine that exists. */
  public waiterSchedules(): WaiterSchedule[] {
    return this.stepFunctions.stateMachineArns().flatMap(arn => this.stepFunctions.retrySummary(arn).map(summary => ({
      ...summary,
      stateMachineArn: arn,
      localIntervalMs: summary.intervalSeconds * 1000 * this.intervalScale,
    })));
  }

  /**
   * A Create event for a custom resource of the template, its properties
   * resolved against the stack as deployed now (its dependencies must exist).
   */
  public createEventFor(logicalId: string, template: CfnTemplate = this.options.stack.template): CloudFormationCustomResourceEvent {
    const resolver = new TemplateResolver(template, this.identity, id => this.lifecycle.resources.get(id));
    const resourceType = template.Resources?.[logicalId]?.Type ?? '';
    return customResourceEvent(this.identity, { requestType: 'Create', logicalId, resourceType, properties: resolver.resolveProperties(logicalId) });
  }

  /** Makes the next change of a (non-custom) resource fail with this reason; see {@link ResourceOperations.failNext}. */
  public failNext(logicalId: string, action: ResourceTiming['action'], reason = `Injected failure of ${logicalId}`): void {
    this.operations.failNext(logicalId, action, reason);
  }

  /**
   * Makes the Provider framework's next StartExecution of its waiter (for a
   * resource of this custom resource type, or any) fail, as a throttled or
   * denied Step Functions call would.
   */
  public failNextWaiterStart(resourceType?: string, message = 'Rate exceeded'): void {
    const error = Object.assign(new Error(message), { name: 'ThrottlingException' });
    this.stepFunctions.failNextStart(error, input => resourceType === undefined || input.ResourceType === resourceType);
  }

  /** Drops the failures scheduled with {@link failNext} and {@link failNextWaiterStart} that have not happened. */
  public clearScheduledFailures(): void {
    this.operations.clearScheduledFailures();
    this.stepFunctions.clearStartFailures();
  }

  /** Delivers an event to its ServiceToken, as CloudFormation (or a Lambda retry) would. */
  public deliver(event: CloudFormationCustomResourceEvent): Promise<RequestOutcome> {
    return this.dispatcher.deliver(event);
  }
}
