import { createHash } from 'crypto';
import { CustomResource, Duration, Fn, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { registeredPackage } from './custom-package-registry';
import { templateEngineVersion } from './domain-engine-version';
import {
  ATTRIBUTE_SEPARATOR,
  DOMAIN_PACKAGES_RESOURCE_TYPE,
  DomainPackageEntry,
  DomainPackagesProperties,
  ENTRY_ATTRIBUTES,
  EntryAttribute,
} from './domain-packages-properties';
import { OpenSearchPackagesProvider } from './opensearch-packages-provider';
import { PACKAGE_ASSOCIATION_RESOURCE_TYPE, PackageAssociationProperties } from './package-association-properties';

/** One association, as the domain's set records it. */
export interface DomainPackageMember {
  /** The package's ID; or, for a package AWS provides, `awsPackageName`. */
  readonly packageId?: string;
  readonly awsPackageName?: string;
  readonly prerequisitePackageIds?: string[];
  readonly keyStoreAccessRole?: iam.IRole;
  readonly packageVersion?: string;
  readonly removalPolicy: RemovalPolicy;
  readonly adoptExisting: boolean;
  /** The handler's wait, in seconds. */
  readonly waitSeconds: number;
  /** The custom resource's ServiceTimeout, in seconds. */
  readonly serviceTimeoutSeconds: number;
}

/** The attributes of one member, resolved at deploy time from the domain's resource. */
export type MemberAttributes = Record<EntryAttribute, string>;

/** How a value is known at synth time: itself, or the CloudFormation expression that yields it. */
function identity(stack: Stack, value: string): string {
  return Token.isUnresolved(value) ? JSON.stringify(stack.resolve(value)) : value;
}

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * Everything one stack associates with one domain: a custom resource that
 * holds the set of packages and applies the difference between the old and
 * the new set as one operation per domain, one association resource per
 * package (the stack's record that it owns the association), and the IAM
 * policy that lets the handler act on the domain, which lives exactly as
 * long as the domain's associations do.
 *
 * It is keyed by the domain's name (or the expression that yields it), and
 * each package by its ID (or expression), so renaming or moving an
 * association's construct changes nothing on the domain.
 */
export class DomainPackages extends Construct {
  /** The stack's set for the domain, created on first use. */
  public static of(scope: Construct, domain: opensearch.IDomain): DomainPackages {
    const stack = Stack.of(scope);
    const key = identity(stack, domain.domainName);
    const id = `OpenSearchPackages${Token.isUnresolved(domain.domainName) ? digest(key, 12) : key}`;
    return stack.node.tryFindChild(id) as DomainPackages | undefined ?? new DomainPackages(stack, id, domain);
  }

  /** The resource that applies the set; dependents of an association wait for it. */
  public readonly resource: CustomResource;
  private readonly members = new Map<string, { readonly member: DomainPackageMember; readonly entry: DomainPackageEntry }>();
  private readonly permissions: iam.Policy;
  private readonly provider: OpenSearchPackagesProvider;

  private constructor(scope: Construct, id: string, private readonly domain: opensearch.IDomain) {
    super(scope, id);
    this.provider = OpenSearchPackagesProvider.getOrCreate(this);
    // The domain actions live in a policy of their own: when the domain's last association leaves the stack,
    // CloudFormation deletes the policy after the resources that need it, not before (aws-cdk issue 9840).
    this.permissions = new iam.Policy(this, 'Permissions', {
      roles: [this.provider.handlerRole],
      statements: [new iam.PolicyStatement({
        actions: [
          'es:AssociatePackage', 'es:AssociatePackages', 'es:DissociatePackage', 'es:DissociatePackages',
          'es:ListPackagesForDomain', 'es:DescribeDomain',
        ],
        resources: [domain.domainArn],
      })],
    });
    const members = () => [...this.members.values()];
    const properties: DomainPackagesProperties = {
      DomainName: domain.domainName,
      DomainArn: domain.domainArn,
      Packages: Lazy.any({ produce: () => members().map(({ entry }) => entry) }) as unknown as DomainPackageEntry[],
      WaitSeconds: Lazy.string({ produce: () => String(Math.max(...members().map(({ member }) => member.waitSeconds))) }),
      EngineVersion: templateEngineVersion(domain),
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: DOMAIN_PACKAGES_RESOURCE_TYPE,
      properties: { ...properties },
      // The longest of the associations' ServiceTimeouts, known once every association is added.
      serviceTimeout: Duration.seconds(Lazy.number({ produce: () => Math.max(...members().map(({ member }) => member.serviceTimeoutSeconds)) })),
    });
    this.resource.node.addDependency(this.permissions);
  }

  /**
   * Adds a package to the set, with the resource that records the stack's
   * ownership of the association. Returns the package's attributes.
   */
  public add(member: DomainPackageMember): MemberAttributes {
    const stack = Stack.of(this);
    const packageRef = member.packageId ?? `aws:${member.awsPackageName}`;
    const packageKey = identity(stack, packageRef);
    if (this.members.has(packageKey)) {
      throw new Error(`DomainPackageAssociation: package ${packageKey} is associated with domain ${identity(stack, this.domain.domainName)} twice in stack ${stack.stackName}: associate each package with a domain once.`);
    }
    const dataKey = `P${digest(packageKey, 16)}`;
    member.keyStoreAccessRole?.grantPassRole(this.provider.handlerRole);

    const ownership: PackageAssociationProperties = {
      DomainName: this.domain.domainName,
      DomainArn: this.domain.domainArn,
      PackageID: member.packageId,
      AwsPackageName: member.awsPackageName,
      AdoptExisting: member.adoptExisting ? 'true' : undefined,
      WaitSeconds: String(member.waitSeconds),
    };
    const association = new CustomResource(this, this.recordId(member, packageRef, packageKey), {
      serviceToken: this.provider.serviceToken,
      resourceType: PACKAGE_ASSOCIATION_RESOURCE_TYPE,
      properties: { ...ownership },
      serviceTimeout: Duration.seconds(member.serviceTimeoutSeconds),
      removalPolicy: member.removalPolicy,
    });
    association.node.addDependency(this.permissions);
    this.resource.node.addDependency(association);
    this.members.set(packageKey, { member, entry: entryOf(member, dataKey, association.ref) });

    const parts = Fn.split(ATTRIBUTE_SEPARATOR, this.resource.getAttString(dataKey), ENTRY_ATTRIBUTES.length);
    return Object.fromEntries(ENTRY_ATTRIBUTES.map((name, i) => [name, parts[i]])) as MemberAttributes;
  }

  /**
   * The construct ID of the association's ownership record. For a
   * CustomPackage of the app it follows the package's name, which a plugin
   * keeps from one engine version to the next: moving the association to the
   * new version's package updates the record rather than creating one, so
   * the association an engine upgrade moved there is still the stack's.
   * Otherwise it follows the package's ID (or AWS name).
   */
  private recordId(member: DomainPackageMember, packageRef: string, packageKey: string): string {
    const stack = Stack.of(this);
    const pkg = member.packageId === undefined ? undefined : registeredPackage(member.packageId);
    if (!pkg) return `Association${Token.isUnresolved(packageRef) || member.awsPackageName ? digest(packageKey, 12) : packageKey}`;
    const id = `Association${digest(`name:${identity(stack, pkg.packageName)}`, 12)}`;
    const other = this.node.tryFindChild(id);
    if (other) {
      throw new Error(`DomainPackageAssociation: two packages named ${identity(stack, pkg.packageName)} (${pkg.construct.node.path} and another) are associated with domain `
        + `${identity(stack, this.domain.domainName)}: a domain holds one package of a name, so associate only the one built for the domain's engine version.`);
    }
    return id;
  }
}

function entryOf(member: DomainPackageMember, key: string, record: string): DomainPackageEntry {
  return {
    Key: key,
    PackageID: member.packageId,
    AwsPackageName: member.awsPackageName,
    PrerequisitePackageIDList: member.prerequisitePackageIds?.length ? member.prerequisitePackageIds : undefined,
    KeyAccessRoleArn: member.keyStoreAccessRole?.roleArn,
    PackageVersion: member.packageVersion,
    Retain: member.removalPolicy === RemovalPolicy.DESTROY ? undefined : 'true',
    OwnershipRecord: record,
  };
}
