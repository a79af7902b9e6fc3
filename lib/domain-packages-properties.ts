/**
 * The contract between the constructs, which write one resource per stack
 * holding every package the stack associates with any domain, and the
 * handler, which applies the difference between the old and the new set as
 * one operation per domain.
 */

/** The custom resource type, as it appears in templates. */
export const DOMAIN_PACKAGES_RESOURCE_TYPE = 'Custom::OpenSearchDomainPackages';

/** One package the stack associates with a domain. */
export interface DomainPackageEntry {
  /** Names the entry's attribute in the resource's Data: stable for the same package on the same domain, whatever the construct is called. */
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
   * The physical ID of the association's ownership record: whether the
   * stack made the association (and may take it off the domain) or adopted
   * it (and never does).
   */
  readonly OwnershipRecord?: string;
}

/** The packages the stack associates with one domain. */
export interface DomainGroupProperties {
  /**
   * The domain as the template names it (a digest of its ARN or the
   * expression that yields it). The same key resolving to another domain
   * means the domain behind the construct was replaced; another key
   * resolving to the same domain is the same domain, named another way.
   */
  readonly Key: string;
  readonly DomainName: string;
  /** The domain's ARN: with its name, its Region and account are its identity. */
  readonly DomainArn: string;
  /**
   * The engine version the template gives the domain, when the domain is
   * defined in the app: an engine upgrade then updates this resource, which
   * resolves packages named by name again and refreshes their attributes.
   */
  readonly EngineVersion?: string;
  /** How long the handler waits for the service before it fails the domain's operation (the longest of its associations' timeouts). */
  readonly WaitSeconds: string;
  readonly Packages: DomainPackageEntry[];
}

/** Resource properties. CloudFormation delivers every scalar as a string. */
export interface DomainPackagesProperties {
  readonly Domains: DomainGroupProperties[];
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
