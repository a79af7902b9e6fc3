import { OpenSearchSimulator } from '../simulator';
import { domainEvents, domainPackagesProperties, entry, RESPONSE_URL } from './events';
import { drive, localApis } from './operation-driver';
import { RegionalApis } from '../../lambda/package-api';

let sim: OpenSearchSimulator;
let apis: RegionalApis;
let logs: string[];

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ associationDuration: { polls: 2 }, dissociationDuration: { polls: 2 } });
  sim.addDomain('search');
  sim.addPackage({ id: 'F111111111', name: 'synonyms' });
  sim.addPackage({ id: 'F222222222', name: 'stopwords' });
  sim.addPackage({ id: 'F333333333', name: 'user-dictionary' });
  sim.addPackage({ id: 'F444444444', name: 'stemmer-overrides' });
  apis = localApis(sim.endpoint);
  logs = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(line); });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await sim.stop();
});

const states = (domain = 'search') => sim.domainPackages(domain).map(p => `${p.PackageID} ${p.DomainPackageStatus} ${p.PackageVersion}`);
const calls = (operation: string) => sim.calls.filter(c => c.operation === operation);
const two = [entry('F111111111'), entry('F222222222')];

describe('create', () => {
  test('associates every package in one AssociatePackages call, waits until all are ACTIVE, and returns each package\'s attributes', async () => {
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties(two)));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe('us-east-1/search');
    expect(outcome.started).toMatchObject({ FirstCheckDelaySeconds: 6 });
    expect(calls('AssociatePackages').map(c => c.body)).toEqual([{ DomainName: 'search', PackageList: [{ PackageID: 'F111111111' }, { PackageID: 'F222222222' }] }]);
    expect(outcome.result?.Data).toEqual({
      KF111111111: 'F111111111|analyzers/F111111111|v1|synonyms|TXT-DICTIONARY|ACTIVE',
      KF222222222: 'F222222222|analyzers/F222222222|v1|stopwords|TXT-DICTIONARY|ACTIVE',
    });
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('sends each package\'s prerequisites and key-store option, a licence listed before its plugin in the same call', async () => {
    sim.addPackage({ id: 'pkg-0a', name: 'plugin', type: 'ZIP-PLUGIN' });
    sim.addPackage({ id: 'pkg-0b', name: 'licence', type: 'PACKAGE-LICENSE' });
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties([
      entry('pkg-0b', { PrerequisitePackageIDList: ['pkg-0a'] }),
      entry('pkg-0a', { KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/key-store' }),
    ])));

    expect(outcome.error).toBeUndefined();
    expect(calls('AssociatePackages').map(c => c.body)).toEqual([{ DomainName: 'search', PackageList: [
      { PackageID: 'pkg-0b', PrerequisitePackageIDList: ['pkg-0a'] },
      { PackageID: 'pkg-0a', AssociationConfiguration: { KeyStoreAccessOption: { KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/key-store', KeyStoreAccessEnabled: true } } },
    ] }]);
    expect(sim.blueGreenDeployments('search')).toBe(1);
  });

  test('waits while a package is being copied or validated, and while the domain is processing a change', async () => {
    sim.setPackageStatus('F111111111', 'VALIDATING');
    sim.setDomainProcessing('search', true);
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties(two)), {
      beforeCheck: check => {
        if (check === 2) sim.setPackageStatus('F111111111', 'AVAILABLE');
        if (check === 3) sim.setDomainProcessing('search', false);
      },
    });

    expect(outcome.error).toBeUndefined();
    expect(outcome.started).toMatchObject({ FirstCheckDelaySeconds: 0 });
    expect(calls('AssociatePackages')).toHaveLength(1);
    expect(logs.some(line => line.includes('package F111111111 VALIDATING'))).toBe(true);
    expect(logs.some(line => line.includes('domain is processing a change'))).toBe(true);
  });

  test('when one package ends ASSOCIATION_FAILED, waits for the others and fails naming it, with the service\'s details and the others\' states', async () => {
    sim.failNextAssociation('search', 'F222222222', { ErrorType: 'InvalidSynonymRule', ErrorMessage: 'Line 3 has no right-hand side' });
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties(two)));

    expect(outcome.error?.message).toBe('Domain search (us-east-1): package F222222222 ASSOCIATION_FAILED: InvalidSynonymRule: Line 3 has no right-hand side. '
      + 'The other packages of this operation: F111111111 ACTIVE v1. Fix the package and deploy again; CloudFormation rolls this operation back.');
  });

  test('fails in onEvent, before changing anything, when a package does not exist', async () => {
    await expect(drive(apis, domainEvents.create(domainPackagesProperties([entry('F111111111'), entry('F999999999')]))))
      .rejects.toThrow('Domain search (us-east-1): package F999999999 not found: DescribePackages knows no package with this ID in us-east-1.');
    expect(calls('AssociatePackages')).toHaveLength(0);
  });

  test('fails naming the domain and its Region when the domain does not exist', async () => {
    await expect(drive(apis, domainEvents.create(domainPackagesProperties(two, {
      DomainName: 'gone', DomainArn: 'arn:aws:es:us-east-1:123456789012:domain/gone',
    })))).rejects.toThrow('Domain gone (us-east-1): domain not found in us-east-1 (ResourceNotFoundException: Domain not found: gone).');
  });

  test('retries throttling, server errors and conflicts with another operation until the packages are ACTIVE', async () => {
    sim.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429 }, 2);
    sim.injectError('AssociatePackages', { type: 'ConflictException', message: 'Another package operation is in progress' }, 2);
    sim.injectError('DescribePackages', { type: 'InternalException', status: 500 }, 1);
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties(two)));

    expect(outcome.error).toBeUndefined();
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
    expect(logs.some(line => line.includes('retrying after a transient error') && line.includes('ConflictException'))).toBe(true);
  });

  test('calls a domain of another Region in that Region', async () => {
    sim.addDomain('far-search', { region: 'eu-west-1' });
    sim.addPackage({ id: 'F444444444', name: 'far-synonyms', region: 'eu-west-1' });
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties([entry('F444444444')], {
      DomainName: 'far-search', DomainArn: 'arn:aws:es:eu-west-1:123456789012:domain/far-search',
    })));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe('eu-west-1/far-search');
    expect(sim.domainPackages('far-search', { region: 'eu-west-1' }).map(p => p.DomainPackageStatus)).toEqual(['ACTIVE']);
    expect(new Set(sim.calls.map(c => c.region))).toEqual(new Set(['eu-west-1']));
  });

  test('refuses a domain of another account before calling anything', async () => {
    await expect(drive(apis, domainEvents.create(domainPackagesProperties(two, { DomainArn: 'arn:aws:es:us-east-1:210987654321:domain/search' }))))
      .rejects.toThrow(/Domain search is in account 210987654321, the stack in account 123456789012: .*Deploy the association in a stack of the domain's account/);
    expect(sim.calls).toHaveLength(0);
  });

  test('refuses, before any change, a set whose attributes would not fit in CloudFormation\'s 4 KB response', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `F${500000000 + i}`);
    many.forEach((id, i) => sim.addPackage({ id, name: `dictionary-with-a-rather-long-name-${i}` }));
    await expect(drive(apis, domainEvents.create(domainPackagesProperties(many.map(id => entry(id))))))
      .rejects.toThrow(/40 packages in one stack: their attributes \(about \d+ bytes\) would not fit in CloudFormation's 4 KB custom resource response/);
    expect(calls('AssociatePackages')).toHaveLength(0);
  });

  test('fails naming each invalid property', async () => {
    await expect(drive(apis, domainEvents.create(domainPackagesProperties([entry('f1'), entry('F2', { PrerequisitePackageIDList: ['x'] })], { WaitSeconds: '0' }))))
      .rejects.toThrow(/WaitSeconds 0 seconds is out of range.*Packages\[0\]\.PackageID "f1" is not a valid OpenSearch package ID.*Packages\[1\]\.PrerequisitePackageIDList\[0\] "x"/);
    expect(sim.calls).toHaveLength(0);
  });
});

describe('update', () => {
  async function deployed(packages = two) {
    const props = domainPackagesProperties(packages);
    const created = await drive(apis, domainEvents.create(props));
    expect(created.error).toBeUndefined();
    return { physicalId: created.physicalId, props };
  }

  test('associates the new packages in one call, then takes the removed ones off in one call', async () => {
    const { physicalId, props } = await deployed();
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F222222222'), entry('F333333333')]), props));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(physicalId);
    expect(calls('AssociatePackages').slice(1).map(c => c.body)).toEqual([{ DomainName: 'search', PackageList: [{ PackageID: 'F333333333' }] }]);
    expect(calls('DissociatePackages').map(c => c.body)).toEqual([{ DomainName: 'search', PackageList: ['F111111111'] }]);
    const order = sim.calls.map(c => c.operation).filter(op => op.endsWith('Packages') && op !== 'DescribePackages');
    expect(order).toEqual(['AssociatePackages', 'AssociatePackages', 'DissociatePackages']);
    expect(Object.keys(outcome.result!.Data!)).toEqual(['KF222222222', 'KF333333333']);
    expect(states()).toEqual(['F222222222 ACTIVE v1', 'F333333333 ACTIVE v1']);
  });

  test('a new version label applies the package\'s new version; a label change without a new version changes nothing', async () => {
    const { physicalId, props } = await deployed([entry('F111111111', { PackageVersion: 'v1' })]);
    sim.setPackageVersion('F111111111', 'v2');
    const next = domainPackagesProperties([entry('F111111111', { PackageVersion: 'v2' })]);
    const outcome = await drive(apis, domainEvents.update(physicalId, next, props));
    expect(outcome.result?.Data?.KF111111111).toBe('F111111111|analyzers/F111111111|v2|synonyms|TXT-DICTIONARY|ACTIVE');
    expect(calls('AssociatePackages')).toHaveLength(2);

    const relabelled = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F111111111', { PackageVersion: 'label-2' })]), next));
    expect(relabelled.error).toBeUndefined();
    expect(relabelled.started).toMatchObject({ FirstCheckDelaySeconds: 0 });
    expect(calls('AssociatePackages')).toHaveLength(2);
  });

  const KEY_STORE_ROLE = 'arn:aws:iam::123456789012:role/key-store';
  test.each([
    ['new prerequisites', { PrerequisitePackageIDList: ['F222222222'] }, { PrerequisitePackageIDList: ['F222222222'] }],
    ['a key-store role', { KeyAccessRoleArn: KEY_STORE_ROLE }, { AssociationConfiguration: { KeyStoreAccessOption: { KeyAccessRoleArn: KEY_STORE_ROLE, KeyStoreAccessEnabled: true } } }],
  ])('%s re-associate the package in place', async (_name, change, sent) => {
    const { physicalId, props } = await deployed();
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F111111111', change), entry('F222222222')]), props));

    expect(outcome.error).toBeUndefined();
    expect(calls('AssociatePackages')[1].body).toEqual({ DomainName: 'search', PackageList: [{ PackageID: 'F111111111', ...sent }] });
  });

  test('fails with a clear reason when the service keeps the old prerequisites as "already in desired state"', async () => {
    await sim.stop();
    sim = await OpenSearchSimulator.start({ configurationChangeIsDesiredState: true, associationDuration: { polls: 1 } });
    sim.addDomain('search');
    sim.addPackage({ id: 'F111111111', name: 'synonyms' });
    sim.addPackage({ id: 'F222222222', name: 'stopwords' });
    apis = localApis(sim.endpoint);
    const { physicalId, props } = await deployed();
    const changed = domainPackagesProperties([entry('F111111111', { PrerequisitePackageIDList: ['F222222222'] }), entry('F222222222')]);

    await expect(drive(apis, domainEvents.update(physicalId, changed, props))).rejects.toThrow(
      /AssociatePackages answered "ConflictException: Package is already in desired state" for F111111111: the service keeps a package's prerequisites.*Remove the association in one deployment and add it back in the next/);
  });

  test('a package removed from the set with a retaining removal policy stays on the domain', async () => {
    const { physicalId } = await deployed();
    const retained = domainPackagesProperties([entry('F111111111', { Retain: 'true' }), entry('F222222222')]);
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F222222222')]), retained));

    expect(outcome.error).toBeUndefined();
    expect(calls('DissociatePackages')).toHaveLength(0);
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('a package the stack adopted stays on the domain when it leaves the set; one it associated itself under adoptExisting does not', async () => {
    const { physicalId } = await deployed();
    const adopted = domainPackagesProperties([
      entry('F111111111', { OwnershipRecord: 'us-east-1/search/F111111111 (adopted)' }),
      entry('F222222222', { OwnershipRecord: 'us-east-1/search/F222222222' }),
    ]);
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([]), adopted));

    expect(outcome.error).toBeUndefined();
    expect(calls('DissociatePackages').map(c => c.body)).toEqual([{ DomainName: 'search', PackageList: ['F222222222'] }]);
    expect(states()).toEqual(['F111111111 ACTIVE v1']);
  });

  test('a change of WaitSeconds alone changes nothing on the domain', async () => {
    const { physicalId, props } = await deployed();
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties(two, { WaitSeconds: '900' }), props));

    expect(outcome.error).toBeUndefined();
    expect(outcome.checks).toBe(1);
    expect(calls('AssociatePackages')).toHaveLength(1);
    expect(calls('DissociatePackages')).toHaveLength(0);
  });

  test('a rollback is accepted even when the properties that failed are invalid', async () => {
    const { physicalId, props } = await deployed();
    const failed = { ...domainPackagesProperties([entry('not-a-package-id'), { Key: 'K', PackageID: 42 } as never]), WaitSeconds: 'soon' };
    const outcome = await drive(apis, domainEvents.update(physicalId, props, failed));

    expect(outcome.error).toBeUndefined();
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('the rollback of an update whose new package failed takes that package off and brings back the one it removed', async () => {
    const { physicalId, props } = await deployed();
    const attempted = domainPackagesProperties([entry('F222222222'), entry('F333333333')]);
    sim.failNextAssociation('search', 'F333333333', { ErrorType: 'Invalid', ErrorMessage: 'bad dictionary' });
    const failed = await drive(apis, domainEvents.update(physicalId, attempted, props));
    expect(failed.error?.message).toContain('package F333333333 ASSOCIATION_FAILED: Invalid: bad dictionary');
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1', 'F333333333 ASSOCIATION_FAILED v1']);

    const rollback = await drive(apis, domainEvents.update(physicalId, props, attempted));

    expect(rollback.error).toBeUndefined();
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
    expect(calls('AssociatePackages')).toHaveLength(2);
  });

  test('when the domain was replaced, leaves the old domain alone and associates the set with the new one', async () => {
    const { physicalId, props } = await deployed();
    sim.addDomain('search-two');
    const moved = domainPackagesProperties(two, { DomainName: 'search-two', DomainArn: 'arn:aws:es:us-east-1:123456789012:domain/search-two' });
    const outcome = await drive(apis, domainEvents.update(physicalId, moved, props));

    expect(outcome.error).toBeUndefined();
    expect(states('search-two')).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
    expect(calls('DissociatePackages')).toHaveLength(0);
  });

  test.each(['ValidationException', 'ConflictException'] as const)('a removal the service refuses with %s because an index uses the package fails at once with advice', async type => {
    const { physicalId, props } = await deployed();
    sim.markPackageInUse('search', 'F111111111', { type, message: 'Package F111111111 is in use by index products' });

    await expect(drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F222222222')]), props))).rejects.toThrow(
      `Domain search (us-east-1): DissociatePackages failed for F111111111: ${type}: Package F111111111 is in use by index products. `
      + 'If an index still uses the package, remove it from the index settings first, or give the association the removal policy RETAIN_ON_UPDATE_OR_DELETE to leave it on the domain.');
    expect(calls('DissociatePackages')).toHaveLength(1);
  });

  test('a removal that ends DISSOCIATION_FAILED fails with the service\'s details and advice', async () => {
    const { physicalId, props } = await deployed();
    sim.failNextDissociation('search', 'F111111111', { ErrorType: 'InUse', ErrorMessage: 'still referenced' });
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F222222222')]), props));

    expect(outcome.error?.message).toMatch(/package F111111111 DISSOCIATION_FAILED: InUse: still referenced\. .*remove it from the index settings first/);
  });
});

describe('delete', () => {
  test('takes every package off the domain in one call, except those kept by their removal policy or adopted, and waits until they are gone', async () => {
    const props = domainPackagesProperties([
      entry('F111111111'), entry('F222222222', { Retain: 'true' }), entry('F333333333'),
      entry('F444444444', { OwnershipRecord: 'us-east-1/search/F444444444 (adopted)' }),
    ]);
    const created = await drive(apis, domainEvents.create(props));
    const outcome = await drive(apis, domainEvents.delete(created.physicalId, props));

    expect(outcome.error).toBeUndefined();
    expect(calls('DissociatePackages').map(c => c.body)).toEqual([{ DomainName: 'search', PackageList: ['F111111111', 'F333333333'] }]);
    expect(states()).toEqual(['F222222222 ACTIVE v1', 'F444444444 ACTIVE v1']);
  });

  test('succeeds without a call when nothing is left, and when the domain is gone', async () => {
    const props = domainPackagesProperties(two);
    expect((await drive(apis, domainEvents.delete('us-east-1/search', props))).error).toBeUndefined();
    sim.removeDomain('search');
    expect((await drive(apis, domainEvents.delete('us-east-1/search', props))).error).toBeUndefined();
    expect(calls('DissociatePackages')).toHaveLength(0);
  });

  test('an association still ASSOCIATING (a create that timed out) is waited for, then dissociated', async () => {
    sim.associate('search', 'F111111111', 'ASSOCIATING');
    const outcome = await drive(apis, domainEvents.delete('us-east-1/search', domainPackagesProperties([entry('F111111111')])));

    expect(outcome.error).toBeUndefined();
    expect(states()).toEqual([]);
  });
});

test('never logs the event or its ResponseURL', async () => {
  await drive(apis, domainEvents.create(domainPackagesProperties(two)));
  expect(logs.length).toBeGreaterThan(0);
  expect(logs.filter(line => line.includes(RESPONSE_URL) || line.includes('secret-signature'))).toEqual([]);
});

describe('plugins and engine versions', () => {
  beforeEach(() => {
    sim.addDomain('plugins', { engineVersion: 'OpenSearch_2.19' });
    sim.addPackage({ id: 'G100000217', name: 'analysis-sudachi', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.17' });
    sim.addPackage({ id: 'G100000219', name: 'analysis-sudachi', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.19' });
    sim.addPackage({ id: 'pkg-0217', name: 'custom-analyzer', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.17', owner: '123456789012' });
    sim.addPackage({ id: 'pkg-0219', name: 'custom-analyzer', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.19', owner: '123456789012' });
  });
  const on = (packages: ReturnType<typeof entry>[], extra = {}) =>
    domainPackagesProperties(packages, { DomainName: 'plugins', DomainArn: 'arn:aws:es:us-east-1:123456789012:domain/plugins', ...extra });
  const sudachi = entry('G100000219', { Key: 'KSudachi', PackageID: undefined, AwsPackageName: 'analysis-sudachi' });

  test('a package AWS provides, named, is the one for the domain\'s engine version, and its ID is returned', async () => {
    const outcome = await drive(apis, domainEvents.create(on([sudachi])));

    expect(outcome.error).toBeUndefined();
    expect(calls('DescribePackages').map(c => c.body)).toContainEqual({
      Filters: [{ Name: 'EngineVersion', Value: ['OpenSearch_2.19'] }, { Name: 'PackageOwner', Value: ['AWS'] }, { Name: 'PackageName', Value: ['analysis-sudachi'] }],
      MaxResults: 100,
    });
    expect(states('plugins')).toEqual(['G100000219 ACTIVE v1']);
    expect(outcome.result?.Data).toEqual({ KSudachi: 'G100000219|plugins/G100000219|v1|analysis-sudachi|ZIP-PLUGIN|ACTIVE' });
  });

  test('a name the engine version lacks fails before any change, listing the names for that version', async () => {
    await expect(drive(apis, domainEvents.create(on([entry('x', { Key: 'KIcu', PackageID: undefined, AwsPackageName: 'analysis-icu' })]))))
      .rejects.toThrow('Domain plugins (us-east-1): No package AWS provides for OpenSearch_2.19 (the engine version of domain plugins) is named analysis-icu. '
        + 'The names for OpenSearch_2.19 are: analysis-sudachi.');
    expect(calls('AssociatePackages')).toEqual([]);
  });

  test('a plugin built for another engine version than the domain runs fails before any change, with the procedure', async () => {
    await expect(drive(apis, domainEvents.create(on([entry('pkg-0217')])))).rejects.toThrow(
      /Package custom-analyzer is a plugin built for OpenSearch_2\.17, and domain plugins runs OpenSearch_2\.19\. .*\(1\) add a CustomPackage with the same packageName and the new engineVersion/,
    );
    expect(calls('AssociatePackages')).toEqual([]);
  });

  test('the rollback of an engine upgrade (the domain past the template\'s version) keeps the successors the upgrade installed, without a call', async () => {
    sim.associate('plugins', 'G100000219');
    sim.associate('plugins', 'pkg-0219');
    const upgraded = on([sudachi, entry('pkg-0219', { Key: 'KAnalyzer' })], { EngineVersion: 'OpenSearch_2.19' });
    const before = on([sudachi, entry('pkg-0217', { Key: 'KAnalyzer' })], { EngineVersion: 'OpenSearch_2.17' });

    const outcome = await drive(apis, domainEvents.update('us-east-1/plugins', before, upgraded));

    expect(outcome.error).toBeUndefined();
    expect(states('plugins')).toEqual(['G100000219 ACTIVE v1', 'pkg-0219 ACTIVE v1']);
    expect(calls('AssociatePackages').concat(calls('DissociatePackages'))).toEqual([]);
    expect(outcome.result?.Data).toEqual({ KSudachi: 'G100000219|plugins/G100000219|v1|analysis-sudachi|ZIP-PLUGIN|ACTIVE', KAnalyzer: 'pkg-0219|plugins/pkg-0219|v1|custom-analyzer|ZIP-PLUGIN|ACTIVE' });
  });

  test('an older plugin is not matched to a same-named package another stack put on the domain, nor when the template is not behind the domain', async () => {
    sim.associate('plugins', 'pkg-0219');
    await expect(drive(apis, domainEvents.update('us-east-1/plugins', on([entry('pkg-0217')], { EngineVersion: 'OpenSearch_2.17' }), on([]))))
      .rejects.toThrow('Package custom-analyzer is a plugin built for OpenSearch_2.17');
    await expect(drive(apis, domainEvents.update('us-east-1/plugins', on([entry('pkg-0217')], { EngineVersion: 'OpenSearch_2.19' }), on([entry('pkg-0219')]))))
      .rejects.toThrow('Package custom-analyzer is a plugin built for OpenSearch_2.17');
    expect(states('plugins')).toEqual(['pkg-0219 ACTIVE v1']);
  });

  test('a removal resolves the name for the domain\'s engine version, and leaves a plugin of an older version alone', async () => {
    sim.associate('plugins', 'G100000219');
    sim.associate('plugins', 'pkg-0219');

    const outcome = await drive(apis, domainEvents.delete('us-east-1/plugins', on([sudachi, entry('pkg-0217')])));

    expect(outcome.error).toBeUndefined();
    expect(calls('DissociatePackages').map(c => c.body)).toEqual([{ DomainName: 'plugins', PackageList: ['G100000219'] }]);
    expect(states('plugins')).toEqual(['pkg-0219 ACTIVE v1']);
  });
});
