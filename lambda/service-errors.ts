/**
 * How the handler reads errors from the OpenSearch package API. The SDK puts
 * the service's exception type in `name` and its text in `message`.
 */

interface ServiceError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

function fields(error: unknown): ServiceError {
  return typeof error === 'object' && error !== null ? error as ServiceError : {};
}

/** AssociatePackage's answer when the package is already associated at its latest version. */
export function isAlreadyInDesiredState(error: unknown): boolean {
  const { name, message = '' } = fields(error);
  return name === 'ConflictException' && /already in desired state/i.test(message);
}

/**
 * DissociatePackage's answers when there is nothing left to dissociate: the
 * package is not associated ("Package is not associated to this domain"), or
 * the package or the domain no longer exists.
 */
export function isNotAssociated(error: unknown): boolean {
  const { name, message = '' } = fields(error);
  return name === 'ResourceNotFoundException' || (name === 'ValidationException' && /not associated/i.test(message));
}

/**
 * The service's refusal to remove a package that an index still uses. Whether it comes as ValidationException or
 * as ConflictException (which the API reference describes as an attempt "to remove a resource that is currently
 * in use") is not documented: both are recognised by their text.
 */
export function isInUse(error: unknown): boolean {
  const { name, message = '' } = fields(error);
  return (name === 'ConflictException' || name === 'ValidationException') && /\bin use\b|being used|is used by|used by (an |one or more )?ind/i.test(message);
}

/** The service's refusal of an operation it does not support for the domain: AssociatePackages and DissociatePackages document it, without saying where. */
export function isDisabledOperation(error: unknown): boolean {
  return fields(error).name === 'DisabledOperationException';
}

/** Any ResourceNotFoundException; from ListPackagesForDomain it can only mean the domain. */
export function isResourceNotFound(error: unknown): boolean {
  return fields(error).name === 'ResourceNotFoundException';
}

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'DependencyFailureException',
  'TimeoutError',
  'RequestTimeout',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * Errors worth waiting out: throttling, server faults, network failures, and
 * conflicts with another operation in progress on the domain. Retrying them
 * until the operation's deadline is safe because every step is idempotent.
 * A conflict that says the package is in use, or already in the desired
 * state, will not pass by waiting.
 */
export function isTransient(error: unknown): boolean {
  const { name = '', message = '', $metadata, $retryable } = fields(error);
  if (isAlreadyInDesiredState(error) || isInUse(error)) return false;
  if (name === 'ConflictException') return true;
  // Domain config changes answer this way while another change runs.
  if (name === 'ValidationException' && /in progress/i.test(message)) return true;
  const status = $metadata?.httpStatusCode ?? 0;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return TRANSIENT_NAMES.has(name) || status === 429 || status >= 500 || $retryable !== undefined || NETWORK_CODES.has(code);
}

/** `Type: message`, for failure reasons shown in CloudFormation events. */
export function describeError(error: unknown): string {
  const { name, message } = fields(error);
  return name && message ? `${name}: ${message}` : String(error);
}

/** `ErrorType: ErrorMessage` of a package or a domain's entry, or '' when the service gave none. */
export function errorDetailsOf(subject: { readonly ErrorDetails?: { readonly ErrorType?: string; readonly ErrorMessage?: string } }): string {
  return [subject.ErrorDetails?.ErrorType, subject.ErrorDetails?.ErrorMessage].filter(Boolean).join(': ');
}
