import {
  AssociatePackagesCommand, CreatePackageCommand, CreatePackageCommandInput, DescribePackagesCommand, DescribePackagesFilter,
  ListPackagesForDomainCommand, OpenSearchClient,
} from '@aws-sdk/client-opensearch';
import { OpenSearchSimulator } from './index';
import { localClient } from './local-client';

/*
 * Plugins through engine upgrades: the packages AWS provides per engine
 * version, custom plugins of one name per engine version, upgrades that swap
 * them, PackageConfiguration and customer KMS keys.
 */

const DOMAIN = 'search-domain';
const SOURCE = { S3BucketName: 'packages-bucket', S3Key: 'plugin.zip' };
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1111-2222';

let sim: OpenSearchSimulator;
let client: OpenSearchClient;

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ associationDuration: { polls: 0 }, packageProcessingDuration: { polls: 0 }, blueGreenDuration: { polls: 0 } });
  client = localClient(sim.endpoint);
  sim.addDomain(DOMAIN, { engineVersion: 'OpenSearch_2.17' });
  sim.addPackage({ id: 'G100000217', name: 'analysis-sudachi', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.17' });
  sim.addPackage({ id: 'G100000219', name: 'analysis-sudachi', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.19' });
  sim.addPackage({ id: 'G200000217', name: 'analysis-icu', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.17' });
});

afterEach(async () => {
  client.destroy();
  await sim.stop();
});

const describe_ = async (...Filters: DescribePackagesFilter[]) =>
  ((await client.send(new DescribePackagesCommand({ Filters }))).PackageDetailsList ?? []).map(p => p.PackageID);
const createPlugin = async (engineVersion: string, extra: Partial<CreatePackageCommandInput> = {}) => (await client.send(new CreatePackageCommand({
  PackageName: 'my-plugin', PackageType: 'ZIP-PLUGIN', PackageSource: SOURCE, EngineVersion: engineVersion, ...extra,
}))).PackageDetails!;
const associate = (...ids: string[]) => client.send(new AssociatePackagesCommand({ DomainName: DOMAIN, PackageList: ids.map(PackageID => ({ PackageID })) }));
const onDomain = async () => ((await client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN }))).DomainPackageDetailsList ?? [])
  .map(e => `${e.PackageID}:${e.DomainPackageStatus}`);
const settle = async () => { await onDomain(); await onDomain(); };

test('DescribePackages finds the package AWS provides by name, engine version and owner', async () => {
  const pkg = await createPlugin('OpenSearch_2.17', { PackageName: 'analysis-sudachi' });
  expect(await describe_({ Name: 'PackageName', Value: ['analysis-sudachi'] })).toEqual(['G100000217', 'G100000219', pkg.PackageID]);
  expect(await describe_(
    { Name: 'PackageName', Value: ['analysis-sudachi'] }, { Name: 'EngineVersion', Value: ['OpenSearch_2.19'] }, { Name: 'PackageOwner', Value: ['AWS'] },
  )).toEqual(['G100000219']);
  expect(await describe_({ Name: 'EngineVersion', Value: ['OpenSearch_2.17'] }, { Name: 'PackageOwner', Value: ['AWS'] })).toEqual(['G100000217', 'G200000217']);
  expect(await describe_({ Name: 'PackageOwner', Value: ['123456789012'] })).toEqual([pkg.PackageID]);
});

test('a plugin name has one package per engine version', async () => {
  await createPlugin('OpenSearch_2.17');
  await createPlugin('OpenSearch_2.19');
  const again = await createPlugin('OpenSearch_2.19').catch(error => error as Error);
  expect(again).toMatchObject({ name: 'ResourceAlreadyExistsException' });
});

test('an engine upgrade swaps AWS-provided and custom plugins for their packages of the new version, with the licence following', async () => {
  const old = await createPlugin('OpenSearch_2.17');
  const licence = (await client.send(new CreatePackageCommand({ PackageName: 'my-licence', PackageType: 'PACKAGE-LICENSE', PackageSource: SOURCE }))).PackageDetails!;
  await describe_();
  await client.send(new AssociatePackagesCommand({
    DomainName: DOMAIN,
    PackageList: [{ PackageID: 'G100000217' }, { PackageID: old.PackageID }, { PackageID: licence.PackageID, PrerequisitePackageIDList: [old.PackageID!] }],
  }));
  await settle();
  const next = await createPlugin('OpenSearch_2.19');
  await describe_();

  sim.upgradeDomain(DOMAIN, 'OpenSearch_2.19');
  expect(await onDomain()).toEqual(['G100000219:ACTIVE', `${licence.PackageID}:ACTIVE`, `${next.PackageID}:ACTIVE`].sort());
  expect(sim.domainPackages(DOMAIN).find(e => e.PackageID === licence.PackageID)?.PrerequisitePackageIDList).toEqual([next.PackageID]);
});

test('an upgrade fails, changing nothing, when a plugin has no package for the new version; an engine version never goes back', async () => {
  await associate('G200000217');
  await settle();
  expect(() => sim.upgradeDomain(DOMAIN, 'OpenSearch_2.19')).toThrow(/plugin analysis-icu .* has no package for OpenSearch_2.19/);
  expect(await onDomain()).toEqual(['G200000217:ACTIVE']);
  expect(() => sim.upgradeDomain(DOMAIN, 'OpenSearch_2.15')).toThrow(/not newer than OpenSearch_2.17/);
});

test('PackageConfiguration is kept per version and returned as AvailablePackageConfiguration', async () => {
  const configuration = { LicenseRequirement: 'REQUIRED' as const, LicenseFilepath: 'config/licence.lic', ConfigurationRequirement: 'OPTIONAL' as const };
  const pkg = await createPlugin('OpenSearch_2.17', { PackageConfiguration: configuration });
  const [described] = (await client.send(new DescribePackagesCommand({ Filters: [{ Name: 'PackageID', Value: [pkg.PackageID!] }] }))).PackageDetailsList!;
  expect(described.AvailablePackageConfiguration).toEqual(configuration);
  const invalid = await createPlugin('OpenSearch_2.19', { PackageConfiguration: { LicenseRequirement: 'SOMETIMES' as never, ConfigurationRequirement: 'NONE' } })
    .catch(error => error as Error);
  expect(invalid).toMatchObject({ name: 'ValidationException' });
});

test('an encrypted plugin needs the service to be allowed to use the key: denied, the copy fails, or the association fails with AccessDenied', async () => {
  let keyUsable: Record<string, boolean> = { 'kms:GenerateDataKey': false, 'kms:Decrypt': false };
  sim.addAuthorizer(({ caller, action, resource }) => (caller.service === 'custom-packages.us-east-1.amazonaws.com' && resource === KEY ? keyUsable[action] : undefined));
  const encryption = { EncryptionEnabled: true, KmsKeyIdentifier: KEY };

  const denied = await createPlugin('OpenSearch_2.17', { PackageEncryptionOptions: encryption });
  const [copy] = (await client.send(new DescribePackagesCommand({ Filters: [{ Name: 'PackageID', Value: [denied.PackageID!] }] }))).PackageDetailsList!;
  expect(copy).toMatchObject({ PackageStatus: 'COPY_FAILED', ErrorDetails: { ErrorType: 'AccessDeniedException' } });

  keyUsable = { 'kms:GenerateDataKey': true, 'kms:Decrypt': false };
  const copied = await createPlugin('OpenSearch_2.17', { PackageName: 'other-plugin', PackageEncryptionOptions: encryption });
  const [available] = (await client.send(new DescribePackagesCommand({ Filters: [{ Name: 'PackageID', Value: [copied.PackageID!] }] }))).PackageDetailsList!;
  expect(available).toMatchObject({ PackageStatus: 'AVAILABLE', PackageEncryptionOptions: encryption });
  await associate(copied.PackageID!);
  await settle();
  expect(sim.domainPackages(DOMAIN)[0]).toMatchObject({ DomainPackageStatus: 'ASSOCIATION_FAILED', ErrorDetails: { ErrorType: 'AccessDeniedException' } });
});
