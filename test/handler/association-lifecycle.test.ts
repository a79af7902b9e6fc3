import { OpenSearchSimulator, StackEventRecord, StackResourceSummary } from '../simulator';
import { associationEvents, associationProperties, STACK_ID } from './events';
import { drive, localClients } from './operation-driver';
import { Clients } from '../../lambda/clients';

let sim: OpenSearchSimulator;
let apis: Clients;
/** The stack's resources as CloudFormation lists them, besides the record under test. */
let stackResources: StackResourceSummary[];
/** The stack's events as DescribeStackEvents gives them (oldest first here). */
let stackEvents: StackEventRecord[];

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ dissociationDuration: { polls: 1 } });
  sim.addDomain('search');
  sim.addPackage({ id: 'F111111111', name: 'synonyms' });
  stackResources = [];
  stackEvents = [];
  sim.serveStack(STACK_ID, () => stackResources, () => stackEvents);
  apis = localClients(sim.endpoint);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await sim.stop();
});

const changes = () => sim.calls.filter(c => /^(Associate|Dissociate)/.test(c.operation));
const states = () => sim.domainPackages('search').map(p => `${p.PackageID} ${p.DomainPackageStatus}`);

/** The record of the association of `synonyms` (F111111111) with `search`, as the handler names it. */
const SYNONYMS = '123456789012/us-east-1/search/123456789012:synonyms';

/** Another ownership record of the stack, as ListStackResources shows it. */
function record(physicalId: string, status = 'CREATE_COMPLETE', logicalId = 'OtherAssociation'): StackResourceSummary {
  return { logicalId, physicalId, resourceType: 'Custom::OpenSearchPackageAssociation', status };
}

/** An event of the stack itself (an operation starting), or of an ownership record. */
function stackEvent(status: string, timestamp: number, physicalId = STACK_ID, reason?: string): StackEventRecord {
  const own = physicalId === STACK_ID;
  return { logicalId: own ? 'Test' : 'OldAssociation', physicalId, resourceType: own ? 'AWS::CloudFormation::Stack' : 'Custom::OpenSearchPackageAssociation', status, reason, timestamp };
}

describe('create: the ownership check', () => {
  test('claims a package that is not on the domain, changing nothing, and lets the waiter check at once', async () => {
    const outcome = await drive(apis, associationEvents.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(SYNONYMS);
    expect(outcome.started).toMatchObject({ Goal: 'settled', FirstCheckDelaySeconds: 0 });
    expect(outcome.checks).toBe(1);
    expect(changes()).toEqual([]);
  });

  test('refuses a package already on the domain, naming it, its state, and the way to adopt it', async () => {
    sim.associate('search', 'F111111111');
    await expect(drive(apis, associationEvents.create(associationProperties()))).rejects.toThrow(
      'Package F111111111 is already associated with domain search (ACTIVE, version v1), and this stack did not associate it: another stack, a script or a person did, '
      + 'or this stack left it there with a retaining removal policy. The stack does not take it over unless told to. '
      + 'Dissociate it from the domain first to let the stack associate (and own) it, '
      + 'or set adoptExisting: true on the association to adopt it: the stack then manages it but never takes it off the domain.');
    expect(changes()).toEqual([]);
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test.each([
    ['owned', SYNONYMS],
    ['kept', `${SYNONYMS} (kept)`],
  ])('an association the stack made (%s) and a retaining removal policy kept on the domain is the stack\'s again; changed since, it is refused', async (_name, retained) => {
    sim.associate('search', 'F111111111');
    const lastUpdated = Number(sim.domainPackages('search')[0].LastUpdated) * 1000;
    stackEvents = [stackEvent('DELETE_SKIPPED', lastUpdated - 1, retained)];
    await expect(drive(apis, associationEvents.create(associationProperties()))).rejects.toThrow(/this stack did not associate it/);

    stackEvents = [stackEvent('DELETE_SKIPPED', lastUpdated + 1, retained)];
    const outcome = await drive(apis, associationEvents.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(`${SYNONYMS} (kept)`);
    expect(changes()).toEqual([]);
  });

  test('the rollback of a record\'s creation that continued a kept association leaves it on the domain, where it was before', async () => {
    sim.associate('search', 'F111111111');
    const lastUpdated = Number(sim.domainPackages('search')[0].LastUpdated) * 1000;
    stackEvents = [stackEvent('DELETE_SKIPPED', lastUpdated + 1, SYNONYMS)];
    const created = await drive(apis, associationEvents.create(associationProperties()));
    expect(created.physicalId).toBe(`${SYNONYMS} (kept)`);

    const undone = await drive(apis, associationEvents.delete(created.physicalId!, associationProperties()));

    expect(undone.error).toBeUndefined();
    expect(changes()).toEqual([]);
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test('an adopted association a retaining removal policy kept is not the stack\'s: refused', async () => {
    sim.associate('search', 'F111111111');
    stackEvents = [stackEvent('DELETE_SKIPPED', Date.now() + 1000, `${SYNONYMS} (adopted)`)];
    await expect(drive(apis, associationEvents.create(associationProperties()))).rejects.toThrow(/this stack did not associate it/);
  });

  test.each([
    ['owned', SYNONYMS, SYNONYMS],
    ['adopted', `${SYNONYMS} (adopted)`, `${SYNONYMS} (adopted)`],
  ])('continues, %s, an association another record of the stack holds under another name', async (_name, other, expected) => {
    sim.associate('search', 'F111111111');
    stackResources = [record(other, 'UPDATE_COMPLETE')];
    const outcome = await drive(apis, associationEvents.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(expected);
    expect(changes()).toEqual([]);
  });

  test.each([
    ['being deleted', record(SYNONYMS, 'DELETE_IN_PROGRESS')],
    ['whose creation failed', record(SYNONYMS, 'CREATE_FAILED')],
    ['that could not tell', record(`${SYNONYMS} (unverified)`)],
    ['of another association', record('123456789012/us-east-1/search/123456789012:stopwords')],
    ['of another type', { ...record(SYNONYMS), resourceType: 'Custom::OpenSearchPackage' }],
    ['that is this very record', record(SYNONYMS, 'CREATE_COMPLETE', 'SynonymsAssociation')],
  ])('does not count a record %s as the stack holding the association', async (_name, other) => {
    sim.associate('search', 'F111111111');
    stackResources = [other];
    await expect(drive(apis, associationEvents.create(associationProperties()))).rejects.toThrow('and this stack did not associate it');
  });

  test('refuses, saying so, when CloudFormation cannot tell whether the stack holds the association', async () => {
    sim.associate('search', 'F111111111');
    sim.injectError('ListStackResources', { type: 'AccessDenied', status: 403, message: 'not allowed' });
    await expect(drive(apis, associationEvents.create(associationProperties()))).rejects.toThrow(
      'The stack\'s own resources could not be read from CloudFormation, so an association this stack holds under another name could not be recognised.');
  });

  test('waits out throttling of CloudFormation rather than deciding without it', async () => {
    sim.associate('search', 'F111111111');
    stackResources = [record(SYNONYMS)];
    sim.injectError('ListStackResources', { type: 'Throttling', status: 400, message: 'Rate exceeded' });
    sim.injectError('ListStackResources', { type: 'ServiceUnavailable', status: 503 });
    const outcome = await drive(apis, associationEvents.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(SYNONYMS);
  });

  test.each(['ACTIVE', 'ASSOCIATION_FAILED', 'ASSOCIATING'] as const)('adopts a package that is %s when adoptExisting is set, and says so in its physical ID', async status => {
    sim.associate('search', 'F111111111', status);
    const outcome = await drive(apis, associationEvents.create(associationProperties({ AdoptExisting: 'true' })));
    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(`${SYNONYMS} (adopted)`);
    expect(changes()).toEqual([]);
  });

  test('with adoptExisting, claims a package that is not on the domain as its own', async () => {
    const outcome = await drive(apis, associationEvents.create(associationProperties({ AdoptExisting: 'true' })));
    expect(outcome.physicalId).toBe(SYNONYMS);
  });

  test('when onEvent could not read the domain, claims nothing until isComplete could: a failed check leaves a record that removes nothing', async () => {
    sim.associate('search', 'F111111111');
    sim.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429 }, 4);
    const adopting = await drive(apis, associationEvents.create(associationProperties({ AdoptExisting: 'true' })));
    expect(adopting.started).toMatchObject({ Goal: 'claim', PhysicalResourceId: '123456789012/us-east-1/search/ref:F111111111 (unverified)' });
    expect(adopting.physicalId).toBe(`${SYNONYMS} (adopted)`);

    // The same check failing for good (the create then rolls back): the rollback's Delete comes with the unverified ID.
    const rollback = await drive(apis, associationEvents.delete(adopting.started.PhysicalResourceId as string, associationProperties()));
    expect(rollback.error).toBeUndefined();
    expect(changes()).toEqual([]);
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test('waits while the package is leaving the domain, then claims it', async () => {
    sim.associate('search', 'F111111111', 'DISSOCIATING');
    const outcome = await drive(apis, associationEvents.create(associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.started).toMatchObject({ Goal: 'claim' });
    expect(outcome.physicalId).toBe(SYNONYMS);
    expect(states()).toEqual([]);
  });

  test('fails naming the domain when it does not exist', async () => {
    sim.removeDomain('search');
    await expect(drive(apis, associationEvents.create(associationProperties()))).rejects.toThrow('Domain search not found in us-east-1 (ResourceNotFoundException: Domain not found: search).');
  });
});

describe('update', () => {
  test('keeps the record when the properties name the same association, changing nothing and refusing nothing', async () => {
    sim.associate('search', 'F111111111');
    const outcome = await drive(apis, associationEvents.update(SYNONYMS, associationProperties({ WaitSeconds: '900' }), associationProperties()));
    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(SYNONYMS);
    expect(changes()).toEqual([]);
  });

  test('follows the properties to another association without refusing, and a rollback returns to the record it was', async () => {
    sim.addPackage({ id: 'F222222222', name: 'stopwords' });
    sim.associate('search', 'F111111111');
    sim.associate('search', 'F222222222');
    const moved = await drive(apis, associationEvents.update(SYNONYMS, associationProperties({ PackageID: 'F222222222' }), associationProperties()));
    expect(moved.error).toBeUndefined();
    expect(moved.physicalId).toBe(`123456789012/us-east-1/search/123456789012:stopwords (adopted) was:${SYNONYMS}`);

    const rollback = await drive(apis, associationEvents.update(moved.physicalId, associationProperties(), associationProperties({ PackageID: 'F222222222' })));
    expect(rollback.physicalId).toBe(SYNONYMS);
    expect(changes()).toEqual([]);
  });

  test('never fails: when the domain is gone, the record stays as it was', async () => {
    sim.removeDomain('search');
    const outcome = await drive(apis, associationEvents.update(SYNONYMS, associationProperties({ PackageID: 'F222222222' }), associationProperties()));
    expect(outcome.error).toBeUndefined();
    expect(outcome.physicalId).toBe(SYNONYMS);
  });
});

describe('delete: the rollback of the record\'s creation', () => {
  test('leaves the package on the domain when the failure of this operation found the association contested, and only then', async () => {
    sim.associate('search', 'F111111111');
    const now = Date.now();
    const failed = (association: string) => stackEvent('UPDATE_FAILED', now, 'arn:other', `Failed to update resource. ${association} was associated by someone else (contested: ${association})`);
    // The contested failure of an earlier operation does not count.
    stackEvents = [stackEvent('UPDATE_IN_PROGRESS', now - 10), failed(SYNONYMS), stackEvent('UPDATE_IN_PROGRESS', now - 5), stackEvent('UPDATE_ROLLBACK_IN_PROGRESS', now)];
    await drive(apis, associationEvents.delete(SYNONYMS, associationProperties()));
    expect(states()).toEqual([]);

    sim.associate('search', 'F111111111');
    stackEvents = [stackEvent('UPDATE_IN_PROGRESS', now - 5), failed(SYNONYMS), stackEvent('UPDATE_ROLLBACK_IN_PROGRESS', now)];
    const outcome = await drive(apis, associationEvents.delete(SYNONYMS, associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test('leaves the package on the domain while another stack holds a record that adopted the association', async () => {
    sim.associate('search', 'F111111111');
    sim.serveStack('arn:aws:cloudformation:us-east-1:123456789012:stack/Staging/guid', () => [record(`${SYNONYMS} (adopted)`, 'UPDATE_COMPLETE')]);
    const outcome = await drive(apis, associationEvents.delete(SYNONYMS, associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(changes()).toEqual([]);
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test('takes the package off the domain with DissociatePackage if the stack made the association, and waits until it is gone', async () => {
    sim.associate('search', 'F111111111');
    const outcome = await drive(apis, associationEvents.delete(SYNONYMS, associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.started).toMatchObject({ Goal: 'removed', FirstCheckDelaySeconds: 6 });
    expect(changes().map(c => `${c.operation} ${c.path}`)).toEqual(['DissociatePackage /2021-01-01/packages/dissociate/F111111111/search']);
    expect(states()).toEqual([]);
  });

  test.each([
    ['adopted', `${SYNONYMS} (adopted)`],
    ['could not tell', '123456789012/us-east-1/search/ref:F111111111 (unverified)'],
    ['is not the handler\'s (a failed Create\'s marker)', 'aws-cdk:provider-framework:missing-physical-id'],
  ])('leaves the association on the domain when the record says the stack %s', async (_name, physicalId) => {
    sim.associate('search', 'F111111111');
    const outcome = await drive(apis, associationEvents.delete(physicalId, associationProperties({ AdoptExisting: 'true' })));
    expect(outcome.error).toBeUndefined();
    expect(changes()).toEqual([]);
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test('leaves the association on the domain when another record of the stack holds it under another name', async () => {
    sim.associate('search', 'F111111111');
    stackResources = [record(SYNONYMS, 'UPDATE_COMPLETE')];
    const outcome = await drive(apis, associationEvents.delete(SYNONYMS, associationProperties()));
    expect(outcome.error).toBeUndefined();
    expect(changes()).toEqual([]);
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test('checks the stack\'s resources in isComplete when CloudFormation throttled onEvent, then removes', async () => {
    sim.associate('search', 'F111111111');
    sim.injectError('ListStackResources', { type: 'Throttling', status: 400, message: 'Rate exceeded' }, 1);
    const outcome = await drive(apis, associationEvents.delete(SYNONYMS, associationProperties()));

    expect(outcome.error).toBeUndefined();
    expect(outcome.started).toMatchObject({ Goal: 'release' });
    expect(states()).toEqual([]);
  });

  test('is done at once when the package has already left, or the domain is gone', async () => {
    expect((await drive(apis, associationEvents.delete(SYNONYMS, associationProperties()))).error).toBeUndefined();
    sim.removeDomain('search');
    expect((await drive(apis, associationEvents.delete(SYNONYMS, associationProperties()))).error).toBeUndefined();
    expect(changes()).toEqual([]);
  });
});

describe('a package AWS provides', () => {
  beforeEach(() => {
    sim.addPackage({ id: 'G100000219', name: 'analysis-sudachi', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.19' });
  });
  const named = associationProperties({ PackageID: undefined, AwsPackageName: 'analysis-sudachi' });
  const SUDACHI = '123456789012/us-east-1/search/AWS:analysis-sudachi';

  test('is the same association named by ID or by AWS name, under its name, which outlives the ID an engine upgrade swaps', async () => {
    const byName = await drive(apis, associationEvents.create(named));
    const byId = await drive(apis, associationEvents.create(associationProperties({ PackageID: 'G100000219' })));
    expect([byName.physicalId, byId.physicalId]).toEqual([SUDACHI, SUDACHI]);

    sim.associate('search', 'G100000219');
    await expect(drive(apis, associationEvents.create(named))).rejects.toThrow(
      'Package analysis-sudachi (G100000219) is already associated with domain search (ACTIVE, version v1), and this stack did not associate it');
    stackResources = [record(SUDACHI)];
    expect((await drive(apis, associationEvents.create(named))).physicalId).toBe(SUDACHI);
  });

  test('its removal takes off the package of that name for the domain\'s engine version', async () => {
    sim.associate('search', 'G100000219');
    const outcome = await drive(apis, associationEvents.delete(SUDACHI, named));

    expect(outcome.error).toBeUndefined();
    expect(changes().map(c => `${c.operation} ${c.path}`)).toEqual(['DissociatePackage /2021-01-01/packages/dissociate/G100000219/search']);
    expect(states()).toEqual([]);
  });
});
