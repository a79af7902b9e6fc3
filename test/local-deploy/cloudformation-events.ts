import { randomBytes, randomUUID } from 'crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** The stack a custom resource belongs to. */
export interface StackIdentity {
  readonly stackName: string;
  /** `arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID` */
  readonly stackId: string;
  readonly region: string;
  readonly accountId: string;
}

/** A new stack's identity, with a fresh stack id as CloudFormation assigns one. */
export function newStackIdentity(stackName: string, region: string, accountId: string): StackIdentity {
  return { stackName, region, accountId, stackId: `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/${randomUUID()}` };
}

/** What CloudFormation asks of a custom resource. */
export interface CustomResourceRequest {
  readonly requestType: 'Create' | 'Update' | 'Delete';
  readonly logicalId: string;
  readonly resourceType: string;
  /** The resolved properties, ServiceToken included. */
  readonly properties: Record<string, unknown>;
  /** The properties before the update (Update only). */
  readonly oldProperties?: Record<string, unknown>;
  /** The current physical id (Update and Delete). */
  readonly physicalId?: string;
}

/**
 * Turns every number and boolean into a string, at any depth, as CloudFormation
 * does with the properties it sends to custom resources.
 */
export function stringifyScalars(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(stringifyScalars);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stringifyScalars(item)]));
  }
  return value;
}

/**
 * A URL shaped like the presigned S3 URL CloudFormation hands a custom
 * resource for its response: unique per request, with a secret-looking
 * signature that must never reach a log.
 */
export function responseUrlFor(stack: StackIdentity, logicalId: string, requestId: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const key = encodeURIComponent(`${stack.stackId}|${logicalId}|${requestId}`);
  const credential = encodeURIComponent(`AKIA${randomBytes(8).toString('hex').toUpperCase()}/${stamp.slice(0, 8)}/${stack.region}/s3/aws4_request`);
  const query = [
    'X-Amz-Algorithm=AWS4-HMAC-SHA256',
    `X-Amz-Date=${stamp}`,
    'X-Amz-SignedHeaders=host',
    'X-Amz-Expires=7200',
    `X-Amz-Credential=${credential}`,
    `X-Amz-Signature=${randomBytes(32).toString('hex')}`,
  ].join('&');
  return `https://cloudformation-custom-resource-response-${stack.region.replace(/-/g, '')}.s3.amazonaws.com/${key}?${query}`;
}

/** The event CloudFormation sends to the custom resource's ServiceToken. */
export function customResourceEvent(stack: StackIdentity, request: CustomResourceRequest): CloudFormationCustomResourceEvent {
  const requestId = randomUUID();
  const properties = stringifyScalars(request.properties) as Record<string, unknown> & { ServiceToken: string };
  const common = {
    ServiceToken: properties.ServiceToken,
    ResponseURL: responseUrlFor(stack, request.logicalId, requestId),
    StackId: stack.stackId,
    RequestId: requestId,
    LogicalResourceId: request.logicalId,
    ResourceType: request.resourceType,
    ResourceProperties: properties,
  };
  switch (request.requestType) {
    case 'Create':
      return { RequestType: 'Create', ...common };
    case 'Update':
      return {
        RequestType: 'Update',
        ...common,
        PhysicalResourceId: required(request.physicalId, 'Update'),
        OldResourceProperties: stringifyScalars(request.oldProperties ?? {}) as typeof properties,
      };
    case 'Delete':
      return { RequestType: 'Delete', ...common, PhysicalResourceId: required(request.physicalId, 'Delete') };
  }
}

function required(physicalId: string | undefined, requestType: string): string {
  if (!physicalId) throw new Error(`${requestType} needs the resource's physical id`);
  return physicalId;
}
