import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { OpenSearchSimulator } from '../simulator';
import { CfnResource } from './cfn-template';
import { StackIdentity } from './cloudformation-events';
import { LambdaService } from './lambda-service';
import { StepFunctionsService } from './step-functions-service';

/** The Provider framework runtime shipped with aws-cdk-lib, for framework functions whose asset is missing. */
export const FRAMEWORK_RUNTIME_DIR = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'custom-resources', 'lib', 'provider-framework', 'runtime');

/** A resource as it exists after create or update: what Ref and Fn::GetAtt return. */
export interface ProvisionedResource {
  readonly physicalId: string;
  readonly ref: string;
  readonly attributes: Record<string, unknown>;
}

/** What a stand-in needs to know about the resource. */
export interface StandInRequest {
  readonly stack: StackIdentity;
  readonly logicalId: string;
  readonly resource: CfnResource;
  /** The resolved properties. */
  readonly properties: Record<string, unknown>;
}

/** The services stand-ins register themselves with. */
export interface StandInServices {
  readonly simulator: Pick<OpenSearchSimulator, 'addDomain' | 'removeDomain' | 'domainPackages' | 'upgradeDomain'>;
  readonly lambda: LambdaService;
  readonly stepFunctions: StepFunctionsService;
  /** The cloud assembly directory, against which `aws:asset:path` metadata is resolved. */
  readonly assemblyDirectory: string;
  /** The assembly's file assets by id, for functions whose template has no asset metadata. */
  readonly assetDirectories: ReadonlyMap<string, string>;
}

function randomSuffix(length: number): string {
  return randomBytes(length).toString('hex').slice(0, length).toUpperCase();
}

/** A name as CloudFormation generates one: stack name, logical id, random suffix. */
function generatedName(request: StandInRequest, maxLength = 64): string {
  const suffix = randomSuffix(12);
  const room = maxLength - suffix.length - 2;
  const stack = request.stack.stackName.slice(0, Math.floor(room / 2));
  return `${stack}-${request.logicalId.slice(0, room - stack.length)}-${suffix}`;
}

/** An OpenSearch domain name as CloudFormation generates one: lowercase, at most 28 characters, a letter first. */
function generatedDomainName(request: StandInRequest): string {
  const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  const name = `${slug(request.stack.stackName).slice(0, 8)}-${slug(request.logicalId).slice(0, 8)}-${randomSuffix(10).toLowerCase()}`;
  return /^[a-z]/.test(name) ? name : `d${name.slice(1)}`;
}

function asStrings(values: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((values ?? {}) as Record<string, unknown>).map(([key, value]) => [key, String(value)]));
}

/** The level below which Lambda drops application logs: only with the JSON log format (default INFO there). */
function applicationLogLevel(loggingConfig: unknown): string | undefined {
  const config = (loggingConfig ?? {}) as { LogFormat?: unknown; ApplicationLogLevel?: unknown };
  return config.LogFormat === 'JSON' ? String(config.ApplicationLogLevel ?? 'INFO') : undefined;
}

/**
 * Inert stand-ins for the stack's other resources, created instantly with
 * CloudFormation-like physical ids and attributes. Some do more: a domain is
 * added to the simulator, Lambda functions and state machines are registered
 * with the local services so that custom resources can run.
 */
export class StandInResources {
  /** The packages each deleted domain had just before it was deleted, by domain name. */
  public readonly packagesAtDeletion = new Map<string, ReturnType<OpenSearchSimulator['domainPackages']>>();

  public constructor(private services: StandInServices) {}

  /** Reads function code from this assembly from now on (a new synthesis of the app has its own). */
  public useAssembly(assemblyDirectory: string, assetDirectories: ReadonlyMap<string, string>): void {
    this.services = { ...this.services, assemblyDirectory, assetDirectories };
  }

  /** Creates the resource. */
  public create(request: StandInRequest): ProvisionedResource {
    const { region, accountId } = request.stack;
    const props = request.properties;
    switch (request.resource.Type) {
      case 'AWS::OpenSearchService::Domain': {
        const name = String(props.DomainName ?? generatedDomainName(request));
        this.services.simulator.addDomain(name, { engineVersion: props.EngineVersion as string | undefined });
        const arn = `arn:aws:es:${region}:${accountId}:domain/${name}`;
        const endpoint = `search-${name}-${randomSuffix(26).toLowerCase()}.${region}.es.amazonaws.com`;
        return { physicalId: name, ref: name, attributes: { Arn: arn, DomainArn: arn, DomainEndpoint: endpoint, Id: `${accountId}/${name}` } };
      }
      case 'AWS::Lambda::Function': {
        const name = String(props.FunctionName ?? generatedName(request));
        const arn = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
        this.services.lambda.register({
          arn,
          functionName: name,
          logicalId: request.logicalId,
          codeDirectory: this.codeDirectory(request),
          handler: String(props.Handler ?? 'index.handler'),
          environment: asStrings((props.Environment as { Variables?: unknown } | undefined)?.Variables),
          timeoutSeconds: Number(props.Timeout ?? 3),
          memorySize: Number(props.MemorySize ?? 128),
          runtime: String(props.Runtime ?? 'nodejs'),
          roleArn: typeof props.Role === 'string' ? props.Role : undefined,
          applicationLogLevel: applicationLogLevel(props.LoggingConfig),
        });
        return { physicalId: name, ref: name, attributes: { Arn: arn } };
      }
      case 'AWS::StepFunctions::StateMachine': {
        const name = String(props.StateMachineName ?? generatedName(request, 80));
        const arn = `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
        const definition = props.DefinitionString ?? JSON.stringify(props.Definition ?? {});
        this.services.stepFunctions.register(arn, String(definition));
        return { physicalId: arn, ref: arn, attributes: { Arn: arn, Name: name } };
      }
      default: {
        const name = generatedName(request);
        const [, service = 'cloudformation', kind = 'resource'] = request.resource.Type.split('::');
        const arn = request.resource.Type === 'AWS::IAM::Role'
          ? `arn:aws:iam::${accountId}:role/${name}`
          : `arn:aws:${service.toLowerCase()}:${region}:${accountId}:${kind.toLowerCase()}/${name}`;
        return { physicalId: name, ref: name, attributes: { Arn: arn } };
      }
    }
  }

  /**
   * Updates the resource in place, or replaces it (returns a new physical id)
   * when a property that names it changed.
   */
  public update(request: StandInRequest, previous: ProvisionedResource, oldProperties: Record<string, unknown>): ProvisionedResource {
    const props = request.properties;
    switch (request.resource.Type) {
      case 'AWS::OpenSearchService::Domain':
        if (props.DomainName !== oldProperties.DomainName) return this.create(request);
        if (props.EngineVersion !== oldProperties.EngineVersion) {
          // Without the EnableVersionUpgrade update policy CloudFormation replaces the domain instead of upgrading it.
          if (!request.resource.UpdatePolicy?.EnableVersionUpgrade) return this.create(request);
          // An engine upgrade: the service swaps the domain's plugins for those of the new version, or fails.
          this.services.simulator.upgradeDomain(previous.physicalId, String(props.EngineVersion));
        }
        return previous;
      case 'AWS::Lambda::Function':
      case 'AWS::StepFunctions::StateMachine': {
        const nameKey = request.resource.Type === 'AWS::Lambda::Function' ? 'FunctionName' : 'StateMachineName';
        if (props[nameKey] !== oldProperties[nameKey]) return this.create(request);
        // Same name: registering again replaces the definition (and starts fresh execution environments).
        const name = request.resource.Type === 'AWS::Lambda::Function' ? previous.physicalId : previous.attributes.Name;
        return this.create({ ...request, properties: { ...props, [nameKey]: name } });
      }
      default:
        return previous;
    }
  }

  /** Deletes the resource. Deleting something already gone succeeds, as it does in CloudFormation. */
  public delete(request: Pick<StandInRequest, 'resource'>, current: ProvisionedResource): void {
    switch (request.resource.Type) {
      case 'AWS::OpenSearchService::Domain':
        try {
          this.packagesAtDeletion.set(current.physicalId, this.services.simulator.domainPackages(current.physicalId));
          this.services.simulator.removeDomain(current.physicalId);
        } catch {
          // already deleted out of band
        }
        return;
      case 'AWS::Lambda::Function':
        this.services.lambda.unregister(String(current.attributes.Arn));
        return;
      case 'AWS::StepFunctions::StateMachine':
        this.services.stepFunctions.unregister(current.physicalId);
        return;
    }
  }

  /**
   * The function's code: the asset its `aws:asset:path` metadata names, else
   * the asset whose id its S3Key carries, else (for the Provider framework)
   * the runtime shipped in aws-cdk-lib.
   */
  private codeDirectory(request: StandInRequest): string {
    const metadata = request.resource.Metadata ?? {};
    const assetPath = metadata['aws:asset:path'];
    if (typeof assetPath === 'string' && metadata['aws:asset:property'] === 'Code') {
      const directory = path.resolve(this.services.assemblyDirectory, assetPath);
      if (fs.existsSync(directory)) return directory;
    }
    const s3Key = (request.properties.Code as { S3Key?: unknown } | undefined)?.S3Key;
    const fromManifest = typeof s3Key === 'string' ? this.services.assetDirectories.get(s3Key.replace(/\.zip$/, '')) : undefined;
    if (fromManifest && fs.existsSync(fromManifest)) return fromManifest;
    if (String(request.properties.Handler).startsWith('framework.')) return FRAMEWORK_RUNTIME_DIR;
    throw new Error(`${request.logicalId}: no local code found (no aws:asset:path metadata, no file asset for its S3Key)`);
  }
}
