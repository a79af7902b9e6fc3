import { OpenSearchSimulator } from '../simulator';
import { associationProperties, events } from './events';
import { drive, localPackageApi } from './operation-driver';
import { packageEvents, packageProperties } from './package-events';
import { PackageApi } from '../../lambda/package-api';

let sim: OpenSearchSimulator;
let api: PackageApi;

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ packageProcessingDuration: { polls: 2 }, associationDuration: { polls: 1 }, dissociationDuration: { polls: 1 } });
  sim.addDomain('search');
  api = localPackageApi(sim.endpoint);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await sim.stop();
});

describe('create', () => {
  test('creates the package, waits until it is AVAILABLE and returns its attributes', async () => {
    const outcome = await drive(api, packageEvents.create(packageProperties({ PackageDescription: 'Product synonyms' })));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toMatch(/^F\d+$/);
    expect(outcome.checks).toBeGreaterThanOrEqual(3);
    expect(outcome.result?.Data).toEqual({
      PackageID: outcome.physicalId,
      AvailablePackageVersion: 'v1',
      ReferencePath: `analyzers/${outcome.physicalId}`,
      PackageName: 'product-synonyms',
      PackageType: 'TXT-DICTIONARY',
    });
    expect(sim.calls.find(c => c.operation === 'CreatePackage')?.body).toEqual({
      PackageName: 'product-synonyms',
      PackageType: 'TXT-DICTIONARY',
      PackageSource: { S3BucketName: 'dictionaries', S3Key: 'synonyms-1.txt' },
      PackageDescription: 'Product synonyms',
    });
  });

  test('creates a plugin for its engine version, with no reference path', async () => {
    const outcome = await drive(api, packageEvents.create(packageProperties({
      PackageName: 'my-plugin', PackageType: 'ZIP-PLUGIN', EngineVersion: 'OpenSearch_2.19', S3Key: 'plugin.zip',
    })));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toMatch(/^pkg-[0-9a-f]+$/);
    expect(outcome.result?.Data?.ReferencePath).toBe('');
  });

  test.each(['VALIDATION_FAILED', 'COPY_FAILED'] as const)('fails with the service\'s error details when the package is %s', async status => {
    sim.failNextPackageProcessing('product-synonyms', status, { ErrorType: 'InvalidFile', ErrorMessage: 'Line 3 is not a synonym rule' });
    const outcome = await drive(api, packageEvents.create(packageProperties()));

    expect(outcome.error?.message).toBe(`Package product-synonyms (${outcome.physicalId}): ${status}: InvalidFile: Line 3 is not a synonym rule`);
  });

  test('fails with a hint when the package name is taken', async () => {
    sim.addPackage({ id: 'F555555555', name: 'product-synonyms' });
    await expect(drive(api, packageEvents.create(packageProperties())))
      .rejects.toThrow(/CreatePackage failed for package product-synonyms: ResourceAlreadyExistsException: .*choose another packageName, or import the existing package with CustomPackage.fromPackageId/);
  });

  test('fails naming each invalid property', async () => {
    await expect(drive(api, packageEvents.create(packageProperties({ PackageName: 'X', PackageType: 'ZIP-PLUGIN' }))))
      .rejects.toThrow(/PackageName "X" is not a valid OpenSearch package name.*EngineVersion is required for a ZIP-PLUGIN package/);
    expect(sim.calls).toHaveLength(0);
  });
});

describe('update', () => {
  test('updates the package in place when its source changes and reports the new version', async () => {
    const v1 = packageProperties();
    const created = await drive(api, packageEvents.create(v1));
    const v2 = packageProperties({ S3Key: 'synonyms-2.txt' });
    const outcome = await drive(api, packageEvents.update(created.physicalId, v2, v1));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(created.physicalId);
    expect(outcome.result?.Data?.AvailablePackageVersion).toBe('v2');
    expect(sim.calls.find(c => c.operation === 'UpdatePackage')?.body).toEqual(expect.objectContaining({
      PackageID: created.physicalId, PackageSource: { S3BucketName: 'dictionaries', S3Key: 'synonyms-2.txt' },
    }));
  });

  test('updates the package when only the S3 object version changes', async () => {
    const v1 = packageProperties({ S3ObjectVersion: 'a' });
    const created = await drive(api, packageEvents.create(v1));
    const outcome = await drive(api, packageEvents.update(created.physicalId, packageProperties({ S3ObjectVersion: 'b' }), v1));

    expect(outcome.result?.Data?.AvailablePackageVersion).toBe('v2');
  });

  test('leaves the package alone when only the wait changes', async () => {
    const v1 = packageProperties();
    const created = await drive(api, packageEvents.create(v1));
    const outcome = await drive(api, packageEvents.update(created.physicalId, packageProperties({ WaitSeconds: '900' }), v1));

    expect(outcome.result?.Data?.AvailablePackageVersion).toBe('v1');
    expect(sim.callCount('UpdatePackage')).toBe(0);
  });

  test('creates a new package when the name changes, so CloudFormation replaces the old one', async () => {
    const v1 = packageProperties();
    const created = await drive(api, packageEvents.create(v1));
    const outcome = await drive(api, packageEvents.update(created.physicalId, packageProperties({ PackageName: 'synonyms-next' }), v1));

    expect(outcome.physicalId).not.toBe(created.physicalId);
    expect(sim.callCount('CreatePackage')).toBe(2);
  });

  test('fails with advice when the type changes but the name stays', async () => {
    const v1 = packageProperties();
    const created = await drive(api, packageEvents.create(v1));
    await expect(drive(api, packageEvents.update(created.physicalId, packageProperties({ PackageType: 'PACKAGE-CONFIG' }), v1)))
      .rejects.toThrow(/give the package a new packageName to replace it/);
  });

  test('fails with the service\'s details when the new version does not validate, keeping the old version', async () => {
    const v1 = packageProperties();
    const created = await drive(api, packageEvents.create(v1));
    sim.failNextPackageProcessing('product-synonyms', 'VALIDATION_FAILED', { ErrorType: 'InvalidFile', ErrorMessage: 'bad rule' });
    const outcome = await drive(api, packageEvents.update(created.physicalId, packageProperties({ S3Key: 'synonyms-2.txt' }), v1));

    expect(outcome.error?.message).toMatch(/VALIDATION_FAILED: InvalidFile: bad rule/);
    expect(sim.packageByName('product-synonyms')?.AvailablePackageVersion).toBe('v1');
  });
});

describe('delete', () => {
  test('deletes the package and waits until it is gone', async () => {
    const created = await drive(api, packageEvents.create(packageProperties()));
    const outcome = await drive(api, packageEvents.delete(created.physicalId, packageProperties()));

    expect(outcome.error).toBeUndefined();
    expect(sim.callCount('DeletePackage')).toBe(1);
    expect(sim.packages().filter(p => p.PackageStatus !== 'DELETED')).toEqual([]);
  });

  test('succeeds when the package is already gone', async () => {
    const outcome = await drive(api, packageEvents.delete('F404040404', packageProperties()));
    expect(outcome.error).toBeUndefined();
  });

  test('waits while an association still holds the package, then deletes it', async () => {
    const created = await drive(api, packageEvents.create(packageProperties()));
    const association = associationProperties({ PackageID: created.physicalId });
    await drive(api, events.create(association));

    const outcome = await drive(api, packageEvents.delete(created.physicalId, packageProperties()), {
      beforeCheck: check => {
        if (check === 3) void drive(api, events.delete(`search/${created.physicalId}`, association));
      },
    });

    expect(outcome.error).toBeUndefined();
    expect(sim.domainPackages('search')).toEqual([]);
  });

  test('times out with a reason when an association outside the stack keeps holding the package', async () => {
    const created = await drive(api, packageEvents.create(packageProperties({ WaitSeconds: '60' })));
    sim.associate('search', created.physicalId);
    const outcome = await drive(api, packageEvents.delete(created.physicalId, packageProperties({ WaitSeconds: '60' })));

    expect(outcome.error?.message).toMatch(
      /^Timed out after 60 seconds waiting for Package product-synonyms \(F\d+\) to be deleted \(it may still exist: an association outside this stack can hold it\) \(last status: AVAILABLE\)\.$/);
    // onEvent's attempt, then isComplete's until the deadline
    expect(sim.callCount('DeletePackage')).toBe(7);
  });
});
