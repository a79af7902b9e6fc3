import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, CfnParameter, CfnResource, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { strToU8 } from 'fflate';
import { CustomPackage, DomainPackageAssociation, PackageSource, PackageType } from '../../lib';
import { readCloudAssembly, selectStack, StackArtifact } from '../local-deploy/cloud-assembly';
import { writePluginZip } from '../plugin-archive';
import { awsProvidedPackages } from '../simulator/aws-provided-packages';

/*
 * One version of a conformance stack, as data, and its synthesis through the
 * library's public API only: imported domains (shared by every stack), named
 * literally, through a parameter or through an import, CustomPackages from
 * files, associations of those, of packages that exist outside the stacks
 * (by ID) and of packages AWS provides (by ID or by name), and a last
 * resource that can be made to fail.
 */

export const ACCOUNT = '123456789012';
/** The Region of the stacks, and of their own packages. */
export const REGION = 'us-east-1';
/** Another Region, with a domain of the same name as one of the stacks' Region. */
export const FAR_REGION = 'eu-west-1';
export const KEY_STORE_ROLE = `arn:aws:iam::${ACCOUNT}:role/key-store`;

/**
 * The domains that exist outside the stacks, each a name in a Region
 * (`name@region` outside the stacks' Region): the same name in two Regions is
 * two domains. Every stack may use them.
 */
export const DOMAINS = ['alpha-domain', 'beta-domain', 'alpha-domain@eu-west-1'] as const;
export type DomainKey = typeof DOMAINS[number];
/** The domains of the stacks' Region: only they can hold the stacks' own packages, which live in that Region. */
export const NEAR_DOMAINS: readonly DomainKey[] = DOMAINS.filter(key => domainRegion(key) === REGION);
/** The engine version every domain runs. */
export const DOMAIN_ENGINE_VERSION = 'OpenSearch_2.19';

export function domainName(key: DomainKey): string {
  return key.split('@')[0];
}

export function domainRegion(key: DomainKey): string {
  return key.split('@')[1] ?? REGION;
}

export function domainArn(key: DomainKey): string {
  return `arn:aws:es:${domainRegion(key)}:${ACCOUNT}:domain/${domainName(key)}`;
}

/** How a stack version names a domain: its ARN written in the app, a CfnParameter's value, or another stack's export. */
export type DomainSpelling = 'literal' | 'parameter' | 'import';

/** The stack whose exports name every domain's ARN, for the `import` spelling. */
export const EXPORTS_STACK = 'ConformanceDomains';

/** The name of the export that holds the domain's ARN. */
export function domainExportName(key: DomainKey): string {
  return `conformance-${domainName(key)}-${domainRegion(key)}-arn`;
}

/** Dictionaries that exist outside the stacks, named by ID; each Region has them, under the same IDs. */
export const IMPORTED_PACKAGES = ['F100000001', 'F100000002', 'F100000003'] as const;

/** The engine versions AWS provides packages for here: the domains', and an older one (with other IDs). */
export const AWS_PACKAGE_ENGINE_VERSIONS = [DOMAIN_ENGINE_VERSION, 'OpenSearch_2.17'] as const;

/** Two of the plugins AWS provides as packages (one package, with its own ID, per engine version), in every Region. */
export const AWS_PACKAGES = ['analysis-nori', 'analysis-sudachi'] as const;
export type AwsPackageName = typeof AWS_PACKAGES[number];

/** The ID of the package AWS provides under this name for the domains' engine version. */
export function awsPackageId(name: AwsPackageName): string {
  return awsProvidedPackages(DOMAIN_ENGINE_VERSION).find(p => p.name === name)!.id;
}

/** The AWS name of a package ID for the domains' engine version, if AWS provides it. */
export function awsPackageNameOf(packageId: string): AwsPackageName | undefined {
  return AWS_PACKAGES.find(name => awsPackageId(name) === packageId);
}

export type PackageTypeName = 'TXT-DICTIONARY' | 'ZIP-PLUGIN' | 'PACKAGE-LICENSE';
export type Removal = 'DESTROY' | 'RETAIN' | 'RETAIN_ON_UPDATE_OR_DELETE';

/** A CustomPackage. `content` numbers the version of its file: a new number is an edit of the file. */
export interface PackageSpec {
  readonly id: string;
  readonly name: string;
  readonly content: number;
  readonly type: PackageTypeName;
  readonly engine?: '2.17' | '2.19';
  readonly removal: 'DESTROY' | 'RETAIN';
}

/**
 * What an association names: a CustomPackage of the stack (by construct id),
 * a package by ID (made outside the stacks, or provided by AWS), or a package
 * AWS provides by its name (`awsPackageName`).
 */
export type Target = { readonly custom: string } | { readonly imported: string } | { readonly aws: AwsPackageName };

export interface AssociationSpec {
  readonly id: string;
  readonly domain: DomainKey;
  readonly target: Target;
  /** Only for packages that are not CustomPackages of the stack (a CustomPackage's association follows its version). */
  readonly label?: string;
  readonly prerequisites: readonly Target[];
  readonly keyStore: boolean;
  readonly removal: Removal;
  readonly timeoutSeconds?: number;
  readonly adopt: boolean;
}

export interface AppVersion {
  readonly packages: readonly PackageSpec[];
  readonly associations: readonly AssociationSpec[];
  /** How the version names each domain (literally when not given). */
  readonly spellings: Readonly<Partial<Record<DomainKey, DomainSpelling>>>;
  /** Associations earlier versions removed, most recent last: what a later version may declare again. Not synthesised. */
  readonly retired: readonly AssociationSpec[];
  /** Changes with every version, so that the last resource is updated (and can fail) in every deployment. */
  readonly revision: number;
}

export const EMPTY_VERSION: AppVersion = { packages: [], associations: [], spellings: {}, retired: [], revision: 0 };

/** The logical ID of the resource that depends on every other one and can be made to fail. */
export const TRIPWIRE = 'Tripwire';

/** The package ID a target names, where the stack's CustomPackages have these IDs (undefined for one not created). */
export function targetPackageId(target: Target, customIds: ReadonlyMap<string, string>): string | undefined {
  if ('custom' in target) return customIds.get(target.custom);
  return 'aws' in target ? awsPackageId(target.aws) : target.imported;
}

/** A file's bytes for a package version: different content, different asset hash. A plugin is a ZIP file for its engine version. */
function sourceFile(outdir: string, pkg: PackageSpec): string {
  const text = `# ${pkg.name} (${pkg.type}) content ${pkg.content}\nlaptop, notebook\n`;
  if (pkg.type === 'ZIP-PLUGIN') {
    // One file per engine version: two plugins of one name (the engine-upgrade procedure) are two files.
    const engine = pkg.engine ?? DOMAIN_ENGINE_VERSION.split('_')[1];
    return writePluginZip(path.join(outdir, 'sources'), `${pkg.name}-${engine}-${pkg.content}.zip`, engine, { files: { 'content.txt': strToU8(text) } });
  }
  const file = path.join(outdir, 'sources', `${pkg.name}-${pkg.content}.txt`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const REMOVAL_POLICIES: Record<Removal, RemovalPolicy> = {
  DESTROY: RemovalPolicy.DESTROY,
  RETAIN: RemovalPolicy.RETAIN,
  RETAIN_ON_UPDATE_OR_DELETE: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
};

/** A new in-process App writing into `outdir`, with the metadata the CDK CLI turns on. */
function newApp(outdir: string): App {
  return new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true } });
}

/** A construct id (and logical ID) part for a domain: its name, and its Region when not the stacks'. */
function domainIdPart(key: DomainKey): string {
  return key.replace('@', '-');
}

/** The domain as the version names it, imported with `Domain.fromDomainAttributes` under one construct id whatever the spelling. */
function importDomain(stack: Stack, key: DomainKey, spelling: DomainSpelling): opensearch.IDomain {
  const arn = {
    literal: () => domainArn(key),
    parameter: () => new CfnParameter(stack, `DomainArn-${domainIdPart(key)}`, { type: 'String', default: domainArn(key) }).valueAsString,
    import: () => Fn.importValue(domainExportName(key)),
  }[spelling]();
  return opensearch.Domain.fromDomainAttributes(stack, `Domain-${domainIdPart(key)}`, {
    domainArn: arn,
    domainEndpoint: `https://search-${domainName(key)}.${domainRegion(key)}.es.amazonaws.com`,
  });
}

/** Synthesises the stack's version into `outdir`, in process, as `cdk synth` would. */
export function synthesize(stackName: string, version: AppVersion, outdir: string): StackArtifact {
  const app = newApp(outdir);
  const stack = new Stack(app, stackName, { env: { account: ACCOUNT, region: REGION } });
  const domains = new Map<DomainKey, opensearch.IDomain>();
  const domainOf = (key: DomainKey) => {
    if (!domains.has(key)) domains.set(key, importDomain(stack, key, version.spellings[key] ?? 'literal'));
    return domains.get(key)!;
  };
  const packages = new Map(version.packages.map(pkg => [pkg.id, new CustomPackage(stack, pkg.id, {
    packageName: pkg.name,
    packageType: PackageType.of(pkg.type),
    engineVersion: pkg.engine ? opensearch.EngineVersion.openSearch(pkg.engine) : undefined,
    source: PackageSource.fromAsset(sourceFile(outdir, pkg)),
    removalPolicy: REMOVAL_POLICIES[pkg.removal],
  })]));
  const idOf = (target: Target) => ('custom' in target ? packages.get(target.custom)!.packageId : 'aws' in target ? awsPackageId(target.aws) : target.imported);
  const keyStore = iam.Role.fromRoleArn(stack, 'KeyStore', KEY_STORE_ROLE);
  const tripwire = new CfnResource(stack, TRIPWIRE, { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: `revision ${version.revision}` } });
  tripwire.overrideLogicalId(TRIPWIRE);
  for (const association of version.associations) {
    const { target } = association;
    const custom = 'custom' in target ? packages.get(target.custom)! : undefined;
    const construct = new DomainPackageAssociation(stack, association.id, {
      domain: domainOf(association.domain),
      ...('aws' in target ? { awsPackageName: target.aws } : { packageId: idOf(target) }),
      versionLabel: custom ? custom.packageVersion : association.label,
      prerequisitePackageIds: association.prerequisites.length > 0 ? association.prerequisites.map(idOf) : undefined,
      keyStoreAccessRole: association.keyStore ? keyStore : undefined,
      removalPolicy: REMOVAL_POLICIES[association.removal],
      timeout: association.timeoutSeconds ? Duration.seconds(association.timeoutSeconds) : undefined,
      adoptExisting: association.adopt || undefined,
    });
    tripwire.node.addDependency(construct);
  }
  packages.forEach(pkg => tripwire.node.addDependency(pkg));
  app.synth();
  return selectStack(readCloudAssembly(outdir), { stackName });
}

/** Synthesises the stack that exports every domain's ARN (see {@link domainExportName}). */
export function synthesizeExports(outdir: string): StackArtifact {
  const app = newApp(outdir);
  const stack = new Stack(app, EXPORTS_STACK, { env: { account: ACCOUNT, region: REGION } });
  // CloudFormation wants a resource in every stack.
  new CfnResource(stack, 'Marker', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'domain ARNs' } });
  for (const key of DOMAINS) new CfnOutput(stack, `Arn-${domainIdPart(key)}`, { value: domainArn(key), exportName: domainExportName(key) });
  app.synth();
  return selectStack(readCloudAssembly(outdir), { stackName: EXPORTS_STACK });
}
