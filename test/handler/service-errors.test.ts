import {
  ConflictException, DisabledOperationException, InternalException, OpenSearchServiceException,
  ResourceNotFoundException, ValidationException,
} from '@aws-sdk/client-opensearch';
import {
  describeError, errorDetailsOf, isAlreadyInDesiredState, isDisabledOperation, isInUse, isNotAssociated,
  isResourceNotFound, isTransient,
} from '../../lambda/service-errors';

/*
 * How the handler reads the service's errors, on the exceptions the SDK
 * itself builds from the wire (the modelled ones by class, the others, such
 * as throttling, as the SDK's generic exception with the wire's name and
 * HTTP status).
 */

const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const conflict = (message: string) => new ConflictException({ message, ...metadata(409) });
const validation = (message: string) => new ValidationException({ message, ...metadata(400) });
const notFound = (message = 'Domain not found: alpha-domain') => new ResourceNotFoundException({ message, ...metadata(409) });
const unmodelled = (name: string, httpStatusCode: number, message = 'Rate exceeded') =>
  new OpenSearchServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', message, ...metadata(httpStatusCode) });
const networkError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code });

describe('isTransient: what waiting until the deadline may cure', () => {
  test.each([
    'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'InternalException',
    'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException', 'DependencyFailureException', 'TimeoutError',
    'RequestTimeout',
  ])('%s, by its name whatever its status', name => {
    expect(isTransient(unmodelled(name, 400))).toBe(true);
  });

  test('throttling by status (429), and any server fault (500 and above), whatever the name', () => {
    expect(isTransient(unmodelled('SlowDown', 429))).toBe(true);
    expect(isTransient(unmodelled('BadGateway', 502))).toBe(true);
    expect(isTransient(unmodelled('Unknown', 500))).toBe(true);
    expect(isTransient(unmodelled('Unknown', 499))).toBe(false);
    expect(isTransient(new InternalException({ message: 'Try again', ...metadata(500) }))).toBe(true);
  });

  test('an error the SDK marked retryable', () => {
    const error = Object.assign(unmodelled('Whatever', 400, 'nope'), { $retryable: {} });
    expect(isTransient(error)).toBe(true);
  });

  test.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'])('a network failure (%s)', code => {
    expect(isTransient(networkError(code))).toBe(true);
  });

  test('a conflict with another operation on the domain, and a domain change already in progress', () => {
    expect(isTransient(conflict('Another package operation is in progress on domain alpha-domain'))).toBe(true);
    expect(isTransient(validation('A change is in progress for domain alpha-domain'))).toBe(true);
  });

  test('not: a conflict that waiting will not cure, a refusal, a missing resource, a network code of another kind', () => {
    expect(isTransient(conflict('Package F1 is already in desired state'))).toBe(false);
    expect(isTransient(conflict('Package F1 is in use by index products'))).toBe(false);
    expect(isTransient(validation('Package F1 is not associated to this domain'))).toBe(false);
    expect(isTransient(notFound())).toBe(false);
    expect(isTransient(new DisabledOperationException({ message: 'unsupported operation', ...metadata(409) }))).toBe(false);
    expect(isTransient(networkError('ENOTFOUND'))).toBe(false);
    expect(isTransient(new Error('boom'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
    expect(isTransient(null)).toBe(false);
    // "in progress" is a domain change under way only in a ValidationException.
    expect(isTransient(new DisabledOperationException({ message: 'An upgrade is in progress', ...metadata(409) }))).toBe(false);
    expect(isTransient('ThrottlingException')).toBe(false);
  });
});

describe('the answers with a meaning of their own', () => {
  test('isAlreadyInDesiredState: a ConflictException that says so, in any case', () => {
    expect(isAlreadyInDesiredState(conflict('Package F1 is Already In Desired State'))).toBe(true);
    expect(isAlreadyInDesiredState(conflict('Another operation is in progress'))).toBe(false);
    expect(isAlreadyInDesiredState(validation('already in desired state'))).toBe(false);
  });

  test('isNotAssociated: any ResourceNotFoundException, or a ValidationException that says "not associated"', () => {
    expect(isNotAssociated(notFound('Package F1 not found'))).toBe(true);
    expect(isNotAssociated(validation('Package is NOT ASSOCIATED to this domain'))).toBe(true);
    expect(isNotAssociated(validation('Package F1 is invalid'))).toBe(false);
    expect(isNotAssociated(conflict('Package is not associated to this domain'))).toBe(false);
  });

  test.each([
    'Package F1 is in use', 'The package is being used by an index', 'Package F1 is used by index products',
    'used by one or more indices', 'used by an index', 'Packages used by index products cannot be dissociated',
  ])('isInUse: "%s", as a ConflictException or a ValidationException', message => {
    expect(isInUse(conflict(message))).toBe(true);
    expect(isInUse(validation(message))).toBe(true);
  });

  test('isInUse: not another exception, nor "in use" inside a word', () => {
    expect(isInUse(notFound('Package F1 is in use'))).toBe(false);
    expect(isInUse(conflict('Package F1 is in user-defined state'))).toBe(false);
    expect(isInUse(conflict('Another operation is in progress'))).toBe(false);
  });

  test('isDisabledOperation and isResourceNotFound: by the exception alone', () => {
    expect(isDisabledOperation(new DisabledOperationException({ message: 'An unsupported operation', ...metadata(409) }))).toBe(true);
    expect(isDisabledOperation(validation('disabled operation'))).toBe(false);
    expect(isResourceNotFound(notFound())).toBe(true);
    expect(isResourceNotFound(validation('Domain not found'))).toBe(false);
  });
});

describe('how errors are written in a reason', () => {
  test('describeError: `Type: message`, or the error as text when either is missing', () => {
    expect(describeError(conflict('Package F1 is in use'))).toBe('ConflictException: Package F1 is in use');
    expect(describeError(new Error(''))).toBe('Error');
    expect(describeError('a string')).toBe('a string');
  });

  test('errorDetailsOf: `ErrorType: ErrorMessage` of what the service gave, or nothing', () => {
    expect(errorDetailsOf({ ErrorDetails: { ErrorType: 'PluginValidationFailed', ErrorMessage: 'bad zip' } })).toBe('PluginValidationFailed: bad zip');
    expect(errorDetailsOf({ ErrorDetails: { ErrorMessage: 'bad zip' } })).toBe('bad zip');
    expect(errorDetailsOf({})).toBe('');
  });
});
