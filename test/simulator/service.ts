import { randomUUID } from 'node:crypto';
import { Authorizer, authorize, domainArn, isDomainScoped } from './authorization';
import { CallLog, RecordedCall } from './call-log';
import { CloudFormationBackend, handleCloudFormationRequest } from './cloudformation-api';
import { ServiceError, encodeError } from './errors';
import { FaultPlan } from './faults';
import { OperationContext } from './operation-context';
import { ResolvedOptions } from './options';
import { MatchedRoute, matchRoute } from './routes';
import { Caller, callerOf, signingServiceOf } from './signing';
import { SimulatorState } from './state';

/** An HTTP request, transport details stripped. */
export interface HttpRequest {
  readonly method: string;
  /** Path without query string, still percent-encoded. */
  readonly rawPath: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: string;
}

/** An HTTP reply. */
export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

type ParsedBody = { readonly value: unknown; readonly malformed: boolean };

function parseBody(rawBody: string): ParsedBody {
  if (rawBody.trim() === '') return { value: undefined, malformed: false };
  try {
    return { value: JSON.parse(rawBody) as unknown, malformed: false };
  } catch {
    return { value: rawBody, malformed: true };
  }
}

/** What the front door serves requests from. */
export interface ServiceBackend extends CloudFormationBackend {
  readonly faults: FaultPlan;
  readonly options: ResolvedOptions;
  /** The state of a Region (created empty on first use). */
  stateIn(region: string): SimulatorState;
  /** Decide IAM questions, in order; callers none of them knows are allowed. */
  readonly authorizers: readonly Authorizer[];
}

/** The domain a domain-scoped request names, in its path or its body. */
function domainNamed(route: MatchedRoute, body: unknown): unknown {
  return route.params.DomainName ?? (body as { DomainName?: unknown } | undefined)?.DomainName;
}

/**
 * The service's front door, in this order: route, record the call, read the caller from the signature (the
 * signature itself is not verified; its credential scope gives the Region), apply an injected error (throttling
 * and the like come before the request is read), read the body and check it, with the path and query, against
 * the operation's input shape in the service model (input-validation.ts), check the caller's IAM permission for
 * the operation, then run it in the Region's state.
 * Unknown routes are answered 404 without being recorded, as they name no operation.
 */
export function handleRequest(request: HttpRequest, backend: ServiceBackend, log: CallLog): HttpReply {
  if (signingServiceOf(request.headers.authorization) === 'cloudformation') return handleCloudFormationRequest(request, backend, log);
  const requestId = randomUUID();
  let call: RecordedCall | undefined;
  try {
    const route = matchRoute(request.method, request.rawPath);
    if (!route) {
      throw new ServiceError('UnknownOperationException', `No operation matches ${request.method} ${request.rawPath}`);
    }
    const body = parseBody(request.rawBody);
    let caller: Caller | undefined;
    let unsigned: unknown;
    try {
      caller = callerOf(request.headers.authorization);
    } catch (error) {
      unsigned = error;
    }
    call = log.record({
      operation: route.operation,
      method: request.method,
      path: request.rawPath,
      query: { ...request.query },
      body: body.value,
      at: Date.now(),
      region: caller?.region,
      accessKeyId: caller?.accessKeyId,
    });
    if (!caller) throw unsigned;
    const injected = backend.faults.takeInjectedError(route.operation);
    if (injected && !injected.afterApplying) throw injected.error;
    if (body.malformed) throw new ServiceError('SerializationException', 'Request body is not valid JSON');
    const input = { params: route.params, query: request.query, body: body.value };
    route.validateInput(input);
    const context = contextFor(backend, caller);
    const domain = domainNamed(route, body.value);
    const resource = isDomainScoped(route.operation) && typeof domain === 'string'
      ? domainArn(caller.region, backend.options.accountId, domain)
      : '*';
    context.authorize(`es:${route.operation}`, resource);
    const result = route.handler(input, context);
    if (injected) throw injected.error;
    call.status = 200;
    return { status: 200, headers: jsonHeaders(requestId), body: JSON.stringify(result) };
  } catch (error) {
    const encoded = encodeError(error);
    if (call) {
      call.status = encoded.status;
      call.errorType = encoded.headers['x-amzn-ErrorType'];
    }
    return { status: encoded.status, headers: { ...jsonHeaders(requestId), ...encoded.headers }, body: encoded.body };
  }
}

function contextFor(backend: ServiceBackend, caller: Caller): OperationContext {
  return {
    state: backend.stateIn(caller.region),
    faults: backend.faults,
    options: backend.options,
    caller,
    authorize: (action, resource) => authorize(backend.authorizers, { caller, action, resource }),
    serviceMay: (service, action, resource) => {
      try {
        authorize(backend.authorizers, { caller: { accessKeyId: '', region: caller.region, service }, action, resource });
        return true;
      } catch {
        return false;
      }
    },
  };
}

function jsonHeaders(requestId: string): Record<string, string> {
  return { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId };
}
