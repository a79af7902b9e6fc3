import { validationError } from './errors';
import { conformingTo } from './input-validation';
import { PackageConfiguration, PackageSource, PackageType } from './wire-shapes';

/*
 * CreatePackage's and UpdatePackage's members, each read as its shape in the service model (see validation.ts),
 * and the rules the service applies beyond the model.
 */

function optional<T>(shape: string, value: unknown, member: string): T | undefined {
  return value === undefined || value === null ? undefined : conformingTo<T>(shape, value, member);
}

/** A package name (the model's `PackageName`). */
export function requirePackageName(value: unknown, member = 'packageName'): string {
  return conformingTo<string>('PackageName', value, member);
}

/** One of the package types (the model's `PackageType` enum). */
export function requirePackageType(value: unknown, member = 'packageType'): PackageType {
  return conformingTo<PackageType>('PackageType', value, member);
}

/**
 * `PackageSource` with both members. The model requires the structure but neither member, so the check on the
 * members is the service's own; its wording here is a guess.
 */
export function requirePackageSource(value: unknown, member = 'packageSource'): PackageSource {
  const { S3BucketName, S3Key } = conformingTo<{ S3BucketName?: string | null; S3Key?: string | null }>('PackageSource', value, member);
  if (S3BucketName === undefined || S3BucketName === null || S3Key === undefined || S3Key === null) {
    throw validationError('PackageSource must specify both S3BucketName and S3Key');
  }
  return { S3BucketName, S3Key };
}

/** An optional `PackageDescription`. */
export function optionalPackageDescription(value: unknown, member = 'packageDescription'): string | undefined {
  return optional<string>('PackageDescription', value, member);
}

/** An optional `CommitMessage`. */
export function optionalCommitMessage(value: unknown, member = 'commitMessage'): string | undefined {
  return optional<string>('CommitMessage', value, member);
}

/** An optional engine version (the model's `EngineVersion`: `OpenSearch_X.Y` or `Elasticsearch_X.Y`). */
export function optionalEngineVersion(value: unknown, member = 'engineVersion'): string | undefined {
  return optional<string>('EngineVersion', value, member);
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

/**
 * An optional `PackageEncryptionOptions`: the KMS key it names, when encryption is enabled. The model does not
 * require `KmsKeyIdentifier`; that enabled encryption needs one is the simulator's assumption.
 */
export function optionalEncryptionKey(value: unknown, member = 'packageEncryptionOptions'): string | undefined {
  const options = optional<{ EncryptionEnabled: boolean; KmsKeyIdentifier?: string }>('PackageEncryptionOptions', value, member);
  if (!options?.EncryptionEnabled) return undefined;
  return conformingTo<string>('KmsKeyId', options.KmsKeyIdentifier, `${member}.kmsKeyIdentifier`);
}

/** An optional `PackageConfiguration`, with only the members the model has. */
export function optionalPackageConfiguration(value: unknown, member = 'packageConfiguration'): PackageConfiguration | undefined {
  const configuration = optional<PackageConfiguration>('PackageConfiguration', value, member);
  if (!configuration) return undefined;
  const { LicenseRequirement, LicenseFilepath, ConfigurationRequirement, RequiresRestartForConfigurationUpdate } = configuration;
  return {
    LicenseRequirement,
    ...(typeof LicenseFilepath === 'string' ? { LicenseFilepath } : {}),
    ConfigurationRequirement,
    ...(typeof RequiresRestartForConfigurationUpdate === 'boolean' ? { RequiresRestartForConfigurationUpdate } : {}),
  };
}
