import { AssociatePackageCommand, DissociatePackageCommand, ListPackagesForDomainCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { OpenSearchSimulator } from './index';
import { localClient } from './local-client';

/*
 * The faults a test scheduled, as the simulator reports them once requests
 * took them: how a test knows whether a fault found something to fail.
 */

let sim: OpenSearchSimulator;
let client: OpenSearchClient;

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ associationDuration: { polls: 1 }, dissociationDuration: { polls: 1 } });
  client = localClient(sim.endpoint);
  sim.addDomain('search-domain');
  sim.addPackage({ id: 'F111111111', name: 'synonyms' });
});

afterEach(async () => {
  client.destroy();
  await sim.stop();
});

const associate = () => client.send(new AssociatePackageCommand({ DomainName: 'search-domain', PackageID: 'F111111111' }));
const list = () => client.send(new ListPackagesForDomainCommand({ DomainName: 'search-domain' }));

test('a fault is reported once a request takes it, not when it is scheduled', async () => {
  sim.failNextAssociation('search-domain', 'synonyms', { ErrorType: 'Injected', ErrorMessage: 'refused' });
  sim.injectError('ListPackagesForDomain', { type: 'ThrottlingException' }, 2);
  expect(sim.consumedFaults).toEqual([]);

  await associate();
  await list().catch(() => undefined);

  expect(sim.consumedFaults).toEqual([
    { kind: 'association failure', domain: 'search-domain', packageId: 'F111111111', error: { ErrorType: 'Injected', ErrorMessage: 'refused' } },
    { kind: 'injected error', operation: 'ListPackagesForDomain', errorType: 'ThrottlingException', status: 429 },
  ]);
});

test('a package failure and an in-use refusal are reported when a request meets them; faults cleared unused never are', async () => {
  sim.failNextPackageProcessing('stopwords', 'VALIDATION_FAILED', { ErrorType: 'Injected', ErrorMessage: 'never created' });
  sim.associate('search-domain', 'F111111111');
  sim.markPackageInUse('search-domain', 'F111111111', { message: 'in use by products' });

  await client.send(new DissociatePackageCommand({ DomainName: 'search-domain', PackageID: 'F111111111' })).catch(() => undefined);
  sim.clearScheduledFaults();

  expect(sim.consumedFaults).toEqual([
    { kind: 'in use', region: 'us-east-1', domain: 'search-domain', packageId: 'F111111111', answer: { type: 'ValidationException', message: 'in use by products' } },
  ]);
});
