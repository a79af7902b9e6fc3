import { validationError } from './errors';
import { constraintViolation, requireObject } from './validation';
import { PackageConfiguration, PackageSource, PackageType } from './wire-shapes';

/** Constraints from the service model (PackageName, VersionString, PackageDescription, CommitMessage shapes). */
const PACKAGE_NAME_PATTERN = /^[a-z][a-z0-9-]+$/;
const ENGINE_VERSION_PATTERN = /^Elasticsearch_[0-9]{1}\.[0-9]{1,2}$|^OpenSearch_[0-9]{1,2}\.[0-9]{1,2}$/;
const MAX_DESCRIPTION_LENGTH = 1024;
const MAX_COMMIT_MESSAGE_LENGTH = 160;
const PACKAGE_TYPES: readonly PackageType[] = ['TXT-DICTIONARY', 'ZIP-PLUGIN', 'PACKAGE-LICENSE', 'PACKAGE-CONFIG'];
type RequirementLevel = PackageConfiguration['LicenseRequirement'];
const REQUIREMENT_LEVELS: readonly RequirementLevel[] = ['REQUIRED', 'OPTIONAL', 'NONE'];

function requireString(value: unknown, member: string): string {
  if (value === undefined || value === null || value === '') throw constraintViolation(value, member, 'Member must not be null');
  if (typeof value !== 'string') throw constraintViolation(value, member, 'Member must be a string');
  return value;
}

function optionalString(value: unknown, member: string, maxLength: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw constraintViolation(value, member, 'Member must be a string');
  if (value.length > maxLength) {
    throw constraintViolation(value, member, `Member must have length less than or equal to ${maxLength}`);
  }
  return value;
}

function requireEnum<T extends string>(value: unknown, member: string, allowed: readonly T[]): T {
  const text = requireString(value, member);
  if (!(allowed as readonly string[]).includes(text)) {
    throw constraintViolation(text, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return text as T;
}

/** A package name: 3 to 256 characters, `[a-z][a-z0-9\-]+`. */
export function requirePackageName(value: unknown, member = 'packageName'): string {
  const name = requireString(value, member);
  if (name.length < 3 || name.length > 256) {
    throw constraintViolation(name, member, 'Member must have length between 3 and 256');
  }
  if (!PACKAGE_NAME_PATTERN.test(name)) {
    throw constraintViolation(name, member, 'Member must satisfy regular expression pattern: [a-z][a-z0-9\\-]+');
  }
  return name;
}

/** One of the four package types. */
export function requirePackageType(value: unknown, member = 'packageType'): PackageType {
  return requireEnum(value, member, PACKAGE_TYPES);
}

/**
 * `PackageSource` with both members. The model marks the structure required but neither member, so the check
 * on the members is the service's own; its wording here is a guess.
 */
export function requirePackageSource(value: unknown, member = 'packageSource'): PackageSource {
  if (value === undefined || value === null) throw constraintViolation(value, member, 'Member must not be null');
  const fields = requireObject(value, member);
  const bucket = fields.S3BucketName;
  const key = fields.S3Key;
  if (typeof bucket !== 'string' || bucket === '' || typeof key !== 'string' || key === '') {
    throw validationError('PackageSource must specify both S3BucketName and S3Key');
  }
  return { S3BucketName: bucket, S3Key: key };
}

/** An optional `PackageDescription`, at most 1024 characters. */
export function optionalPackageDescription(value: unknown, member = 'packageDescription'): string | undefined {
  return optionalString(value, member, MAX_DESCRIPTION_LENGTH);
}

/** An optional `CommitMessage`, at most 160 characters. */
export function optionalCommitMessage(value: unknown, member = 'commitMessage'): string | undefined {
  return optionalString(value, member, MAX_COMMIT_MESSAGE_LENGTH);
}

/** An optional engine version, `OpenSearch_X.Y` or `Elasticsearch_X.Y`. */
export function optionalEngineVersion(value: unknown, member = 'engineVersion'): string | undefined {
  if (value === undefined || value === null) return undefined;
  const version = requireString(value, member);
  if (!ENGINE_VERSION_PATTERN.test(version)) {
    throw constraintViolation(version, member, `Member must satisfy regular expression pattern: ${ENGINE_VERSION_PATTERN.source}`);
  }
  return version;
}

/**
 * ZIP-PLUGIN packages need an engine version, and the API reference says EngineVersion "can only be specified
 * for package type ZIP-PLUGIN". Both rules are documented; the error texts are guesses.
 */
export function checkEngineVersionFitsType(type: PackageType, engineVersion: string | undefined): void {
  if (type === 'ZIP-PLUGIN' && engineVersion === undefined) {
    throw validationError('EngineVersion is required for packages of type ZIP-PLUGIN');
  }
  if (type !== 'ZIP-PLUGIN' && engineVersion !== undefined) {
    throw validationError(`EngineVersion can only be specified for packages of type ZIP-PLUGIN, not ${type}`);
  }
}

/** An optional `PackageEncryptionOptions`: the KMS key it names, when encryption is enabled. */
export function optionalEncryptionKey(value: unknown, member = 'packageEncryptionOptions'): string | undefined {
  if (value === undefined || value === null) return undefined;
  const fields = requireObject(value, member);
  if (typeof fields.EncryptionEnabled !== 'boolean') throw constraintViolation(fields.EncryptionEnabled, `${member}.encryptionEnabled`, 'Member must not be null');
  if (!fields.EncryptionEnabled) return undefined;
  return requireString(fields.KmsKeyIdentifier, `${member}.kmsKeyIdentifier`);
}

/** An optional `PackageConfiguration`: both requirement levels are required inside it. */
export function optionalPackageConfiguration(value: unknown, member = 'packageConfiguration'): PackageConfiguration | undefined {
  if (value === undefined || value === null) return undefined;
  const fields = requireObject(value, member);
  const licenseFilepath = optionalString(fields.LicenseFilepath, `${member}.licenseFilepath`, Infinity);
  const restart = fields.RequiresRestartForConfigurationUpdate;
  if (restart !== undefined && restart !== null && typeof restart !== 'boolean') {
    throw constraintViolation(restart, `${member}.requiresRestartForConfigurationUpdate`, 'Member must be a boolean');
  }
  return {
    LicenseRequirement: requireEnum(fields.LicenseRequirement, `${member}.licenseRequirement`, REQUIREMENT_LEVELS),
    ...(licenseFilepath !== undefined ? { LicenseFilepath: licenseFilepath } : {}),
    ConfigurationRequirement: requireEnum(fields.ConfigurationRequirement, `${member}.configurationRequirement`, REQUIREMENT_LEVELS),
    ...(typeof restart === 'boolean' ? { RequiresRestartForConfigurationUpdate: restart } : {}),
  };
}
