import { OpenSearchSimulator } from '../simulator';
import { domainEvents, domainPackagesProperties, entry } from './events';
import { drive, localClients } from './operation-driver';
import { Clients } from '../../lambda/clients';
import { HANDLER_CEILING_SECONDS } from '../../lib/check-timing';

/*
 * The removal, retry and rollback paths of the domain-packages resource that
 * the mutation run (docs/mutation-testing.md) found no test for: how long a
 * removal may wait, transient and lasting errors in onEvent's first read and
 * first call, and a domain that disappears between onEvent and isComplete.
 */

let sim: OpenSearchSimulator;
let apis: Clients;

async function startSimulator(polls = 2): Promise<void> {
  sim = await OpenSearchSimulator.start({ associationDuration: { polls: 2 }, dissociationDuration: { polls } });
  sim.addDomain('search');
  sim.addPackage({ id: 'F111111111', name: 'synonyms' });
  sim.addPackage({ id: 'F222222222', name: 'stopwords' });
  apis = localClients(sim.endpoint);
}

beforeEach(async () => {
  await startSimulator();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await sim.stop();
});

const states = (domain = 'search') => sim.domainPackages(domain).map(p => `${p.PackageID} ${p.DomainPackageStatus}`);
const calls = (operation: string) => sim.calls.filter(c => c.operation === operation);
const two = [entry('F111111111'), entry('F222222222')];

/** The set deployed (both packages ACTIVE), with the association's timeout given. */
async function deployed(waitSeconds = '600') {
  const props = domainPackagesProperties(two, { WaitSeconds: waitSeconds });
  const created = await drive(apis, domainEvents.create(props));
  expect(created.error).toBeUndefined();
  return { physicalId: created.physicalId, props };
}

describe('a removal waits as long as the service takes, not the association\'s timeout', () => {
  beforeEach(async () => {
    await sim.stop();
    await startSimulator(12);
  });

  test('a Delete with nothing in flight at its start', async () => {
    const { physicalId, props } = await deployed('60');
    // Twelve checks, 10 simulated seconds apart, outlast the 60 seconds.
    const outcome = await drive(apis, domainEvents.delete(physicalId, props));

    expect(outcome.error).toBeUndefined();
    expect(outcome.checks).toBeGreaterThan(7);
    expect(states()).toEqual([]);
  });

  test('an Update that takes a package off the domain', async () => {
    const { physicalId, props } = await deployed('60');
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F111111111')], { WaitSeconds: '60' }), props));

    expect(outcome.error).toBeUndefined();
    expect(outcome.checks).toBeGreaterThan(7);
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test('an Update whose DissociatePackage, throttled in onEvent, is made by isComplete after the timeout', async () => {
    const { physicalId, props } = await deployed('60');
    sim.injectError('DissociatePackage', { type: 'ThrottlingException' }, 2);
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F111111111')], { WaitSeconds: '60' }), props),
      { intervalSeconds: 100 });

    expect(outcome.error).toBeUndefined();
    expect(calls('DissociatePackage').map(c => c.status)).toEqual([429, 429, 200]);
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test('a removal that outlasts even the ceiling fails saying the packages may still be associated', async () => {
    const { physicalId, props } = await deployed();
    const removal = await drive(apis, domainEvents.delete(physicalId, props), { intervalSeconds: HANDLER_CEILING_SECONDS / 4 });

    expect(removal.error?.message).toBe(`Timed out after ${HANDLER_CEILING_SECONDS} seconds waiting for the packages of domain search (F111111111 DISSOCIATING v1, F222222222 DISSOCIATING v1).`
      + ' They may still be associated: check ListPackagesForDomain and dissociate them by hand if needed.');
  });

  test('a Delete under a throttling storm that outlasts the ceiling gives the removal\'s advice', async () => {
    const { physicalId, props } = await deployed();
    sim.injectError('ListPackagesForDomain', { type: 'ThrottlingException', message: 'Rate exceeded' }, 1000);
    const outcome = await drive(apis, domainEvents.delete(physicalId, props), { intervalSeconds: HANDLER_CEILING_SECONDS / 4 });

    expect(outcome.error?.message).toBe(`Timed out after ${HANDLER_CEILING_SECONDS} seconds waiting for the packages of domain search (not yet observed).`
      + ' They may still be associated: check ListPackagesForDomain and dissociate them by hand if needed. Last error: ThrottlingException: Rate exceeded');
  });

  test('an association that outlasts its timeout fails without the removal\'s advice', async () => {
    sim.setOperationDurations({ associationDuration: { polls: 12 } });
    const forward = await drive(apis, domainEvents.create(domainPackagesProperties([entry('F111111111')], { WaitSeconds: '60' })));

    expect(forward.error?.message).toBe('Timed out after 60 seconds waiting for the packages of domain search (F111111111 ASSOCIATING v1).');
  });
});

describe('errors in onEvent', () => {
  test('a throttled first association call is left to isComplete, which makes it', async () => {
    sim.injectError('AssociatePackages', { type: 'ThrottlingException' }, 1);
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties(two)));

    expect(outcome.error).toBeUndefined();
    expect(outcome.started).toMatchObject({ FirstCheckDelaySeconds: 0 });
    expect(calls('AssociatePackages').map(c => c.status)).toEqual([429, 200]);
    expect(states()).toEqual(['F111111111 ACTIVE', 'F222222222 ACTIVE']);
  });

  test('a lasting error on the first association call fails onEvent: it is not left to isComplete', async () => {
    sim.injectError('AssociatePackages', { type: 'ValidationException', message: 'Invalid request' }, 1);
    await expect(drive(apis, domainEvents.create(domainPackagesProperties(two)))).rejects.toThrow(new Error('Domain search (us-east-1): ValidationException: Invalid request'));
    expect(states()).toEqual([]);
  });

  test('a DissociatePackage answered "not associated" (the package taken off meanwhile) is not a failure', async () => {
    const { physicalId, props } = await deployed();
    sim.injectError('DissociatePackage', { type: 'ResourceNotFoundException', message: 'Package is not associated to this domain' }, 1);
    const outcome = await drive(apis, domainEvents.update(physicalId, domainPackagesProperties([entry('F111111111')]), props));

    expect(outcome.error).toBeUndefined();
    expect(states()).toEqual(['F111111111 ACTIVE']);
  });

  test('a package being copied is waited for, not refused', async () => {
    sim.setPackageStatus('F111111111', 'COPYING');
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties(two)), {
      beforeCheck: check => { if (check === 2) sim.setPackageStatus('F111111111', 'AVAILABLE'); },
    });

    expect(outcome.error).toBeUndefined();
    expect(states()).toEqual(['F111111111 ACTIVE', 'F222222222 ACTIVE']);
  });

  test('prerequisites listed in another order are the same prerequisites: nothing is associated again', async () => {
    sim.addPackage({ id: 'pkg-0a', name: 'plugin-a', type: 'ZIP-PLUGIN' });
    sim.addPackage({ id: 'pkg-0c', name: 'plugin-c', type: 'ZIP-PLUGIN' });
    sim.addPackage({ id: 'pkg-0b', name: 'license', type: 'PACKAGE-LICENSE' });
    const withOrder = (prerequisites: string[]) => domainPackagesProperties([entry('pkg-0a'), entry('pkg-0c'), entry('pkg-0b', { PrerequisitePackageIDList: prerequisites })]);
    const created = await drive(apis, domainEvents.create(withOrder(['pkg-0a', 'pkg-0c'])));
    expect(created.error).toBeUndefined();
    const before = sim.calls.length;
    const outcome = await drive(apis, domainEvents.update(created.physicalId, withOrder(['pkg-0c', 'pkg-0a']), withOrder(['pkg-0a', 'pkg-0c'])));

    expect(outcome.error).toBeUndefined();
    expect(sim.calls.slice(before).filter(c => /^(Associate|Dissociate)/.test(c.operation))).toEqual([]);
  });

  test('a package that cannot be associated fails onEvent\'s first step with the domain named once', async () => {
    sim.setPackageStatus('F222222222', 'COPY_FAILED', { ErrorType: 'ClientError', ErrorMessage: 'the S3 object is not readable' });
    await expect(drive(apis, domainEvents.create(domainPackagesProperties(two)))).rejects.toThrow(new Error(
      'Domain search (us-east-1): package F222222222 is COPY_FAILED and cannot be associated: ClientError: the S3 object is not readable.'));
    expect(calls('AssociatePackages')).toHaveLength(0);
  });

  test('a package that cannot be associated, moved to another domain, fails onEvent before the first domain loses it', async () => {
    sim.addDomain('search-two');
    const { physicalId } = await drive(apis, domainEvents.create(domainPackagesProperties(two)));
    sim.setPackageStatus('F111111111', 'VALIDATION_FAILED', { ErrorType: 'InvalidFile', ErrorMessage: 'the dictionary does not parse' });
    const moved = domainPackagesProperties([entry('F222222222')], {}, {
      Key: 'two', DomainName: 'search-two', DomainArn: 'arn:aws:es:us-east-1:123456789012:domain/search-two', WaitSeconds: '600', Packages: [entry('F111111111')],
    });
    const before = sim.calls.length;

    await expect(drive(apis, domainEvents.update(physicalId, moved, domainPackagesProperties(two)))).rejects.toThrow(new Error(
      'Domain search-two (us-east-1): package F111111111 is VALIDATION_FAILED and cannot be associated: InvalidFile: the dictionary does not parse.'));
    expect(sim.calls.slice(before).filter(c => /^(Associate|Dissociate)/.test(c.operation))).toEqual([]);
    expect(states()).toEqual(['F111111111 ACTIVE', 'F222222222 ACTIVE']);
  });

  test('a read of the domain refused for good fails onEvent before any change, and is not left to isComplete', async () => {
    sim.injectError('ListPackagesForDomain', { type: 'AccessDeniedException', status: 403, message: 'not authorized to list packages' }, 1);
    await expect(drive(apis, domainEvents.create(domainPackagesProperties(two))))
      .rejects.toThrow(new Error('Domain search (us-east-1): AccessDeniedException: not authorized to list packages'));
    expect(calls('AssociatePackages')).toHaveLength(0);
  });

  test('a read throttled in onEvent leaves the plan to isComplete, which still refuses a package declared twice', async () => {
    sim.addPackage({ id: 'G100000219', name: 'analysis-icu', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.19' });
    sim.injectError('ListPackagesForDomain', { type: 'ThrottlingException' }, 1);
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties([
      entry('G100000219'), entry('x', { Key: 'KIcu', PackageID: undefined, AwsPackageName: 'analysis-icu' }),
    ])));

    expect(outcome.checks).toBe(1);
    expect(outcome.error?.message).toMatch(/^Domain search \(us-east-1\): package G100000219 is declared 2 times for this domain/);
    expect(calls('AssociatePackages')).toHaveLength(0);
  });

  test('a throttling storm that outlasts the timeout fails after the timeout, with the last error', async () => {
    sim.injectError('ListPackagesForDomain', { type: 'ThrottlingException', message: 'Rate exceeded' }, 1000);
    const outcome = await drive(apis, domainEvents.create(domainPackagesProperties(two, { WaitSeconds: '60' })));

    expect(outcome.checks).toBe(7);
    expect(outcome.error?.message).toBe('Timed out after 60 seconds waiting for the packages of domain search (not yet observed). Last error: ThrottlingException: Rate exceeded');
  });

  test('a Delete of a set whose domain is in another account succeeds without a call to OpenSearch: the stack could never have put packages there', async () => {
    const props = domainPackagesProperties(two, { DomainArn: 'arn:aws:es:us-east-1:210987654321:domain/search' });
    const outcome = await drive(apis, domainEvents.delete('Test/domain-packages', props));

    expect(outcome.error).toBeUndefined();
    // Only the stack's own events are read (whether a failure found an association contested).
    expect(sim.calls.filter(c => c.operation !== 'DescribeStackEvents')).toHaveLength(0);
  });
});

describe('a domain deleted between onEvent and isComplete', () => {
  test('a Delete completes', async () => {
    const { physicalId, props } = await deployed();
    const outcome = await drive(apis, domainEvents.delete(physicalId, props), { beforeCheck: () => sim.removeDomain('search') });

    expect(outcome.error).toBeUndefined();
    expect(calls('DissociatePackages')).toHaveLength(1);
  });

  test('an Update that adds a domain new to the stack fails naming it', async () => {
    const { physicalId, props } = await deployed();
    sim.addDomain('other');
    const withOther = domainPackagesProperties(two, {}, {
      Key: 'other', DomainName: 'other', DomainArn: 'arn:aws:es:us-east-1:123456789012:domain/other', WaitSeconds: '600', Packages: [entry('F111111111')],
    });
    const outcome = await drive(apis, domainEvents.update(physicalId, withOther, props), {
      beforeCheck: check => { if (check === 1) sim.removeDomain('other'); },
    });

    expect(outcome.error?.message).toBe('Domain other (us-east-1): domain not found in us-east-1 (ResourceNotFoundException: Domain not found: other).');
  });
});
