import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct, Dependable } from 'constructs';
import { checkAssociation, recordAssociation } from './association-checks';
import { domainLabel } from './construct-names';
import type { ICustomPackage } from './custom-package';
import { registeredPackage, retentionConflict } from './custom-package-registry';
import { checkRemovalPolicy, waitSeconds } from './custom-resource-options';
import { templateEngineVersion } from './domain-engine-version';
import { DomainPackages } from './domain-packages';
import { engineUpgradeProcedure } from './engine-upgrade-procedure';
import { checkImportedDomainName } from './imported-domain-name';
import { checkDomainName, checkPackageId, checkPackageName } from './validation';

/**
 * Options for associating a package with a domain.
 */
export interface DomainPackageAssociationOptions {
  /**
   * IDs of packages this one depends on, such as the plugin a license or
   * configuration package belongs to. Changing the list re-associates the
   * package in place.
   *
   * @default - no prerequisites
   */
  readonly prerequisitePackageIds?: string[];

  /**
   * A role that gives the package access to a key store. When set, the
   * association enables key-store access through this role.
   *
   * @default - key-store access is not enabled
   */
  readonly keyStoreAccessRole?: iam.IRole;

  /**
   * How long a deployment waits for the service to associate the package
   * (from 1 second to 1 hour). The deployment fails with a "Timed out" reason
   * after this long. Undoing and removing have a budget of their own: a
   * rollback, a cleanup or a stack deletion, and a deployment that first
   * waits out an operation another deployment left in flight, wait up to two
   * minutes before CloudFormation's one-hour ceiling for custom resources, so
   * that they can finish even when the service is slower than `timeout`.
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;

  /**
   * What happens to the association when the resource is removed from the
   * stack or the stack is deleted. `RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE`
   * leaves the package on the domain, for dictionaries that indexes still use,
   * yet cleans up after a failed creation; `RemovalPolicy.RETAIN` keeps even
   * an association whose creation failed.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether the stack may adopt an association that already exists on the
   * domain (made in the console, by a script, or by another stack). By
   * default the deployment fails when the package is already on the domain,
   * because the stack would otherwise remove, later, an association it did
   * not make. With `true`, the stack adopts it: it applies the version,
   * prerequisites and key-store option asked for, but never takes the
   * package off the domain, since it did not put it there: not when the
   * association leaves the stack or the stack is deleted, and not when the
   * deployment that adopted it rolls back. An association the stack makes
   * itself (the package was not on the domain) is the stack's as usual.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;

  /**
   * The license package (PACKAGE-LICENSE) of a third-party plugin. It is
   * associated with the domain together with the plugin, in the same
   * AssociatePackages call, naming the plugin as its prerequisite.
   *
   * @default - no license package
   */
  readonly licensePackage?: ICustomPackage;

  /**
   * The configuration package (PACKAGE-CONFIG) of a third-party plugin. It is
   * associated with the domain together with the plugin, in the same
   * AssociatePackages call, naming the plugin as its prerequisite.
   *
   * @default - no configuration package
   */
  readonly configPackage?: ICustomPackage;
}

/**
 * Properties of a DomainPackageAssociation.
 */
export interface DomainPackageAssociationProps extends DomainPackageAssociationOptions {
  /**
   * The domain to associate the package with: a `Domain` of this app, or one
   * imported with `Domain.fromDomainAttributes({ domainArn, domainEndpoint })`,
   * whose ARN names the domain.
   *
   * Do not import it with `Domain.fromDomainEndpoint`: the name it takes from
   * the endpoint keeps the host's `search-` (or `vpc-`) prefix (aws-cdk issue
   * 13380), so the synth passes and the deployment fails with "Domain not
   * found". An imported domain named after its endpoint fails the synth; one
   * whose name starts with `search-` or `vpc-` and whose endpoint is not
   * known at synth time gets a warning.
   */
  readonly domain: opensearch.IDomain;

  /**
   * The ID of the package, such as `F123456789` for a custom dictionary,
   * `G123456789` for a package AWS provides, or `pkg-0123abcd` for a plugin.
   * Changing it replaces the association. Give this or `awsPackageName`.
   *
   * @default - none; awsPackageName is required then
   */
  readonly packageId?: string;

  /**
   * The name of a package AWS provides, such as the plugin
   * `analysis-sudachi`, instead of its ID. AWS provides one package per
   * engine version, each with its own ID: the name is resolved at deploy
   * time to the package for the engine version the domain runs, and after
   * an engine upgrade of the domain (which swaps the package for the new
   * version's) to the new one. The `packageId` attribute gives the ID.
   * Give this or `packageId`.
   *
   * @default - none; packageId is required then
   */
  readonly awsPackageName?: string;

  /**
   * A label that re-associates the package when it changes: the package is
   * associated again in place, which applies the package's latest available
   * version to the domain. Any string works, such as the `packageVersion` a
   * `CustomPackage` reports (what `associateWith` passes) or a version of
   * your own for a package managed elsewhere. It is a trigger only: the
   * version the domain runs afterwards is the `packageVersion` attribute.
   *
   * @default - the package is associated when the resource is created, and not again
   */
  readonly versionLabel?: string;
}

/**
 * Associates an OpenSearch Service package with a domain and waits until the
 * association is ACTIVE. Removing the association from the stack dissociates
 * the package and waits until it has left the domain.
 *
 * All the associations a stack declares for one domain are applied together,
 * as one operation on the domain: new and changed associations in one
 * AssociatePackages call (so a plugin, its license and its configuration
 * travel together), removed ones in one DissociatePackages call.
 */
export class DomainPackageAssociation extends Construct {
  /**
   * Where index settings find the package, e.g. `analyzers/F123456789` for
   * `synonyms_path` or `stopwords_path`.
   *
   * @attribute
   */
  public readonly referencePath: string;

  /**
   * The package version that is active on the domain.
   *
   * @attribute
   */
  public readonly packageVersion: string;

  /**
   * The package's name.
   *
   * @attribute
   */
  public readonly packageName: string;

  /**
   * The package's type, e.g. `TXT-DICTIONARY` or `ZIP-PLUGIN`.
   *
   * @attribute
   */
  public readonly packageType: string;

  /**
   * The association's status when the deployment finished: `ACTIVE`.
   *
   * @attribute
   */
  public readonly domainPackageStatus: string;

  /**
   * The associated package's ID: the `packageId` given, or the ID the
   * `awsPackageName` resolved to for the domain's engine version.
   */
  public readonly packageId: string;

  /** The name of the domain the package is associated with. */
  public readonly domainName: string;

  public constructor(scope: Construct, id: string, props: DomainPackageAssociationProps) {
    super(scope, id);
    const owner = `DomainPackageAssociation ${this.node.path}`;
    validate(owner, props);
    checkSameAccount(owner, this, props.domain);
    checkImportedDomainName(owner, this, props.domain);
    checkAssociation(owner, this, props);
    if (props.packageId !== undefined) orderPluginBeforeDomain(owner, props.domain, props.packageId);

    const domainPackages = DomainPackages.of(this);
    const attributes = domainPackages.add(props.domain, {
      packageId: props.packageId,
      awsPackageName: props.awsPackageName,
      prerequisitePackageIds: props.prerequisitePackageIds,
      keyStoreAccessRole: props.keyStoreAccessRole,
      versionLabel: props.versionLabel,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      adoptExisting: props.adoptExisting ?? false,
      waitSeconds: waitSeconds(owner, props.timeout),
    });
    // The association is applied by the domain's resource: whatever depends on this construct waits for it.
    Dependable.implement(this, { dependencyRoots: [domainPackages.resource] });
    recordAssociation(owner, this, props);

    this.referencePath = attributes.ReferencePath;
    this.packageVersion = attributes.PackageVersion;
    this.packageName = attributes.PackageName;
    this.packageType = attributes.PackageType;
    this.domainPackageStatus = attributes.DomainPackageStatus;
    this.packageId = props.packageId ?? attributes.PackageID;
    this.domainName = props.domain.domainName;

    // A plugin's license and configuration travel with it, naming it as their prerequisite.
    const companions: Array<[string, ICustomPackage | undefined]> = [['License', props.licensePackage], ['Config', props.configPackage]];
    for (const [id, companion] of companions) {
      if (!companion) continue;
      new DomainPackageAssociation(this, id, {
        domain: props.domain,
        packageId: companion.packageId,
        prerequisitePackageIds: [this.packageId],
        timeout: props.timeout,
        removalPolicy: props.removalPolicy,
        adoptExisting: props.adoptExisting,
      });
    }
  }
}

/**
 * For a plugin of this app on a Domain of this app: checks that the plugin is
 * built for the domain's engine version and lives in the domain's stack, and
 * makes the domain wait for the plugin's package, so that an engine upgrade
 * (a new engineVersion for both) creates the new version's package, under the
 * same name, before CloudFormation upgrades the domain, as the service needs.
 */
function orderPluginBeforeDomain(owner: string, domain: opensearch.IDomain, packageId: string): void {
  const pkg = registeredPackage(packageId);
  const domainVersion = templateEngineVersion(domain);
  if (!pkg || pkg.packageType !== 'ZIP-PLUGIN' || domainVersion === undefined || pkg.engineVersion === undefined) return;
  if (pkg.engineVersion !== domainVersion) {
    throw new Error(`${owner}: ${engineUpgradeProcedure(pkg.packageName, pkg.engineVersion, domain.node.path, domainVersion)}`);
  }
  if (Stack.of(pkg.construct) !== Stack.of(domain)) {
    throw new Error(`${owner}: plugin ${pkg.packageName} (${pkg.construct.node.path}) is in stack ${Stack.of(pkg.construct).stackName}, `
      + `its domain ${domainLabel(domain)} in stack ${Stack.of(domain).stackName}: an engine upgrade of the domain needs the plugin's package for the new version first, `
      + 'which CloudFormation can order only within one stack. Define the plugin in the domain\'s stack. '
      + 'For a domain managed elsewhere, import it (Domain.fromDomainAttributes) and follow the two-step procedure in the README ("Plugins through engine upgrades").');
  }
  domain.node.addDependency(pkg.resource);
}

/**
 * The handler holds credentials of the stack's account only: a domain of
 * another account is refused here when both accounts are known, and by the
 * handler otherwise.
 */
function checkSameAccount(owner: string, scope: Construct, domain: opensearch.IDomain): void {
  const stackAccount = Stack.of(scope).account;
  if (Token.isUnresolved(domain.domainArn) || Token.isUnresolved(stackAccount)) return;
  const domainAccount = Arn.split(domain.domainArn, ArnFormat.SLASH_RESOURCE_NAME).account;
  if (domainAccount && domainAccount !== stackAccount) {
    throw new Error(`${owner}: domain.domainArn "${domain.domainArn}" (${domain.node.path}) is in account ${domainAccount}, the stack in account ${stackAccount}: `
      + 'this library manages packages only on domains of the stack\'s own account (its handler holds no credentials for another). '
      + 'Associate the package from a stack deployed to the domain\'s account.');
  }
}

/** Checks the props that are known at synth time. */
function validate(owner: string, props: DomainPackageAssociationProps): void {
  const fail = (message: string | undefined) => {
    if (message) throw new Error(`${owner}: ${message}`);
  };
  if (!Token.isUnresolved(props.domain.domainName)) fail(checkDomainName('domain.domainName', props.domain.domainName));
  if ((props.packageId === undefined) === (props.awsPackageName === undefined)) {
    fail(`give packageId or awsPackageName, and only one of them (got ${props.packageId === undefined ? 'neither' : `packageId "${props.packageId}" and awsPackageName "${props.awsPackageName}"`}).`);
  }
  if (props.packageId !== undefined && !Token.isUnresolved(props.packageId)) fail(checkPackageId('packageId', props.packageId));
  if (props.awsPackageName !== undefined && !Token.isUnresolved(props.awsPackageName)) fail(checkPackageName('awsPackageName', props.awsPackageName));
  if (props.awsPackageName !== undefined && (props.licensePackage || props.configPackage)) {
    fail('licensePackage and configPackage name the plugin by its ID as their prerequisite: give the plugin\'s packageId rather than awsPackageName.');
  }
  checkCompanion(owner, 'licensePackage', props.licensePackage, 'PACKAGE-LICENSE');
  checkCompanion(owner, 'configPackage', props.configPackage, 'PACKAGE-CONFIG');
  const prerequisites = props.prerequisitePackageIds ?? [];
  prerequisites.forEach((prerequisite, i) => {
    if (Token.isUnresolved(prerequisite)) return;
    fail(checkPackageId(`prerequisitePackageIds[${i}]`, prerequisite));
    if (prerequisite === props.packageId) fail(`prerequisitePackageIds[${i}] "${prerequisite}" is the package itself: a package cannot be its own prerequisite.`);
    if (prerequisites.indexOf(prerequisite) !== i) fail(`prerequisitePackageIds[${i}] "${prerequisite}" is listed twice.`);
  });
  checkRemovalPolicy(owner, props.removalPolicy);
  if (props.packageId !== undefined) fail(retentionConflict(props.packageId, props.removalPolicy ?? RemovalPolicy.DESTROY, props.adoptExisting ?? false));
}

/** A license or configuration package of this app must be of its type. */
function checkCompanion(owner: string, field: string, companion: ICustomPackage | undefined, type: string): void {
  const pkg = companion && registeredPackage(companion.packageId);
  if (pkg && pkg.packageType !== type) {
    throw new Error(`${owner}: ${field} ${pkg.packageName} (${pkg.construct.node.path}) is a ${pkg.packageType} package: a ${field} must be ${type}.`);
  }
}
