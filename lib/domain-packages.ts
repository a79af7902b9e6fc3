import { createHash } from 'crypto';
import { CustomResource, Fn, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { domainLabel } from './construct-names';
import { registeredPackage } from './custom-package-registry';
import { SERVICE_TIMEOUT } from './custom-resource-options';
import { templateEngineVersion } from './domain-engine-version';
import {
  ATTRIBUTE_SEPARATOR,
  DOMAIN_PACKAGES_RESOURCE_TYPE,
  DomainGroupProperties,
  DomainPackageEntry,
  DomainPackagesProperties,
  ENTRY_ATTRIBUTES,
  EntryAttribute,
} from './domain-packages-properties';
import { OpenSearchPackagesProvider } from './opensearch-packages-provider';
import { PACKAGE_ASSOCIATION_RESOURCE_TYPE, PackageAssociationProperties } from './package-association-properties';

/** One association, as the stack's set records it. */
export interface DomainPackageMember {
  /** The package's ID; or, for a package AWS provides, `awsPackageName`. */
  readonly packageId?: string;
  readonly awsPackageName?: string;
  readonly prerequisitePackageIds?: string[];
  readonly keyStoreAccessRole?: iam.IRole;
  /** A label whose change applies the package's latest available version (the `versionLabel` prop). */
  readonly versionLabel?: string;
  readonly removalPolicy: RemovalPolicy;
  readonly adoptExisting: boolean;
  /** The handler's wait, in seconds. */
  readonly waitSeconds: number;
}

/** The attributes of one member, resolved at deploy time from the stack's resource. */
export type MemberAttributes = Record<EntryAttribute, string>;

/** How a value is known at synth time: itself, or the CloudFormation expression that yields it. */
function spelling(stack: Stack, value: string): string {
  return Token.isUnresolved(value) ? JSON.stringify(stack.resolve(value)) : value;
}

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** The packages the stack associates with one domain, and the policy that lets the handler act on it. */
interface DomainGroup {
  readonly domain: opensearch.IDomain;
  /** The domain as the template names it. */
  readonly key: string;
  readonly members: Map<string, { readonly member: DomainPackageMember; readonly entry: DomainPackageEntry }>;
  /** The CustomPackages of the app associated with the domain, by the ID of their ownership record. */
  readonly customPackages: Map<string, Construct>;
}

/**
 * The ownership record of an association is never deleted in a cleanup or a
 * stack deletion (the stack's resource takes associations off their domains
 * there, knowing every package the stack still declares, however named);
 * CloudFormation deletes it only when the operation that created it rolls
 * back, where it undoes that creation, unless the removal policy retains even that.
 */
function recordRemovalPolicy(removalPolicy: RemovalPolicy): RemovalPolicy {
  return removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
}

/**
 * Everything one stack associates with OpenSearch domains: one custom
 * resource that holds every package the stack associates with any domain
 * and applies the difference between the old and the new set as one
 * operation per domain, one ownership record per association (the stack's
 * record of whether it made the association or adopted it), and one IAM
 * policy per domain, which lives exactly as long as the domain's associations do.
 *
 * One resource per stack, rather than per domain, because a domain named one
 * way in one version of the template and another way in the next (a
 * parameter, an import, a literal ARN) is one domain: the handler groups the
 * packages by the domain the names resolve to at deploy time, so a change of
 * name changes nothing on the service.
 */
export class DomainPackages extends Construct {
  /** The stack's set, created on first use. */
  public static of(scope: Construct): DomainPackages {
    const stack = Stack.of(scope);
    const id = 'OpenSearchDomainPackages';
    return stack.node.tryFindChild(id) as DomainPackages | undefined ?? new DomainPackages(stack, id);
  }

  /** The resource that applies the set; dependents of an association wait for it. */
  public readonly resource: CustomResource;
  private readonly groups = new Map<string, DomainGroup>();
  private readonly provider: OpenSearchPackagesProvider;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.provider = OpenSearchPackagesProvider.getOrCreate(this);
    const properties: DomainPackagesProperties = {
      Domains: Lazy.any({ produce: () => [...this.groups.values()].map(groupProperties) }) as unknown as DomainGroupProperties[],
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: DOMAIN_PACKAGES_RESOURCE_TYPE,
      properties: { ...properties },
      serviceTimeout: SERVICE_TIMEOUT,
    });
  }

  /**
   * Adds a package on a domain to the set, with the resource that records
   * the stack's ownership of the association. Returns the package's attributes.
   */
  public add(domain: opensearch.IDomain, member: DomainPackageMember): MemberAttributes {
    const stack = Stack.of(this);
    const group = this.groupOf(domain);
    // The same package twice on one domain is refused before this (association-checks.ts).
    const packageKey = spelling(stack, member.packageId ?? `aws:${member.awsPackageName}`);
    const dataKey = `P${digest(`${group.key}|${packageKey}`, 16)}`;
    member.keyStoreAccessRole?.grantPassRole(this.provider.handlerRole);

    const ownership: PackageAssociationProperties = {
      DomainName: domain.domainName,
      DomainArn: domain.domainArn,
      PackageID: member.packageId,
      AwsPackageName: member.awsPackageName,
      AdoptExisting: member.adoptExisting ? 'true' : undefined,
      WaitSeconds: String(member.waitSeconds),
    };
    const record = new CustomResource(this, this.recordId(group, member, packageKey), {
      serviceToken: this.provider.serviceToken,
      resourceType: PACKAGE_ASSOCIATION_RESOURCE_TYPE,
      properties: { ...ownership },
      serviceTimeout: SERVICE_TIMEOUT,
      removalPolicy: recordRemovalPolicy(member.removalPolicy),
    });
    record.node.addDependency(this.permissionsOf(group));
    this.resource.node.addDependency(record);
    group.members.set(packageKey, { member, entry: entryOf(member, dataKey, record.ref) });

    const parts = Fn.split(ATTRIBUTE_SEPARATOR, this.resource.getAttString(dataKey), ENTRY_ATTRIBUTES.length);
    return Object.fromEntries(ENTRY_ATTRIBUTES.map((name, i) => [name, parts[i]])) as MemberAttributes;
  }

  private groupOf(domain: opensearch.IDomain): DomainGroup {
    const key = spelling(Stack.of(this), domain.domainArn);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { domain, key, members: new Map(), customPackages: new Map() }));
    return group;
  }

  /**
   * The domain's IAM policy. The domain actions live in a policy per domain:
   * when the domain's last association leaves the stack, CloudFormation
   * deletes the policy after the resources that need it, not before (aws-cdk issue 9840).
   */
  private permissionsOf(group: DomainGroup): iam.Policy {
    const id = `Permissions${digest(group.key, 12)}`;
    const existing = this.node.tryFindChild(id) as iam.Policy | undefined;
    if (existing) return existing;
    const permissions = new iam.Policy(this, id, {
      roles: [this.provider.handlerRole],
      statements: [new iam.PolicyStatement({
        actions: [
          'es:AssociatePackage', 'es:AssociatePackages', 'es:DissociatePackage', 'es:DissociatePackages',
          'es:ListPackagesForDomain', 'es:DescribeDomain',
        ],
        resources: [group.domain.domainArn],
      })],
    });
    this.resource.node.addDependency(permissions);
    return permissions;
  }

  /**
   * The construct ID of the association's ownership record, from the domain
   * and the package as the template names them. For a CustomPackage of the
   * app it follows the package's name, which a plugin keeps from one engine
   * version to the next: moving the association to the new version's
   * package updates the record rather than creating one. A package or domain
   * named another way gets another record, which finds the stack's existing
   * record for the same association at deploy time and continues it.
   */
  private recordId(group: DomainGroup, member: DomainPackageMember, packageKey: string): string {
    const stack = Stack.of(this);
    const pkg = member.packageId === undefined ? undefined : registeredPackage(member.packageId);
    if (!pkg) return `Association${digest(`${group.key}|${packageKey}`, 12)}`;
    const id = `Association${digest(`${group.key}|name:${spelling(stack, pkg.packageName)}`, 12)}`;
    const other = group.customPackages.get(id);
    if (other) {
      throw new Error(`DomainPackageAssociation: packages ${other.node.path} and ${pkg.construct.node.path} are both named ${spelling(stack, pkg.packageName)} `
        + `and associated with domain ${domainLabel(group.domain)}: a domain holds one package of a name, so associate only the one built for the domain's engine version.`);
    }
    group.customPackages.set(id, pkg.construct);
    return id;
  }
}

function groupProperties(group: DomainGroup): DomainGroupProperties {
  const members = [...group.members.values()];
  return {
    Key: digest(group.key, 16),
    DomainName: group.domain.domainName,
    DomainArn: group.domain.domainArn,
    EngineVersion: templateEngineVersion(group.domain),
    WaitSeconds: String(Math.max(...members.map(({ member }) => member.waitSeconds))),
    Packages: members.map(({ entry }) => entry),
  };
}

function entryOf(member: DomainPackageMember, key: string, record: string): DomainPackageEntry {
  return {
    Key: key,
    PackageID: member.packageId,
    AwsPackageName: member.awsPackageName,
    PrerequisitePackageIDList: member.prerequisitePackageIds?.length ? member.prerequisitePackageIds : undefined,
    KeyAccessRoleArn: member.keyStoreAccessRole?.roleArn,
    PackageVersion: member.versionLabel,
    Retain: member.removalPolicy === RemovalPolicy.DESTROY ? undefined : 'true',
    OwnershipRecord: record,
  };
}
