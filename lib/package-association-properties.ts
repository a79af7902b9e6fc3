/**
 * The contract between the DomainPackageAssociation construct, which writes
 * these properties into the template, and the handler, which reads them back.
 * Sharing one type lets the compiler check both sides.
 */

/** The custom resource type, as it appears in templates. */
export const PACKAGE_ASSOCIATION_RESOURCE_TYPE = 'Custom::OpenSearchPackageAssociation';

/** Resource properties. CloudFormation delivers every scalar as a string. */
export interface PackageAssociationProperties {
  readonly DomainName: string;
  readonly PackageID: string;
  readonly PrerequisitePackageIDList?: string[];
  /** Set when the association grants the package access to a key store through this role. */
  readonly KeyAccessRoleArn?: string;
  /** An opaque label: a change re-associates the package in place. */
  readonly PackageVersion?: string;
  /** How long the handler waits for the service before it fails the operation. */
  readonly WaitSeconds: string;
}

/** The attributes the handler returns; every key is always present (CloudFormation fails a GetAtt on a missing key). */
export const ASSOCIATION_ATTRIBUTES = [
  'ReferencePath',
  'PackageVersion',
  'PackageName',
  'PackageType',
  'DomainPackageStatus',
] as const;

export type AssociationAttribute = typeof ASSOCIATION_ATTRIBUTES[number];
