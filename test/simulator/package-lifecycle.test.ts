import {
  AssociatePackageCommand, CreatePackageCommand, CreatePackageCommandInput, DeletePackageCommand, DescribePackagesCommand,
  DissociatePackageCommand, GetPackageVersionHistoryCommand, OpenSearchClient, PackageType, UpdatePackageCommand,
} from '@aws-sdk/client-opensearch';
import { OpenSearchSimulator, SimulatorOptions } from './index';
import { localClient } from './local-client';

const DOMAIN = 'search-domain';
const SOURCE = { S3BucketName: 'packages-bucket', S3Key: 'synonyms.txt' };

let sim: OpenSearchSimulator;
let client: OpenSearchClient;

async function useSimulator(options?: SimulatorOptions): Promise<void> {
  await tearDown();
  sim = await OpenSearchSimulator.start(options);
  client = localClient(sim.endpoint);
  sim.addDomain(DOMAIN);
}

async function tearDown(): Promise<void> {
  client?.destroy();
  await sim?.stop();
}

beforeEach(() => useSimulator());
afterEach(() => tearDown());

const create = async (PackageName = 'synonyms', extra: Partial<CreatePackageCommandInput> = {}) =>
  (await client.send(new CreatePackageCommand({ PackageName, PackageType: 'TXT-DICTIONARY', PackageSource: SOURCE, ...extra }))).PackageDetails!;
const update = async (PackageID: string, CommitMessage?: string) =>
  (await client.send(new UpdatePackageCommand({ PackageID, PackageSource: SOURCE, CommitMessage }))).PackageDetails!;
const remove = async (PackageID: string) => (await client.send(new DeletePackageCommand({ PackageID }))).PackageDetails!;
const describeIds = async (...ids: string[]) => (await client.send(new DescribePackagesCommand(
  ids.length ? { Filters: [{ Name: 'PackageID', Value: ids }] } : {},
))).PackageDetailsList ?? [];
/** One DescribePackages observation of the package: its status and version. */
const observe = async (id: string) => {
  const [pkg] = await describeIds(id);
  return `${pkg.PackageStatus}:${pkg.AvailablePackageVersion ?? '-'}`;
};
const history = (PackageID: string, MaxResults?: number, NextToken?: string) =>
  client.send(new GetPackageVersionHistoryCommand({ PackageID, MaxResults, NextToken }));

type ServiceFailure = Error & { $metadata: { httpStatusCode?: number } };
const rejection = (promise: Promise<unknown>): Promise<ServiceFailure> =>
  promise.then(() => { throw new Error('expected the call to fail'); }, (error: ServiceFailure) => error);
const failure = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  return { name: error.name, status: error.$metadata.httpStatusCode, message: error.message };
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('package lifecycle', () => {
  test('CreatePackage goes COPYING, VALIDATING, then AVAILABLE at v1, one DescribePackages response each', async () => {
    const created = await create('synonyms', { PackageDescription: 'Product synonyms' });
    expect(created).toMatchObject({ PackageName: 'synonyms', PackageType: 'TXT-DICTIONARY', PackageStatus: 'COPYING', PackageDescription: 'Product synonyms' });
    expect(created.PackageID).toMatch(/^F\d{9}$/);
    expect(created.AvailablePackageVersion).toBeUndefined();
    expect(created.CreatedAt).toBeInstanceOf(Date);
    expect(created.LastUpdatedAt).toBeInstanceOf(Date);
    const id = created.PackageID!;
    expect(sim.calls[0]).toMatchObject({ operation: 'CreatePackage', method: 'POST', path: '/2021-01-01/packages', body: { PackageSource: SOURCE } });

    expect(await observe(id)).toBe('COPYING:-');
    expect(sim.packages()).toMatchObject([{ PackageID: id, PackageStatus: 'COPYING' }]);
    expect(await observe(id)).toBe('VALIDATING:-');
    expect(sim.packageByName('synonyms')?.PackageStatus).toBe('VALIDATING');
    expect(await observe(id)).toBe('AVAILABLE:v1');
    expect(sim.packageByName('nothing')).toBeUndefined();
  });

  test('polls count only DescribePackages responses that include the package; { polls: 0 } finishes at once', async () => {
    await useSimulator({ packageProcessingDuration: { polls: 2 } });
    const id = (await create()).PackageID!;
    const other = (await create('stopwords')).PackageID!;
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) seen.push(await observe(id));
    expect(seen).toEqual(['COPYING:-', 'COPYING:-', 'VALIDATING:-', 'VALIDATING:-', 'AVAILABLE:v1']);
    expect(await observe(other)).toBe('COPYING:-');

    await useSimulator({ packageProcessingDuration: { polls: 0 } });
    const quick = (await create()).PackageID!;
    expect(await describeIds()).toMatchObject([{ PackageID: quick, PackageStatus: 'AVAILABLE', AvailablePackageVersion: 'v1' }]);
  });

  test('with { ms } each stage lasts that long whoever looks', async () => {
    await useSimulator({ packageProcessingDuration: { ms: 250 } });
    await create();
    expect(sim.packageByName('synonyms')?.PackageStatus).toBe('COPYING');
    await sleep(350);
    expect(sim.packageByName('synonyms')?.PackageStatus).toBe('VALIDATING');
    await sleep(250);
    expect(sim.packageByName('synonyms')).toMatchObject({ PackageStatus: 'AVAILABLE', AvailablePackageVersion: 'v1' });
    expect(sim.callCount('DescribePackages')).toBe(0);
  });

  test('plugins get pkg- IDs and need an engine version; EngineVersion is only for plugins', async () => {
    const plugin = await create('analysis-plugin', { PackageType: 'ZIP-PLUGIN', EngineVersion: 'OpenSearch_2.19' });
    expect(plugin.PackageID).toMatch(/^pkg-[0-9a-f]{20}$/);
    expect(plugin.EngineVersion).toBe('OpenSearch_2.19');
    expect(await failure(create('other-plugin', { PackageType: 'ZIP-PLUGIN' })))
      .toMatchObject({ name: 'ValidationException', status: 400, message: 'EngineVersion is required for packages of type ZIP-PLUGIN' });
    expect((await failure(create('bad-engine', { PackageType: 'ZIP-PLUGIN', EngineVersion: 'OpenSearch2' }))).name).toBe('ValidationException');
    expect((await failure(create('dictionary', { EngineVersion: 'OpenSearch_2.19' }))).name).toBe('ValidationException');
    expect((await create('licence', { PackageType: 'PACKAGE-LICENSE' })).PackageID).toMatch(/^pkg-/);
  });

  test('CreatePackage validates the name, the type and the source', async () => {
    for (const name of ['ab', 'Synonyms', '1synonyms', 'syn_onyms', 'a'.repeat(257)]) {
      expect(await failure(create(name))).toMatchObject({ name: 'ValidationException', status: 400 });
    }
    expect((await create('a'.repeat(256))).PackageStatus).toBe('COPYING');
    expect(await failure(create('synonyms', { PackageType: 'TXT-THESAURUS' as PackageType }))).toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'TXT-THESAURUS' at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [TXT-DICTIONARY, ZIP-PLUGIN, PACKAGE-LICENSE, PACKAGE-CONFIG]",
    });
    expect((await failure(create('synonyms', { PackageSource: { S3BucketName: 'packages-bucket' } }))).name).toBe('ValidationException');
    expect((await failure(create('synonyms', { PackageSource: undefined }))).name).toBe('ValidationException');
    expect(sim.packages().map((pkg) => pkg.PackageName)).toEqual(['a'.repeat(256)]);
  });

  test('a name in use by a package that is not DELETED is ResourceAlreadyExistsException (409)', async () => {
    const first = await create();
    expect(await failure(create('synonyms', { PackageType: 'PACKAGE-CONFIG' })))
      .toMatchObject({ name: 'ResourceAlreadyExistsException', status: 409, message: 'Package with name synonyms already exists' });
    for (let i = 0; i < 3; i++) await observe(first.PackageID!);
    await remove(first.PackageID!);
    expect((await failure(create())).name).toBe('ResourceAlreadyExistsException');
    await observe(first.PackageID!);
    expect(await observe(first.PackageID!)).toBe('DELETED:v1');
    const second = await create();
    expect(second.PackageID).not.toBe(first.PackageID);
    expect(sim.packageByName('synonyms')?.PackageID).toBe(second.PackageID);
  });

  test('a package that is COPYING or VALIDATING cannot be associated', async () => {
    const id = (await create()).PackageID!;
    const associate = () => client.send(new AssociatePackageCommand({ PackageID: id, DomainName: DOMAIN }));
    expect(await failure(associate())).toMatchObject({ name: 'ValidationException', message: 'Package is not in a valid state for association' });
    await observe(id);
    await observe(id);
    expect((await failure(associate())).name).toBe('ValidationException');
    await observe(id);
    expect((await associate()).DomainPackageDetails).toMatchObject({ DomainPackageStatus: 'ASSOCIATING', PackageVersion: 'v1' });
  });

  test('UpdatePackage goes COPYING, VALIDATING, then AVAILABLE at v2; domains keep v1 until associated again', async () => {
    sim.addPackage({ id: 'F111111111', name: 'synonyms' });
    sim.associate(DOMAIN, 'F111111111');
    const updated = await update('F111111111', 'Add frozen custard');
    expect(updated).toMatchObject({ PackageID: 'F111111111', PackageStatus: 'COPYING', AvailablePackageVersion: 'v1' });
    expect(sim.calls[0]).toMatchObject({ method: 'POST', path: '/2021-01-01/packages/update', body: { PackageID: 'F111111111', CommitMessage: 'Add frozen custard' } });
    expect(await failure(update('F111111111'))).toMatchObject({ name: 'ConflictException', status: 409 });
    expect(await observe('F111111111')).toBe('COPYING:v1');
    expect(await observe('F111111111')).toBe('VALIDATING:v1');
    expect(await observe('F111111111')).toBe('AVAILABLE:v2');
    expect(sim.domainPackages(DOMAIN)).toMatchObject([{ PackageVersion: 'v1', DomainPackageStatus: 'ACTIVE' }]);
    await update('F111111111');
    for (let i = 0; i < 3; i++) await observe('F111111111');
    expect(sim.packageByName('synonyms')?.AvailablePackageVersion).toBe('v3');
  });

  test('UpdatePackage rejects unknown, AWS-owned and overlong requests', async () => {
    expect(await failure(update('F999'))).toMatchObject({ name: 'ResourceNotFoundException', status: 409, message: 'Package not found: F999' });
    sim.addPackage({ id: 'G123456789', name: 'analysis-nori', type: 'ZIP-PLUGIN' });
    expect(await failure(update('G123456789')))
      .toMatchObject({ name: 'ValidationException', status: 400, message: 'Operation not allowed. This package cannot be updated.' });
    sim.addPackage({ id: 'F111111111', name: 'synonyms' });
    expect(await failure(update('F111111111', 'x'.repeat(161)))).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("at 'commitMessage' failed to satisfy constraint: Member must have length less than or equal to 160"),
    });
    expect((await update('F111111111', 'x'.repeat(160))).PackageStatus).toBe('COPYING');
  });

  test('a scheduled VALIDATION_FAILED on create ends with ErrorDetails and no version, once', async () => {
    const details = { ErrorType: 'InvalidSynonymRule', ErrorMessage: 'Line 7 is not a valid synonym rule' };
    sim.failNextPackageProcessing('synonyms', 'VALIDATION_FAILED', details);
    const id = (await create()).PackageID!;
    expect(await observe(id)).toBe('COPYING:-');
    expect(await observe(id)).toBe('VALIDATING:-');
    const [failed] = await describeIds(id);
    expect(failed).toMatchObject({ PackageStatus: 'VALIDATION_FAILED', ErrorDetails: details });
    expect(failed.AvailablePackageVersion).toBeUndefined();
    expect((await failure(update(id))).name).toBe('ValidationException');
    expect((await history(id)).PackageVersionHistoryList).toEqual([]);

    await remove(id);
    await observe(id); await observe(id);
    const again = (await create()).PackageID!;
    for (let i = 0; i < 3; i++) await observe(again);
    expect(sim.packageByName('synonyms')).toMatchObject({ PackageStatus: 'AVAILABLE', AvailablePackageVersion: 'v1' });
    expect(sim.packageByName('synonyms')?.ErrorDetails).toBeUndefined();
  });

  test('a scheduled COPY_FAILED on update keeps the old AvailablePackageVersion', async () => {
    sim.addPackage({ id: 'F111111111', name: 'synonyms', version: 'v4' });
    sim.failNextPackageProcessing('synonyms', 'COPY_FAILED', { ErrorType: 'AccessDenied', ErrorMessage: 'Cannot read s3://packages-bucket/synonyms.txt' });
    await update('F111111111');
    expect(await observe('F111111111')).toBe('COPYING:v4');
    expect(await describeIds('F111111111')).toMatchObject([{
      PackageStatus: 'COPY_FAILED', AvailablePackageVersion: 'v4', ErrorDetails: { ErrorType: 'AccessDenied' },
    }]);
    expect(() => sim.failNextPackageProcessing('synonyms', 'DELETED' as 'COPY_FAILED', { ErrorType: 'x', ErrorMessage: 'y' })).toThrow();
  });

  test('a scheduled DELETE_FAILED applies to the next DeletePackage only, not to an update before it', async () => {
    sim.addPackage({ id: 'F111111111', name: 'synonyms' });
    sim.failNextPackageProcessing('synonyms', 'DELETE_FAILED', { ErrorType: 'InternalFailure', ErrorMessage: 'storage unavailable' });
    await update('F111111111');
    expect(await observe('F111111111')).toBe('COPYING:v1');
    expect(await observe('F111111111')).toBe('VALIDATING:v1');
    expect(await observe('F111111111')).toBe('AVAILABLE:v2');
    await remove('F111111111');
    expect(await observe('F111111111')).toBe('DELETING:v2');
    expect(await describeIds('F111111111')).toMatchObject([{
      PackageStatus: 'DELETE_FAILED', ErrorDetails: { ErrorType: 'InternalFailure', ErrorMessage: 'storage unavailable' },
    }]);
  });

  test('a package associated with a domain in any status cannot be deleted', async () => {
    sim.addPackage({ id: 'F111111111', name: 'synonyms' });
    const expected = {
      name: 'ConflictException',
      status: 409,
      message: expect.stringContaining('Package F111111111 is associated with one or more domains'),
    };
    for (const status of ['ASSOCIATING', 'ACTIVE', 'ASSOCIATION_FAILED', 'DISSOCIATION_FAILED'] as const) {
      sim.associate(DOMAIN, 'F111111111', status);
      expect(await failure(remove('F111111111'))).toMatchObject(expected);
    }
    sim.associate(DOMAIN, 'F111111111');
    await client.send(new DissociatePackageCommand({ PackageID: 'F111111111', DomainName: DOMAIN }));
    expect(await failure(remove('F111111111'))).toMatchObject(expected);
    expect(sim.packageByName('synonyms')?.PackageStatus).toBe('AVAILABLE');
  });

  test('DeletePackage goes DELETING, then DELETED, visible only to lookups by ID', async () => {
    sim.addPackage({ id: 'F111111111', name: 'synonyms' });
    sim.addPackage({ id: 'F222222222', name: 'stopwords' });
    const deleting = await remove('F111111111');
    expect(deleting).toMatchObject({ PackageID: 'F111111111', PackageStatus: 'DELETING' });
    expect(sim.calls[0]).toMatchObject({ method: 'DELETE', path: '/2021-01-01/packages/F111111111' });
    expect(await failure(remove('F111111111'))).toMatchObject({ name: 'ConflictException', status: 409 });
    expect(await observe('F111111111')).toBe('DELETING:v1');
    expect((await describeIds()).map((pkg) => pkg.PackageID)).toEqual(['F222222222']);
    expect(await describeIds('F111111111')).toMatchObject([{ PackageStatus: 'DELETED' }]);
    expect((await client.send(new DescribePackagesCommand({ Filters: [{ Name: 'PackageName', Value: ['synonyms'] }] }))).PackageDetailsList).toEqual([]);
    expect(sim.packageByName('synonyms')?.PackageStatus).toBe('DELETED');
    expect(await failure(remove('F111111111'))).toMatchObject({ name: 'ResourceNotFoundException', status: 409 });
    expect((await failure(history('F111111111'))).name).toBe('ResourceNotFoundException');
  });

  test('AWS-owned packages cannot be deleted; unknown ones are not found', async () => {
    sim.addPackage({ id: 'G123456789', name: 'analysis-nori', type: 'ZIP-PLUGIN' });
    expect(await failure(remove('G123456789')))
      .toMatchObject({ name: 'ValidationException', status: 400, message: 'Operation not allowed. This package cannot be deleted.' });
    expect(await failure(remove('F404'))).toMatchObject({ name: 'ResourceNotFoundException', message: 'Package not found: F404' });
    expect((await failure(remove('bad-id'))).name).toBe('ValidationException');
  });

  test('GetPackageVersionHistory lists each version that became AVAILABLE, oldest first, in pages', async () => {
    const id = (await create()).PackageID!;
    expect((await history(id)).PackageVersionHistoryList).toEqual([]);
    for (let i = 0; i < 3; i++) await observe(id);
    await update(id, 'Second version');
    for (let i = 0; i < 3; i++) await observe(id);
    const response = await history(id);
    expect(response.PackageID).toBe(id);
    expect(response.NextToken).toBeUndefined();
    expect(response.PackageVersionHistoryList).toMatchObject([
      { PackageVersion: 'v1' },
      { PackageVersion: 'v2', CommitMessage: 'Second version' },
    ]);
    expect(response.PackageVersionHistoryList![0].CommitMessage).toBeUndefined();
    expect(response.PackageVersionHistoryList![1].CreatedAt).toBeInstanceOf(Date);
    expect(sim.calls.at(-1)).toMatchObject({ method: 'GET', path: `/2021-01-01/packages/${id}/history` });

    const first = await history(id, 1);
    expect(first.PackageVersionHistoryList?.map((entry) => entry.PackageVersion)).toEqual(['v1']);
    expect(sim.calls.at(-1)?.query).toEqual({ maxResults: '1' });
    const second = await history(id, 1, first.NextToken);
    expect(second.PackageVersionHistoryList?.map((entry) => entry.PackageVersion)).toEqual(['v2']);
    expect(second.NextToken).toBeUndefined();
    expect((await failure(history('F404'))).name).toBe('ResourceNotFoundException');
  });

  test('injected errors fail the new operations before they touch state', async () => {
    sim.addPackage({ id: 'F111111111', name: 'synonyms' });
    sim.injectError('CreatePackage', { type: 'ThrottlingException', status: 429, message: 'Rate exceeded' });
    sim.injectError('UpdatePackage', { type: 'InternalException' });
    sim.injectError('DeletePackage', { type: 'ConflictException', message: 'Injected conflict' });
    sim.injectError('GetPackageVersionHistory', { type: 'AccessDeniedException' }, 2);
    expect(await failure(create('stopwords'))).toMatchObject({ name: 'ThrottlingException', status: 429, message: 'Rate exceeded' });
    expect(await failure(update('F111111111'))).toMatchObject({ name: 'InternalException', status: 500 });
    expect(await failure(remove('F111111111'))).toMatchObject({ name: 'ConflictException', status: 409, message: 'Injected conflict' });
    for (let i = 0; i < 2; i++) expect(await failure(history('F111111111'))).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(sim.packages()).toMatchObject([{ PackageID: 'F111111111', PackageStatus: 'AVAILABLE', AvailablePackageVersion: 'v1' }]);
    expect((await history('F111111111')).PackageVersionHistoryList).toMatchObject([{ PackageVersion: 'v1' }]);
    for (const operation of ['CreatePackage', 'UpdatePackage', 'DeletePackage'] as const) expect(sim.callCount(operation)).toBe(1);
    expect(sim.callCount('GetPackageVersionHistory')).toBe(3);
  });
});
