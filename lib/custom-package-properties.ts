/**
 * The contract between the CustomPackage construct, which writes these
 * properties into the template, and the handler, which reads them back.
 */

/** The custom resource type, as it appears in templates. */
export const CUSTOM_PACKAGE_RESOURCE_TYPE = 'Custom::OpenSearchPackage';

/** Resource properties. CloudFormation delivers every scalar as a string. */
export interface CustomPackageProperties {
  readonly PackageName: string;
  readonly PackageType: string;
  readonly S3BucketName: string;
  readonly S3Key: string;
  /** A trigger only: OpenSearch reads the current object under the key. */
  readonly S3ObjectVersion?: string;
  readonly PackageDescription?: string;
  readonly EngineVersion?: string;
  /** A plugin's license and configuration requirements (PackageConfiguration). */
  readonly PackageConfiguration?: PackageConfigurationProperties;
  /** The ARN of the KMS key the package is encrypted with. */
  readonly KmsKeyArn?: string;
  /** How long the handler waits for the service before it fails the operation. */
  readonly WaitSeconds: string;
}

/** `PackageConfiguration` as the template holds it. */
export interface PackageConfigurationProperties {
  /** `REQUIRED`, `OPTIONAL` or `NONE`. */
  readonly LicenseRequirement: string;
  readonly LicenseFilepath?: string;
  /** `REQUIRED`, `OPTIONAL` or `NONE`. */
  readonly ConfigurationRequirement: string;
  /** `'true'` or `'false'`. */
  readonly RequiresRestartForConfigurationUpdate?: string;
}

/** The attributes the handler returns; every key is always present. */
export const PACKAGE_ATTRIBUTES = [
  'PackageID', 'AvailablePackageVersion', 'ReferencePath', 'PackageName', 'PackageType', 'LatestCommitMessage', 'LatestVersionCreatedAt',
] as const;

export type PackageAttribute = typeof PACKAGE_ATTRIBUTES[number];
