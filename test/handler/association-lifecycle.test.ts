import { OpenSearchSimulator } from '../simulator';
import { associationEvents, associationProperties } from './events';
import { drive, localApis } from './operation-driver';
import { RegionalApis } from '../../lambda/package-api';

let sim: OpenSearchSimulator;
let apis: RegionalApis;

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ dissociationDuration: { polls: 1 } });
  sim.addDomain('search');
  sim.addPackage({ id: 'F111111111', name: 'synonyms' });
  apis = localApis(sim.endpoint);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await sim.stop();
});

const changes = () => sim.calls.filter(c => /^(Associate|Dissociate)/.test(c.operation));
const states = () => sim.domainPackages('search').map(p => `${p.PackageID} ${p.DomainPackageStatus}`);

describe('create: the ownership check', () => {
  test('claims a package that is not on the domain, changing nothing, and lets the waiter check at once', async () => {
    const outcome = await drive(apis, associationEvents.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe('us-east-1/search/F111111111');
    expect(outcome.started).toMatchObject({ Goal: 'owned', FirstCheckDelaySeconds: 0 });
    expect(outcome.checks).toBe(1);
    expect(changes()).toEqual([]);
  });

  test('refuses a package already on the domain, naming it, its state, and the way to adopt it', async () => {
    sim.associate('search', 'F111111111');
    await expect(drive(apis, associationEvents.create(associationProperties()))).rejects.toThrow(
      'Package F111111111 is already associated with domain search (ACTIVE, version v1), and this stack did not associate it: another stack, a script or a person did. '
      + 'The stack does not take it over unless told to. Dissociate it from the domain first to let the stack associate (and own) it, '
      + 'or set adoptExisting: true on the association to adopt it: the stack then manages it but never takes it off the domain.');
    expect(changes()).toEqual([]);
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test.each(['ACTIVE', 'ASSOCIATION_FAILED', 'ASSOCIATING'] as const)('adopts a package that is %s when adoptExisting is set, and says so in its physical ID', async status => {
    sim.associate('search', 'F111111111', status);
    const outcome = await drive(apis, associationEvents.create(associationProperties({ AdoptExisting: 'true' })));
    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe('us-east-1/search/F111111111 (adopted)');
    expect(changes()).toEqual([]);
  });

  test('with adoptExisting, claims a package that is not on the domain as its own', async () => {
    const outcome = await drive(apis, associationEvents.create(associationProperties({ AdoptExisting: 'true' })));
    expect(outcome.physicalId).toBe('us-east-1/search/F111111111');
  });

  test('adopts in isComplete when onEvent could not read the domain: the physical ID comes from there', async () => {
    sim.associate('search', 'F111111111');
    sim.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429 }, 4);
    const outcome = await drive(apis, associationEvents.create(associationProperties({ AdoptExisting: 'true' })));
    expect(outcome.started).toMatchObject({ Goal: 'claim', PhysicalResourceId: 'us-east-1/search/F111111111' });
    expect(outcome.physicalId).toBe('us-east-1/search/F111111111 (adopted)');
  });

  test('waits while the package is leaving the domain, then claims it', async () => {
    sim.associate('search', 'F111111111', 'DISSOCIATING');
    const outcome = await drive(apis, associationEvents.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.started).toMatchObject({ Goal: 'claim' });
    expect(states()).toEqual([]);
  });

  test('checks in isComplete when onEvent could not read the domain', async () => {
    sim.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429 }, 4);
    const outcome = await drive(apis, associationEvents.create(associationProperties()));
    expect(outcome.error).toBeUndefined();
    expect(outcome.started).toMatchObject({ Goal: 'claim' });
  });
});

test('an update changes nothing and refuses nothing, since a rollback sends the previous properties back', async () => {
  sim.associate('search', 'F111111111');
  const outcome = await drive(apis, associationEvents.update('us-east-1/search/F111111111', associationProperties(), associationProperties({ PackageID: 'F222222222' })));
  expect(outcome.error).toBeUndefined();
  expect(outcome.physicalId).toBe('us-east-1/search/F111111111');
  expect(sim.calls).toEqual([]);
});

describe('delete', () => {
  test('takes the package off the domain if it is still there, and waits until it is gone', async () => {
    sim.associate('search', 'F111111111');
    const outcome = await drive(apis, associationEvents.delete('us-east-1/search/F111111111', associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.started).toMatchObject({ FirstCheckDelaySeconds: 6 });
    expect(changes().map(c => c.body)).toEqual([{ DomainName: 'search', PackageList: ['F111111111'] }]);
    expect(states()).toEqual([]);
  });

  test('leaves an adopted association on the domain, whether it leaves the stack or its adoption is rolled back', async () => {
    sim.associate('search', 'F111111111');
    const outcome = await drive(apis, associationEvents.delete('us-east-1/search/F111111111 (adopted)', associationProperties({ AdoptExisting: 'true' })));
    expect(outcome.error).toBeUndefined();
    expect(changes()).toEqual([]);
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test('is done at once when the package has already left, or the domain is gone', async () => {
    expect((await drive(apis, associationEvents.delete('us-east-1/search/F111111111', associationProperties()))).error).toBeUndefined();
    sim.removeDomain('search');
    expect((await drive(apis, associationEvents.delete('us-east-1/search/F111111111', associationProperties()))).error).toBeUndefined();
    expect(changes()).toEqual([]);
  });
});

describe('a package AWS provides, named', () => {
  beforeEach(() => {
    sim.addPackage({ id: 'G100000219', name: 'analysis-sudachi', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.19' });
  });
  const named = associationProperties({ PackageID: undefined, AwsPackageName: 'analysis-sudachi' });

  test('is claimed under its name, which outlives the ID an engine upgrade swaps, and refused when already on the domain', async () => {
    const outcome = await drive(apis, associationEvents.create(named));
    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe('us-east-1/search/aws:analysis-sudachi');

    sim.associate('search', 'G100000219');
    await expect(drive(apis, associationEvents.create(named))).rejects.toThrow(
      'Package analysis-sudachi (G100000219) is already associated with domain search (ACTIVE, version v1), and this stack did not associate it');
  });

  test('its removal takes off the package of that name for the domain\'s engine version', async () => {
    sim.associate('search', 'G100000219');
    const outcome = await drive(apis, associationEvents.delete('us-east-1/search/aws:analysis-sudachi', named));

    expect(outcome.error).toBeUndefined();
    expect(changes().map(c => c.body)).toEqual([{ DomainName: 'search', PackageList: ['G100000219'] }]);
    expect(states()).toEqual([]);
  });
});
