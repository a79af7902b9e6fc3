/**
 * Rules for the values the OpenSearch package API accepts, shared by the
 * constructs (checked at synth time when the value is not a token) and the
 * handler (checked at deploy time, when every value is known).
 *
 * Each check returns an error message naming the field, the value and what is
 * allowed, or `undefined` when the value is valid.
 */

/** The longest a custom resource may run: CloudFormation's ServiceTimeout ceiling. */
export const MAX_TIMEOUT_SECONDS = 3600;

/**
 * The most a CustomPackage's description may hold: the service takes 1024
 * characters, and the handler keeps 224 of them for the mark that says which
 * stack's resource created the package (lambda/package-ownership-mark.ts).
 */
export const MAX_DESCRIPTION_LENGTH = 800;

/** A check that the value matches the pattern; the message says what it is not and what is allowed. */
function matching(pattern: RegExp, notA: string, allowed: string): (field: string, value: string) => string | undefined {
  return (field, value) => (pattern.test(value) ? undefined : `${field} "${value}" is not ${notA}: ${allowed}`);
}

export const checkDomainName = matching(/^[a-z][a-z0-9-]{2,27}$/, 'a valid OpenSearch domain name',
  'use 3 to 28 characters, a lowercase letter first, then lowercase letters, digits and hyphens.');

export const checkPackageId = matching(/^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$/, 'a valid OpenSearch package ID',
  'expected F or G followed by digits (e.g. F123456789) or "pkg-" followed by lowercase hex digits.');

export const checkRoleArn = matching(/^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::[0-9]+:role\/.+$/, 'an IAM role ARN',
  'expected arn:<partition>:iam::<account>:role/<name>.');

export const checkPackageName = matching(/^[a-z][a-z0-9-]{2,255}$/, 'a valid OpenSearch package name',
  'use 3 to 256 characters, a lowercase letter first, then lowercase letters, digits and hyphens.');

export const checkEngineVersion = matching(/^(OpenSearch|Elasticsearch)_[0-9]+\.[0-9]+$/, 'an engine version',
  'expected OpenSearch_X.Y or Elasticsearch_X.Y, e.g. OpenSearch_2.19.');

export function checkTimeoutSeconds(field: string, value: number): string | undefined {
  if (!Number.isInteger(value)) return `${field} ${value} seconds is not a whole number of seconds: CloudFormation counts a custom resource's ServiceTimeout in seconds, from 1 to ${MAX_TIMEOUT_SECONDS}.`;
  return value >= 1 && value <= MAX_TIMEOUT_SECONDS
    ? undefined
    : `${field} ${value} seconds is out of range: a custom resource can wait from 1 second to 1 hour (${MAX_TIMEOUT_SECONDS} seconds), CloudFormation's ceiling.`;
}

/** The package types the API accepts (2021-01-01). */
export const PACKAGE_TYPES = ['TXT-DICTIONARY', 'ZIP-PLUGIN', 'PACKAGE-LICENSE', 'PACKAGE-CONFIG'] as const;

export function checkPackageType(field: string, value: string): string | undefined {
  return (PACKAGE_TYPES as readonly string[]).includes(value)
    ? undefined
    : `${field} "${value}" is not a package type: the API accepts ${PACKAGE_TYPES.join(', ')}.`;
}

export function checkDescription(field: string, value: string): string | undefined {
  return value.length <= MAX_DESCRIPTION_LENGTH
    ? undefined
    : `${field} is ${value.length} characters long: at most ${MAX_DESCRIPTION_LENGTH} are allowed (the service takes 1024, and the library keeps 224 for the mark of the stack that owns the package).`;
}

/** The requirement levels of a plugin's license and configuration. */
export const REQUIREMENT_LEVELS = ['REQUIRED', 'OPTIONAL', 'NONE'] as const;

export function checkRequirementLevel(field: string, value: string): string | undefined {
  return (REQUIREMENT_LEVELS as readonly string[]).includes(value)
    ? undefined
    : `${field} "${value}" is not a requirement level: the API accepts ${REQUIREMENT_LEVELS.join(', ')}.`;
}
