/**
 * The contract between the DomainPackageAssociation construct and the
 * handler for the association's own resource: the stack's record of whether
 * it made the association (and may take it off the domain) or adopted it
 * (and never does). Sharing one type lets the compiler check both sides.
 *
 * CloudFormation creates this resource only when the association is new to
 * the stack (never on a rollback), so its Create is where the handler
 * refuses a package another stack or a person already associated, unless
 * the stack already holds the same association under another name. It is
 * deleted only when the operation that created it rolls back (its removal
 * policy is RETAIN_ON_UPDATE_OR_DELETE, or RETAIN), where it undoes that
 * creation; every other removal is made by the stack's domain-packages
 * resource, which knows everything the stack still declares. The physical ID
 * format is the handler's (lambda/ownership-record.ts).
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
