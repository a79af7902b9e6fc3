import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct, IConstruct } from 'constructs';
import { domainLabel, packageLabel } from './construct-names';
import { RegisteredPackage, registeredPackage } from './custom-package-registry';
import { missingPluginPrerequisites } from './custom-plugin-prerequisites';
import type { DomainPackageAssociationProps } from './domain-package-association';

/*
 * Synth-time checks of what an association puts on a domain, against the
 * packages and domains of the app: one association per package and domain,
 * the Regions of package and domain, a plugin's license and configuration
 * packages, and what a domain needs for a custom plugin. Each throws, naming
 * the association, the package and the domain by construct path.
 */

/** One association, as the checks that look across the app see it. */
interface AssociationRecord {
  readonly construct: Construct;
  readonly domainKey: string;
  /** The package ID, or `aws:<name>` for a package AWS provides. */
  readonly packageRef: string;
  readonly prerequisitePackageIds: readonly string[];
}

/** The associations of each app, by the app's root construct. */
const associationsByApp = new WeakMap<IConstruct, AssociationRecord[]>();

/** The same key for the same domain: its ARN when known, else its construct path. */
function domainKey(domain: opensearch.IDomain): string {
  return Token.isUnresolved(domain.domainArn) ? `path:${domain.node.path}` : domain.domainArn;
}

/** A value known at synth time, or undefined for a token. */
function known(value: string | undefined): string | undefined {
  return value === undefined || Token.isUnresolved(value) ? undefined : value;
}

/** The Region of a domain: its stack's for a Domain of the app, else its ARN's. */
function domainRegion(domain: opensearch.IDomain): string | undefined {
  if (domain.node.defaultChild instanceof opensearch.CfnDomain) return known(Stack.of(domain).region);
  return Token.isUnresolved(domain.domainArn) ? undefined : known(Arn.split(domain.domainArn, ArnFormat.SLASH_RESOURCE_NAME).region);
}

/** The associations recorded in the app of the construct. */
function recordsOf(association: Construct): AssociationRecord[] {
  const records = associationsByApp.get(association.node.root) ?? [];
  associationsByApp.set(association.node.root, records);
  return records;
}

function recordOf(association: Construct, props: DomainPackageAssociationProps): AssociationRecord {
  return {
    construct: association,
    domainKey: domainKey(props.domain),
    packageRef: props.packageId ?? `aws:${props.awsPackageName}`,
    prerequisitePackageIds: props.prerequisitePackageIds ?? [],
  };
}

/** Checks an association against the app's associations recorded so far, its packages and its domains. */
export function checkAssociation(owner: string, association: Construct, props: DomainPackageAssociationProps): void {
  const record = recordOf(association, props);
  const twin = recordsOf(association).find(other => other.domainKey === record.domainKey && other.packageRef === record.packageRef
    && Stack.of(other.construct) === Stack.of(association));
  if (twin) {
    const what = props.packageId !== undefined ? `package ${packageLabel(props.packageId)}` : `the AWS-provided package ${props.awsPackageName}`;
    throw new Error(`${owner}: ${what} is already associated with domain ${domainLabel(props.domain)} by ${twin.construct.node.path}: `
      + 'a stack associates a package with a domain once. Remove one of the two associations.');
  }
  const pkg = props.packageId === undefined ? undefined : registeredPackage(props.packageId);
  if (!pkg) return;
  checkRegion(owner, pkg, props);
  checkCompanionRole(owner, pkg, props);
  if (pkg.packageType === 'ZIP-PLUGIN') checkPluginDomain(owner, pkg, props.domain);
}

/**
 * Records an association that passed its checks, for the checks of those
 * that follow; for a plugin of the app, checks at synth, when every
 * association is known, that its REQUIRED license and configuration are there.
 */
export function recordAssociation(owner: string, association: Construct, props: DomainPackageAssociationProps): void {
  const records = recordsOf(association);
  records.push(recordOf(association, props));
  const pkg = props.packageId === undefined ? undefined : registeredPackage(props.packageId);
  if (pkg?.packageType === 'ZIP-PLUGIN') association.node.addValidation({ validate: () => missingCompanions(owner, pkg, props, records) });
}

function checkRegion(owner: string, pkg: RegisteredPackage, props: DomainPackageAssociationProps): void {
  const packageStack = Stack.of(pkg.construct);
  const packageRegion = known(packageStack.region);
  const region = domainRegion(props.domain);
  if (packageRegion && region && packageRegion !== region) {
    throw new Error(`${owner}: package ${packageLabel(props.packageId!)} is created in ${packageRegion}, the Region of its stack ${packageStack.node.path}, `
      + `and domain ${domainLabel(props.domain)} is in ${region}: the service associates a package only with domains of its own Region. `
      + `Define the CustomPackage in a stack of ${region}.`);
  }
}

const COMPANIONS = {
  'PACKAGE-LICENSE': { option: 'licensePackage', requirement: 'licenseRequirement', what: 'license' },
  'PACKAGE-CONFIG': { option: 'configPackage', requirement: 'configurationRequirement', what: 'configuration' },
} as const;

type CompanionType = keyof typeof COMPANIONS;

function isCompanionType(type: string): type is CompanionType {
  return type in COMPANIONS;
}

/** A license or configuration package goes to a domain only as the companion of its plugin. */
function checkCompanionRole(owner: string, pkg: RegisteredPackage, props: DomainPackageAssociationProps): void {
  if (!isCompanionType(pkg.packageType)) return;
  const { option } = COMPANIONS[pkg.packageType];
  const fix = `Associate the plugin (the ZIP-PLUGIN package) and give this package as its ${option}: plugin.associateWith(domain, { ${option} }).`;
  const label = packageLabel(props.packageId!);
  if (props.licensePackage || props.configPackage) {
    throw new Error(`${owner}: package ${label} is a ${pkg.packageType} package, yet it is associated as a plugin, with a licensePackage or configPackage of its own. ${fix}`);
  }
  const prerequisites = props.prerequisitePackageIds ?? [];
  if (prerequisites.length === 0) {
    throw new Error(`${owner}: package ${label} is a ${pkg.packageType} package associated without its plugin: the service installs it only together with `
      + `the plugin it belongs to, named in prerequisitePackageIds. ${fix}`);
  }
  const prerequisitePackages = prerequisites.map(registeredPackage);
  if (prerequisitePackages.every(prerequisite => prerequisite && prerequisite.packageType !== 'ZIP-PLUGIN')) {
    throw new Error(`${owner}: package ${label} is a ${pkg.packageType} package, and none of its prerequisitePackageIds `
      + `(${prerequisites.map(packageLabel).join(', ')}) is a plugin: the service installs it only together with the plugin it belongs to. ${fix}`);
  }
}

/** A custom plugin goes only to a domain that meets the service's prerequisites. */
function checkPluginDomain(owner: string, pkg: RegisteredPackage, domain: opensearch.IDomain): void {
  const missing = missingPluginPrerequisites(domain);
  if (missing.length === 0) return;
  throw new Error(`${owner}: plugin ${pkg.packageName} (${pkg.construct.node.path}) is a custom plugin, and domain ${domainLabel(domain)} lacks what the service `
    + `requires of a domain for custom plugins: ${missing.join(', ')}. Give the Domain these settings.`);
}

/**
 * At synth, when every association of the app is known: the license and
 * configuration packages a plugin REQUIRES, associated on the same domain
 * naming the plugin as prerequisite (a package of the app of another type
 * does not count; an imported package, whose type is unknown, does).
 */
function missingCompanions(owner: string, plugin: RegisteredPackage, props: DomainPackageAssociationProps, records: readonly AssociationRecord[]): string[] {
  const key = domainKey(props.domain);
  const companions = records.filter(record => record.domainKey === key && record.prerequisitePackageIds.includes(props.packageId!));
  return (Object.keys(COMPANIONS) as CompanionType[]).flatMap(type => {
    const { option, requirement, what } = COMPANIONS[type];
    if (plugin.pluginConfiguration?.[requirement] !== 'REQUIRED') return [];
    if (companions.some(record => (registeredPackage(record.packageRef)?.packageType ?? type) === type)) return [];
    return [`${owner}: plugin ${plugin.packageName} (${plugin.construct.node.path}) has ${requirement} REQUIRED, and no ${what} package is associated with it `
      + `on domain ${domainLabel(props.domain)}: the service installs the plugin only with its ${what}. Give it as ${option}: plugin.associateWith(domain, { ${option} }).`];
  });
}
