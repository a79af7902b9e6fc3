/**
 * HTTP status per error type, from the service model. ResourceNotFoundException is 409 (not 404) in this API.
 * The last three are not modelled errors but what AWS front doors answer for unsigned, unparsable or unknown requests.
 */
const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
  ResourceNotFoundException: 409,
  ConflictException: 409,
  LimitExceededException: 409,
  DisabledOperationException: 409,
  ResourceAlreadyExistsException: 409,
  InvalidTypeException: 409,
  ValidationException: 400,
  InvalidPaginationTokenException: 400,
  BaseException: 400,
  AccessDeniedException: 403,
  InternalException: 500,
  DependencyFailureException: 424,
  ThrottlingException: 429,
  MissingAuthenticationTokenException: 403,
  SerializationException: 400,
  UnknownOperationException: 404,
};

/** The HTTP status the service uses for an error type (400 for types it does not know). */
export function statusForErrorType(type: string): number {
  return STATUS_BY_TYPE[type] ?? 400;
}

/** An error the simulated service answers with instead of a result. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number = statusForErrorType(type),
  ) {
    super(message);
    this.name = type;
  }
}

/** ValidationException (400). */
export function validationError(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

/** ConflictException (409). */
export function conflictError(message: string): ServiceError {
  return new ServiceError('ConflictException', message);
}

/** ResourceNotFoundException (409). */
export function notFoundError(message: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', message);
}

/** ResourceAlreadyExistsException (409). */
export function alreadyExistsError(message: string): ServiceError {
  return new ServiceError('ResourceAlreadyExistsException', message);
}

/** ResourceNotFoundException with the text users report for a missing domain. */
export function domainNotFound(domainName: string): ServiceError {
  return notFoundError(`Domain not found: ${domainName}`);
}

/** An error as HTTP: the type travels in `x-amzn-ErrorType`, the text in the body's lowercase `message`. */
export interface EncodedError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Encodes any thrown value; anything that is not a {@link ServiceError} becomes InternalException (500). */
export function encodeError(error: unknown): EncodedError {
  const serviceError =
    error instanceof ServiceError
      ? error
      : new ServiceError('InternalException', `Simulator bug: ${error instanceof Error ? error.message : String(error)}`);
  return {
    status: serviceError.status,
    headers: { 'x-amzn-ErrorType': serviceError.type },
    body: JSON.stringify({ message: serviceError.message }),
  };
}
