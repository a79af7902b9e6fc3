/**
 * The contract between the constructs, which write one resource per stack
 * and domain holding every package the stack associates with that domain,
 * and the handler, which applies the difference between the old and the new
 * set in one AssociatePackages and one DissociatePackages call.
 */

/** The custom resource type, as it appears in templates. */
export const DOMAIN_PACKAGES_RESOURCE_TYPE = 'Custom::OpenSearchDomainPackages';

/** One package the stack associates with the domain. */
export interface DomainPackageEntry {
  /** Names the entry's attribute in the resource's Data: stable for the same package, whatever the construct is called. */
  readonly Key: string;
  /** The package's ID; absent when the entry names a package AWS provides instead. */
  readonly PackageID?: string;
  /** The name of a package AWS provides, resolved at deploy time to its ID for the domain's engine version. */
  readonly AwsPackageName?: string;
  readonly PrerequisitePackageIDList?: string[];
  /** Set when the association grants the package access to a key store through this role. */
  readonly KeyAccessRoleArn?: string;
  /** An opaque label: a change applies the package's latest available version to the domain. */
  readonly PackageVersion?: string;
  /** `'true'` when the association's removal policy keeps it on the domain after it leaves the stack. */
  readonly Retain?: string;
  /**
   * The physical ID of the association's ownership record: it says whether
   * the stack adopted the association (see package-association-properties.ts),
   * in which case the entry is never taken off the domain.
   */
  readonly OwnershipRecord?: string;
}

/** Resource properties. CloudFormation delivers every scalar as a string. */
export interface DomainPackagesProperties {
  readonly DomainName: string;
  /** The domain's ARN: its Region and account. */
  readonly DomainArn: string;
  readonly Packages: DomainPackageEntry[];
  /** How long the handler waits for the service before it fails the operation (the longest of the associations' timeouts). */
  readonly WaitSeconds: string;
  /**
   * The engine version the template gives the domain, when the domain is
   * defined in the app: an engine upgrade then updates this resource, which
   * resolves packages named by name again and refreshes their attributes.
   */
  readonly EngineVersion?: string;
}

/**
 * What each entry's Data value holds, in this order, joined with
 * {@link ATTRIBUTE_SEPARATOR}: one Data key per package keeps the response
 * within CloudFormation's 4 KB limit for a few dozen packages.
 */
export const ENTRY_ATTRIBUTES = ['PackageID', 'ReferencePath', 'PackageVersion', 'PackageName', 'PackageType', 'DomainPackageStatus'] as const;

export type EntryAttribute = typeof ENTRY_ATTRIBUTES[number];

/** Cannot occur in any of the attributes (IDs, names, versions, types and statuses have no `|`). */
export const ATTRIBUTE_SEPARATOR = '|';
