/**
 * The contract between the DomainPackageAssociation construct and the
 * handler for the association's own resource: the record that this stack
 * owns the association. Sharing one type lets the compiler check both sides.
 *
 * CloudFormation creates this resource only when the association is new to
 * the stack (never on a rollback) and deletes it only when the association
 * leaves the stack (or its creation is undone), so its Create is where the
 * handler refuses a package another stack or a person already associated,
 * and its Delete, governed by the association's removal policy, is where a
 * creation that CloudFormation undoes is taken off the domain.
 *
 * Its physical ID is `<region>/<domain>/<package ID or aws:name>`, followed
 * by {@link ADOPTED_MARK} when the Create found the package on the domain
 * and adopted it (AdoptExisting): the stack never takes an adopted
 * association off the domain, since it did not make it, and CloudFormation
 * hands this ID to the domain's resource, which keeps the entry like one
 * with a retaining removal policy.
 */

/** The custom resource type, as it appears in templates. */
export const PACKAGE_ASSOCIATION_RESOURCE_TYPE = 'Custom::OpenSearchPackageAssociation';

/** Resource properties. CloudFormation delivers every scalar as a string. */
export interface PackageAssociationProperties {
  readonly DomainName: string;
  /** The domain's ARN: its Region and account. */
  readonly DomainArn: string;
  /** The package's ID; absent when the association names a package AWS provides instead. */
  readonly PackageID?: string;
  /** The name of a package AWS provides, resolved at deploy time for the domain's engine version. */
  readonly AwsPackageName?: string;
  /** `'true'` when the stack may adopt an association that already exists. */
  readonly AdoptExisting?: string;
  /** How long the handler waits for the service before it fails the operation. */
  readonly WaitSeconds: string;
}

/** Ends the physical ID of an association the stack adopted rather than made. */
export const ADOPTED_MARK = ' (adopted)';

/** Whether an association record's physical ID says that the stack adopted the association of this package. */
export function isAdoptedRecord(physicalId: unknown, packageRef: string): boolean {
  return typeof physicalId === 'string' && physicalId.endsWith(`/${packageRef}${ADOPTED_MARK}`);
}
