import { PackageConfiguration } from '@aws-sdk/client-opensearch';
import { PropertyReader } from './property-reader';
import { CUSTOM_PACKAGE_RESOURCE_TYPE, CustomPackageProperties, PackageConfigurationProperties } from '../lib/custom-package-properties';
import {
  checkDescription,
  checkEngineVersion,
  checkPackageName,
  checkPackageType,
  checkRequirementLevel,
  checkTimeoutSeconds,
} from '../lib/validation';

/** The validated, typed form of a Custom::OpenSearchPackage's properties. */
export interface PackageSpec {
  readonly packageName: string;
  readonly packageType: string;
  readonly bucket: string;
  readonly key: string;
  readonly objectVersion?: string;
  readonly description?: string;
  readonly engineVersion?: string;
  readonly configuration?: PackageConfiguration;
  readonly kmsKeyArn?: string;
  readonly waitSeconds: number;
}

/** Reads the properties CloudFormation sent and throws one error listing every problem. */
export function parsePackageSpec(properties: Record<string, unknown> | undefined): PackageSpec {
  const reader = new PropertyReader<keyof CustomPackageProperties>(properties ?? {});
  const text = reader.text.bind(reader);

  const packageName = text('PackageName', true, checkPackageName);
  const packageType = text('PackageType', true, checkPackageType);
  const bucket = text('S3BucketName', true);
  const key = text('S3Key', true);
  const objectVersion = text('S3ObjectVersion', false);
  const description = text('PackageDescription', false, checkDescription);
  const engineVersion = text('EngineVersion', false, checkEngineVersion);
  const kmsKeyArn = text('KmsKeyArn', false);
  const configuration = readConfiguration(reader, properties?.PackageConfiguration);
  const waitSeconds = Number(text('WaitSeconds', true, (field, value) => checkTimeoutSeconds(field, Number(value))));
  if (packageType === 'ZIP-PLUGIN' && engineVersion === undefined) reader.problems.push('EngineVersion is required for a ZIP-PLUGIN package.');
  if (packageType !== 'ZIP-PLUGIN' && engineVersion !== undefined) reader.problems.push(`EngineVersion applies only to ZIP-PLUGIN packages, not to ${packageType}.`);
  if (packageType !== 'ZIP-PLUGIN' && configuration !== undefined) reader.problems.push(`PackageConfiguration applies only to ZIP-PLUGIN packages, not to ${packageType}.`);
  reader.throwIfInvalid(CUSTOM_PACKAGE_RESOURCE_TYPE);
  return {
    packageName: packageName!, packageType: packageType!, bucket: bucket!, key: key!,
    objectVersion, description, engineVersion, configuration, kmsKeyArn, waitSeconds,
  };
}

function readConfiguration(outer: PropertyReader<string>, value: unknown): PackageConfiguration | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) {
    outer.problems.push(`PackageConfiguration must be an object, got ${JSON.stringify(value)}.`);
    return undefined;
  }
  const reader = new PropertyReader<keyof PackageConfigurationProperties>(value as Record<string, unknown>, 'PackageConfiguration.');
  const licenseRequirement = reader.text('LicenseRequirement', true, checkRequirementLevel);
  const licenseFilepath = reader.text('LicenseFilepath', false);
  const configurationRequirement = reader.text('ConfigurationRequirement', true, checkRequirementLevel);
  const restart = reader.text('RequiresRestartForConfigurationUpdate', false, (field, text) =>
    (text === 'true' || text === 'false' ? undefined : `${field} "${text}" is not a boolean: expected true or false.`));
  outer.problems.push(...reader.problems);
  if (reader.problems.length > 0) return undefined;
  return {
    LicenseRequirement: licenseRequirement as PackageConfiguration['LicenseRequirement'],
    LicenseFilepath: licenseFilepath,
    ConfigurationRequirement: configurationRequirement as PackageConfiguration['ConfigurationRequirement'],
    RequiresRestartForConfigurationUpdate: restart === undefined ? undefined : restart === 'true',
  };
}
