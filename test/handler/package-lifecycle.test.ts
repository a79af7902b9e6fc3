import { OpenSearchSimulator } from '../simulator';
import { associationEvents, associationProperties, packageEvents, packageProperties } from './events';
import { drive, localClients } from './operation-driver';
import { Clients } from '../../lambda/clients';
import { MAX_ATTEMPTS } from '../../lambda/package-api';
import { MARK_LENGTH } from '../../lambda/package-ownership-mark';

let sim: OpenSearchSimulator;
let apis: Clients;

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ packageProcessingDuration: { polls: 2 }, associationDuration: { polls: 1 }, dissociationDuration: { polls: 1 } });
  sim.addDomain('search');
  apis = localClients(sim.endpoint);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await sim.stop();
});

const v1 = packageProperties();
const v2 = packageProperties({ S3Key: 'synonyms-2.txt' });
/** The ID of the live package with this name. */
const idOf = (name = 'product-synonyms') => sim.packageByName(name)!.PackageID!;
const updates = () => sim.calls.filter(c => c.operation === 'UpdatePackage').map(c => c.body as Record<string, unknown>);
/** The mark the handler writes into the description of the packages the resource `Synonyms` of stack `Test` creates. */
const MARK = /\(managed by stack Test, resource Synonyms, mark [0-9a-f]{16}\)$/;
/** The description another stack's handler writes. */
const othersMark = (stack: string) => `(managed by stack ${stack}, resource Synonyms, mark 0123456789abcdef)`;

async function created(props = v1) {
  const outcome = await drive(apis, packageEvents.create(props));
  expect(outcome.error).toBeUndefined();
  return outcome.physicalId;
}

describe('create', () => {
  test('names the package in the physical ID with its source, creates it in isComplete, waits until it is AVAILABLE and returns the attributes', async () => {
    const outcome = await drive(apis, packageEvents.create(packageProperties({ PackageDescription: 'Product synonyms' })));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toMatch(/^product-synonyms from:[0-9a-f]{16}$/);
    expect(outcome.started).toMatchObject({ Creates: true, FirstCheckDelaySeconds: 0 });
    expect(sim.calls.findIndex(c => c.operation === 'CreatePackage')).toBeGreaterThan(0);
    const id = idOf();
    expect(outcome.result?.Data).toEqual({
      PackageID: id,
      AvailablePackageVersion: 'v1',
      ReferencePath: `analyzers/${id}`,
      PackageName: 'product-synonyms',
      PackageType: 'TXT-DICTIONARY',
      // The first version, made by CreatePackage, has no commit message.
      LatestCommitMessage: '',
      LatestVersionCreatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(sim.calls.find(c => c.operation === 'CreatePackage')?.body).toEqual({
      PackageName: 'product-synonyms',
      PackageType: 'TXT-DICTIONARY',
      PackageSource: { S3BucketName: 'dictionaries', S3Key: 'synonyms-1.txt' },
      PackageDescription: expect.stringMatching(new RegExp(`^Product synonyms\n${MARK.source}`)),
    });
  });

  test('creates a plugin for its engine version, with no reference path', async () => {
    const outcome = await drive(apis, packageEvents.create(packageProperties({
      PackageName: 'my-plugin', PackageType: 'ZIP-PLUGIN', EngineVersion: 'OpenSearch_2.19', S3Key: 'plugin.zip',
    })));

    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.Data?.PackageID).toMatch(/^pkg-[0-9a-f]+$/);
    expect(outcome.result?.Data?.ReferencePath).toBe('');
  });

  test.each(['VALIDATION_FAILED', 'COPY_FAILED'] as const)('fails with the service\'s error details when the package is %s', async status => {
    sim.failNextPackageProcessing('product-synonyms', status, { ErrorType: 'InvalidFile', ErrorMessage: 'Line 3 is not a synonym rule' });
    const outcome = await drive(apis, packageEvents.create(v1));

    expect(outcome.error?.message).toBe(`Package product-synonyms (${idOf()}): ${status}: InvalidFile: Line 3 is not a synonym rule`);
  });

  test('fails in onEvent, with advice, when another package holds the name', async () => {
    sim.addPackage({ id: 'F555555555', name: 'product-synonyms' });
    await expect(drive(apis, packageEvents.create(v1))).rejects.toThrow(
      'Package product-synonyms: the name is taken by package F555555555 (AVAILABLE), which this resource did not create '
      + '(its description carries no mark of this library: it was made by hand or by another tool). '
      + 'Package names are unique per account and Region (a plugin\'s per engine version): choose another packageName, '
      + 'or import the existing package with CustomPackage.fromPackageId. This resource created nothing.');
  });

  test('loses the name to another stack\'s package created at the same moment: fails naming that stack, creates nothing, and its rollback leaves the package', async () => {
    // Both stacks' handlers found the name free; the other's CreatePackage won it, so this one's is refused.
    sim.injectError('CreatePackage', { type: 'ResourceAlreadyExistsException', message: 'Package with name product-synonyms already exists' });
    const outcome = await drive(apis, packageEvents.create(v1), {
      beforeCheck: check => void (check === 2 && sim.addPackage({ id: 'F555555555', name: 'product-synonyms', description: othersMark('Staging') })),
    });

    expect(outcome.error?.message).toContain('the name is taken by package F555555555 (AVAILABLE), which this resource did not create (stack Staging (resource Synonyms) created it)');
    expect(sim.callCount('CreatePackage')).toBe(1);
    const rollback = await drive(apis, packageEvents.delete(outcome.physicalId, v1));
    expect(rollback.error).toBeUndefined();
    expect(sim.callCount('DeletePackage')).toBe(0);
    expect(sim.packageByName('product-synonyms')).toMatchObject({ PackageID: 'F555555555', PackageStatus: 'AVAILABLE' });
  });

  test('a package this very resource created (a request delivered twice) is its own', async () => {
    const physicalId = await created();
    const again = await drive(apis, packageEvents.create(v1));
    expect(again.error).toBeUndefined();
    expect(again.physicalId).toBe(physicalId);
    expect(sim.callCount('CreatePackage')).toBe(1);
  });

  test('a CreatePackage whose answer was lost on the way back is found by its name, and not created twice', async () => {
    sim.injectError('CreatePackage', { type: 'InternalException', afterApplying: true });
    const outcome = await drive(apis, packageEvents.create(v1));

    expect(outcome.error).toBeUndefined();
    expect(sim.callCount('CreatePackage')).toBe(1);
    expect(sim.packages().map(p => p.PackageName)).toEqual(['product-synonyms']);
  });

  test('fails naming each invalid property', async () => {
    await expect(drive(apis, packageEvents.create(packageProperties({ PackageName: 'X', PackageType: 'ZIP-PLUGIN' }))))
      .rejects.toThrow(/PackageName "X" is not a valid OpenSearch package name.*EngineVersion is required for a ZIP-PLUGIN package/);
    expect(sim.calls).toHaveLength(0);
  });

  test('a package another stack created under the same name and logical ID is not this stack\'s: its create is refused, naming that stack', async () => {
    await created();
    const inStaging = { ...packageEvents.create(v1), StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Staging/other-guid' };

    await expect(drive(apis, inStaging)).rejects.toThrow(
      /the name is taken by package \S+ \(AVAILABLE\), which this resource did not create \(stack Test \(resource Synonyms\) created it\)/);
    expect(sim.callCount('CreatePackage')).toBe(1);
  });

  test('a logical ID too long for the whole mark gets the mark without it, which keeps the description within 1024 characters and still names the package this resource\'s', async () => {
    // With this logical ID, the whole mark is exactly MARK_LENGTH characters: one too many with the newline before it.
    const logicalId = 'S'.repeat(MARK_LENGTH - '(managed by stack Test, resource , mark 0123456789abcdef)'.length);
    const description = 'd'.repeat(1024 - MARK_LENGTH);
    const props = packageProperties({ PackageDescription: description });
    const outcome = await drive(apis, { ...packageEvents.create(props), LogicalResourceId: logicalId });
    expect(outcome.error).toBeUndefined();
    expect(sim.packageByName('product-synonyms')?.PackageDescription).toMatch(new RegExp(`^${description}\n\\(managed by stack Test, mark [0-9a-f]{16}\\)$`));

    const updated = await drive(apis, { ...packageEvents.update(outcome.physicalId, { ...props, S3Key: 'synonyms-2.txt' }, props), LogicalResourceId: logicalId });
    expect(updated.error).toBeUndefined();
    expect(updated.result?.Data?.AvailablePackageVersion).toBe('v2');
  });
});

describe('update', () => {
  test('updates the package in place when its source changes, with a commit message that names the source', async () => {
    const physicalId = await created();
    const outcome = await drive(apis, packageEvents.update(physicalId, v2, v1));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(physicalId);
    expect(outcome.result?.Data?.AvailablePackageVersion).toBe('v2');
    expect(updates()).toEqual([{
      PackageID: idOf(),
      PackageSource: { S3BucketName: 'dictionaries', S3Key: 'synonyms-2.txt' },
      PackageDescription: expect.stringMatching(new RegExp(`^${MARK.source}`)),
      CommitMessage: 'From s3://dictionaries/synonyms-2.txt',
    }]);
  });

  test.each(['Update', 'Delete'] as const)('%s: a DescribePackages storm that outlasts the SDK\'s attempts in onEvent is waited out by isComplete', async requestType => {
    const physicalId = await created();
    sim.injectError('DescribePackages', { type: 'InternalException' }, MAX_ATTEMPTS);
    const outcome = await drive(apis, requestType === 'Update' ? packageEvents.update(physicalId, v2, v1) : packageEvents.delete(physicalId, v2));

    expect(outcome.error).toBeUndefined();
    expect(outcome.started).toMatchObject({ Baseline: {} });
    expect(sim.packages().filter(p => p.PackageStatus !== 'DELETED').map(p => p.AvailablePackageVersion)).toEqual(requestType === 'Update' ? ['v2'] : []);
  }, 30_000);

  test('Update: a version-history storm that outlasts the SDK\'s attempts in onEvent is waited out by isComplete', async () => {
    const physicalId = await created();
    sim.injectError('GetPackageVersionHistory', { type: 'InternalException' }, MAX_ATTEMPTS);
    const outcome = await drive(apis, packageEvents.update(physicalId, v2, v1));

    expect(outcome.error).toBeUndefined();
    expect(outcome.started).toMatchObject({ FirstCheckDelaySeconds: 0 });
    expect(outcome.result?.Data?.AvailablePackageVersion).toBe('v2');
  }, 30_000);

  test('Create: a DescribePackages storm that outlasts the SDK\'s attempts in onEvent leaves the name check to isComplete, which makes it before creating', async () => {
    sim.injectError('DescribePackages', { type: 'InternalException' }, MAX_ATTEMPTS);
    const outcome = await drive(apis, packageEvents.create(v1));
    expect(outcome.error).toBeUndefined();
    expect(sim.packages().map(p => `${p.PackageName} ${p.PackageStatus}`)).toEqual(['product-synonyms AVAILABLE']);

    sim.addPackage({ id: 'F999999999', name: 'taken-synonyms' });
    sim.injectError('DescribePackages', { type: 'InternalException' }, MAX_ATTEMPTS);
    const taken = await drive(apis, packageEvents.create(packageProperties({ PackageName: 'taken-synonyms' })));
    expect(taken.error?.message).toMatch(/^Package taken-synonyms: the name is taken by package F999999999 .* This resource created nothing\.$/);
    expect(sim.calls.filter(c => c.operation === 'CreatePackage')).toHaveLength(1);
  }, 30_000);

  test('names a CDK asset by its hash in the commit message', async () => {
    const physicalId = await created();
    const asset = packageProperties({ S3BucketName: 'cdk-assets', S3Key: `${'ab12'.repeat(16)}.txt` });
    await drive(apis, packageEvents.update(physicalId, asset, v1));
    expect(updates()[0]).toMatchObject({ CommitMessage: `From CDK asset ${'ab12'.repeat(16)}` });
  });

  test('updates when only the S3 object version changes, and when only the description changes', async () => {
    const physicalId = await created(packageProperties({ S3ObjectVersion: 'a' }));
    const b = packageProperties({ S3ObjectVersion: 'b' });
    expect((await drive(apis, packageEvents.update(physicalId, b, packageProperties({ S3ObjectVersion: 'a' })))).result?.Data?.AvailablePackageVersion).toBe('v2');
    const described = packageProperties({ S3ObjectVersion: 'b', PackageDescription: 'now described' });
    expect((await drive(apis, packageEvents.update(physicalId, described, b))).result?.Data?.AvailablePackageVersion).toBe('v3');
    expect(updates().map(u => u.CommitMessage)).toEqual(['From s3://dictionaries/synonyms-1.txt version b', 'From s3://dictionaries/synonyms-1.txt version b']);
  });

  test('leaves the package alone when only the wait changes', async () => {
    const physicalId = await created();
    const outcome = await drive(apis, packageEvents.update(physicalId, packageProperties({ WaitSeconds: '900' }), v1));

    expect(outcome.result?.Data?.AvailablePackageVersion).toBe('v1');
    expect(outcome.started).toMatchObject({ FirstCheckDelaySeconds: 0 });
    expect(updates()).toEqual([]);
  });

  test('fails with the service\'s details when the new version does not validate, keeping the old version', async () => {
    const physicalId = await created();
    sim.failNextPackageProcessing('product-synonyms', 'VALIDATION_FAILED', { ErrorType: 'InvalidFile', ErrorMessage: 'bad rule' });
    const outcome = await drive(apis, packageEvents.update(physicalId, v2, v1));

    expect(outcome.error?.message).toMatch(/VALIDATION_FAILED: InvalidFile: bad rule/);
    expect(sim.packageByName('product-synonyms')).toMatchObject({ PackageStatus: 'VALIDATION_FAILED', AvailablePackageVersion: 'v1' });
  });

  describe('after an update that failed validation (the package VALIDATION_FAILED, its previous version in use)', () => {
    async function failedUpdate() {
      const physicalId = await created();
      sim.failNextPackageProcessing('product-synonyms', 'VALIDATION_FAILED', { ErrorType: 'InvalidFile', ErrorMessage: 'bad rule' });
      expect((await drive(apis, packageEvents.update(physicalId, v2, v1))).error).toBeDefined();
      return physicalId;
    }

    test('the rollback, which asks for the previous source, succeeds without UpdatePackage: that source\'s version is the one available', async () => {
      const physicalId = await failedUpdate();
      const rollback = await drive(apis, packageEvents.update(physicalId, v1, v2));

      expect(rollback.error).toBeUndefined();
      expect(rollback.result?.Data?.AvailablePackageVersion).toBe('v1');
      expect(updates()).toHaveLength(1);
    });

    test('an update that changes only the wait succeeds', async () => {
      const physicalId = await failedUpdate();
      const outcome = await drive(apis, packageEvents.update(physicalId, packageProperties({ WaitSeconds: '900' }), v1));
      expect(outcome.error).toBeUndefined();
    });

    test('a fixed file is refused by a service that does not update a failed package, with advice', async () => {
      const physicalId = await failedUpdate();
      await expect(drive(apis, packageEvents.update(physicalId, packageProperties({ S3Key: 'synonyms-3.txt' }), v1))).rejects.toThrow(
        /UpdatePackage failed: ValidationException: Package F\d+ is VALIDATION_FAILED; only AVAILABLE packages can be updated\. .*give the package a new packageName to replace it/);
    });
  });

  test('the rollback of an update that succeeded (a later resource failed) brings the previous source back as a new version', async () => {
    const physicalId = await created();
    await drive(apis, packageEvents.update(physicalId, v2, v1));
    const rollback = await drive(apis, packageEvents.update(physicalId, v1, v2));

    expect(rollback.result?.Data?.AvailablePackageVersion).toBe('v3');
    expect(updates().map(u => u.CommitMessage)).toEqual(['From s3://dictionaries/synonyms-2.txt', 'From s3://dictionaries/synonyms-1.txt']);
  });

  test('a new name creates a new package that records the one it replaces; the rollback returns to that one', async () => {
    const physicalId = await created();
    const renamed = packageProperties({ PackageName: 'synonyms-next' });
    const forward = await drive(apis, packageEvents.update(physicalId, renamed, v1));
    expect(forward.error).toBeUndefined();
    expect(forward.physicalId).toMatch(new RegExp(`^synonyms-next from:[0-9a-f]{16} replaces:${physicalId}$`));

    const rollback = await drive(apis, packageEvents.update(forward.physicalId, v1, renamed));

    expect(rollback.error).toBeUndefined();
    expect(rollback.physicalId).toBe(physicalId);
    expect(sim.callCount('CreatePackage')).toBe(2);
  });

  test('a new name taken by a package of someone else is refused', async () => {
    const physicalId = await created();
    sim.addPackage({ id: 'F777777777', name: 'taken-name', createdAt: 0 });
    await expect(drive(apis, packageEvents.update(physicalId, packageProperties({ PackageName: 'taken-name' }), v1)))
      .rejects.toThrow(/the name is taken by package F777777777/);
  });

  test('a new type under the same name is refused with advice, and its rollback is accepted', async () => {
    const physicalId = await created();
    const config = packageProperties({ PackageType: 'PACKAGE-CONFIG' });
    await expect(drive(apis, packageEvents.update(physicalId, config, v1))).rejects.toThrow(
      /the package is TXT-DICTIONARY, and a package's type cannot change in place .*give the package a new packageName to replace it/);
    expect((await drive(apis, packageEvents.update(physicalId, v1, config))).error).toBeUndefined();
  });

  test('a new package that fails validation is deleted again, and the reason says so (CloudFormation keeps the previous package)', async () => {
    const physicalId = await created();
    sim.failNextPackageProcessing('synonyms-next', 'VALIDATION_FAILED', { ErrorType: 'InvalidFile', ErrorMessage: 'bad rule' });
    const outcome = await drive(apis, packageEvents.update(physicalId, packageProperties({ PackageName: 'synonyms-next' }), v1));

    expect(outcome.error?.message).toMatch(/VALIDATION_FAILED: InvalidFile: bad rule The new package synonyms-next \(F\d+\) is being deleted \(DeletePackage called\); CloudFormation keeps the previous package\.$/);
    expect(['DELETING', 'DELETED']).toContain(sim.packageByName('synonyms-next')?.PackageStatus);
  });

  test('a package deleted out of band is created again under the same physical ID', async () => {
    const physicalId = await created();
    const first = idOf();
    await drive(apis, packageEvents.delete(physicalId, v1));
    const outcome = await drive(apis, packageEvents.update(physicalId, v2, v1));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(physicalId);
    expect(idOf()).not.toBe(first);
  });

  test('a package deleted by hand while its update is waited for fails the update, saying the package is gone', async () => {
    const physicalId = await created();
    const id = idOf();
    const outcome = await drive(apis, packageEvents.update(physicalId, v2, v1), { beforeCheck: check => { if (check === 2) sim.deletePackage(id); } });

    expect(outcome.error?.message).toBe('Package product-synonyms: the package is gone');
  });
});

describe('delete', () => {
  test('deletes the package and waits until it is gone', async () => {
    const physicalId = await created();
    const outcome = await drive(apis, packageEvents.delete(physicalId, v1));

    expect(outcome.error).toBeUndefined();
    expect(sim.callCount('DeletePackage')).toBe(1);
    expect(sim.packages().filter(p => p.PackageStatus !== 'DELETED')).toEqual([]);
  });

  test('succeeds when the package is already gone', async () => {
    const outcome = await drive(apis, packageEvents.delete('product-synonyms from:0', v1));
    expect(outcome.error).toBeUndefined();
  });

  test('deletes a package whose earlier deletion failed again, and retries the service\'s own failure ("Try again"); another failure is reported', async () => {
    const physicalId = await created();
    sim.setPackageStatus(idOf(), 'DELETE_FAILED', { ErrorType: 'ValidationException', ErrorMessage: 'in use' });
    expect((await drive(apis, packageEvents.delete(physicalId, v1))).error).toBeUndefined();

    const stopwords = packageProperties({ PackageName: 'stopwords' });
    const other = await created(stopwords);
    sim.failNextPackageProcessing('stopwords', 'DELETE_FAILED', { ErrorType: 'InternalException', ErrorMessage: 'Internal error. Try again.' });
    sim.failNextPackageProcessing('stopwords', 'DELETE_FAILED', { ErrorType: 'InternalFailure', ErrorMessage: 'storage unavailable' });
    expect((await drive(apis, packageEvents.delete(other, stopwords))).error).toBeUndefined();
    expect(sim.callCount('DeletePackage')).toBe(4);

    const third = await created(packageProperties({ PackageName: 'user-dictionary' }));
    sim.failNextPackageProcessing('user-dictionary', 'DELETE_FAILED', { ErrorType: 'DependencyViolation', ErrorMessage: 'referenced by a domain snapshot' });
    const outcome = await drive(apis, packageEvents.delete(third, packageProperties({ PackageName: 'user-dictionary' })));
    expect(outcome.error?.message).toBe(`Package user-dictionary (${idOf('user-dictionary')}): DELETE_FAILED: DependencyViolation: referenced by a domain snapshot`);
  });

  test('leaves a package of the same name that another resource created (the name was lost to it, or it replaced this one by hand)', async () => {
    sim.addPackage({ id: 'F555555555', name: 'product-synonyms', description: othersMark('Staging') });
    const outcome = await drive(apis, packageEvents.delete('product-synonyms from:0', v1));
    expect(outcome.error).toBeUndefined();
    expect(sim.callCount('DeletePackage')).toBe(0);
  });

  test('waits while this stack\'s association is still leaving the domain, then deletes the package', async () => {
    const physicalId = await created();
    const packageId = idOf();
    sim.associate('search', packageId, 'DISSOCIATING');
    // The dissociation ends once a ListPackagesForDomain has seen it (the simulator counts observations, not time).
    const outcome = await drive(apis, packageEvents.delete(physicalId, v1), { beforeCheck: () => void apis.opensearch('us-east-1').listDomainPackages('search') });

    expect(outcome.error).toBeUndefined();
    expect(sim.domainPackages('search')).toEqual([]);
  });

  test('fails at once, naming the domains, when a domain outside the operation still holds the package', async () => {
    const physicalId = await created();
    const packageId = idOf();
    await drive(apis, associationEvents.create(associationProperties({ PackageID: packageId })));
    sim.associate('search', packageId);

    await expect(drive(apis, packageEvents.delete(physicalId, v1))).rejects.toThrow(new RegExp(
      `Package product-synonyms \\(${packageId}\\): DeletePackage refused \\(ConflictException: .*\\): the package is still associated with domain search \\(ACTIVE\\)\\. `
      + 'Dissociate it from those domains, or give the package the removal policy RETAIN.'));
    expect(sim.callCount('DeletePackage')).toBe(1);
  });

  test('a deletion that fails again after an earlier failed one is reported, not retried until the timeout', async () => {
    const physicalId = await created();
    sim.setPackageStatus(idOf(), 'DELETE_FAILED', { ErrorType: 'DependencyViolation', ErrorMessage: 'referenced by a domain snapshot' });
    sim.failNextPackageProcessing('product-synonyms', 'DELETE_FAILED', { ErrorType: 'DependencyViolation', ErrorMessage: 'still referenced by a domain snapshot' });
    const outcome = await drive(apis, packageEvents.delete(physicalId, v1));

    expect(outcome.error?.message).toBe(`Package product-synonyms (${idOf()}): DELETE_FAILED: DependencyViolation: still referenced by a domain snapshot`);
    expect(sim.callCount('DeletePackage')).toBe(1);
  });
});

describe('plugins', () => {
  const plugin = (engine: string, extra: Partial<ReturnType<typeof packageProperties>> = {}) => packageProperties({
    PackageName: 'my-plugin', PackageType: 'ZIP-PLUGIN', EngineVersion: engine, S3Key: 'plugin.zip', ...extra,
  });
  const live = (engine: string) => sim.packages().find(p => p.PackageName === 'my-plugin' && p.EngineVersion === engine && p.PackageStatus !== 'DELETED');

  test('a new engine version is a new package of the same name, recorded with the one it replaces, which CloudFormation then deletes', async () => {
    const physicalId = await created(plugin('OpenSearch_2.17'));
    expect(physicalId).toMatch(/^my-plugin engine:OpenSearch_2\.17 from:[0-9a-f]{16}$/);

    const forward = await drive(apis, packageEvents.update(physicalId, plugin('OpenSearch_2.19'), plugin('OpenSearch_2.17')));

    expect(forward.error).toBeUndefined();
    expect(forward.physicalId).toMatch(new RegExp(`^my-plugin engine:OpenSearch_2\\.19 from:[0-9a-f]{16} replaces:${physicalId}$`));
    expect(forward.result?.Data?.PackageID).toBe(live('OpenSearch_2.19')?.PackageID);
    const cleanup = await drive(apis, packageEvents.delete(physicalId, plugin('OpenSearch_2.17')));
    expect(cleanup.error).toBeUndefined();
    expect(live('OpenSearch_2.17')).toBeUndefined();
    expect(live('OpenSearch_2.19')).toBeDefined();
  });

  test('sends PackageConfiguration and the KMS key on CreatePackage, and updates the package when either changes', async () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1111';
    const configuration = { LicenseRequirement: 'REQUIRED', LicenseFilepath: 'config/x.lic', ConfigurationRequirement: 'NONE', RequiresRestartForConfigurationUpdate: 'true' };
    const first = plugin('OpenSearch_2.19', { PackageConfiguration: configuration, KmsKeyArn: key });
    const physicalId = await created(first);
    expect(sim.calls.find(c => c.operation === 'CreatePackage')?.body).toMatchObject({
      PackageConfiguration: { ...configuration, RequiresRestartForConfigurationUpdate: true },
      PackageEncryptionOptions: { EncryptionEnabled: true, KmsKeyIdentifier: key },
    });
    expect((await drive(apis, packageEvents.update(physicalId, first, first))).error).toBeUndefined();
    expect(updates()).toEqual([]);

    const optional = plugin('OpenSearch_2.19', { PackageConfiguration: { ...configuration, LicenseRequirement: 'OPTIONAL' } });
    const outcome = await drive(apis, packageEvents.update(physicalId, optional, first));

    expect(outcome.error).toBeUndefined();
    expect(updates()).toEqual([expect.objectContaining({
      PackageConfiguration: { ...configuration, LicenseRequirement: 'OPTIONAL', RequiresRestartForConfigurationUpdate: true },
      PackageEncryptionOptions: { EncryptionEnabled: false },
    })]);
    expect(live('OpenSearch_2.19')).toMatchObject({ AvailablePackageVersion: 'v2', AvailablePackageConfiguration: { LicenseRequirement: 'OPTIONAL' } });
    expect(live('OpenSearch_2.19')?.PackageEncryptionOptions).toBeUndefined();
    // The version history's newest entry is an attribute: which source the version came from.
    expect(outcome.result?.Data?.LatestCommitMessage).toBe('From s3://dictionaries/plugin.zip');
  });

  test('refuses a plugin configuration with an invalid requirement level, naming the field', async () => {
    await expect(drive(apis, packageEvents.create(plugin('OpenSearch_2.19', { PackageConfiguration: { LicenseRequirement: 'MAYBE', ConfigurationRequirement: 'NONE' } }))))
      .rejects.toThrow('PackageConfiguration.LicenseRequirement "MAYBE" is not a requirement level: the API accepts REQUIRED, OPTIONAL, NONE.');
  });
});
