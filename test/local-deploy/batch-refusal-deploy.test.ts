import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { readCloudAssembly, selectStack, StackArtifact } from './cloud-assembly';
import { LocalDeployment } from './local-deployment';
import { CustomPackage, PackageSource } from '../../lib';
import { OpenSearchSimulator } from '../simulator';

/*
 * Issue 19: a domain that refuses AssociatePackages and DissociatePackages
 * (DisabledOperationException) still gets its dictionaries, one package per
 * call, each waited for before the next, through the whole stack lifecycle.
 */

const DOMAIN = 'nobatch';
let simulator: OpenSearchSimulator;
let outdir: string;

beforeEach(async () => {
  simulator = await OpenSearchSimulator.start({
    associationDuration: { polls: 1 }, dissociationDuration: { polls: 1 }, packageProcessingDuration: { polls: 1 },
  });
  simulator.addDomain(DOMAIN, { refuseBatchCalls: true });
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-refusal-'));
});

afterEach(async () => {
  await simulator.stop();
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** The app with these dictionaries, each a CustomPackage from a file associated with the domain. */
function synth(version: string, dictionaries: string[]): StackArtifact {
  const dir = path.join(outdir, version);
  const app = new App({ outdir: dir, context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'NoBatch', { env: { account: '123456789012', region: 'us-east-1' } });
  const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${DOMAIN}`, domainEndpoint: `https://search-${DOMAIN}-abc.us-east-1.es.amazonaws.com`,
  });
  for (const name of dictionaries) {
    const file = path.join(outdir, `${name}.txt`);
    fs.writeFileSync(file, `${name}: laptop, notebook\n`);
    new CustomPackage(stack, name, { packageName: name, source: PackageSource.fromAsset(file) }).associateWith(domain);
  }
  app.synth();
  return selectStack(readCloudAssembly(dir), { stackName: 'NoBatch' });
}

/** The association calls, from the first of the call log on: `AssociatePackage synonyms`, `AssociatePackages refused`... */
function changes(from: number): string[] {
  const names = new Map(simulator.packages().map(p => [p.PackageID!, p.PackageName!]));
  return simulator.calls.slice(from).filter(c => /^(Associate|Dissociate)Packages?$/.test(c.operation))
    .map(c => (c.operation.endsWith('s') ? `${c.operation} ${c.errorType ?? c.status}` : `${c.operation} ${names.get(c.path.split('/')[4])}`));
}

const onDomain = () => simulator.domainPackages(DOMAIN).map(p => `${p.PackageName} ${p.DomainPackageStatus}`).sort();

test('a domain that refuses the batch calls gets one dictionary, then two more at once, loses two, and is cleared when the stack is deleted', async () => {
  const first = synth('v1', ['synonyms']);
  const deployment = new LocalDeployment({ simulator, stack: first, intervalScale: 0.001 });

  expect((await deployment.deployArtifact(first)).status).toBe('CREATE_COMPLETE');
  expect(changes(0)).toEqual(['AssociatePackage synonyms']);

  let from = simulator.calls.length;
  expect((await deployment.deployArtifact(synth('v2', ['synonyms', 'stopwords', 'user-dictionary']))).status).toBe('UPDATE_COMPLETE');
  expect(onDomain()).toEqual(['stopwords ACTIVE', 'synonyms ACTIVE', 'user-dictionary ACTIVE']);
  // The batch is refused, then one package per call, each ACTIVE before the next goes.
  expect(changes(from)).toEqual(['AssociatePackages DisabledOperationException', 'AssociatePackage stopwords', 'AssociatePackage user-dictionary']);

  from = simulator.calls.length;
  expect((await deployment.deployArtifact(synth('v3', ['user-dictionary']))).status).toBe('UPDATE_COMPLETE');
  expect(onDomain()).toEqual(['user-dictionary ACTIVE']);
  expect(changes(from)).toEqual(['DissociatePackages DisabledOperationException', 'DissociatePackage synonyms', 'DissociatePackage stopwords']);

  from = simulator.calls.length;
  expect((await deployment.destroy()).status).toBe('DELETE_COMPLETE');
  expect(onDomain()).toEqual([]);
  expect(changes(from)).toEqual(['DissociatePackage user-dictionary']);
  expect(simulator.packages().map(p => `${p.PackageName} ${p.PackageStatus}`).sort())
    .toEqual(['stopwords DELETED', 'synonyms DELETED', 'user-dictionary DELETED']);
});
