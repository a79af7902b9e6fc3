import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { DomainPackageAssociation } from '../lib';
import { customResourcesOf, readCloudAssembly, selectStack, StackArtifact } from '../test/local-deploy/cloud-assembly';
import { OpenSearchSimulator } from '../test/simulator';

/** The resource type of an association in the synthesised template. */
export const ASSOCIATION_TYPE = 'Custom::OpenSearchPackageAssociation';

/** A synthesised stack with a domain and N dictionary associations on it, in the order the construct chained them. */
export interface AssociationStack {
  readonly stack: StackArtifact;
  /** The associations' logical ids, in creation order. */
  readonly associations: string[];
  /** The package IDs the associations name, in the same order (add them to each simulator). */
  readonly packageIds: string[];
}

/** The package ID of the i-th dictionary (1-based). */
function packageIdOf(index: number): string {
  return `F${100000000 + index}`;
}

/** Adds the stack's dictionaries to a simulator, AVAILABLE. */
export function addPackages(simulator: OpenSearchSimulator, app: AssociationStack): void {
  app.packageIds.forEach((id, i) => simulator.addPackage({ id, name: `dictionary-${i + 1}` }));
}

/**
 * Synthesises, in process (as test/local-deploy's fixture apps do), an app
 * whose one stack has a domain and `count` DomainPackageAssociations on it,
 * into a fresh directory under `root`.
 */
export function synthesizeAssociationApp(root: string, count: number): AssociationStack {
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
  const packageIds = Array.from({ length: count }, (_, i) => packageIdOf(i + 1));
  packageIds.forEach((packageId, i) => new DomainPackageAssociation(stack, `Dictionary${i + 1}`, { domain, packageId }));
  app.synth();
  const artifact = selectStack(readCloudAssembly(outdir), { stackName: stack.stackName });
  const logicalIds = customResourcesOf(artifact.template, ASSOCIATION_TYPE);
  // Logical ids start with the construct id (Dictionary1..., Dictionary10...): order them by the construct's number.
  const number = (id: string) => Number(/^Dictionary(\d+)/.exec(id)?.[1] ?? NaN);
  const associations = [...logicalIds].sort((a, b) => number(a) - number(b));
  if (associations.length !== count) throw new Error(`Expected ${count} associations, found ${associations.length}`);
  return { stack: artifact, associations, packageIds };
}

/** A fresh temporary directory for synthesised apps; remove it with {@link removeScratch}. */
export function makeScratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-opensearch-packages-bench-'));
}

/** Removes a directory made by {@link makeScratch}. */
export function removeScratch(directory: string): void {
  fs.rmSync(directory, { recursive: true, force: true });
}
