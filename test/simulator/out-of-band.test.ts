import { AssociatePackageCommand, AssociatePackagesCommand, ListPackagesForDomainCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { OpenSearchSimulator } from './index';
import { localClient } from './local-client';

/*
 * What a test changes on the service by hand, between or during the calls
 * of the code under test: associations taken off, packages deleted or given
 * a new version, operations that turn slow.
 */

let sim: OpenSearchSimulator;
let client: OpenSearchClient;

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ associationDuration: { polls: 1 } });
  client = localClient(sim.endpoint);
  sim.addDomain('search-domain');
  sim.addDomain('other-domain');
  sim.addPackage({ id: 'F111111111', name: 'synonyms' });
});

afterEach(async () => {
  client.destroy();
  await sim.stop();
});

const onDomain = (domain = 'search-domain') => sim.domainPackages(domain).map(e => `${e.PackageID} ${e.DomainPackageStatus}`);

test('dissociate takes the package off the domain at once, with the licence that names the plugin as its prerequisite', async () => {
  sim.addPackage({ id: 'pkg-0a1b', name: 'plugin', type: 'ZIP-PLUGIN' });
  sim.addPackage({ id: 'pkg-0c2d', name: 'licence', type: 'PACKAGE-LICENSE' });
  sim.associate('search-domain', 'F111111111');
  await client.send(new AssociatePackagesCommand({
    DomainName: 'search-domain', PackageList: [{ PackageID: 'pkg-0a1b' }, { PackageID: 'pkg-0c2d', PrerequisitePackageIDList: ['pkg-0a1b'] }],
  }));

  sim.dissociate('search-domain', 'pkg-0a1b');

  expect(onDomain()).toEqual(['F111111111 ACTIVE']);
  expect(() => sim.dissociate('search-domain', 'pkg-0a1b')).toThrow('Package pkg-0a1b is not associated with search-domain');
});

test('deletePackage takes the package off every domain and deletes it; a package AWS provides cannot be deleted', () => {
  sim.associate('search-domain', 'F111111111');
  sim.associate('other-domain', 'F111111111');

  sim.deletePackage('F111111111');

  expect(onDomain()).toEqual([]);
  expect(onDomain('other-domain')).toEqual([]);
  expect(sim.packageByName('synonyms')?.PackageStatus).toBe('DELETED');
  sim.addPackage({ id: 'G111111111', name: 'analysis-icu', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.19' });
  expect(() => sim.deletePackage('G111111111')).toThrow('Package G111111111 belongs to AWS: it cannot be deleted');
});

test('updatePackage publishes the next version from the source given; the domain keeps the version it runs', () => {
  sim.associate('search-domain', 'F111111111');

  const version = sim.updatePackage('F111111111', { S3BucketName: 'bucket', S3Key: 'edited.txt' }, 'Edited by hand');

  expect(version).toBe('v2');
  expect(sim.packageVersions('F111111111').map(v => [v.version, v.source?.S3Key, v.commitMessage])).toEqual([['v1', undefined, undefined], ['v2', 'edited.txt', 'Edited by hand']]);
  expect(sim.domainPackages('search-domain').map(e => e.PackageVersion)).toEqual(['v1']);
});

test('setOperationDurations makes operations that start from then on last as long as given; operations in flight keep theirs', async () => {
  sim.addPackage({ id: 'F222222222', name: 'stopwords' });
  const statuses = async (domain: string) =>
    (await client.send(new ListPackagesForDomainCommand({ DomainName: domain }))).DomainPackageDetailsList?.map(e => e.DomainPackageStatus);
  sim.setOperationDurations({ associationDuration: { ms: 60_000 } });
  await client.send(new AssociatePackageCommand({ DomainName: 'search-domain', PackageID: 'F111111111' }));
  sim.setOperationDurations({ associationDuration: { polls: 1 } });
  await client.send(new AssociatePackageCommand({ DomainName: 'other-domain', PackageID: 'F222222222' }));

  expect([await statuses('search-domain'), await statuses('other-domain')]).toEqual([['ASSOCIATING'], ['ASSOCIATING']]);
  expect([await statuses('search-domain'), await statuses('other-domain')]).toEqual([['ASSOCIATING'], ['ACTIVE']]);
});
