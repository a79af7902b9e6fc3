import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnTemplate } from './cfn-template';
import { CloudAssembly } from './cloud-assembly';
import { FIXTURE_STACK, SHORT_WAIT_STACK, synthesizeFixtureApp } from './fixture-app';
import { deployFixture, FixtureDeployment, FixtureDeploymentOptions, linesWithResponseUrl, requestSummary as requests } from './fixture-deployment';
import { LocalDeployment } from './local-deployment';
import { withoutDependsOn, withoutResources, withProperties, withWaiterAttempts } from './template-edits';

const ASSOCIATION = 'Custom::OpenSearchPackageAssociation';
const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'package-association-handler', 'index.js');

let outdir: string;
let assembly: CloudAssembly;
const running: FixtureDeployment[] = [];

beforeAll(() => {
  if (!fs.existsSync(HANDLER_BUNDLE)) throw new Error(`${HANDLER_BUNDLE} is missing: run \`npm run bundle\` first`);
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-deploy-test-'));
  assembly = synthesizeFixtureApp(outdir);
});

afterEach(async () => {
  const finished = running.splice(0);
  await Promise.all(finished.map(({ simulator }) => simulator.stop()));
  finished.forEach(({ deployment }) => expectNoResponseUrlIn(deployment));
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** A fresh simulator and a deployment of a fixture stack against it; stopped after the test. */
async function setUp(options: FixtureDeploymentOptions = {}) {
  const fixture = await deployFixture(assembly, options);
  running.push(fixture);
  return { ...fixture, template: assembly.stacks.find(s => s.stackName === (options.stack ?? FIXTURE_STACK))!.template };
}

/** Fails if a log line that would reach CloudWatch Logs carries a ResponseURL. */
function expectNoResponseUrlIn(deployment: LocalDeployment): void {
  expect(linesWithResponseUrl(deployment).filter(line => !line.filtered)).toEqual([]);
}

/** The fixture template with only the Synonyms association (whose domain is retained). */
function onlySynonyms(template: CfnTemplate, stopwords: string): CfnTemplate {
  return withoutResources(template, [stopwords]);
}

describe('local deploy of Custom::OpenSearchPackageAssociation through the real Provider framework', () => {
  test('creating the stack associates both packages, ACTIVE, with their reference paths', async () => {
    const { deployment, synonyms, stopwords, packagesOn, domainName } = await setUp();

    const result = await deployment.deploy();

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(requests(result.records)).toEqual(['create Synonyms Create SUCCESS', 'create Stopwords Create SUCCESS']);
    const created = result.records.find(r => r.logicalId === synonyms)!;
    expect(created.physicalId).toBe(`${domainName()}/F111111111`);
    expect(created.data).toMatchObject({ ReferencePath: 'analyzers/F111111111', DomainPackageStatus: 'ACTIVE', PackageName: 'synonyms' });
    expect(result.records.find(r => r.logicalId === stopwords)!.data.ReferencePath).toBe('analyzers/F222222222');
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('the events are shaped as CloudFormation sends them, every scalar property a string', async () => {
    const { deployment, synonyms, domainName } = await setUp();

    const { records } = await deployment.deploy();

    const event = records.find(r => r.logicalId === synonyms)!.outcome!.event;
    expect(event).toMatchObject({
      RequestType: 'Create',
      LogicalResourceId: synonyms,
      ResourceType: ASSOCIATION,
      StackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/LocalDeployFixture\/[0-9a-f-]{36}$/),
      RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ServiceToken: expect.stringMatching(/^arn:aws:lambda:us-east-1:123456789012:function:/),
      ResponseURL: expect.stringMatching(/^https:\/\/cloudformation-custom-resource-response-useast1\.s3\.amazonaws\.com\/.+X-Amz-Signature=/),
    });
    expect(event.ResourceProperties).toEqual({
      ServiceToken: event.ServiceToken,
      ServiceTimeout: '1920',
      DomainName: domainName(),
      PackageID: 'F111111111',
      PackageVersion: 'v1',
      WaitSeconds: '1800',
    });
  });

  test('a failed association fails the Create with the service message, and the rollback Delete leaves no package', async () => {
    const { deployment, template, stopwords, synonyms, packagesOn } = await setUp({
      onDomain: (simulator, domain) => simulator.failNextAssociation(domain, 'F111111111', { ErrorType: 'PluginValidationFailed', ErrorMessage: 'Line 3 of the synonym file is invalid' }),
    });

    const result = await deployment.deploy(onlySynonyms(template, stopwords));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(requests(result.records)).toEqual(['create Synonyms Create FAILED', 'rollback Synonyms Delete SUCCESS']);
    const [create, rollback] = result.records;
    expect(create.reason).toContain('ASSOCIATION_FAILED');
    expect(create.reason).toContain('Line 3 of the synonym file is invalid');
    expect(rollback.outcome!.event).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: create.physicalId });
    expect(rollback.physicalIdSent).not.toMatch(/CREATE_FAILED/);
    expect(deployment.resources.has(synonyms)).toBe(false);
    expect(packagesOn()).toEqual([]);
  });

  test('throttling and server-error storms are retried until both associations succeed', async () => {
    const { simulator, deployment, packagesOn } = await setUp();
    simulator.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429, message: 'Rate exceeded' }, 6);
    simulator.injectError('DescribePackages', { type: 'InternalException', status: 500 }, 3);
    simulator.injectError('AssociatePackage', { type: 'ServiceUnavailable', status: 503 }, 3);

    const result = await deployment.deploy();

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(requests(result.records)).toEqual(['create Synonyms Create SUCCESS', 'create Stopwords Create SUCCESS']);
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
    expect(deployment.logs.some(line => line.text.includes('ThrottlingException'))).toBe(true);
  });

  test('two associations created in parallel on one domain both succeed despite the ConflictException', async () => {
    const { deployment, template, synonyms, stopwords, packagesOn } = await setUp({
      simulator: { associationDuration: { polls: 3 }, oneOperationPerDomain: true },
    });
    const parallel = withoutDependsOn(template, stopwords, synonyms);

    const result = await deployment.deploy(parallel);

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(result.records.map(r => r.status)).toEqual(['SUCCESS', 'SUCCESS']);
    const [first, second] = result.records.map(r => r.outcome!);
    expect(second.startedAt).toBeLessThan(first.startedAt + first.elapsedMs);
    expect(deployment.logs.some(line => line.text.includes('ConflictException'))).toBe(true);
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('an association that outlasts WaitSeconds fails with "Timed out", and the rollback leaves no orphan', async () => {
    const { deployment, synonyms, packagesOn } = await setUp({ stack: SHORT_WAIT_STACK, simulator: { associationDuration: { ms: 2_600 } } });

    const result = await deployment.deploy();

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(requests(result.records)).toEqual(['create Synonyms Create FAILED', 'rollback Synonyms Delete SUCCESS']);
    expect(result.records[0].reason).toContain('Timed out after 2 seconds');
    expect(result.records[0].outcome!.event.ResourceProperties.WaitSeconds).toBe('2');
    expect(deployment.resources.has(synonyms)).toBe(false);
    expect(packagesOn()).toEqual([]);
  });

  test('when the waiter runs out of attempts, the framework\'s onTimeout fails the Create with "Operation timed out"', async () => {
    const { deployment, template, stopwords, packagesOn } = await setUp({ simulator: { associationDuration: { polls: 6 } } });
    const impatient = withWaiterAttempts(onlySynonyms(template, stopwords), 4);

    const result = await deployment.deploy(impatient);

    expect(requests(result.records)).toEqual(['create Synonyms Create FAILED', 'rollback Synonyms Delete SUCCESS']);
    expect(result.records[0].reason).toBe('Operation timed out');
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(packagesOn()).toEqual([]);
  });

  test('deleting the stack after the domain was deleted out of band succeeds', async () => {
    const { simulator, deployment, domainName } = await setUp();
    await deployment.deploy();
    simulator.removeDomain(domainName());

    const result = await deployment.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(requests(result.records)).toEqual(['delete Synonyms Delete SUCCESS']);
    expect(deployment.resources.size).toBe(0);
  });

  test('the same Create event delivered twice succeeds both times and leaves one association', async () => {
    const { deployment, template, synonyms, stopwords, packagesOn, domainName } = await setUp();
    await deployment.deploy(withoutResources(template, [synonyms, stopwords]));
    const event = deployment.createEventFor(synonyms, template);

    const [first, second] = await Promise.all([
      deployment.deliver(event),
      new Promise(resolve => setTimeout(resolve, 150)).then(() => deployment.deliver(event)),
    ]);

    expect(second.event.RequestId).toBe(first.event.RequestId);
    expect([first.status, second.status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(first.physicalId).toBe(`${domainName()}/F111111111`);
    expect(second.physicalId).toBe(first.physicalId);
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1']);
  });

  test('changing PackageVersion re-associates the package in place', async () => {
    const { simulator, deployment, template, synonyms, packagesOn } = await setUp();
    await deployment.deploy();
    simulator.setPackageVersion('F111111111', 'v2');

    const result = await deployment.deploy(withProperties(template, synonyms, { PackageVersion: 'v2' }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(requests(result.records)).toEqual(['update Synonyms Update SUCCESS']);
    const [update] = result.records;
    expect(update.physicalId).toBe(update.physicalIdSent);
    expect(update.outcome!.event).toMatchObject({ OldResourceProperties: { PackageVersion: 'v1' }, ResourceProperties: { PackageVersion: 'v2' } });
    expect(update.data.PackageVersion).toBe('v2');
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v2', 'F222222222 ACTIVE v1']);
  });

  test('changing PackageID replaces the association, then deletes the old one in the cleanup phase', async () => {
    const { deployment, template, synonyms, packagesOn, domainName } = await setUp();
    await deployment.deploy();

    const result = await deployment.deploy(withProperties(template, synonyms, { PackageID: 'F333333333' }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(requests(result.records)).toEqual(['update Synonyms Update SUCCESS', 'cleanup Synonyms Delete SUCCESS']);
    const [update, cleanup] = result.records;
    expect(update.physicalIdSent).toBe(`${domainName()}/F111111111`);
    expect(update.physicalId).toBe(`${domainName()}/F333333333`);
    expect(cleanup.outcome!.event).toMatchObject({ PhysicalResourceId: `${domainName()}/F111111111`, ResourceProperties: { PackageID: 'F111111111' } });
    expect(deployment.outputs()).toEqual({});
    expect(packagesOn()).toEqual(['F222222222 ACTIVE v1', 'F333333333 ACTIVE v1']);
  });

  test('replacing Stopwords (UpdateReplacePolicy Retain) sends no Delete for the old association', async () => {
    const { deployment, template, stopwords, packagesOn } = await setUp();
    await deployment.deploy();

    const result = await deployment.deploy(withProperties(template, stopwords, { PackageID: 'F333333333' }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(requests(result.records)).toEqual(['update Stopwords Update SUCCESS']);
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1', 'F333333333 ACTIVE v1']);
  });

  test('a failed update is rolled back with the old and new properties swapped', async () => {
    const { deployment, template, synonyms, packagesOn, domainName } = await setUp();
    await deployment.deploy();

    const result = await deployment.deploy(withProperties(template, synonyms, { PackageID: 'F444444444' }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(requests(result.records)).toEqual(['update Synonyms Update FAILED', 'rollback Synonyms Update SUCCESS']);
    const [failed, rollback] = result.records;
    expect(failed.reason).toMatch(/F444444444.*not found/i);
    expect(rollback.outcome!.event).toMatchObject({
      PhysicalResourceId: `${domainName()}/F111111111`,
      ResourceProperties: { PackageID: 'F111111111' },
      OldResourceProperties: { PackageID: 'F444444444' },
    });
    expect(packagesOn()).toEqual(['F111111111 ACTIVE v1', 'F222222222 ACTIVE v1']);
  });

  test('deleting the stack dissociates Synonyms and leaves Stopwords (DeletionPolicy Retain) associated', async () => {
    const { deployment, template, stopwords, packagesOn, domainName } = await setUp();
    expect(template.Resources![stopwords].DeletionPolicy).toBe('Retain');
    await deployment.deploy();
    const domain = domainName();

    const result = await deployment.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(requests(result.records)).toEqual(['delete Synonyms Delete SUCCESS']);
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
