import { OpenSearchSimulator } from '../simulator';
import { associationProperties, events, RESPONSE_URL } from './events';
import { drive, localPackageApi } from './operation-driver';
import { PackageApi } from '../../lambda/package-api';
import { AnyIsCompleteEvent, checkResourceOperation, startResourceOperation } from '../../lambda/resource-router';

let sim: OpenSearchSimulator;
let api: PackageApi;
let logs: string[];

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ associationDuration: { polls: 2 }, dissociationDuration: { polls: 2 } });
  sim.addDomain('search');
  sim.addPackage({ id: 'F111111111', name: 'synonyms', version: 'v1' });
  sim.addPackage({ id: 'F222222222', name: 'stopwords', version: 'v1' });
  api = localPackageApi(sim.endpoint);
  logs = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(line); });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await sim.stop();
});

const status = (packageId = 'F111111111', domain = 'search') =>
  sim.domainPackages(domain).find(p => p.PackageID === packageId)?.DomainPackageStatus;

describe('create', () => {
  test('associates the package, waits until ACTIVE and returns its attributes', async () => {
    const outcome = await drive(api, events.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe('search/F111111111');
    expect(outcome.checks).toBeGreaterThanOrEqual(3);
    expect(outcome.result?.Data).toEqual({
      ReferencePath: 'analyzers/F111111111',
      PackageVersion: 'v1',
      PackageName: 'synonyms',
      PackageType: 'TXT-DICTIONARY',
      DomainPackageStatus: 'ACTIVE',
    });
    expect(status()).toBe('ACTIVE');
    expect(sim.callCount('AssociatePackage')).toBe(1);
  });

  test('sends the prerequisites and the key-store access option', async () => {
    sim.addPackage({ id: 'pkg-0abc', name: 'plugin', type: 'ZIP-PLUGIN' });
    const outcome = await drive(api, events.create(associationProperties({
      PrerequisitePackageIDList: ['pkg-0abc'],
      KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/key-store',
    })));

    expect(outcome.error).toBeUndefined();
    const call = sim.calls.find(c => c.operation === 'AssociatePackage');
    expect(call?.body).toEqual({
      PrerequisitePackageIDList: ['pkg-0abc'],
      AssociationConfiguration: { KeyStoreAccessOption: { KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/key-store', KeyStoreAccessEnabled: true } },
    });
  });

  test('waits until the package is AVAILABLE before associating it', async () => {
    sim.setPackageStatus('F111111111', 'VALIDATING');
    const outcome = await drive(api, events.create(associationProperties()), {
      beforeCheck: check => check === 4 && sim.setPackageStatus('F111111111', 'AVAILABLE'),
    });

    expect(outcome.error).toBeUndefined();
    const associateAt = sim.calls.findIndex(c => c.operation === 'AssociatePackage');
    const describes = sim.calls.slice(0, associateAt).filter(c => c.operation === 'DescribePackages');
    expect(describes.length).toBeGreaterThanOrEqual(4);
  });

  test('waits while the domain is processing a change', async () => {
    sim.setDomainProcessing('search', true);
    const outcome = await drive(api, events.create(associationProperties()), {
      beforeCheck: check => check === 3 && sim.setDomainProcessing('search', false),
    });

    expect(outcome.error).toBeUndefined();
    expect(sim.callCount('DescribeDomain')).toBeGreaterThanOrEqual(3);
    expect(sim.callCount('AssociatePackage')).toBe(1);
  });

  test('still associates when DescribeDomain is refused, leaving conflicts to the retry', async () => {
    sim.injectError('DescribeDomain', { type: 'AccessDeniedException', status: 403, message: 'not allowed' });
    const outcome = await drive(api, events.create(associationProperties()));
    expect(outcome.error).toBeUndefined();
    expect(status()).toBe('ACTIVE');
  });

  test('fails at once with the service\'s error details when the association fails', async () => {
    sim.failNextAssociation('search', 'F111111111', { ErrorType: 'ValidationFailed', ErrorMessage: 'Synonym rule on line 7 is invalid' });
    const outcome = await drive(api, events.create(associationProperties()));

    expect(outcome.error?.message).toBe(
      'Package F111111111 on domain search: ASSOCIATION_FAILED: ValidationFailed: Synonym rule on line 7 is invalid');
    expect(outcome.checks).toBeLessThanOrEqual(5);
  });

  test('calls AssociatePackage from onEvent, after one List, so that the first check can see the association', async () => {
    await startResourceOperation(api, events.create(associationProperties()));

    expect(sim.calls.map(call => call.operation)).toEqual(['ListPackagesForDomain', 'DescribePackages', 'DescribeDomain', 'AssociatePackage']);
    expect(status()).toBe('ASSOCIATING');
  });

  test('leaves the first step to isComplete when onEvent meets a transient error', async () => {
    sim.injectError('AssociatePackage', { type: 'ConflictException', status: 409, message: 'Another package operation is in progress' }, 1);
    const event = events.create(associationProperties());
    const started = await startResourceOperation(api, event);
    expect(status()).toBeUndefined();

    const check = await checkResourceOperation(api, { ...event, ...started } as AnyIsCompleteEvent);
    expect(check.IsComplete).toBe(false);
    expect(sim.callCount('AssociatePackage')).toBe(2);
    expect(status()).toBe('ASSOCIATING');
  });

  test('succeeds without a change when the package is already ACTIVE (a retried or repeated create)', async () => {
    sim.associate('search', 'F111111111');
    const outcome = await drive(api, events.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(outcome.checks).toBe(1);
  });

  test('retries while another package operation runs on the domain', async () => {
    sim.associate('search', 'F222222222', 'ASSOCIATING');
    const outcome = await drive(api, events.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(status()).toBe('ACTIVE');
    expect(logs.some(l => l.includes('ConflictException'))).toBe(true);
  });

  test.each([
    ['throttling', { type: 'ThrottlingException', status: 429, message: 'Rate exceeded' }],
    ['server errors', { type: 'InternalException', status: 500, message: 'Internal error' }],
  ])('rides out %s on every call', async (_name, error) => {
    for (const operation of ['ListPackagesForDomain', 'DescribePackages', 'DescribeDomain', 'AssociatePackage'] as const) {
      sim.injectError(operation, error, 2);
    }
    const outcome = await drive(api, events.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(status()).toBe('ACTIVE');
  });

  test('reads every page of the domain\'s packages', async () => {
    for (let i = 0; i < 120; i++) {
      const id = `F9${String(i).padStart(5, '0')}`;
      sim.addPackage({ id, name: `dict-${i}` });
      sim.associate('search', id);
    }
    const outcome = await drive(api, events.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(sim.calls.some(c => c.operation === 'ListPackagesForDomain' && c.query.nextToken)).toBe(true);
  });

  test('fails with the wait and the last status seen when the service does not finish in time', async () => {
    await sim.stop();
    sim = await OpenSearchSimulator.start({ associationDuration: { polls: 1000 } });
    sim.addDomain('search');
    sim.addPackage({ id: 'F111111111', name: 'synonyms' });
    api = localPackageApi(sim.endpoint);

    const outcome = await drive(api, events.create(associationProperties({ WaitSeconds: '60' })), { intervalSeconds: 10 });

    expect(outcome.error?.message).toBe(
      'Timed out after 60 seconds waiting for package F111111111 to become ACTIVE on domain search (last status: ASSOCIATING).');
    expect(outcome.checks).toBe(7);
  });

  test('fails at once, in onEvent, with a clear reason when the package does not exist', async () => {
    await expect(drive(api, events.create(associationProperties({ PackageID: 'F999999999' }))))
      .rejects.toThrow(/^Package F999999999 on domain search: package not found/);
    expect(sim.callCount('AssociatePackage')).toBe(0);
  });

  test('fails before changing anything when the domain does not exist', async () => {
    await expect(drive(api, events.create(associationProperties({ DomainName: 'missing' }))))
      .rejects.toThrow(/^Package F111111111 on domain missing: domain not found \(ResourceNotFoundException: Domain not found: missing\)/);
    expect(sim.callCount('AssociatePackage')).toBe(0);
  });

  test('fails naming each invalid property and what is allowed', async () => {
    await expect(drive(api, events.create(associationProperties({ DomainName: 'Search_1', PackageID: 'X1', WaitSeconds: '7200' }))))
      .rejects.toThrow(/DomainName "Search_1" is not a valid OpenSearch domain name.*PackageID "X1" is not a valid OpenSearch package ID.*WaitSeconds 7200 seconds is out of range/);
    expect(sim.calls).toHaveLength(0);
  });
});

describe('update', () => {
  const v1 = associationProperties({ PackageVersion: 'v1' });

  test('re-associates in place when the version label changes, and reports the new version', async () => {
    await drive(api, events.create(v1));
    sim.setPackageVersion('F111111111', 'v2');
    const v2 = associationProperties({ PackageVersion: 'v2' });
    const outcome = await drive(api, events.update('search/F111111111', v2, v1));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe('search/F111111111');
    expect(outcome.result?.Data?.PackageVersion).toBe('v2');
    expect(sim.callCount('AssociatePackage')).toBe(2);
  });

  test('re-associates when the prerequisites change', async () => {
    sim.addPackage({ id: 'F333333333', name: 'base' });
    await drive(api, events.create(v1));
    const outcome = await drive(api, events.update('search/F111111111', { ...v1, PrerequisitePackageIDList: ['F333333333'] }, v1));

    expect(outcome.error).toBeUndefined();
    expect(sim.callCount('AssociatePackage')).toBe(2);
  });

  test('leaves the domain alone when only the wait changes', async () => {
    await drive(api, events.create(v1));
    const outcome = await drive(api, events.update('search/F111111111', { ...v1, WaitSeconds: '900' }, v1));

    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(sim.callCount('AssociatePackage')).toBe(1);
  });

  test('returns a new physical ID when the package changes, so CloudFormation replaces the association', async () => {
    await drive(api, events.create(v1));
    const outcome = await drive(api, events.update('search/F111111111', associationProperties({ PackageID: 'F222222222' }), v1));

    expect(outcome.physicalId).toBe('search/F222222222');
    expect(status('F222222222')).toBe('ACTIVE');
    // The old association stays until CloudFormation deletes the old resource.
    expect(status('F111111111')).toBe('ACTIVE');
  });

  test('takes the new association off the domain when a replacement fails, since CloudFormation will not delete it', async () => {
    await drive(api, events.create(v1));
    sim.failNextAssociation('search', 'F222222222', { ErrorType: 'ValidationFailed', ErrorMessage: 'bad dictionary' });
    const outcome = await drive(api, events.update('search/F111111111', associationProperties({ PackageID: 'F222222222' }), v1));

    expect(outcome.error?.message).toBe('Package F222222222 on domain search: ASSOCIATION_FAILED: ValidationFailed: bad dictionary '
      + 'The replacement was abandoned: DissociatePackage was called for package F222222222; CloudFormation keeps the previous association.');
    expect(status('F222222222')).toBe('DISSOCIATING');
    expect(status('F111111111')).toBe('ACTIVE');
  });

  test('leaves a package that was already on the domain alone when a replacement onto it fails', async () => {
    await drive(api, events.create(v1));
    sim.associate('search', 'F222222222', 'ASSOCIATION_FAILED', { ErrorType: 'Old', ErrorMessage: 'old failure' });
    sim.failNextAssociation('search', 'F222222222', { ErrorType: 'ValidationFailed', ErrorMessage: 'bad dictionary' });
    const outcome = await drive(api, events.update('search/F111111111', associationProperties({ PackageID: 'F222222222' }), v1));

    expect(outcome.error?.message).toBe('Package F222222222 on domain search: ASSOCIATION_FAILED: ValidationFailed: bad dictionary');
    expect(sim.callCount('DissociatePackage')).toBe(0);
  });

  test('rolls back to the old properties after a failed update', async () => {
    await drive(api, events.create(v1));
    sim.setPackageVersion('F111111111', 'v2');
    sim.failNextAssociation('search', 'F111111111', { ErrorType: 'ValidationFailed', ErrorMessage: 'bad dictionary' });
    const v2 = associationProperties({ PackageVersion: 'v2' });
    const failed = await drive(api, events.update('search/F111111111', v2, v1));
    expect(failed.error?.message).toMatch(/ASSOCIATION_FAILED: ValidationFailed: bad dictionary/);

    const rollback = await drive(api, events.update('search/F111111111', v1, v2));
    expect(rollback.error).toBeUndefined();
    expect(status()).toBe('ACTIVE');
  });
});

describe('delete', () => {
  test('dissociates the package and waits until it has left the domain', async () => {
    const created = await drive(api, events.create(associationProperties()));
    const outcome = await drive(api, events.delete(created.physicalId, associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.checks).toBeGreaterThanOrEqual(3);
    expect(sim.domainPackages('search')).toEqual([]);
  });

  test('succeeds when the package is not associated', async () => {
    const outcome = await drive(api, events.delete('search/F111111111', associationProperties()));
    expect(outcome.error).toBeUndefined();
    expect(sim.callCount('DissociatePackage')).toBe(0);
  });

  test('succeeds when the domain was deleted out of band', async () => {
    await drive(api, events.create(associationProperties()));
    sim.removeDomain('search');
    const outcome = await drive(api, events.delete('search/F111111111', associationProperties()));
    expect(outcome.error).toBeUndefined();
  });

  test('succeeds when the package left between the observation and the dissociation', async () => {
    await drive(api, events.create(associationProperties()));
    sim.injectError('DissociatePackage', { type: 'ValidationException', status: 400, message: 'Package is not associated to this domain' });
    const outcome = await drive(api, events.delete('search/F111111111', associationProperties()));
    expect(outcome.error).toBeUndefined();
  });

  test('succeeds when DissociatePackage answers that the package no longer exists', async () => {
    await drive(api, events.create(associationProperties()));
    sim.injectError('DissociatePackage', { type: 'ResourceNotFoundException', status: 409, message: 'Package not found: F111111111' });
    const outcome = await drive(api, events.delete('search/F111111111', associationProperties()));
    expect(outcome.error).toBeUndefined();
  });

  test('fails with the service\'s error details when the dissociation fails', async () => {
    await drive(api, events.create(associationProperties()));
    sim.failNextDissociation('search', 'F111111111', { ErrorType: 'DissociationFailed', ErrorMessage: 'Package is in use by index products' });
    const outcome = await drive(api, events.delete('search/F111111111', associationProperties()));

    expect(outcome.error?.message).toMatch(
      /^Package F111111111 on domain search: DISSOCIATION_FAILED: DissociationFailed: Package is in use by index products\. If an index still uses this package/);
  });

  test('fails with the service\'s message when an index still uses the dictionary', async () => {
    await drive(api, events.create(associationProperties()));
    sim.markPackageInUse('search', 'F111111111', { message: 'Package F111111111 is in use by index products' });
    await expect(drive(api, events.delete('search/F111111111', associationProperties())))
      .rejects.toThrow(/DissociatePackage failed: ValidationException: Package F111111111 is in use by index products\. If an index still uses/);
    expect(status()).toBe('ACTIVE');
  });

  test('cleans up after a failed create, as CloudFormation\'s rollback does', async () => {
    sim.failNextAssociation('search', 'F111111111', { ErrorType: 'ValidationFailed', ErrorMessage: 'bad dictionary' });
    const created = await drive(api, events.create(associationProperties()));
    expect(created.error).toBeDefined();

    const outcome = await drive(api, events.delete(created.physicalId, associationProperties()));
    expect(outcome.error).toBeUndefined();
    expect(sim.domainPackages('search')).toEqual([]);
  });

  test('waits for an association still in flight, then dissociates it', async () => {
    sim.associate('search', 'F111111111', 'ASSOCIATING');
    const outcome = await drive(api, events.delete('search/F111111111', associationProperties()));
    expect(outcome.error).toBeUndefined();
    expect(sim.domainPackages('search')).toEqual([]);
  });
});

describe('logging', () => {
  test('writes one JSON line per step and never the ResponseURL', async () => {
    const created = await drive(api, events.create(associationProperties()));
    await drive(api, events.delete(created.physicalId, associationProperties()));

    expect(logs.length).toBeGreaterThan(5);
    for (const line of logs) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain(RESPONSE_URL);
      expect(line).not.toContain('X-Amz-Signature');
    }
  });
});
