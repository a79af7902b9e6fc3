import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CustomPackageProperties } from '../../lib/custom-package-properties';
import { DomainGroupProperties, DomainPackageEntry, DomainPackagesProperties } from '../../lib/domain-packages-properties';
import { PackageAssociationProperties } from '../../lib/package-association-properties';

/** A presigned-looking URL: tests check that it never reaches a log line. */
export const RESPONSE_URL = 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/arn%3Aaws?X-Amz-Signature=secret-signature';

/** The stack's Region: its domains and packages are in the simulator's Region, us-east-1, unless a test says otherwise. */
export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Test/guid';

export const DOMAIN_ARN = 'arn:aws:es:us-east-1:123456789012:domain/search';

/** The physical ID of an ownership record that says the stack made the association of the package with the domain `search`. */
export function ownedRecord(packageId: string): string {
  return `123456789012/us-east-1/search/id:${packageId}`;
}

/** One package of the domain's set, keyed by its ID, whose association the stack made (unless overridden). */
export function entry(packageId: string, overrides: Partial<DomainPackageEntry> = {}): DomainPackageEntry {
  return { Key: `K${packageId.replace(/-/g, '')}`, PackageID: packageId, OwnershipRecord: ownedRecord(packageId), ...overrides };
}

/** One domain's group of the stack's set. */
export function domainGroup(packages: DomainPackageEntry[], overrides: Partial<DomainGroupProperties> = {}): DomainGroupProperties {
  return { Key: 'search-domain', DomainName: 'search', DomainArn: DOMAIN_ARN, Packages: packages, WaitSeconds: '600', ...overrides };
}

/** The stack's set, with one domain (`search`) unless groups are given. */
export function domainPackagesProperties(packages: DomainPackageEntry[], overrides: Partial<DomainGroupProperties> = {},
  ...others: DomainGroupProperties[]): DomainPackagesProperties {
  return { Domains: [domainGroup(packages, overrides), ...others] };
}

export function associationProperties(overrides: Partial<PackageAssociationProperties> = {}): PackageAssociationProperties {
  return { DomainName: 'search', DomainArn: DOMAIN_ARN, PackageID: 'F111111111', WaitSeconds: '600', ...overrides };
}

export function packageProperties(overrides: Partial<CustomPackageProperties> = {}): CustomPackageProperties {
  return {
    PackageName: 'product-synonyms',
    PackageType: 'TXT-DICTIONARY',
    S3BucketName: 'dictionaries',
    S3Key: 'synonyms-1.txt',
    WaitSeconds: '600',
    ...overrides,
  };
}

type Properties = object;

/** Events as CloudFormation sends them to one resource type (properties are strings). */
function eventsFor<P extends Properties>(resourceType: string, logicalId: string) {
  const common = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
    ResponseURL: RESPONSE_URL,
    StackId: STACK_ID,
    RequestId: 'request-1',
    LogicalResourceId: logicalId,
    ResourceType: resourceType,
  };
  const withToken = (props: P) => ({ ...props, ServiceToken: common.ServiceToken });
  return {
    create: (props: P): CloudFormationCustomResourceEvent => ({ ...common, RequestType: 'Create', ResourceProperties: withToken(props) }),
    update: (physicalId: string, props: P, oldProps: P): CloudFormationCustomResourceEvent => ({
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: physicalId,
      ResourceProperties: withToken(props),
      OldResourceProperties: withToken(oldProps),
    }),
    delete: (physicalId: string, props: P): CloudFormationCustomResourceEvent => ({
      ...common, RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: withToken(props),
    }),
  };
}

export const domainEvents = eventsFor<DomainPackagesProperties>('Custom::OpenSearchDomainPackages', 'SearchPackages');
export const associationEvents = eventsFor<PackageAssociationProperties>('Custom::OpenSearchPackageAssociation', 'SynonymsAssociation');
export const packageEvents = eventsFor<CustomPackageProperties>('Custom::OpenSearchPackage', 'Synonyms');
