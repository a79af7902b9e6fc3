import { randomUUID } from 'node:crypto';
import { authorize, Authorizer } from './authorization';
import { CallLog, RecordedCall } from './call-log';
import { ServiceError } from './errors';
import { FaultPlan } from './faults';
import type { HttpReply, HttpRequest } from './service';
import { callerOf } from './signing';

/*
 * The one CloudFormation call the handler makes, ListStackResources of its
 * own stack, served beside the OpenSearch API for the stacks a local
 * deployment registers. CloudFormation speaks the AWS Query protocol: a
 * form-encoded POST with `Action`, answered in XML.
 */

/** One resource of a stack, as ListStackResources summarises it. */
export interface StackResourceSummary {
  readonly logicalId: string;
  /** Absent while the resource is being created. */
  readonly physicalId?: string;
  readonly resourceType: string;
  /** e.g. `CREATE_COMPLETE`, `DELETE_IN_PROGRESS`. */
  readonly status: string;
}

/** Lists a stack's resources as they are now. */
export type StackResourceLister = () => readonly StackResourceSummary[];

/** What the CloudFormation front door needs from the simulator. */
export interface CloudFormationBackend {
  readonly faults: FaultPlan;
  readonly authorizers: readonly Authorizer[];
  /** The registered stacks, by stack ARN. */
  readonly stacks: ReadonlyMap<string, StackResourceLister>;
}

/** The page size of ListStackResources (CloudFormation's is 100). */
const PAGE_SIZE = 100;

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function element(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlEscape(value)}</${name}>`;
}

/** The stack a `StackName` parameter names: its ARN, or its name. */
function findStack(backend: CloudFormationBackend, stackName: string): [string, StackResourceLister] | undefined {
  return [...backend.stacks].find(([arn]) => arn === stackName || arn.split('/')[1] === stackName);
}

/** Answers one CloudFormation request: only ListStackResources is served. */
export function handleCloudFormationRequest(request: HttpRequest, backend: CloudFormationBackend, log: CallLog): HttpReply {
  const requestId = randomUUID();
  const form = new URLSearchParams(request.rawBody);
  let call: RecordedCall | undefined;
  try {
    const caller = callerOf(request.headers.authorization, 'cloudformation');
    const action = form.get('Action') ?? '';
    if (action !== 'ListStackResources') throw new ServiceError('InvalidAction', `Could not find operation ${action} for version 2010-05-15`);
    call = log.record({
      operation: 'ListStackResources',
      method: request.method,
      path: request.rawPath,
      query: {},
      body: Object.fromEntries(form),
      at: Date.now(),
      region: caller.region,
      accessKeyId: caller.accessKeyId,
    });
    const injected = backend.faults.takeInjectedError('ListStackResources');
    if (injected) throw injected.error;
    const stackName = form.get('StackName') ?? '';
    const stack = findStack(backend, stackName);
    if (!stack) throw new ServiceError('ValidationError', `Stack with id ${stackName} does not exist`);
    authorize(backend.authorizers, { caller, action: 'cloudformation:ListStackResources', resource: stack[0] });
    const start = Number(form.get('NextToken') ?? 0);
    const resources = stack[1]();
    const page = resources.slice(start, start + PAGE_SIZE);
    const next = start + PAGE_SIZE < resources.length ? String(start + PAGE_SIZE) : undefined;
    const members = page.map(r => `<member>${element('LogicalResourceId', r.logicalId)}${element('PhysicalResourceId', r.physicalId)}`
      + `${element('ResourceType', r.resourceType)}${element('LastUpdatedTimestamp', new Date().toISOString())}${element('ResourceStatus', r.status)}</member>`).join('');
    call.status = 200;
    return xmlReply(200, requestId, `<ListStackResourcesResponse xmlns="${NAMESPACE}"><ListStackResourcesResult><StackResourceSummaries>${members}</StackResourceSummaries>`
      + `${element('NextToken', next)}</ListStackResourcesResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></ListStackResourcesResponse>`);
  } catch (error) {
    const serviceError = error instanceof ServiceError ? error : new ServiceError('InternalFailure', String(error), 500);
    const code = serviceError.type === 'AccessDeniedException' ? 'AccessDenied' : serviceError.type;
    if (call) {
      call.status = serviceError.status;
      call.errorType = serviceError.type;
    }
    return xmlReply(serviceError.status, requestId, `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${serviceError.status >= 500 ? 'Receiver' : 'Sender'}</Type>`
      + `${element('Code', code)}${element('Message', serviceError.message)}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
  }
}

function xmlReply(status: number, requestId: string, body: string): HttpReply {
  return { status, headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }, body };
}
