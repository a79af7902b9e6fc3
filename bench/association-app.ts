import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { DomainPackageAssociation } from '../lib';
import { customResourcesOf, readCloudAssembly, selectStack, StackArtifact } from '../test/local-deploy/cloud-assembly';
import { OpenSearchSimulator } from '../test/simulator';

/** The resource type of an association's own resource in the synthesised template. */
export const ASSOCIATION_TYPE = 'Custom::OpenSearchPackageAssociation';
/** The resource type that applies every association of a domain. */
export const DOMAIN_PACKAGES_TYPE = 'Custom::OpenSearchDomainPackages';

/** A synthesised stack with a domain and N associations on it. */
export interface AssociationStack {
  readonly stack: StackArtifact;
  /** The logical id of the resource that associates the domain's packages: its Create ends when they are ACTIVE. */
  readonly domainPackages: string;
  /** The associations' own resources, in creation order. */
  readonly associations: string[];
  /** The package IDs the associations name, in the same order (add them to each simulator). */
  readonly packageIds: string[];
}

/** The package ID of the i-th dictionary (1-based). */
function packageIdOf(index: number): string {
  return `F${100000000 + index}`;
}

/** Adds the stack's packages to a simulator, AVAILABLE: dictionaries, or for the plugin app a plugin, its licence and its config. */
export function addPackages(simulator: OpenSearchSimulator, app: AssociationStack): void {
  const types = ['ZIP-PLUGIN', 'PACKAGE-LICENSE', 'PACKAGE-CONFIG'] as const;
  app.packageIds.forEach((id, i) => simulator.addPackage(id.startsWith('pkg-')
    ? { id, name: `plugin-package-${i + 1}`, type: types[i] }
    : { id, name: `dictionary-${i + 1}` }));
}

/** The plugin app's packages: a plugin, then its licence and its config, which name it as prerequisite. */
export const PLUGIN_TRIO = ['pkg-0a1', 'pkg-0b2', 'pkg-0c3'];

/**
 * Synthesises, in process (as test/local-deploy's fixture apps do), an app
 * whose one stack has a domain and `count` DomainPackageAssociations of
 * dictionaries on it (or, with `plugin`, a plugin with its licence and config),
 * into a fresh directory under `root`.
 */
export function synthesizeAssociationApp(root: string, count: number, plugin = false): AssociationStack {
  const outdir = fs.mkdtempSync(path.join(root, `associations-${count}-`));
  // The CDK CLI turns asset metadata on; an in-process App must ask for it.
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, `BenchAssociations${count}`);
  const domain = new opensearch.Domain(stack, 'Search', {
    version: opensearch.EngineVersion.OPENSEARCH_2_19,
    capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
    ebs: { volumeSize: 10 },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const packageIds = plugin ? PLUGIN_TRIO.slice(0, count) : Array.from({ length: count }, (_, i) => packageIdOf(i + 1));
  packageIds.forEach((packageId, i) => new DomainPackageAssociation(stack, `Package${i + 1}`, {
    domain, packageId, prerequisitePackageIds: plugin && i > 0 ? [packageIds[0]] : undefined,
  }));
  app.synth();
  const artifact = selectStack(readCloudAssembly(outdir), { stackName: stack.stackName });
  const [domainPackages] = customResourcesOf(artifact.template, DOMAIN_PACKAGES_TYPE);
  // The association resources in the order of the packages they name.
  const named = (id: string) => packageIds.indexOf(String(artifact.template.Resources![id].Properties?.PackageID));
  const associations = customResourcesOf(artifact.template, ASSOCIATION_TYPE).sort((a, b) => named(a) - named(b));
  if (associations.length !== count) throw new Error(`Expected ${count} associations, found ${associations.length}`);
  return { stack: artifact, domainPackages, associations, packageIds };
}

/** A fresh temporary directory for synthesised apps; remove it with {@link removeScratch}. */
export function makeScratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-opensearch-packages-bench-'));
}

/** Removes a directory made by {@link makeScratch}. */
export function removeScratch(directory: string): void {
  fs.rmSync(directory, { recursive: true, force: true });
}
