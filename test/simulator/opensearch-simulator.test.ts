import {
  AssociatePackageCommand, AssociatePackagesCommand, DescribeDomainCommand, DescribePackagesCommand,
  DissociatePackageCommand, DissociatePackagesCommand, ListDomainsForPackageCommand, ListPackagesForDomainCommand, OpenSearchClient,
} from '@aws-sdk/client-opensearch';
import { OpenSearchSimulator, SimulatorOptions } from './index';
import { localClient } from './local-client';

const DOMAIN = 'search-domain';
const SYNONYMS = 'F111111111';

let sim: OpenSearchSimulator;
let client: OpenSearchClient;

async function useSimulator(options?: SimulatorOptions): Promise<void> {
  await tearDown();
  sim = await OpenSearchSimulator.start(options);
  client = localClient(sim.endpoint);
  sim.addDomain(DOMAIN);
  sim.addPackage({ id: SYNONYMS, name: 'synonyms' });
}

async function tearDown(): Promise<void> {
  client?.destroy();
  await sim?.stop();
}

beforeEach(() => useSimulator());
afterEach(() => tearDown());

const associate = (packageId = SYNONYMS, domain = DOMAIN) =>
  client.send(new AssociatePackageCommand({ PackageID: packageId, DomainName: domain }));
const dissociate = (packageId = SYNONYMS, domain = DOMAIN) =>
  client.send(new DissociatePackageCommand({ PackageID: packageId, DomainName: domain }));
const list = async (domain = DOMAIN) =>
  (await client.send(new ListPackagesForDomainCommand({ DomainName: domain }))).DomainPackageDetailsList ?? [];
const statuses = async () => (await list()).map((entry) => `${entry.PackageID}:${entry.DomainPackageStatus}`);

type ServiceFailure = Error & { $metadata: { httpStatusCode?: number }; $fault?: string };

/** The rejection of `promise`, which must reject. */
const rejection = (promise: Promise<unknown>): Promise<ServiceFailure> =>
  promise.then(() => { throw new Error('expected the call to fail'); }, (error: ServiceFailure) => error);

/** A plugin (pkg-0a1b) and its licence (pkg-0c2d, naming the plugin as prerequisite), associated in one AssociatePackages call. */
async function associatePluginWithLicence(): Promise<void> {
  sim.addPackage({ id: 'pkg-0a1b', name: 'analysis-plugin', type: 'ZIP-PLUGIN' });
  sim.addPackage({ id: 'pkg-0c2d', name: 'plugin-licence', type: 'PACKAGE-LICENSE' });
  await client.send(new AssociatePackagesCommand({
    DomainName: DOMAIN, PackageList: [{ PackageID: 'pkg-0a1b' }, { PackageID: 'pkg-0c2d', PrerequisitePackageIDList: ['pkg-0a1b'] }],
  }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('OpenSearchSimulator', () => {
  test('an association is ASSOCIATING for two polls and ACTIVE on the third', async () => {
    const response = await associate();
    expect(response.DomainPackageDetails).toMatchObject({
      PackageID: SYNONYMS, PackageName: 'synonyms', PackageType: 'TXT-DICTIONARY', DomainName: DOMAIN,
      DomainPackageStatus: 'ASSOCIATING', PackageVersion: 'v1', ReferencePath: `analyzers/${SYNONYMS}`,
    });
    expect(response.DomainPackageDetails?.LastUpdated).toBeInstanceOf(Date);
    expect(response.DomainPackageDetails?.ErrorDetails).toBeUndefined();
    expect(await statuses()).toEqual([`${SYNONYMS}:ASSOCIATING`]);
    expect(sim.domainPackages(DOMAIN)[0].DomainPackageStatus).toBe('ASSOCIATING');
    expect(await statuses()).toEqual([`${SYNONYMS}:ASSOCIATING`]);
    expect(await statuses()).toEqual([`${SYNONYMS}:ACTIVE`]);
    expect(sim.calls.map((call) => call.operation)).toEqual(['AssociatePackage', ...Array(3).fill('ListPackagesForDomain')]);
    expect(sim.calls[0]).toMatchObject({ method: 'POST', path: `/2021-01-01/packages/associate/${SYNONYMS}/${DOMAIN}` });
  });

  test('with a duration in milliseconds the association becomes ACTIVE once the time has passed', async () => {
    await useSimulator({ associationDuration: { ms: 150 } });
    await associate();
    expect(await statuses()).toEqual([`${SYNONYMS}:ASSOCIATING`]);
    await sleep(200);
    expect(sim.domainPackages(DOMAIN)[0].DomainPackageStatus).toBe('ACTIVE');
    expect(await statuses()).toEqual([`${SYNONYMS}:ACTIVE`]);
  });

  test('associating a package already ACTIVE at its current version is a conflict, but a new version re-associates', async () => {
    sim.associate(DOMAIN, SYNONYMS);
    const error = await rejection(associate());
    expect(error.name).toBe('ConflictException');
    expect(error.message).toBe('Package is already in desired state');
    expect(error.$metadata.httpStatusCode).toBe(409);

    sim.setPackageVersion(SYNONYMS, 'v2');
    const response = await associate();
    expect(response.DomainPackageDetails).toMatchObject({ DomainPackageStatus: 'ASSOCIATING', PackageVersion: 'v1' });
    await list(); await list();
    expect(await list()).toMatchObject([{ DomainPackageStatus: 'ACTIVE', PackageVersion: 'v2' }]);
  });

  test('ListPackagesForDomain pages with maxResults and an opaque NextToken', async () => {
    for (const id of ['F3', 'F1', 'F2']) {
      sim.addPackage({ id, name: `dictionary-${id.toLowerCase()}` });
      sim.associate(DOMAIN, id);
    }
    sim.associate(DOMAIN, SYNONYMS);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN, MaxResults: 1, NextToken: token }));
      expect(page.DomainPackageDetailsList).toHaveLength(1);
      seen.push(page.DomainPackageDetailsList![0].PackageID!);
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(['F1', SYNONYMS, 'F2', 'F3']);
    expect(sim.calls[0].query).toEqual({ maxResults: '1' });

    const error = await rejection(client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN, MaxResults: 101 })));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('a scheduled association failure ends in ASSOCIATION_FAILED with ErrorDetails', async () => {
    const details = { ErrorType: 'PluginInstallationFailed', ErrorMessage: 'Dictionary is malformed' };
    sim.failNextAssociation(DOMAIN, SYNONYMS, details);
    await associate();
    await list(); await list();
    expect(await list()).toMatchObject([{ DomainPackageStatus: 'ASSOCIATION_FAILED', ErrorDetails: details }]);
    expect((await associate()).DomainPackageDetails?.ErrorDetails).toBeUndefined();
  });

  test('a dissociation is DISSOCIATING, then the entry disappears', async () => {
    sim.associate(DOMAIN, SYNONYMS);
    expect((await dissociate()).DomainPackageDetails?.DomainPackageStatus).toBe('DISSOCIATING');
    expect(await statuses()).toEqual([`${SYNONYMS}:DISSOCIATING`]);
    expect(await statuses()).toEqual([`${SYNONYMS}:DISSOCIATING`]);
    expect(await statuses()).toEqual([]);
  });

  test('a scheduled dissociation failure leaves the entry in DISSOCIATION_FAILED', async () => {
    sim.associate(DOMAIN, SYNONYMS);
    sim.failNextDissociation(DOMAIN, SYNONYMS, { ErrorType: 'DissociationFailed', ErrorMessage: 'boom' });
    await dissociate();
    await list(); await list();
    expect(await list()).toMatchObject([{ DomainPackageStatus: 'DISSOCIATION_FAILED', ErrorDetails: { ErrorMessage: 'boom' } }]);
  });

  test('dissociating a package that is not associated is a validation error', async () => {
    const error = await rejection(dissociate());
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('Package is not associated to this domain');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('dissociating a package in use fails synchronously until the mark is cleared', async () => {
    sim.associate(DOMAIN, SYNONYMS);
    sim.markPackageInUse(DOMAIN, SYNONYMS, { message: 'Package is used by index products' });
    const error = await rejection(dissociate());
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('Package is used by index products');
    expect(sim.domainPackages(DOMAIN)[0].DomainPackageStatus).toBe('ACTIVE');
    sim.clearPackageInUse(DOMAIN, SYNONYMS);
    expect((await dissociate()).DomainPackageDetails?.DomainPackageStatus).toBe('DISSOCIATING');
  });

  test('a second package operation on a domain while one is in flight is a conflict', async () => {
    sim.addPackage({ id: 'F222222222', name: 'stopwords' });
    await associate();
    const error = await rejection(associate('F222222222'));
    expect(error.name).toBe('ConflictException');
    expect(error.message).toBe(`Another package operation is in progress on domain ${DOMAIN}`);
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  test('without the one-operation rule, operations on a domain run side by side', async () => {
    await useSimulator({ oneOperationPerDomain: false });
    sim.addPackage({ id: 'F222222222', name: 'stopwords' });
    await associate();
    await associate('F222222222');
    expect(await statuses()).toEqual(['F111111111:ASSOCIATING', 'F222222222:ASSOCIATING']);
  });

  test('a missing domain is ResourceNotFoundException with status 409', async () => {
    sim.associate(DOMAIN, SYNONYMS);
    sim.removeDomain(DOMAIN);
    for (const call of [() => list(), () => associate(), () => client.send(new DescribeDomainCommand({ DomainName: DOMAIN }))]) {
      const error = await rejection(call());
      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.message).toBe(`Domain not found: ${DOMAIN}`);
      expect(error.$metadata.httpStatusCode).toBe(409);
    }
  });

  test('an injected throttling error fails the next call with 429 and is counted', async () => {
    sim.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429, message: 'Rate exceeded' });
    const error = await rejection(list());
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe('Rate exceeded');
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(await list()).toEqual([]);
    expect(sim.callCount('ListPackagesForDomain')).toBe(2);
  });

  test('an injected InternalException fails with 500 as a server fault, as many times as asked', async () => {
    sim.injectError('AssociatePackage', { type: 'InternalException', status: 500 }, 2);
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await rejection(associate());
      expect(error.name).toBe('InternalException');
      expect(error.$fault).toBe('server');
      expect(error.$metadata.httpStatusCode).toBe(500);
    }
    expect(sim.domainPackages(DOMAIN)).toEqual([]);
    expect((await associate()).DomainPackageDetails?.DomainPackageStatus).toBe('ASSOCIATING');
  });

  test('DescribePackages filters by ID, name, status and type', async () => {
    sim.addPackage({ id: 'pkg-0a1b', name: 'analysis-plugin', type: 'ZIP-PLUGIN', version: '2.0' });
    sim.addPackage({ id: 'F222222222', name: 'stopwords', status: 'VALIDATING' });
    const describe = async (Name: 'PackageID' | 'PackageName' | 'PackageStatus' | 'PackageType', ...Value: string[]) =>
      ((await client.send(new DescribePackagesCommand({ Filters: [{ Name, Value }] }))).PackageDetailsList ?? []).map((p) => p.PackageID);
    expect(await describe('PackageID', SYNONYMS, 'F222222222')).toEqual([SYNONYMS, 'F222222222']);
    expect(await describe('PackageName', 'analysis-plugin')).toEqual(['pkg-0a1b']);
    expect(await describe('PackageStatus', 'AVAILABLE')).toEqual([SYNONYMS, 'pkg-0a1b']);
    expect(await describe('PackageType', 'ZIP-PLUGIN')).toEqual(['pkg-0a1b']);
    const [plugin] = (await client.send(new DescribePackagesCommand({ Filters: [{ Name: 'PackageID', Value: ['pkg-0a1b'] }] }))).PackageDetailsList!;
    expect(plugin).toMatchObject({ PackageType: 'ZIP-PLUGIN', PackageStatus: 'AVAILABLE', AvailablePackageVersion: '2.0' });
    expect(plugin.CreatedAt).toBeInstanceOf(Date);
  });

  test('DescribeDomain returns the domain status, Modifying while processing', async () => {
    sim.addDomain('other-domain', { engineVersion: 'OpenSearch_2.15', processing: true });
    const { DomainStatus } = await client.send(new DescribeDomainCommand({ DomainName: 'other-domain' }));
    expect(DomainStatus).toEqual({
      DomainId: '123456789012/other-domain', DomainName: 'other-domain', ARN: 'arn:aws:es:us-east-1:123456789012:domain/other-domain',
      Created: true, Deleted: false, Processing: true, UpgradeProcessing: false, DomainProcessingStatus: 'Modifying',
      EngineVersion: 'OpenSearch_2.15', ClusterConfig: {},
    });
    const error = await rejection(associate(SYNONYMS, 'other-domain'));
    expect(error.name).toBe('ConflictException');
  });

  test('AssociatePackages accepts all packages with their prerequisites, or none', async () => {
    sim.addPackage({ id: 'pkg-0a1b', name: 'analysis-plugin', type: 'ZIP-PLUGIN' });
    sim.addPackage({ id: 'pkg-0c2d', name: 'plugin-licence', type: 'PACKAGE-LICENSE' });
    const send = (ids: string[]) => client.send(new AssociatePackagesCommand({
      DomainName: DOMAIN, PackageList: ids.map((PackageID) => ({ PackageID, PrerequisitePackageIDList: PackageID === 'pkg-0a1b' ? undefined : ['pkg-0a1b'] })),
    }));
    expect((await rejection(send(['pkg-0a1b', 'F9']))).name).toBe('ResourceNotFoundException');
    expect(sim.domainPackages(DOMAIN)).toEqual([]);
    const response = await send(['pkg-0a1b', 'pkg-0c2d']);
    expect(response.DomainPackageDetailsList).toMatchObject([
      { PackageID: 'pkg-0a1b', DomainPackageStatus: 'ASSOCIATING', ReferencePath: 'plugins/pkg-0a1b' },
      { PackageID: 'pkg-0c2d', PrerequisitePackageIDList: ['pkg-0a1b'] },
    ]);
    expect((await client.send(new DescribeDomainCommand({ DomainName: DOMAIN }))).DomainStatus?.Processing).toBe(true);
  });

  test('invalid names and IDs are validation errors', async () => {
    expect((await rejection(associate('X1'))).name).toBe('ValidationException');
    expect((await rejection(list('Bad_Domain'))).name).toBe('ValidationException');
  });

  test('unsigned requests get 403 and unknown routes 404, with the error type in x-amzn-ErrorType', async () => {
    const unsigned = await fetch(`${sim.endpoint}/2021-01-01/domain/${DOMAIN}/packages`);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const unknown = await fetch(`${sim.endpoint}/2021-01-01/nowhere`, { headers: { authorization: 'AWS4-HMAC-SHA256 x' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'No operation matches GET /2021-01-01/nowhere' });
    expect(unknown.headers.get('x-amzn-requestid')).toBeTruthy();
  });

  test('each Region has its own domains: a request acts in the Region of its signature', async () => {
    sim.addDomain('far-domain', { region: 'eu-west-1' });
    sim.addPackage({ id: 'F999', name: 'far-synonyms', region: 'eu-west-1' });
    const far = new OpenSearchClient({ endpoint: sim.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDFAR', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      await far.send(new AssociatePackageCommand({ PackageID: 'F999', DomainName: 'far-domain' }));
      expect((await rejection(list('far-domain'))).message).toBe('Domain not found: far-domain');
      expect(sim.domainPackages('far-domain', { region: 'eu-west-1' }).map((p) => p.PackageID)).toEqual(['F999']);
      expect(sim.calls[0]).toMatchObject({ operation: 'AssociatePackage', region: 'eu-west-1', accessKeyId: 'AKIDFAR', status: 200 });
      expect(sim.calls[1]).toMatchObject({ region: 'us-east-1', status: 409, errorType: 'ResourceNotFoundException' });
    } finally {
      far.destroy();
    }
  });

  test('an authorizer decides every operation on its IAM resource: the domain ARN, or * for package actions', async () => {
    const asked: string[] = [];
    sim.addAuthorizer(({ caller, action, resource }) => {
      asked.push(`${action} ${resource}`);
      return caller.accessKeyId === 'AKIDLOCAL' ? action !== 'es:DissociatePackage' : undefined;
    });
    await associate();
    const denied = await rejection(dissociate());
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.$metadata.httpStatusCode).toBe(403);
    expect(denied.message).toContain(`es:DissociatePackage on resource: arn:aws:es:us-east-1:123456789012:domain/${DOMAIN}`);
    await client.send(new DescribePackagesCommand({}));
    expect(asked).toEqual([
      `es:AssociatePackage arn:aws:es:us-east-1:123456789012:domain/${DOMAIN}`,
      `es:DissociatePackage arn:aws:es:us-east-1:123456789012:domain/${DOMAIN}`,
      'es:DescribePackages *',
    ]);
    expect(sim.calls[1]).toMatchObject({ operation: 'DissociatePackage', status: 403, errorType: 'AccessDeniedException' });
  });

  test('a request signed for another service than es is refused', async () => {
    const response = await fetch(`${sim.endpoint}/2021-01-01/domain/${DOMAIN}/packages`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  test('one AssociatePackages call with a plugin is one blue/green deployment, its entries finishing together', async () => {
    await useSimulator({ associationDuration: { polls: 0 }, blueGreenDuration: { polls: 2 } });
    await associatePluginWithLicence();
    expect(await statuses()).toEqual(['pkg-0a1b:ASSOCIATING', 'pkg-0c2d:ASSOCIATING']);
    expect(await statuses()).toEqual(['pkg-0a1b:ASSOCIATING', 'pkg-0c2d:ASSOCIATING']);
    expect(await statuses()).toEqual(['pkg-0a1b:ACTIVE', 'pkg-0c2d:ACTIVE']);
    await associate();
    expect(await statuses()).toEqual([`${SYNONYMS}:ACTIVE`, 'pkg-0a1b:ACTIVE', 'pkg-0c2d:ACTIVE']);
    expect(sim.blueGreenDeployments(DOMAIN)).toBe(1);
  });

  test('dissociating a plugin also dissociates the licence that names it as prerequisite', async () => {
    await useSimulator({ associationDuration: { polls: 0 }, dissociationDuration: { polls: 0 } });
    await associatePluginWithLicence();
    expect(await statuses()).toEqual(['pkg-0a1b:ACTIVE', 'pkg-0c2d:ACTIVE']);
    const response = await client.send(new DissociatePackagesCommand({ DomainName: DOMAIN, PackageList: ['pkg-0a1b'] }));
    expect(response.DomainPackageDetailsList?.map((entry) => entry.PackageID)).toEqual(['pkg-0a1b']);
    expect(sim.domainPackages(DOMAIN).map((entry) => entry.DomainPackageStatus)).toEqual(['DISSOCIATING', 'DISSOCIATING']);
    expect(await statuses()).toEqual([]);
    expect(sim.blueGreenDeployments(DOMAIN)).toBe(2);
  });

  test('ListDomainsForPackage lists the package\'s entry on every domain of the Region', async () => {
    sim.addDomain('other-domain');
    sim.associate(DOMAIN, SYNONYMS);
    sim.associate('other-domain', SYNONYMS, 'DISSOCIATING');
    const response = await client.send(new ListDomainsForPackageCommand({ PackageID: SYNONYMS }));
    expect(response.DomainPackageDetailsList?.map((entry) => `${entry.DomainName}:${entry.DomainPackageStatus}`))
      .toEqual(['other-domain:DISSOCIATING', `${DOMAIN}:ACTIVE`]);
  });

  test('new prerequisites re-associate an ACTIVE package by default, and are "already in desired state" when so configured', async () => {
    sim.addPackage({ id: 'pkg-0a1b', name: 'analysis-plugin', type: 'ZIP-PLUGIN' });
    sim.associate(DOMAIN, SYNONYMS);
    const withPrerequisite = () => client.send(new AssociatePackageCommand({ PackageID: SYNONYMS, DomainName: DOMAIN, PrerequisitePackageIDList: ['pkg-0a1b'] }));
    expect((await withPrerequisite()).DomainPackageDetails?.DomainPackageStatus).toBe('ASSOCIATING');

    await useSimulator({ configurationChangeIsDesiredState: true });
    sim.addPackage({ id: 'pkg-0a1b', name: 'analysis-plugin', type: 'ZIP-PLUGIN' });
    sim.associate(DOMAIN, SYNONYMS);
    expect((await rejection(withPrerequisite())).message).toBe('Package is already in desired state');
  });

  test('a package in use can be refused with ConflictException instead', async () => {
    sim.associate(DOMAIN, SYNONYMS);
    sim.markPackageInUse(DOMAIN, SYNONYMS, { type: 'ConflictException', message: 'Package is in use by index products' });
    const error = await rejection(dissociate());
    expect(error.name).toBe('ConflictException');
    expect(error.message).toBe('Package is in use by index products');
  });
});
