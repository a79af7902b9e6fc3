/** Package types the service accepts. */
export type PackageType = 'TXT-DICTIONARY' | 'ZIP-PLUGIN' | 'PACKAGE-LICENSE' | 'PACKAGE-CONFIG';

/** Lifecycle of a package itself (not of its association with a domain). */
export type PackageStatus =
  | 'COPYING'
  | 'COPY_FAILED'
  | 'VALIDATING'
  | 'VALIDATION_FAILED'
  | 'AVAILABLE'
  | 'DELETING'
  | 'DELETED'
  | 'DELETE_FAILED';

/** Lifecycle of one package on one domain. There is no "dissociated" status: the entry disappears. */
export type DomainPackageStatus =
  | 'ASSOCIATING'
  | 'ASSOCIATION_FAILED'
  | 'ACTIVE'
  | 'DISSOCIATING'
  | 'DISSOCIATION_FAILED';

/** Operations the simulator serves. */
export type OperationName =
  | 'AssociatePackage'
  | 'AssociatePackages'
  | 'DissociatePackage'
  | 'DissociatePackages'
  | 'ListPackagesForDomain'
  | 'DescribePackages'
  | 'DescribeDomain'
  | 'CreatePackage'
  | 'UpdatePackage'
  | 'DeletePackage'
  | 'GetPackageVersionHistory'
  | 'ListDomainsForPackage'
  /** CloudFormation's, served for the stacks local deployments register (see cloudformation-api.ts). */
  | 'ListStackResources'
  | 'DescribeStackEvents'
  | 'DescribeStackResources';

/** The operations of the OpenSearch API model. */
export type OpenSearchOperationName = Exclude<OperationName, 'ListStackResources' | 'DescribeStackEvents' | 'DescribeStackResources'>;

/** The terminal statuses a package's copy, validation or deletion can fail with. */
export type PackageFailureStatus = 'COPY_FAILED' | 'VALIDATION_FAILED' | 'DELETE_FAILED';

/** `ErrorDetails` as it travels on the wire. */
export interface ErrorDetails {
  readonly ErrorType: string;
  readonly ErrorMessage: string;
}

/** `AssociationConfiguration` as it travels on the wire. */
export interface AssociationConfiguration {
  readonly KeyStoreAccessOption?: {
    readonly KeyAccessRoleArn?: string;
    readonly KeyStoreAccessEnabled: boolean;
  };
}

/** `PackageSource` as it travels on the wire: where CreatePackage and UpdatePackage read the package from. */
export interface PackageSource {
  readonly S3BucketName: string;
  readonly S3Key: string;
}

/** `PackageConfiguration` as it travels on the wire (plugin licence and configuration requirements). */
export interface PackageConfiguration {
  readonly LicenseRequirement: 'REQUIRED' | 'OPTIONAL' | 'NONE';
  readonly LicenseFilepath?: string;
  readonly ConfigurationRequirement: 'REQUIRED' | 'OPTIONAL' | 'NONE';
  readonly RequiresRestartForConfigurationUpdate?: boolean;
}

/** One entry of GetPackageVersionHistory's `PackageVersionHistoryList`. */
export interface PackageVersionHistory {
  readonly PackageVersion: string;
  /** Absent for the version CreatePackage made, and for updates sent without one. */
  readonly CommitMessage?: string;
  /** Epoch seconds. */
  readonly CreatedAt: number;
  readonly PackageConfiguration?: PackageConfiguration;
}

/** One package on one domain, as ListPackagesForDomain and AssociatePackage return it. */
export interface DomainPackageDetails {
  readonly PackageID: string;
  readonly PackageName: string;
  readonly PackageType: PackageType;
  /** Epoch seconds. */
  readonly LastUpdated: number;
  readonly DomainName: string;
  readonly DomainPackageStatus: DomainPackageStatus;
  readonly PackageVersion: string;
  readonly PrerequisitePackageIDList?: string[];
  readonly ReferencePath: string;
  readonly ErrorDetails?: ErrorDetails;
  readonly AssociationConfiguration?: AssociationConfiguration;
}

/** One package, as DescribePackages and the package lifecycle operations return it. */
export interface PackageDetails {
  readonly PackageID: string;
  readonly PackageName: string;
  readonly PackageType: PackageType;
  readonly PackageDescription?: string;
  readonly PackageStatus: PackageStatus;
  /** Epoch seconds. */
  readonly CreatedAt: number;
  /** Epoch seconds. */
  readonly LastUpdatedAt: number;
  /** Absent until the package first becomes AVAILABLE (`v1`); then the latest AVAILABLE version. */
  readonly AvailablePackageVersion?: string;
  readonly ErrorDetails?: ErrorDetails;
  readonly EngineVersion?: string;
  readonly AvailablePackageConfiguration?: PackageConfiguration;
  readonly PackageOwner: string;
  readonly PackageEncryptionOptions?: PackageEncryptionOptions;
}

/** `PackageEncryptionOptions` as it travels on the wire. */
export interface PackageEncryptionOptions {
  readonly EncryptionEnabled: boolean;
  readonly KmsKeyIdentifier?: string;
}

/** The subset of `DomainStatus` the simulator returns from DescribeDomain. */
export interface DomainStatus {
  readonly DomainId: string;
  readonly DomainName: string;
  readonly ARN: string;
  readonly Created: boolean;
  readonly Deleted: boolean;
  readonly Processing: boolean;
  readonly UpgradeProcessing: boolean;
  readonly DomainProcessingStatus: 'Active' | 'Modifying';
  readonly EngineVersion: string;
  readonly ClusterConfig: Record<string, never>;
}
