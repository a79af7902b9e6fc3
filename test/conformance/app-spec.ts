import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { strToU8 } from 'fflate';
import { CustomPackage, DomainPackageAssociation, PackageSource, PackageType } from '../../lib';
import { readCloudAssembly, selectStack, StackArtifact } from '../local-deploy/cloud-assembly';
import { writePluginZip } from '../plugin-archive';

/*
 * One version of a conformance stack, as data, and its synthesis through the
 * library's public API only: imported domains (shared by every stack),
 * CustomPackages from files, associations of those and of packages that exist
 * outside the stacks, and a last resource that can be made to fail.
 */

/** Domains that exist outside the stacks, imported by name; every stack may use them. */
export const DOMAINS = ['alpha-domain', 'beta-domain'] as const;
/** The engine version both domains run. */
export const DOMAIN_ENGINE_VERSION = 'OpenSearch_2.19';
export type DomainName = typeof DOMAINS[number];

/** Dictionaries that exist outside the stacks, named by ID. */
export const IMPORTED_PACKAGES = ['F100000001', 'F100000002', 'F100000003'] as const;

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const KEY_STORE_ROLE = `arn:aws:iam::${ACCOUNT}:role/key-store`;

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

/** What an association names: a CustomPackage of the stack (by construct id), or a package by ID. */
export type Target = { readonly custom: string } | { readonly imported: string };

export interface AssociationSpec {
  readonly id: string;
  readonly domain: DomainName;
  readonly target: Target;
  /** Only for imported packages (a CustomPackage's association follows its version). */
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
  /** Changes with every version, so that the last resource is updated (and can fail) in every deployment. */
  readonly revision: number;
}

export const EMPTY_VERSION: AppVersion = { packages: [], associations: [], revision: 0 };

/** The logical ID of the resource that depends on every other one and can be made to fail. */
export const TRIPWIRE = 'Tripwire';

export function domainArn(domain: string): string {
  return `arn:aws:es:${REGION}:${ACCOUNT}:domain/${domain}`;
}

/** A file's bytes for a package version: different content, different asset hash. A plugin is a ZIP file for its engine version. */
function sourceFile(outdir: string, pkg: PackageSpec): string {
  const text = `# ${pkg.name} (${pkg.type}) content ${pkg.content}\nlaptop, notebook\n`;
  if (pkg.type === 'ZIP-PLUGIN') {
    return writePluginZip(path.join(outdir, 'sources'), `${pkg.name}-${pkg.content}.zip`, pkg.engine ?? DOMAIN_ENGINE_VERSION.split('_')[1], { files: { 'content.txt': strToU8(text) } });
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

/** Synthesises the stack's version into `outdir`, in process, as `cdk synth` would. */
export function synthesize(stackName: string, version: AppVersion, outdir: string): StackArtifact {
  // The CDK CLI turns asset and path metadata on; an in-process App must ask for them.
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, stackName, { env: { account: ACCOUNT, region: REGION } });
  const domains = new Map(DOMAINS.map(name => [name, opensearch.Domain.fromDomainAttributes(stack, `Domain-${name}`, {
    domainArn: domainArn(name),
    domainEndpoint: `https://search-${name}.${REGION}.es.amazonaws.com`,
  })]));
  const packages = new Map(version.packages.map(pkg => [pkg.id, new CustomPackage(stack, pkg.id, {
    packageName: pkg.name,
    packageType: PackageType.of(pkg.type),
    engineVersion: pkg.engine ? opensearch.EngineVersion.openSearch(pkg.engine) : undefined,
    source: PackageSource.fromAsset(sourceFile(outdir, pkg)),
    removalPolicy: REMOVAL_POLICIES[pkg.removal],
  })]));
  const idOf = (target: Target) => ('custom' in target ? packages.get(target.custom)!.packageId : target.imported);
  const keyStore = iam.Role.fromRoleArn(stack, 'KeyStore', KEY_STORE_ROLE);
  const tripwire = new CfnResource(stack, TRIPWIRE, { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: `revision ${version.revision}` } });
  tripwire.overrideLogicalId(TRIPWIRE);
  for (const association of version.associations) {
    const custom = 'custom' in association.target ? packages.get(association.target.custom)! : undefined;
    const construct = new DomainPackageAssociation(stack, association.id, {
      domain: domains.get(association.domain)!,
      packageId: idOf(association.target),
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
