import { Annotations, CustomResource, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct, IConstruct } from 'constructs';
import { domainLabel } from './construct-names';
import { CUSTOM_PACKAGE_RESOURCE_TYPE, CustomPackageProperties, PackageAttribute, PackageConfigurationProperties } from './custom-package-properties';
import { registerCustomPackage } from './custom-package-registry';
import { pluginEngineProblem } from './custom-plugin-prerequisites';
import { checkRemovalPolicy, SERVICE_TIMEOUT, waitSeconds as waitSecondsOf } from './custom-resource-options';
import { templateEngineVersion } from './domain-engine-version';
import { DomainPackageAssociation, DomainPackageAssociationOptions } from './domain-package-association';
import { OpenSearchPackagesProvider } from './opensearch-packages-provider';
import { checkPackageContent } from './package-content';
import { PackageSource } from './package-source';
import { PackageType } from './package-type';
import { PluginConfiguration } from './plugin-configuration';
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
   *
   * A file or folder of `PackageSource.fromAsset` is read at synth time and
   * checked against `packageType`: a dictionary must be a UTF-8 text file
   * (a warning above 100 MiB), a license the file itself (not a ZIP archive
   * or a folder; for a configuration that is a warning), and a plugin a ZIP
   * file, or a folder, with `plugin-descriptor.properties` at its root naming
   * the OpenSearch version of `engineVersion`, at most 1 GB uncompressed.
   * An object in S3 is checked by the service at deploy time.
   */
  readonly source: PackageSource;

  /**
   * The package's type.
   *
   * @default PackageType.TXT_DICTIONARY
   */
  readonly packageType?: PackageType;

  /**
   * A description of the package, at most 800 characters. The package's
   * description in the service ends with a line that names the stack and
   * resource that created it (the service keeps no owner of its own): the
   * library checks it before it calls a package its own.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The engine version a plugin is built for. Required for ZIP_PLUGIN
   * packages, and accepted for no other type. For a plugin of a `Domain` of
   * the same stack, take it from the domain with
   * `CustomPackage.engineVersionOf(domain)`: an engine upgrade of the domain
   * then creates the plugin's package for the new version (under the same
   * name, as the service requires) before CloudFormation upgrades the
   * domain, and deletes the old one afterwards, in one deployment. The
   * service installs custom plugins only on OpenSearch 2.15 or later, and
   * only on domains with node-to-node encryption, encryption at rest and
   * enforced HTTPS: an association with a `Domain` of the app that lacks
   * one of them fails the synth.
   *
   * @default - none; required when packageType is ZIP_PLUGIN
   */
  readonly engineVersion?: opensearch.EngineVersion;

  /**
   * What a plugin needs besides itself (the service's PackageConfiguration):
   * whether it takes a license package and a configuration package. Only for
   * ZIP_PLUGIN packages. Attach the license and configuration packages with
   * the `licensePackage` and `configPackage` options of `associateWith`; a
   * REQUIRED license or configuration that no association provides on a
   * domain fails the synth.
   *
   * @default - none is sent
   */
  readonly pluginConfiguration?: PluginConfiguration;

  /**
   * A customer managed KMS key to encrypt a plugin with, on top of the
   * AWS owned encryption every plugin has. Only for ZIP_PLUGIN packages.
   * For a key of this app, the construct adds to the key's policy what the
   * service (`custom-packages.<region>.amazonaws.com`) needs; for an imported
   * key, add it yourself (a synth warning lists it). Disabling or deleting
   * the key, or taking those statements away, can make every domain that
   * uses the plugin inoperable.
   *
   * @default - the AWS owned key only
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long a deployment waits for the service to copy and validate the
   * package (from 1 second to 1 hour). Deleting it, and waiting out a
   * processing another deployment left in flight, have a budget of their own:
   * up to two minutes before CloudFormation's one-hour ceiling.
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
function associate(pkg: Construct, packageId: string, versionLabel: string | undefined,
  domain: opensearch.IDomain, options: DomainPackageAssociationOptions): DomainPackageAssociation {
  const id = `AssociationWith${Names.nodeUniqueId(domain.node)}`;
  const existing = pkg.node.tryFindChild(id);
  if (existing) {
    throw new Error(`CustomPackage ${pkg.node.path}: associateWith was called twice for domain ${domainLabel(domain)}: a package is associated with a domain once. `
      + `Keep the DomainPackageAssociation the first call returned (${existing.node.path}), and give all its options in that call.`);
  }
  return new DomainPackageAssociation(pkg, id, { ...options, domain, packageId, versionLabel });
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
   * The engine version a `Domain` of this app is given, for the
   * `engineVersion` of a plugin that follows the domain through engine
   * upgrades. Throws for an imported domain, whose version is not known at
   * synth time: give the plugin's `engineVersion` explicitly then.
   */
  public static engineVersionOf(domain: opensearch.IDomain): opensearch.EngineVersion {
    const version = templateEngineVersion(domain);
    if (version === undefined) {
      throw new Error(`CustomPackage.engineVersionOf: domain ${domainLabel(domain)} has no engine version known at synth time (an imported domain, or a token). `
        + 'Give the plugin\'s engineVersion explicitly; when that domain is upgraded elsewhere, follow the two-step procedure in the README ("Plugins through engine upgrades").');
    }
    const [family, number] = version.split('_');
    return family === 'Elasticsearch' ? opensearch.EngineVersion.elasticsearch(number) : opensearch.EngineVersion.openSearch(number);
  }

  /**
   * Imports an existing package, such as one created in the console or a
   * package AWS provides (`G…`). An imported package is never updated or deleted.
   */
  public static fromPackageId(scope: Construct, id: string, packageId: string): ICustomPackage {
    if (!Token.isUnresolved(packageId)) {
      const problem = checkPackageId('packageId', packageId);
      if (problem) throw new Error(`CustomPackage.fromPackageId ${scope.node.path}/${id}: ${problem}`);
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

  /**
   * The commit message of the newest entry in the package's version
   * history: which file the version came from (`From CDK asset <hash>`, or the
   * S3 location and object version). Empty for a package's first version,
   * which the service records without a message.
   *
   * @attribute
   */
  public readonly latestCommitMessage: string;

  /**
   * When the newest entry of the package's version history was made (ISO 8601).
   *
   * @attribute
   */
  public readonly latestVersionCreatedAt: string;

  /** The package's name. */
  public readonly packageName: string;

  /** The package's type. */
  public readonly packageType: PackageType;

  public constructor(scope: Construct, id: string, props: CustomPackageProps) {
    super(scope, id);
    const packageType = props.packageType ?? PackageType.TXT_DICTIONARY;
    const owner = `CustomPackage ${this.node.path}`;
    validate(owner, props, packageType);
    const waitSeconds = waitSecondsOf(owner, props.timeout);

    // Before bind, which stages (copies and hashes) an asset: a wrong file fails before a large one is copied.
    const localPath = props.source._localPath();
    if (localPath !== undefined && !Token.isUnresolved(packageType.value)) {
      checkPackageContent(this, packageType.value, localPath, props.engineVersion?.version);
    }
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
      PackageConfiguration: props.pluginConfiguration && pluginConfigurationProperties(props.pluginConfiguration),
      KmsKeyArn: props.encryptionKey?.keyArn,
      WaitSeconds: String(waitSeconds),
    };
    if (props.encryptionKey) allowPackageEncryption(this, props.encryptionKey, provider.handlerRole);
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CUSTOM_PACKAGE_RESOURCE_TYPE,
      properties: { ...properties },
      serviceTimeout: SERVICE_TIMEOUT,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    resource.node.addDependency(permission);

    const attribute = (name: PackageAttribute) => resource.getAttString(name);
    this.packageId = attribute('PackageID');
    registerCustomPackage(this.packageId, {
      construct: this,
      resource,
      packageName: props.packageName,
      packageType: packageType.value,
      engineVersion: props.engineVersion?.version,
      pluginConfiguration: props.pluginConfiguration,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.packageVersion = attribute('AvailablePackageVersion');
    this.referencePath = attribute('ReferencePath');
    this.latestCommitMessage = attribute('LatestCommitMessage');
    this.latestVersionCreatedAt = attribute('LatestVersionCreatedAt');
    this.packageName = props.packageName;
    this.packageType = packageType;
  }

  /**
   * Associates the package with a domain. The association is updated, and the
   * new version applied to the domain, whenever the package gets a new version.
   */
  public associateWith(domain: opensearch.IDomain, options: DomainPackageAssociationOptions = {}): DomainPackageAssociation {
    return associate(this, this.packageId, this.packageVersion, domain, options);
  }
}

function validate(owner: string, props: CustomPackageProps, packageType: PackageType): void {
  const fail = (message: string | undefined) => {
    if (message) throw new Error(`${owner}: ${message}`);
  };
  if (!Token.isUnresolved(props.packageName)) fail(checkPackageName('packageName', props.packageName));
  if (props.description !== undefined && !Token.isUnresolved(props.description)) fail(checkDescription('description', props.description));
  const engineVersion = props.engineVersion?.version;
  if (engineVersion !== undefined && !Token.isUnresolved(engineVersion)) fail(checkEngineVersion('engineVersion', engineVersion));
  const plugin = packageType.value === PackageType.ZIP_PLUGIN.value;
  if (plugin && engineVersion === undefined) fail('engineVersion is required when packageType is ZIP-PLUGIN: a plugin is built for one engine version.');
  if (plugin && engineVersion !== undefined && !Token.isUnresolved(engineVersion)) fail(pluginEngineProblem(engineVersion));
  if (!plugin && engineVersion !== undefined) fail(`engineVersion applies only to ZIP-PLUGIN packages, not to ${packageType.value}.`);
  if (!plugin && props.pluginConfiguration) fail(`pluginConfiguration applies only to ZIP-PLUGIN packages, not to ${packageType.value}.`);
  if (!plugin && props.encryptionKey) fail(`encryptionKey applies only to ZIP-PLUGIN packages, not to ${packageType.value}: the service encrypts plugins only.`);
  checkRemovalPolicy(owner, props.removalPolicy);
}

/**
 * What the service and the handler need to use a customer managed key: the
 * service encrypts the plugin with a data key under the package's ID as
 * encryption context, decrypts it to install it on domains, and makes grants
 * for that; the handler passes the key to CreatePackage and UpdatePackage.
 */
function allowPackageEncryption(scope: Construct, key: kms.IKey, handlerRole: iam.IRole): void {
  const service = new iam.ServicePrincipal(`custom-packages.${Stack.of(scope).region}.amazonaws.com`);
  const statements = [
    new iam.PolicyStatement({
      sid: 'OpenSearchCustomPackagesEncryption',
      principals: [service],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['packageId'] } },
    }),
    new iam.PolicyStatement({
      sid: 'OpenSearchCustomPackagesGrants',
      principals: [service],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
  const added = statements.map(statement => key.addToResourcePolicy(statement, true).statementAdded);
  if (!added.every(Boolean)) {
    Annotations.of(scope).addWarningV2('cdk-opensearch-packages:importedEncryptionKey',
      `encryptionKey ${key.node.path} is not defined in this app, so its key policy cannot be changed here. Add these statements to it, or the service cannot encrypt or install the plugin: `
      + JSON.stringify(statements.map(statement => Stack.of(scope).resolve(statement.toStatementJson()))));
  }
  key.grant(handlerRole, 'kms:DescribeKey', 'kms:CreateGrant', 'kms:GenerateDataKey*', 'kms:Decrypt');
}

/** The configuration as the custom resource's properties hold it. */
function pluginConfigurationProperties(configuration: PluginConfiguration): PackageConfigurationProperties {
  return {
    LicenseRequirement: configuration.licenseRequirement,
    LicenseFilepath: configuration.licenseFilepath,
    ConfigurationRequirement: configuration.configurationRequirement,
    RequiresRestartForConfigurationUpdate: configuration.requiresRestartForConfigurationUpdate === undefined
      ? undefined : String(configuration.requiresRestartForConfigurationUpdate),
  };
}
