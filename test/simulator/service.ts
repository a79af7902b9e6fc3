import { randomUUID } from 'node:crypto';
import { CallLog } from './call-log';
import { ServiceError, encodeError } from './errors';
import { OperationContext } from './operation-context';
import { matchRoute } from './routes';

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

/**
 * The service's front door, in this order: route, record the call, check that it is signed (the
 * signature itself is not verified), apply an injected error, then run the operation.
 * Unknown routes are answered 404 without being recorded, as they name no operation.
 */
export function handleRequest(request: HttpRequest, context: OperationContext, log: CallLog): HttpReply {
  const requestId = randomUUID();
  try {
    const route = matchRoute(request.method, request.rawPath);
    if (!route) {
      throw new ServiceError('UnknownOperationException', `No operation matches ${request.method} ${request.rawPath}`);
    }
    const body = parseBody(request.rawBody);
    log.record({
      operation: route.operation,
      method: request.method,
      path: request.rawPath,
      query: { ...request.query },
      body: body.value,
      at: Date.now(),
    });
    if (!request.headers.authorization) {
      throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const injected = context.faults.takeInjectedError(route.operation);
    if (injected) throw injected;
    if (body.malformed) throw new ServiceError('SerializationException', 'Request body is not valid JSON');
    const result = route.handler({ params: route.params, query: request.query, body: body.value }, context);
    return { status: 200, headers: jsonHeaders(requestId), body: JSON.stringify(result) };
  } catch (error) {
    const encoded = encodeError(error);
    return { status: encoded.status, headers: { ...jsonHeaders(requestId), ...encoded.headers }, body: encoded.body };
  }
}

function jsonHeaders(requestId: string): Record<string, string> {
  return { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId };
}
