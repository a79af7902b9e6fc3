import { OpenSearchSimulator, StackEventRecord } from '../simulator';
import { domainEvents, domainPackagesProperties, entry, ownedRecord, RESPONSE_URL, STACK_ID } from './events';
import { drive, localClients } from './operation-driver';
import { Clients } from '../../lambda/clients';

let sim: OpenSearchSimulator;
let apis: Clients;
let logs: string[];

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ associationDuration: { polls: 2 }, dissociationDuration: { polls: 2 } });
  sim.addDomain('search');
  sim.addPackage({ id: 'F111111111', name: 'synonyms' });
  sim.addPackage({ id: 'F222222222', name: 'stopwords' });
  sim.addPackage({ id: 'F333333333', name: 'user-dictionary' });
  sim.addPackage({ id: 'F444444444', name: 'stemmer-overrides' });
  apis = localClients(sim.endpoint);
  logs = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(line); });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await sim.stop();
});

const states = (domain = 'search') => sim.domainPackages(domain).map(p => `${p.PackageID} ${p.DomainPackageStatus} ${p.PackageVersion}`);
const calls = (operation: string) => sim.calls.filter(c => c.operation === operation);
/** Every association call, one package or several. */
const associations = () => sim.calls.filter(c => c.operation === 'AssociatePackage' || c.operation === 'AssociatePackages');
/** `AssociatePackage F333333333 search`: a single-package call, by the IDs in its path. */
const single = (operation: 'AssociatePackage' | 'DissociatePackage') => calls(operation).map(c => `${operation} ${c.path.split('/').slice(-2).join(' ')}`);
const two = [entry('F111111111'), entry('F222222222')];
/** An event of the stack itself, as DescribeStackEvents shows it (a rollback is told by UPDATE_ROLLBACK_IN_PROGRESS). */
const stackEvent = (status: string, timestamp: number) => ({ logicalId: 'Test', physicalId: STACK_ID, resourceType: 'AWS::CloudFormation::Stack', status, timestamp });

describe('create', () => {
  test('associates every package in one AssociatePackages call, waits until all are ACTIVE, and returns each package\'s attributes', async () => {
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties(two)));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe('Test/domain-packages');
    expect(outcome.started).toMatchObject({ FirstCheckDelaySeconds: 6 });
    expect(calls('AssociatePackages').map(c => c.body)).toEqual([{ DomainName: 'search', PackageList: [{ PackageID: 'F111111111' }, { PackageID: 'F222222222' }] }]);
    expect(outcome.result?.Data).toEqual({
      KF111111111: 'F111111111|analyzers/F111111111|v1|synonyms|TXT-DICTIONARY|ACTIVE',
      KF222222222: 'F222222222|analyzers/F222222222|v1|stopwords|TXT-DICTIONARY|ACTIVE',
    });
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('sends each package\'s prerequisites and key-store option in one call, a plugin before the license that names it', async () => {
    sim.addPackage({ id: 'pkg-0a', name: 'plugin', type: 'ZIP-PLUGIN' });
    sim.addPackage({ id: 'pkg-0b', name: 'licence', type: 'PACKAGE-LICENSE' });
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties([
      entry('pkg-0b', { PrerequisitePackageIDList: ['pkg-0a'] }),
      entry('pkg-0a', { KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/key-store' }),
    ])));

    expect(outcome.error).toBeUndefined();
    expect(calls('AssociatePackages').map(c => c.body)).toEqual([{ DomainName: 'search', PackageList: [
      { PackageID: 'pkg-0a', AssociationConfiguration: { KeyStoreAccessOption: { KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/key-store', KeyStoreAccessEnabled: true } } },
      { PackageID: 'pkg-0b', PrerequisitePackageIDList: ['pkg-0a'] },
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
    expect(outcome.physicalId).toBe('Test/domain-packages');
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
      .rejects.toThrow(/40 packages in stack Test: their attributes \(about \d+ bytes\) would not fit in CloudFormation's 4 KB custom resource response/);
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

  test('associates a new package with AssociatePackage, then takes a removed one off with DissociatePackage', async () => {
    const { physicalId, props } = await deployed();
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F222222222'), entry('F333333333')]), props));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(physicalId);
    expect(single('AssociatePackage')).toEqual(['AssociatePackage F333333333 search']);
    expect(single('DissociatePackage')).toEqual(['DissociatePackage F111111111 search']);
    const order = sim.calls.map(c => c.operation).filter(op => /^(Associate|Dissociate)Package/.test(op));
    expect(order).toEqual(['AssociatePackages', 'AssociatePackage', 'DissociatePackage']);
    expect(Object.keys(outcome.result!.Data!)).toEqual(['KF222222222', 'KF333333333']);
    expect(states()).toEqual(['F222222222 ACTIVE v1', 'F333333333 ACTIVE v1']);
  });

  test('a new version label applies the package\'s new version; a label change without a new version changes nothing', async () => {
    const { physicalId, props } = await deployed([entry('F111111111', { PackageVersion: 'v1' })]);
    sim.setPackageVersion('F111111111', 'v2');
    const next = domainPackagesProperties([entry('F111111111', { PackageVersion: 'v2' })]);
    const outcome = await drive(apis, domainEvents.update(physicalId, next, props));
    expect(outcome.result?.Data?.KF111111111).toBe('F111111111|analyzers/F111111111|v2|synonyms|TXT-DICTIONARY|ACTIVE');
    expect(associations()).toHaveLength(2);

    const relabelled = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F111111111', { PackageVersion: 'label-2' })]), next));
    expect(relabelled.error).toBeUndefined();
    expect(relabelled.started).toMatchObject({ FirstCheckDelaySeconds: 0 });
    expect(associations()).toHaveLength(2);
  });

  const KEY_STORE_ROLE = 'arn:aws:iam::123456789012:role/key-store';
  test.each([
    ['new prerequisites', { PrerequisitePackageIDList: ['F222222222'] }, { PrerequisitePackageIDList: ['F222222222'] }],
    ['a key-store role', { KeyAccessRoleArn: KEY_STORE_ROLE }, { AssociationConfiguration: { KeyStoreAccessOption: { KeyAccessRoleArn: KEY_STORE_ROLE, KeyStoreAccessEnabled: true } } }],
  ])('%s re-associate the package in place', async (_name, change, sent) => {
    const { physicalId, props } = await deployed();
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F111111111', change), entry('F222222222')]), props));

    expect(outcome.error).toBeUndefined();
    expect(single('AssociatePackage')).toEqual(['AssociatePackage F111111111 search']);
    expect(calls('AssociatePackage')[0].body).toEqual(sent);
  });

  test('fails with a clear reason when the service keeps the old prerequisites as "already in desired state"', async () => {
    await sim.stop();
    sim = await OpenSearchSimulator.start({ configurationChangeIsDesiredState: true, associationDuration: { polls: 1 } });
    sim.addDomain('search');
    sim.addPackage({ id: 'F111111111', name: 'synonyms' });
    sim.addPackage({ id: 'F222222222', name: 'stopwords' });
    apis = localClients(sim.endpoint);
    const { physicalId, props } = await deployed();
    const changed = domainPackagesProperties([entry('F111111111', { PrerequisitePackageIDList: ['F222222222'] }), entry('F222222222')]);

    await expect(drive(apis, domainEvents.update(physicalId, changed, props))).rejects.toThrow(
      /the service answered "ConflictException: Package is already in desired state" for F111111111: the service keeps a package's prerequisites.*Remove the association in one deployment and add it back in the next/);
  });

  test('a package removed from the set with a retaining removal policy stays on the domain', async () => {
    const { physicalId } = await deployed();
    const retained = domainPackagesProperties([entry('F111111111', { Retain: 'true' }), entry('F222222222')]);
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F222222222')]), retained));

    expect(outcome.error).toBeUndefined();
    expect(calls('DissociatePackages')).toHaveLength(0);
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('a package the stack adopted, or could not tell, stays on the domain when it leaves the set; one it associated itself under adoptExisting does not', async () => {
    sim.addPackage({ id: 'F555555555', name: 'kept' });
    const { physicalId } = await deployed([...two, entry('F555555555')]);
    const adopted = domainPackagesProperties([
      entry('F111111111', { OwnershipRecord: '123456789012/us-east-1/search/self:synonyms (adopted)' }),
      entry('F222222222', { OwnershipRecord: ownedRecord('F222222222') }),
      entry('F555555555', { OwnershipRecord: '123456789012/us-east-1/search/ref:F555555555 (unverified)' }),
    ]);
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([]), adopted));

    expect(outcome.error).toBeUndefined();
    expect(single('DissociatePackage')).toEqual(['DissociatePackage F222222222 search']);
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F555555555 ACTIVE v1']);
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
    expect(associations()).toHaveLength(2);
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
      `Domain search (us-east-1): dissociating F111111111 failed: ${type}: Package F111111111 is in use by index products. `
      + 'If an index still uses the package, remove it from the index settings first, or give the association the removal policy RETAIN_ON_UPDATE_OR_DELETE to leave it on the domain.');
    expect(calls('DissociatePackage')).toHaveLength(1);
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
      entry('F444444444', { OwnershipRecord: '123456789012/us-east-1/search/self:stemmer-overrides (adopted)' }),
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
    expect(single('DissociatePackage')).toEqual(['DissociatePackage G100000219 plugins']);
    expect(states('plugins')).toEqual(['pkg-0219 ACTIVE v1']);
  });
});

describe('a domain that refuses the batch calls', () => {
  beforeEach(() => {
    sim.addDomain('nobatch', { refuseBatchCalls: true });
    sim.addPackage({ id: 'pkg-0a', name: 'plugin', type: 'ZIP-PLUGIN' });
    sim.addPackage({ id: 'pkg-0b', name: 'license', type: 'PACKAGE-LICENSE' });
  });
  const on = (packages: ReturnType<typeof entry>[]) =>
    domainPackagesProperties(packages, { DomainName: 'nobatch', DomainArn: 'arn:aws:es:us-east-1:123456789012:domain/nobatch' });

  test('gets one package per call, prerequisites first, each waited for before the next, and says why in the log', async () => {
    const outcome = await drive(apis, domainEvents.create(on([entry('pkg-0b', { PrerequisitePackageIDList: ['pkg-0a'] }), entry('pkg-0a'), entry('F111111111')])));

    expect(outcome.error).toBeUndefined();
    const order = sim.calls.filter(c => /^AssociatePackages?$/.test(c.operation)).map(c => `${c.operation} ${c.status}${c.operation === 'AssociatePackage' ? ` ${c.path.split('/')[4]}` : ''}`);
    expect(order).toEqual([
      'AssociatePackages 409', 'AssociatePackage 200 pkg-0a',
      'AssociatePackages 409', 'AssociatePackage 200 pkg-0b',
      'AssociatePackage 200 F111111111',
    ]);
    expect(calls('AssociatePackage').map(c => c.body)).toEqual([{}, { PrerequisitePackageIDList: ['pkg-0a'] }, {}]);
    expect(sim.domainPackages('nobatch').map(p => p.DomainPackageStatus)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(logs.some(line => line.includes('the domain refuses the batch call') && line.includes('DisabledOperationException'))).toBe(true);
  });

  test('loses packages one per call, and is cleared on deletion', async () => {
    const three = on([entry('F111111111'), entry('F222222222'), entry('F333333333')]);
    const created = await drive(apis, domainEvents.create(three));
    const outcome = await drive(apis, domainEvents.update(created.physicalId, on([entry('F333333333')]), three));
    expect(outcome.error).toBeUndefined();
    expect(sim.domainPackages('nobatch').map(p => p.PackageID)).toEqual(['F333333333']);

    expect((await drive(apis, domainEvents.delete(created.physicalId, on([entry('F333333333')])))).error).toBeUndefined();
    expect(sim.domainPackages('nobatch')).toEqual([]);
    expect(calls('DissociatePackage').map(c => c.path.split('/')[4])).toEqual(['F111111111', 'F222222222', 'F333333333']);
  });
});

describe('identity: the domain and the package as the service knows them, however the template names them', () => {
  test('a domain named by two groups (a parameter and a literal, say) is one domain: moving the packages from one name to the other changes nothing', async () => {
    const { physicalId } = await drive(apis, domainEvents.create(domainPackagesProperties(two, { Key: 'by-parameter' })));
    const before = sim.calls.length;
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties(two, { Key: 'literal' }), domainPackagesProperties(two, { Key: 'by-parameter' })));

    expect(outcome.error).toBeUndefined();
    expect(sim.calls.slice(before).filter(c => /^(Associate|Dissociate)/.test(c.operation))).toEqual([]);
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('a package named by ID and then by its AWS name is one package: nothing changes', async () => {
    sim.addPackage({ id: 'G100000219', name: 'analysis-icu', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.19' });
    const byId = domainPackagesProperties([entry('G100000219', { Key: 'KIcu' })]);
    const { physicalId } = await drive(apis, domainEvents.create(byId));
    const before = sim.calls.length;
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('G100000219', { Key: 'KIcu', PackageID: undefined, AwsPackageName: 'analysis-icu' })]), byId));

    expect(outcome.error).toBeUndefined();
    expect(sim.calls.slice(before).filter(c => /^(Associate|Dissociate)/.test(c.operation))).toEqual([]);
    expect(outcome.result?.Data?.KIcu).toBe('G100000219|plugins/G100000219|v1|analysis-icu|ZIP-PLUGIN|ACTIVE');
  });

  test('one package declared twice for a domain, by ID and by AWS name, is refused before any change', async () => {
    sim.addPackage({ id: 'G100000219', name: 'analysis-icu', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.19' });
    await expect(drive(apis, domainEvents.create(domainPackagesProperties([
      entry('G100000219'), entry('x', { Key: 'KIcu', PackageID: undefined, AwsPackageName: 'analysis-icu' }),
    ])))).rejects.toThrow('Domain search (us-east-1): package G100000219 is declared 2 times for this domain (as G100000219 and as awsPackageName analysis-icu): '
      + 'associate each package with a domain once.');
    expect(sim.calls.filter(c => /^(Associate|Dissociate)/.test(c.operation))).toEqual([]);
  });

  test('two domains of one name in two Regions are two domains, each called in its own Region', async () => {
    sim.addDomain('search', { region: 'eu-west-1' });
    sim.addPackage({ id: 'F555555555', name: 'far-synonyms', region: 'eu-west-1' });
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties([entry('F111111111')], {}, {
      Key: 'far', DomainName: 'search', DomainArn: 'arn:aws:es:eu-west-1:123456789012:domain/search', WaitSeconds: '600',
      Packages: [entry('F555555555', { Key: 'KFar' })],
    })));

    expect(outcome.error).toBeUndefined();
    expect(states()).toEqual(['F111111111 ACTIVE v1']);
    expect(sim.domainPackages('search', { region: 'eu-west-1' }).map(p => p.PackageID)).toEqual(['F555555555']);
    const associated = sim.calls.filter(c => c.operation === 'AssociatePackage').map(c => `${c.region} ${c.path.split('/')[4]}`);
    expect(associated.sort()).toEqual(['eu-west-1 F555555555', 'us-east-1 F111111111']);
  });
});

describe('an operation that starts by waiting out another one', () => {
  test('a rollback that finds the failed update\'s association in flight, at a version the package no longer makes available, associates the package again', async () => {
    sim.setPackageVersion('F111111111', 'v2');
    sim.associate('search', 'F111111111', 'ASSOCIATING');
    sim.setPackageVersion('F111111111', 'v3');
    const failed = domainPackagesProperties([entry('F111111111', { PackageVersion: 'v2' })]);

    const outcome = await drive(apis, domainEvents.update('Test/domain-packages', domainPackagesProperties([entry('F111111111', { PackageVersion: 'v3' })]), failed));

    expect(outcome.error).toBeUndefined();
    expect(states()).toEqual(['F111111111 ACTIVE v3']);
  });
});

describe('claims made at the same moment', () => {
  const record = ownedRecord('F111111111');
  const created = (physicalId: string) => ({ logicalId: 'SynonymsAssociation', physicalId, resourceType: 'Custom::OpenSearchPackageAssociation', status: 'CREATE_COMPLETE', timestamp: Date.now() });
  const started = stackEvent('UPDATE_IN_PROGRESS', Date.now() - 1000);

  test('a package whose ownership record this operation created, finding it absent, and that is on the domain now fails as contested before any call; the rollback leaves it', async () => {
    sim.associate('search', 'F111111111');
    const sent = { ...created('Test/domain-packages'), logicalId: 'SearchPackages', status: 'UPDATE_IN_PROGRESS', timestamp: Date.now() + 1 };
    const events: StackEventRecord[] = [started, created(record), sent];
    sim.serveStack(STACK_ID, () => [], () => events);
    const before = domainPackagesProperties([entry('F222222222')]);
    const failed = domainPackagesProperties([entry('F222222222'), entry('F111111111')]);

    const reason = `package id:F111111111 on domain search was associated by someone else after this stack found it absent (contested: ${record})`;

    await expect(drive(apis, domainEvents.update('Test/domain-packages', failed, before))).rejects.toThrow(reason);
    expect(associations()).toEqual([]);
    events.push({ ...created('arn:dp'), logicalId: 'SearchPackages', resourceType: 'Custom::OpenSearchDomainPackages', status: 'UPDATE_FAILED', reason });
    const rollback = await drive(apis, domainEvents.update('Test/domain-packages', before, failed));
    expect(rollback.error).toBeUndefined();
    expect(calls('DissociatePackage')).toEqual([]);
    expect(states()).toContain('F111111111 ACTIVE v1');
  });

  test('a package associated after CloudFormation sent the request (the same request delivered again) is not contested', async () => {
    const sent = { ...created('Test/domain-packages'), logicalId: 'SearchPackages', status: 'UPDATE_IN_PROGRESS', timestamp: Date.now() - 1 };
    sim.serveStack(STACK_ID, () => [], () => [started, created(record), sent]);
    sim.associate('search', 'F111111111');
    const outcome = await drive(apis, domainEvents.update('Test/domain-packages', domainPackagesProperties([entry('F111111111')]), domainPackagesProperties([])));

    expect(outcome.error).toBeUndefined();
    expect(associations()).toEqual([]);
  });

  test('the same package with a record from an earlier operation (a rollback bringing back what the failed update removed) is not contested', async () => {
    sim.serveStack(STACK_ID, () => [], () => [created(record), started]);
    sim.associate('search', 'F111111111');
    const outcome = await drive(apis, domainEvents.update('Test/domain-packages', domainPackagesProperties([entry('F111111111')]), domainPackagesProperties([])));

    expect(outcome.error).toBeUndefined();
    expect(associations()).toEqual([]);
  });
});

describe('an association another stack adopted', () => {
  const OTHER_STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Staging/guid';
  const adoptedBy = (stackId: string, status = 'UPDATE_COMPLETE') => sim.serveStack(stackId, () => [
    { logicalId: 'SynonymsAssociation', physicalId: `${ownedRecord('F111111111')} (adopted)`, resourceType: 'Custom::OpenSearchPackageAssociation', status },
  ]);
  const lookups = () => calls('DescribeStackResources').map(c => (c.body as Record<string, string>).PhysicalResourceId);

  test('stays on the domain when the stack that made it lets it go, by an update or a deletion; the others leave', async () => {
    adoptedBy(OTHER_STACK);
    const { physicalId } = await drive(apis, domainEvents.create(domainPackagesProperties(two)));
    const updated = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F222222222')]), domainPackagesProperties(two)));

    expect(updated.error).toBeUndefined();
    expect(lookups()).toEqual([`${ownedRecord('F111111111')} (adopted)`]);
    expect(calls('DissociatePackage')).toEqual([]);
    expect(logs.some(line => line.includes('another stack adopted this association') && line.includes(OTHER_STACK))).toBe(true);

    const deleted = await drive(apis, domainEvents.delete(physicalId, domainPackagesProperties(two)));
    expect(deleted.error).toBeUndefined();
    expect(single('DissociatePackage')).toEqual(['DissociatePackage F222222222 search']);
    expect(states()).toEqual(['F111111111 ACTIVE v1']);
  });

  test('leaves the domain when no other stack holds a record that adopted it: none, the stack\'s own, or one being deleted', async () => {
    const own = sim.serveStack(STACK_ID, () => [{ logicalId: 'Other', physicalId: `${ownedRecord('F111111111')} (adopted)`, resourceType: 'Custom::OpenSearchPackageAssociation', status: 'CREATE_COMPLETE' }]);
    const { physicalId } = await drive(apis, domainEvents.create(domainPackagesProperties(two)));
    const updated = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F222222222')]), domainPackagesProperties(two)));
    expect(updated.error).toBeUndefined();
    expect(single('DissociatePackage')).toEqual(['DissociatePackage F111111111 search']);

    own();
    adoptedBy(OTHER_STACK, 'DELETE_IN_PROGRESS');
    const deleted = await drive(apis, domainEvents.delete(physicalId, domainPackagesProperties([entry('F222222222'), entry('F111111111')])));
    expect(deleted.error).toBeUndefined();
    expect(states()).toEqual([]);
  });

  test('asks CloudFormation only about what the operation takes off a domain, and decides without it when CloudFormation refuses', async () => {
    adoptedBy(OTHER_STACK);
    const { physicalId } = await drive(apis, domainEvents.create(domainPackagesProperties(two)));
    const kept = domainPackagesProperties([entry('F111111111', { Retain: 'true' }), entry('F222222222')]);
    await drive(apis, domainEvents.update(physicalId, kept, domainPackagesProperties(two)));
    expect(lookups()).toEqual([]);

    sim.injectError('DescribeStackResources', { type: 'AccessDenied', message: 'not authorized', status: 403 });
    const deleted = await drive(apis, domainEvents.delete(physicalId, domainPackagesProperties(two)));
    expect(deleted.error).toBeUndefined();
    expect(calls('DescribeStackResources').map(c => c.status)).toContain(403);
    expect(states()).toEqual([]);
  });
});

describe('the world changing underneath', () => {
  test('an update of a domain deleted out of band completes with empty attributes, and so does its rollback', async () => {
    const { physicalId } = await drive(apis, domainEvents.create(domainPackagesProperties(two)));
    sim.removeDomain('search');
    const removal = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F222222222')]), domainPackagesProperties(two)));
    expect(removal.error).toBeUndefined();
    expect(removal.result?.Data).toEqual({ KF222222222: '|||||' });
    const rollback = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties(two), domainPackagesProperties([entry('F222222222')])));
    expect(rollback.error).toBeUndefined();
  });

  test('a domain new to the stack that does not exist fails the update, naming it', async () => {
    const { physicalId } = await drive(apis, domainEvents.create(domainPackagesProperties(two)));
    const elsewhere = domainPackagesProperties(two, {}, {
      Key: 'other', DomainName: 'missing', DomainArn: 'arn:aws:es:us-east-1:123456789012:domain/missing', WaitSeconds: '600', Packages: [entry('F333333333')],
    });
    await expect(drive(apis, domainEvents.update(physicalId, elsewhere, domainPackagesProperties(two)))).rejects.toThrow('Domain missing (us-east-1): domain not found in us-east-1');
  });

  test.each([
    { title: 'a rollback skips a package it brings back that was deleted by hand meanwhile; a forward update fails on it', status: 'DELETED', details: undefined },
    {
      title: 'a rollback leaves off the domain a package it brings back whose validation failed since; a forward update fails on it',
      status: 'VALIDATION_FAILED',
      details: { ErrorType: 'InvalidFile', ErrorMessage: 'the dictionary does not parse' },
    },
  ] as const)('$title', async ({ status, details }) => {
    const { physicalId } = await drive(apis, domainEvents.create(domainPackagesProperties(two)));
    const moved = domainPackagesProperties([entry('F222222222'), entry('F333333333')]);
    await drive(apis, domainEvents.update(physicalId, moved, domainPackagesProperties(two)));
    sim.setPackageStatus('F111111111', status, details);
    const now = Date.now();

    sim.serveStack(STACK_ID, () => [], () => [stackEvent('UPDATE_IN_PROGRESS', now - 10)]);
    await expect(drive(apis, domainEvents.update(physicalId, domainPackagesProperties(two), moved))).rejects.toThrow(`package F111111111 is ${status} and cannot be associated`);

    sim.serveStack(STACK_ID, () => [], () => [stackEvent('UPDATE_IN_PROGRESS', now - 10), stackEvent('UPDATE_ROLLBACK_IN_PROGRESS', now)]);
    const rolledBack = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties(two), moved));
    expect(rolledBack.error).toBeUndefined();
    expect(rolledBack.result?.Data?.KF111111111).toBe('|||||');
    expect(states()).toEqual(['F222222222 ACTIVE v1']);
  });

  test('a rollback leaves on the domain an association the failed update continued, kept there by the stack\'s retaining removal policy', async () => {
    const record = '123456789012/us-east-1/search/id:F111111111 (kept)';
    const held = domainPackagesProperties([entry('F222222222')]);
    const { physicalId } = await drive(apis, domainEvents.create(held));
    sim.associate('search', 'F111111111');
    const failed = domainPackagesProperties([entry('F111111111', { OwnershipRecord: record }), entry('F222222222')]);
    sim.serveStack(STACK_ID, () => [], () => [stackEvent('UPDATE_IN_PROGRESS', Date.now() - 10), stackEvent('UPDATE_ROLLBACK_IN_PROGRESS', Date.now())]);

    const rolledBack = await drive(apis, domainEvents.update(physicalId, held, failed));
    expect(rolledBack.error).toBeUndefined();
    expect(states()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);

    sim.serveStack(STACK_ID, () => [], () => [stackEvent('UPDATE_IN_PROGRESS', Date.now())]);
    const removed = await drive(apis, domainEvents.update(physicalId, held, failed));
    expect(removed.error).toBeUndefined();
    expect(states()).toEqual(['F222222222 ACTIVE v1']);
  });

  test('a rollback keeps the package the failed update created again under the name of one deleted by hand', async () => {
    const record = '123456789012/us-east-1/search/123456789012:synonyms';
    const held = domainPackagesProperties([entry('F111111111', { OwnershipRecord: record })]);
    const { physicalId } = await drive(apis, domainEvents.create(held));
    // By hand: dissociated and deleted; the failed update created it again (a new ID) and associated it.
    sim.dissociate('search', 'F111111111');
    sim.setPackageStatus('F111111111', 'DELETED');
    sim.addPackage({ id: 'F666666666', name: 'synonyms' });
    sim.associate('search', 'F666666666');
    const failed = domainPackagesProperties([entry('F666666666', { OwnershipRecord: record })]);
    sim.serveStack(STACK_ID, () => [], () => [stackEvent('UPDATE_IN_PROGRESS', Date.now() - 10), stackEvent('UPDATE_ROLLBACK_IN_PROGRESS', Date.now())]);

    const rolledBack = await drive(apis, domainEvents.update(physicalId, held, failed));
    expect(rolledBack.error).toBeUndefined();
    expect(states()).toEqual(['F666666666 ACTIVE v1']);
    expect(rolledBack.result?.Data?.KF111111111).toMatch(/^F666666666\|/);
    expect(calls('DissociatePackage')).toEqual([]);
  });

  test('a package of the set deleted out of band is skipped; a package new to the set that does not exist fails', async () => {
    sim.addPackage({ id: 'F555555555', name: 'gone' });
    const { physicalId } = await drive(apis, domainEvents.create(domainPackagesProperties([entry('F111111111')])));
    const held = domainPackagesProperties([entry('F111111111'), entry('F555555555')]);
    await drive(apis, domainEvents.update(physicalId, held, domainPackagesProperties([entry('F111111111')])));
    // By hand: dissociated, then deleted (the service deletes no package a domain holds).
    await apis.opensearch('us-east-1').dissociatePackage('search', 'F555555555');
    while (states().some(s => s.startsWith('F555555555'))) await apis.opensearch('us-east-1').listDomainPackages('search');
    sim.setPackageStatus('F555555555', 'DELETED');

    const kept = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F555555555', { PackageVersion: 'v2' }), entry('F111111111')]), held));
    expect(kept.error).toBeUndefined();
    expect(kept.result?.Data?.KF555555555).toBe('|||||');
    await expect(drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F999999999'), entry('F111111111')]), held)))
      .rejects.toThrow('package F999999999 not found');
  });
});

describe('time budgets', () => {
  test('work the deployment asks for gets its timeout; a removal, and a change that starts by waiting out an operation in flight, get the ceiling', async () => {
    await sim.stop();
    sim = await OpenSearchSimulator.start({ associationDuration: { polls: 12 }, dissociationDuration: { polls: 12 } });
    sim.addDomain('search');
    sim.addPackage({ id: 'F111111111', name: 'synonyms' });
    sim.addPackage({ id: 'F222222222', name: 'stopwords' });
    apis = localClients(sim.endpoint);
    const slow = domainPackagesProperties([entry('F111111111')], { WaitSeconds: '60' });

    // Each check is 10 simulated seconds apart: twelve of them outlast the 60 seconds asked for.
    const forward = await drive(apis, domainEvents.create(slow));
    expect(forward.error?.message).toMatch(/^Timed out after 60 seconds waiting for the packages of domain search \(F111111111 ASSOCIATING v1\)\./);

    // Its rollback (a Delete) waits out the association in flight, then takes it off, however long the service takes.
    const rollback = await drive(apis, domainEvents.delete(forward.physicalId, slow));
    expect(rollback.error).toBeUndefined();
    expect(states()).toEqual([]);

    // An update that starts while an association is in flight is not held to the 60 seconds either.
    sim.associate('search', 'F222222222', 'ASSOCIATING');
    const busy = await drive(apis, domainEvents.create(domainPackagesProperties([entry('F111111111'), entry('F222222222')], { WaitSeconds: '60' })));
    expect(busy.error).toBeUndefined();
  });
});
