import { PropertyReader } from './property-reader';
import { CUSTOM_PACKAGE_RESOURCE_TYPE, CustomPackageProperties } from '../lib/custom-package-properties';
import { checkDescription, checkEngineVersion, checkPackageName, checkPackageType, checkTimeoutSeconds } from '../lib/validation';

/** The validated, typed form of a Custom::OpenSearchPackage's properties. */
export interface PackageSpec {
  readonly packageName: string;
  readonly packageType: string;
  readonly bucket: string;
  readonly key: string;
  readonly objectVersion?: string;
  readonly description?: string;
  readonly engineVersion?: string;
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
  const waitSeconds = Number(text('WaitSeconds', true, (field, value) => checkTimeoutSeconds(field, Number(value))));
  if (packageType === 'ZIP-PLUGIN' && engineVersion === undefined) reader.problems.push('EngineVersion is required for a ZIP-PLUGIN package.');
  if (packageType !== 'ZIP-PLUGIN' && engineVersion !== undefined) reader.problems.push(`EngineVersion applies only to ZIP-PLUGIN packages, not to ${packageType}.`);
  reader.throwIfInvalid(CUSTOM_PACKAGE_RESOURCE_TYPE);
  return { packageName: packageName!, packageType: packageType!, bucket: bucket!, key: key!, objectVersion, description, engineVersion, waitSeconds };
}
