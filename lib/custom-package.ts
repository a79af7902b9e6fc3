import { CustomResource, Duration, Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct, IConstruct } from 'constructs';
import { CUSTOM_PACKAGE_RESOURCE_TYPE, CustomPackageProperties, PackageAttribute } from './custom-package-properties';
import { registerCustomPackage } from './custom-package-registry';
import { checkRemovalPolicy, waitTimeout } from './custom-resource-options';
import { DomainPackageAssociation, DomainPackageAssociationOptions } from './domain-package-association';
import { OpenSearchPackagesProvider } from './opensearch-packages-provider';
import { PackageSource } from './package-source';
import { PackageType } from './package-type';
import { checkDescription, checkEngineVersion, checkPackageId, checkPackageName } from './validation';

/**
 * An OpenSearch Service package, created by this app or imported.
 */
export interface ICustomPackage extends IConstruct {
  /**
   * The package's ID, e.g. `F123456789`.
   *
   * @attribute
   */
  readonly packageId: string;

  /**
   * Associates the package with a domain. For a package this app manages,
   * the association applies each new version of the package to the domain.
   */
  associateWith(domain: opensearch.IDomain, options?: DomainPackageAssociationOptions): DomainPackageAssociation;
}

/**
 * Properties of a CustomPackage.
 */
export interface CustomPackageProps {
  /**
   * The package's name: 3 to 256 characters, lowercase letters, digits and
   * hyphens, starting with a letter. Changing it replaces the package.
   */
  readonly packageName: string;

  /**
   * The package's content. When it changes (a new asset hash, key or object
   * version), the package is updated in place: it keeps its ID and gets a new
   * version.
   */
  readonly source: PackageSource;

  /**
   * The package's type.
   *
   * @default PackageType.TXT_DICTIONARY
   */
  readonly packageType?: PackageType;

  /**
   * A description of the package, at most 1024 characters.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The engine version a plugin is built for. Required for ZIP_PLUGIN
   * packages, and accepted for no other type.
   *
   * @default - none; required when packageType is ZIP_PLUGIN
   */
  readonly engineVersion?: opensearch.EngineVersion;

  /**
   * How long to wait for the service to copy and validate (or delete) the package.
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;

  /**
   * What happens to the package when the resource is removed from the stack
   * or the stack is deleted.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The association `associateWith` creates, a child of the package named after the domain. */
function associate(pkg: Construct, packageId: string, packageVersion: string | undefined,
  domain: opensearch.IDomain, options: DomainPackageAssociationOptions): DomainPackageAssociation {
  return new DomainPackageAssociation(pkg, `AssociationWith${Names.nodeUniqueId(domain.node)}`, {
    ...options, domain, packageId, packageVersion,
  });
}

/**
 * An OpenSearch Service package created from a file in your repository or an
 * object in S3. The deployment waits until the service has copied and
 * validated it (status AVAILABLE) and fails with the service's error details
 * otherwise. A changed source updates the package in place, and associations
 * made with `associateWith` then apply the new version to their domains in
 * the same deployment.
 *
 * @resource Custom::OpenSearchPackage
 */
export class CustomPackage extends Construct implements ICustomPackage {
  /**
   * Imports an existing package, such as one created in the console or a
   * package AWS provides (`G…`). An imported package is never updated or deleted.
   */
  public static fromPackageId(scope: Construct, id: string, packageId: string): ICustomPackage {
    if (!Token.isUnresolved(packageId)) {
      const problem = checkPackageId('packageId', packageId);
      if (problem) throw new Error(`CustomPackage.fromPackageId: ${problem}`);
    }
    class Imported extends Construct implements ICustomPackage {
      public readonly packageId = packageId;
      public associateWith(domain: opensearch.IDomain, options: DomainPackageAssociationOptions = {}): DomainPackageAssociation {
        return associate(this, packageId, undefined, domain, options);
      }
    }
    return new Imported(scope, id);
  }

  /** @attribute */
  public readonly packageId: string;

  /**
   * The package's latest available version, e.g. `v2`.
   *
   * @attribute
   */
  public readonly packageVersion: string;

  /**
   * Where index settings find a dictionary package, e.g. `analyzers/F123456789`
   * (empty for other package types).
   *
   * @attribute
   */
  public readonly referencePath: string;

  /** The package's name. */
  public readonly packageName: string;

  public constructor(scope: Construct, id: string, props: CustomPackageProps) {
    super(scope, id);
    const packageType = props.packageType ?? PackageType.TXT_DICTIONARY;
    validate(props, packageType);
    const { waitSeconds, serviceTimeout } = waitTimeout('CustomPackage', props.timeout);

    const source = props.source.bind(this);
    const provider = OpenSearchPackagesProvider.getOrCreate(this);
    const permission = provider.grantPackageSource(source);

    const properties: CustomPackageProperties = {
      PackageName: props.packageName,
      PackageType: packageType.value,
      S3BucketName: source.bucket.bucketName,
      S3Key: source.key,
      S3ObjectVersion: source.objectVersion,
      PackageDescription: props.description,
      EngineVersion: props.engineVersion?.version,
      WaitSeconds: String(waitSeconds),
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CUSTOM_PACKAGE_RESOURCE_TYPE,
      properties: { ...properties },
      serviceTimeout,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    resource.node.addDependency(permission);

    const attribute = (name: PackageAttribute) => resource.getAttString(name);
    this.packageId = attribute('PackageID');
    registerCustomPackage(this.packageId, props.packageName, this.node.path, props.removalPolicy ?? RemovalPolicy.DESTROY);
    this.packageVersion = attribute('AvailablePackageVersion');
    this.referencePath = attribute('ReferencePath');
    this.packageName = props.packageName;
  }

  /**
   * Associates the package with a domain. The association is updated, and the
   * new version applied to the domain, whenever the package gets a new version.
   */
  public associateWith(domain: opensearch.IDomain, options: DomainPackageAssociationOptions = {}): DomainPackageAssociation {
    return associate(this, this.packageId, this.packageVersion, domain, options);
  }
}

function validate(props: CustomPackageProps, packageType: PackageType): void {
  const fail = (message: string | undefined) => {
    if (message) throw new Error(`CustomPackage: ${message}`);
  };
  if (!Token.isUnresolved(props.packageName)) fail(checkPackageName('packageName', props.packageName));
  if (props.description !== undefined && !Token.isUnresolved(props.description)) fail(checkDescription('description', props.description));
  const engineVersion = props.engineVersion?.version;
  if (engineVersion !== undefined && !Token.isUnresolved(engineVersion)) fail(checkEngineVersion('engineVersion', engineVersion));
  const plugin = packageType.value === PackageType.ZIP_PLUGIN.value;
  if (plugin && engineVersion === undefined) fail('engineVersion is required when packageType is ZIP-PLUGIN: a plugin is built for one engine version.');
  if (!plugin && engineVersion !== undefined) fail(`engineVersion applies only to ZIP-PLUGIN packages, not to ${packageType.value}.`);
  checkRemovalPolicy('CustomPackage', props.removalPolicy);
}
