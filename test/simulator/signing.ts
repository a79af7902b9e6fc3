import { ServiceError } from './errors';

/** Who signed a request, read from its SigV4 `Authorization` header (the signature itself is not verified). */
export interface Caller {
  readonly accessKeyId: string;
  /** The Region of the credential scope: the Region the request is addressed to. */
  readonly region: string;
  /** Set when the caller is an AWS service acting on its own (e.g. `custom-packages.amazonaws.com` using a KMS key), not a signed request. */
  readonly service?: string;
}

const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

/** The signing name of a signed request's credential scope (`es`, `cloudformation`...), or undefined when it has none. */
export function signingServiceOf(authorization: string | string[] | undefined): string | undefined {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  return header ? CREDENTIAL_SCOPE.exec(header)?.[4] : undefined;
}

/**
 * The caller of a signed request, which must be signed for `signingName` (OpenSearch Service's is `es`): a request
 * signed for another service, or without a credential scope, is refused as AWS front doors refuse it.
 */
export function callerOf(authorization: string | string[] | undefined, signingName = 'es'): Caller {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  if (!header) throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const scope = CREDENTIAL_SCOPE.exec(header);
  if (!scope) throw new ServiceError('IncompleteSignatureException', 'Authorization header requires a Credential parameter with a credential scope.', 403);
  const [, accessKeyId, , region, service] = scope;
  if (service !== signingName) {
    throw new ServiceError('InvalidSignatureException', `Credential should be scoped to correct service: '${signingName}'. (got '${service}')`, 403);
  }
  return { accessKeyId, region };
}
