import { randomUUID } from 'node:crypto';
import { authorize, Authorizer } from './authorization';
import { CallLog, RecordedCall } from './call-log';
import { ServiceError } from './errors';
import { FaultPlan } from './faults';
import type { HttpReply, HttpRequest } from './service';
import { callerOf } from './signing';

/*
 * The CloudFormation calls the handler makes, served beside the OpenSearch
 * API for the stacks a local deployment registers: ListStackResources and
 * DescribeStackEvents about its own stack, and DescribeStackResources by
 * PhysicalResourceId, which finds the stack that holds a physical resource
 * (one stack, as CloudFormation answers) and lists that stack's resources.
 * CloudFormation speaks the AWS Query protocol: a form-encoded POST with
 * `Action`, answered in XML.
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

/** One event of a stack, as DescribeStackEvents gives it. */
export interface StackEventRecord {
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly resourceType: string;
  readonly status: string;
  readonly reason?: string;
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

/** Lists a stack's events so far, oldest first (DescribeStackEvents answers newest first). */
export type StackEventLister = () => readonly StackEventRecord[];

/** What the simulator serves of one stack. */
export interface ServedStack {
  readonly resources: StackResourceLister;
  readonly events: StackEventLister;
}

/** What the CloudFormation front door needs from the simulator. */
export interface CloudFormationBackend {
  readonly faults: FaultPlan;
  readonly authorizers: readonly Authorizer[];
  /** The registered stacks, by stack ARN. */
  readonly stacks: ReadonlyMap<string, ServedStack>;
}

/** The page size of ListStackResources and DescribeStackEvents. */
const PAGE_SIZE = 100;

/** The operations served, and the IAM action each needs. */
const ACTIONS = ['ListStackResources', 'DescribeStackEvents', 'DescribeStackResources'] as const;
type Action = typeof ACTIONS[number];

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function element(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlEscape(value)}</${name}>`;
}

/** The stack a `StackName` parameter names: its ARN, or its name. */
function findStack(backend: CloudFormationBackend, stackName: string): [string, ServedStack] | undefined {
  return [...backend.stacks].find(([arn]) => arn === stackName || arn.split('/')[1] === stackName);
}

/** One page of a list, from the `NextToken` the previous page gave (an offset). */
function pageOf<T>(items: readonly T[], form: URLSearchParams): { readonly page: readonly T[]; readonly next?: string } {
  const start = Number(form.get('NextToken') ?? 0);
  return { page: items.slice(start, start + PAGE_SIZE), next: start + PAGE_SIZE < items.length ? String(start + PAGE_SIZE) : undefined };
}

/**
 * The stack a request is about: the one its `StackName` names, or for
 * DescribeStackResources without one, the one that holds its `PhysicalResourceId`.
 */
function stackOf(backend: CloudFormationBackend, action: Action, form: URLSearchParams): [string, ServedStack] {
  const physicalId = form.get('PhysicalResourceId');
  if (action === 'DescribeStackResources' && physicalId !== null && !form.has('StackName')) {
    const holder = [...backend.stacks].find(([, stack]) => stack.resources().some(r => r.physicalId === physicalId));
    if (!holder) throw new ServiceError('ValidationError', `Stack for ${physicalId} does not exist`);
    return holder;
  }
  const stackName = form.get('StackName') ?? '';
  const stack = findStack(backend, stackName);
  if (!stack) throw new ServiceError('ValidationError', `Stack with id ${stackName} does not exist`);
  return stack;
}

/** The result element of one action, for the stack it names. */
function resultOf(action: Action, [stackId, stack]: [string, ServedStack], form: URLSearchParams): string {
  if (action === 'DescribeStackResources') {
    const members = stack.resources().map(r => `<member>${element('StackName', stackId.split('/')[1])}${element('StackId', stackId)}`
      + `${element('LogicalResourceId', r.logicalId)}${element('PhysicalResourceId', r.physicalId)}${element('ResourceType', r.resourceType)}`
      + `${element('Timestamp', new Date().toISOString())}${element('ResourceStatus', r.status)}</member>`).join('');
    return `<StackResources>${members}</StackResources>`;
  }
  if (action === 'ListStackResources') {
    const { page, next } = pageOf(stack.resources(), form);
    const members = page.map(r => `<member>${element('LogicalResourceId', r.logicalId)}${element('PhysicalResourceId', r.physicalId)}`
      + `${element('ResourceType', r.resourceType)}${element('LastUpdatedTimestamp', new Date().toISOString())}${element('ResourceStatus', r.status)}</member>`).join('');
    return `<StackResourceSummaries>${members}</StackResourceSummaries>${element('NextToken', next)}`;
  }
  const { page, next } = pageOf([...stack.events()].reverse(), form);
  const stackName = stackId.split('/')[1];
  const members = page.map((e, i) => `<member>${element('StackId', stackId)}${element('EventId', `${e.logicalId}-${e.timestamp}-${i}`)}`
    + `${element('StackName', stackName)}${element('LogicalResourceId', e.logicalId)}${element('PhysicalResourceId', e.physicalId)}`
    + `${element('ResourceType', e.resourceType)}${element('Timestamp', new Date(e.timestamp).toISOString())}${element('ResourceStatus', e.status)}`
    + `${element('ResourceStatusReason', e.reason)}</member>`).join('');
  return `<StackEvents>${members}</StackEvents>${element('NextToken', next)}`;
}

/** Answers one CloudFormation request: ListStackResources, DescribeStackEvents and DescribeStackResources are served. */
export function handleCloudFormationRequest(request: HttpRequest, backend: CloudFormationBackend, log: CallLog): HttpReply {
  const requestId = randomUUID();
  const form = new URLSearchParams(request.rawBody);
  let call: RecordedCall | undefined;
  try {
    const caller = callerOf(request.headers.authorization, 'cloudformation');
    const action = (ACTIONS as readonly string[]).includes(form.get('Action') ?? '') ? form.get('Action') as Action : undefined;
    if (!action) throw new ServiceError('InvalidAction', `Could not find operation ${form.get('Action') ?? ''} for version 2010-05-15`);
    call = log.record({
      operation: action,
      method: request.method,
      path: request.rawPath,
      query: {},
      body: Object.fromEntries(form),
      at: Date.now(),
      region: caller.region,
      accessKeyId: caller.accessKeyId,
    });
    const injected = backend.faults.takeInjectedError(action);
    if (injected) throw injected.error;
    const stack = stackOf(backend, action, form);
    authorize(backend.authorizers, { caller, action: `cloudformation:${action}`, resource: stack[0] });
    const result = resultOf(action, stack, form);
    call.status = 200;
    return xmlReply(200, requestId, `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result>`
      + `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
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
