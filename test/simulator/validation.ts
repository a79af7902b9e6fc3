import { ServiceError, validationError } from './errors';
import { AssociationConfiguration } from './wire-shapes';

const DOMAIN_NAME_PATTERN = /^[a-z][a-z0-9-]+$/;
const PACKAGE_ID_PATTERN = /^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$/;
const ROLE_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::[0-9]+:role\/.*$/;

/** Page size when the caller gives none. The model declares no default; 100 is the documented maximum. */
export const DEFAULT_MAX_RESULTS = 100;

/** The service's (Coral) wording for a constraint violation. */
export function constraintViolation(value: unknown, member: string, constraint: string): ServiceError {
  return validationError(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A domain name: 3 to 28 characters, `[a-z][a-z0-9\-]+`. */
export function requireDomainName(value: unknown, member = 'domainName'): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw constraintViolation(value, member, 'Member must not be null');
  }
  if (value.length < 3 || value.length > 28) {
    throw constraintViolation(value, member, 'Member must have length between 3 and 28');
  }
  if (!DOMAIN_NAME_PATTERN.test(value)) {
    throw constraintViolation(value, member, 'Member must satisfy regular expression pattern: [a-z][a-z0-9\\-]+');
  }
  return value;
}

/** A package ID: `F123`, `G123` or `pkg-<hex>`. */
export function requirePackageId(value: unknown, member = 'packageID'): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw constraintViolation(value, member, 'Member must not be null');
  }
  if (!PACKAGE_ID_PATTERN.test(value)) {
    throw constraintViolation(
      value,
      member,
      'Member must satisfy regular expression pattern: ^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$',
    );
  }
  return value;
}

/** A JSON object body (an absent body counts as `{}`). */
export function requireObject(value: unknown, member = 'body'): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw validationError(`Invalid ${member}: expected an object`);
  }
  return value as Record<string, unknown>;
}

/** `maxResults`, from a query string or a JSON body; at most 100. */
export function optionalMaxResults(value: unknown, member: string): number {
  if (value === undefined || value === null || value === '') return DEFAULT_MAX_RESULTS;
  const parsed = typeof value === 'string' ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed)) {
    throw constraintViolation(value, member, 'Member must be an integer');
  }
  if (parsed > 100) {
    throw constraintViolation(value, member, 'Member must have value less than or equal to 100');
  }
  if (parsed < 1) {
    throw constraintViolation(value, member, 'Member must have value greater than or equal to 1');
  }
  return parsed;
}

/** An optional pagination token. */
export function optionalToken(value: unknown, member: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw constraintViolation(value, member, 'Member must be a string');
  return value;
}

/** An optional list of package IDs, each validated. */
export function optionalPackageIdList(value: unknown, member: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw constraintViolation(value, member, 'Member must be a list');
  return value.map((id, index) => requirePackageId(id, `${member}.${index + 1}.member`));
}

/** An optional `AssociationConfiguration`; `KeyStoreAccessEnabled` is required inside `KeyStoreAccessOption`. */
export function optionalAssociationConfiguration(
  value: unknown,
  member = 'associationConfiguration',
): AssociationConfiguration | undefined {
  if (value === undefined || value === null) return undefined;
  const configuration = requireObject(value, member);
  const option = configuration.KeyStoreAccessOption;
  if (option === undefined || option === null) return {};
  const fields = requireObject(option, `${member}.keyStoreAccessOption`);
  if (typeof fields.KeyStoreAccessEnabled !== 'boolean') {
    throw constraintViolation(fields.KeyStoreAccessEnabled, `${member}.keyStoreAccessOption.keyStoreAccessEnabled`, 'Member must not be null');
  }
  const roleArn = fields.KeyAccessRoleArn;
  if (roleArn !== undefined && (typeof roleArn !== 'string' || !ROLE_ARN_PATTERN.test(roleArn))) {
    throw constraintViolation(roleArn, `${member}.keyStoreAccessOption.keyAccessRoleArn`, `Member must satisfy regular expression pattern: ${ROLE_ARN_PATTERN.source}`);
  }
  return {
    KeyStoreAccessOption: {
      KeyStoreAccessEnabled: fields.KeyStoreAccessEnabled,
      ...(typeof roleArn === 'string' ? { KeyAccessRoleArn: roleArn } : {}),
    },
  };
}
