import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudAssembly } from './cloud-assembly';
import { FIXTURE_STACK, SHORT_WAIT_STACK, synthesizeFixtureApp } from './fixture-app';
import { deployFixture, FixtureDeployment, FixtureDeploymentOptions, linesWithResponseUrl, requestSummary } from './fixture-deployment';
import { LocalDeployment } from './local-deployment';
import { withoutAssociation, withoutResources, withWaiterAttempts } from './template-edits';
import { DOMAIN_PACKAGES_TYPE } from './template-queries';

const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'package-association-handler', 'index.js');

let outdir: string;
let assembly: CloudAssembly;
const running: FixtureDeployment[] = [];

beforeAll(() => {
  if (!fs.existsSync(HANDLER_BUNDLE)) throw new Error(`${HANDLER_BUNDLE} is missing: run \`npm run bundle\` first`);
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-deploy-test-'));
  assembly = synthesizeFixtureApp(path.join(outdir, 'v1'));
});

afterEach(async () => {
  const finished = running.splice(0);
  await Promise.all(finished.map(({ simulator }) => simulator.stop()));
  finished.forEach(({ deployment }) => expectNoResponseUrlIn(deployment));
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** A fresh simulator and a deployment of a fixture stack against it; stopped after the test. */
async function setUp(options: FixtureDeploymentOptions = {}, app = assembly) {
  const fixture = await deployFixture(app, options);
  running.push(fixture);
  const requests = (records: Parameters<typeof requestSummary>[1], template = fixture.template) => requestSummary([template, fixture.template], records);
  return { ...fixture, requests };
}

/** Another version of the fixture app, synthesised as a new `cdk synth` would. */
function version(name: string, options: Parameters<typeof synthesizeFixtureApp>[1]) {
  return synthesizeFixtureApp(path.join(outdir, name), options).stacks.find(s => s.stackName === FIXTURE_STACK)!.template;
}

/** Fails if a log line that would reach CloudWatch Logs carries a ResponseURL. */
function expectNoResponseUrlIn(deployment: LocalDeployment): void {
  expect(linesWithResponseUrl(deployment).filter(line => !line.filtered)).toEqual([]);
}

describe('local deploy through the real Provider framework', () => {
  test('creating the stack claims both packages, then associates them in one AssociatePackages call, with their reference paths', async () => {
    const { simulator, deployment, domainPackages, packagesOn, requests } = await setUp();

    const result = await deployment.deploy();

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(requests(result.records)).toEqual([
      'create F111111111@Search Create SUCCESS', 'create F222222222@Search Create SUCCESS',
      'create packages Create SUCCESS',
    ]);
    const created = result.records.find(r => r.logicalId === domainPackages)!;
    expect(created.physicalId).toBe('LocalDeployFixture/domain-packages');
    expect(Object.values(created.data).sort()).toEqual([
      'F111111111|analyzers/F111111111|v1|synonyms|TXT-DICTIONARY|ACTIVE', 'F222222222|analyzers/F222222222|v1|stopwords|TXT-DICTIONARY|ACTIVE',
    ]);
    expect(simulator.callCount('AssociatePackages')).toBe(1);
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('the events are shaped as CloudFormation sends them, every scalar property a string', async () => {
    const { deployment, domainPackages, domainName } = await setUp();

    const { records } = await deployment.deploy();

    const event = records.find(r => r.logicalId === domainPackages)!.outcome!.event;
    expect(event).toMatchObject({
      RequestType: 'Create',
      LogicalResourceId: domainPackages,
      ResourceType: DOMAIN_PACKAGES_TYPE,
      StackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/LocalDeployFixture\/[0-9a-f-]{36}$/),
      RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ServiceToken: expect.stringMatching(/^arn:aws:lambda:us-east-1:123456789012:function:/),
      ResponseURL: expect.stringMatching(/^https:\/\/cloudformation-custom-resource-response-useast1\.s3\.amazonaws\.com\/.+X-Amz-Signature=/),
    });
    expect(event.ResourceProperties).toEqual({
      ServiceToken: event.ServiceToken,
      ServiceTimeout: '3600',
      Domains: [{
        Key: expect.stringMatching(/^[0-9a-f]{16}$/),
        DomainName: domainName(),
        DomainArn: `arn:aws:es:us-east-1:123456789012:domain/${domainName()}`,
        WaitSeconds: '1800',
        EngineVersion: 'OpenSearch_2.19',
        Packages: [
          { Key: expect.stringMatching(/^P[0-9a-f]{16}$/), PackageID: 'F111111111', PackageVersion: 'v1', OwnershipRecord: `123456789012/us-east-1/${domainName()}/123456789012:synonyms` },
          { Key: expect.stringMatching(/^P[0-9a-f]{16}$/), PackageID: 'F222222222', Retain: 'true', OwnershipRecord: `123456789012/us-east-1/${domainName()}/123456789012:stopwords` },
        ],
      }],
    });
  });

  test('a failed association fails the Create with the service message; the rollback leaves only what the removal policy keeps', async () => {
    const { deployment, packagesOn, requests } = await setUp({
      onDomain: (simulator, domain) => simulator.failNextAssociation(domain, 'F111111111', { ErrorType: 'PluginValidationFailed', ErrorMessage: 'Line 3 of the synonym file is invalid' }),
    });

    const result = await deployment.deploy();

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(requests(result.records)).toEqual([
      'create F111111111@Search Create SUCCESS', 'create F222222222@Search Create SUCCESS',
      'create packages Create FAILED',
      'rollback packages Delete SUCCESS',
      'rollback F111111111@Search Delete SUCCESS',
    ]);
    const failed = result.records.find(r => r.status === 'FAILED')!;
    expect(failed.reason).toContain('package F111111111 ASSOCIATION_FAILED: PluginValidationFailed: Line 3 of the synonym file is invalid.');
    expect(failed.reason).toContain('The other packages of this operation: F222222222 ACTIVE v1.');
    expect(deployment.resources.size).toBe(0);
    // Stopwords' removal policy is RETAIN, which keeps even an association whose creation failed.
    expect(packagesOn()).toEqual(['F222222222 ACTIVE v1']);
  });

  test('throttling and server-error storms are retried until the packages are associated', async () => {
    const { simulator, deployment, packagesOn } = await setUp();
    simulator.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429, message: 'Rate exceeded' }, 6);
    simulator.injectError('DescribePackages', { type: 'InternalException', status: 500 }, 3);
    simulator.injectError('AssociatePackages', { type: 'ServiceUnavailable', status: 503 }, 3);

    const result = await deployment.deploy();

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
    const refused = simulator.calls.filter(call => call.status === 429 || call.status === 500 || call.status === 503);
    expect(refused).toHaveLength(12);
  });

  test('when the set outlasts WaitSeconds the Create fails with "Timed out", and the rollback leaves no orphan', async () => {
    const { deployment, packagesOn } = await setUp({ stack: SHORT_WAIT_STACK, simulator: { associationDuration: { ms: 2_600 } } });

    const result = await deployment.deploy();

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const failed = result.records.find(r => r.status === 'FAILED')!;
    expect(failed.reason).toMatch(/^Timed out after 2 seconds waiting for the packages of domain \S+ \(F111111111 ASSOCIATING v1\)\./);
    expect(deployment.resources.size).toBe(0);
    expect(packagesOn()).toEqual([]);
  });

  test('when the waiter runs out of attempts, the framework\'s onTimeout fails the Create with "Operation timed out", and the rollback leaves no orphan', async () => {
    const { deployment, template, packagesOn } = await setUp({ simulator: { associationDuration: { polls: 6 } } });

    const result = await deployment.deploy(withWaiterAttempts(template, 4));

    expect(result.records.find(r => r.status === 'FAILED')?.reason).toBe('Operation timed out');
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(packagesOn()).toEqual(['F222222222 ACTIVE v1']);
  });

  test('deleting the stack after the domain was deleted out of band succeeds', async () => {
    const { simulator, deployment, domainName, requests } = await setUp();
    await deployment.deploy();
    simulator.removeDomain(domainName());

    const result = await deployment.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(requests(result.records)).toEqual(['delete packages Delete SUCCESS']);
    expect(deployment.resources.size).toBe(0);
  });

  test('the same Create event delivered twice succeeds both times and leaves each package associated once', async () => {
    const { deployment, template, domainPackages, packagesOn, association } = await setUp();
    await deployment.deploy(withoutResources(template, [domainPackages]));
    expect([association('F111111111'), association('F222222222')].every(id => deployment.resources.has(id))).toBe(true);
    const event = deployment.createEventFor(domainPackages, template);

    const [first, second] = await Promise.all([
      deployment.deliver(event),
      new Promise(resolve => setTimeout(resolve, 150)).then(() => deployment.deliver(event)),
    ]);

    expect(second.event.RequestId).toBe(first.event.RequestId);
    expect([first.status, second.status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(first.physicalId).toBe('LocalDeployFixture/domain-packages');
    expect(second.physicalId).toBe(first.physicalId);
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('a new version label applies the package\'s new version to the domain in place', async () => {
    const { simulator, deployment, packagesOn, requests } = await setUp();
    await deployment.deploy();
    simulator.setPackageVersion('F111111111', 'v2');

    const result = await deployment.deploy(version('label-v2', { synonymsVersion: 'v2' }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(requests(result.records)).toEqual(['update packages Update SUCCESS']);
    const [update] = result.records;
    expect(update.physicalId).toBe(update.physicalIdSent);
    expect(Object.values(update.data)).toContain('F111111111|analyzers/F111111111|v2|synonyms|TXT-DICTIONARY|ACTIVE');
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v2', 'F222222222 ACTIVE v1']);
  });

  test('another package for Synonyms: a new record claims it, the set swaps the packages, the old record is retained in the cleanup phase', async () => {
    const { simulator, deployment, packagesOn, requests } = await setUp();
    await deployment.deploy();

    const next = version('package-f3', { synonymsPackageId: 'F333333333' });
    const result = await deployment.deploy(next);

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(requests(result.records, next)).toEqual([
      'update F333333333@Search Create SUCCESS',
      'update packages Update SUCCESS',
    ]);
    const calls = simulator.calls.filter(c => /^(Associate|Dissociate)Package$/.test(c.operation)).map(c => `${c.operation} ${c.path}`);
    expect(calls).toEqual([expect.stringMatching(/^AssociatePackage .*\/F333333333\//), expect.stringMatching(/^DissociatePackage .*\/F111111111\//)]);
    expect(packagesOn()).toEqual(['F222222222 ACTIVE v1', 'F333333333 ACTIVE v1']);
  });

  test('an association with removal policy RETAIN that leaves the stack stays on the domain, and no Delete is sent for it', async () => {
    const { deployment, template, association, packagesOn, requests } = await setUp();
    await deployment.deploy();

    const result = await deployment.deploy(withoutAssociation(template, association('F222222222')));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(requests(result.records)).toEqual(['update packages Update SUCCESS']);
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('a failed update is rolled back: the set gets its previous packages back, the association created for the update is deleted', async () => {
    const { deployment, packagesOn, requests } = await setUp();
    await deployment.deploy();

    const next = version('package-f4', { synonymsPackageId: 'F444444444' });
    const result = await deployment.deploy(next);

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(requests(result.records, next)).toEqual([
      'update F444444444@Search Create SUCCESS',
      'update packages Update FAILED',
      'rollback packages Update SUCCESS',
      'cleanup F444444444@Search Delete SUCCESS',
    ]);
    expect(result.records.find(r => r.status === 'FAILED')?.reason).toMatch(/package F444444444 not found/);
    const rollback = result.records.find(r => r.phase === 'rollback')!.outcome!.event;
    expect(rollback.RequestType).toBe('Update');
    expect(JSON.stringify(rollback.ResourceProperties.Domains)).toContain('F111111111');
    expect(JSON.stringify('OldResourceProperties' in rollback && rollback.OldResourceProperties.Domains)).toContain('F444444444');
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('deleting the stack takes Synonyms off the domain and leaves Stopwords (removal policy RETAIN)', async () => {
    const { deployment, template, association, packagesOn, domainName, requests } = await setUp();
    expect(template.Resources![association('F222222222')].DeletionPolicy).toBe('Retain');
    await deployment.deploy();
    const domain = domainName();

    const result = await deployment.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(requests(result.records)).toEqual(['delete packages Delete SUCCESS']);
    expect(packagesOn(domain)).toEqual(['F222222222 ACTIVE v1']);
  });

  test('no log line that reaches CloudWatch contains a ResponseURL; the framework\'s lines that do are below its ApplicationLogLevel', async () => {
    const { deployment } = await setUp({
      onDomain: (simulator, domain) => simulator.failNextAssociation(domain, 'F222222222', { ErrorType: 'ValidationFailure', ErrorMessage: 'bad stopwords' }),
    });

    await deployment.deploy();
    await deployment.destroy();

    expect(deployment.records.length).toBeGreaterThanOrEqual(3);
    expect(deployment.logs.some(line => !line.filtered && line.text.includes('"message"'))).toBe(true);
    expectNoResponseUrlIn(deployment);
    // The framework's isComplete throws Retry(JSON of the event, ResponseURL included) at every poll, and Lambda
    // logs unhandled errors: only the framework functions' LoggingConfig (JSON, FATAL) keeps them out of CloudWatch.
    const carriers = linesWithResponseUrl(deployment);
    expect(carriers.length).toBeGreaterThan(0);
    expect(carriers.every(line => line.filtered && /framework/.test(line.functionLogicalId))).toBe(true);
  });
});
