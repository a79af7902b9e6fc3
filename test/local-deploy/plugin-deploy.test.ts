import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudAssembly, selectStack } from './cloud-assembly';
import { deployFixture, FixtureDeployment, FixtureDeploymentOptions } from './fixture-deployment';
import {
  CUSTOM_PLUGIN,
  ENCRYPTED_STACK,
  FOREIGN_KEY_ARN,
  FOREIGN_KEY_STACK,
  LEGACY_DOMAIN,
  synthesizePluginFixtureApp,
  STEP_MARKER,
  TWO_STEP_STACK,
  UPGRADE_STACK,
} from './plugin-fixture-app';
import { StackOperationResult } from './stack-lifecycle';
import { PACKAGE_TYPE, resourcesOfType } from './template-queries';

/*
 * Plugins through the local deploy: AWS-provided plugins by name and custom
 * plugins through an engine upgrade of the stack's domain, the two-step
 * procedure for a domain upgraded elsewhere, and plugins encrypted with a
 * customer KMS key.
 */

const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'package-association-handler', 'index.js');

let outdir: string;
let at217: CloudAssembly;
let at219: CloudAssembly;
let stepThree: CloudAssembly;
let unknownName: CloudAssembly;
const running: FixtureDeployment[] = [];

beforeAll(() => {
  if (!fs.existsSync(HANDLER_BUNDLE)) throw new Error(`${HANDLER_BUNDLE} is missing: run \`npm run bundle\` first`);
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-deploy-test-'));
  at217 = synthesizePluginFixtureApp(path.join(outdir, 'v217'), { engine: '2.17' });
  at219 = synthesizePluginFixtureApp(path.join(outdir, 'v219'), { engine: '2.19', twoStep: 1 });
  stepThree = synthesizePluginFixtureApp(path.join(outdir, 'step3'), { engine: '2.19', twoStep: 3 });
  unknownName = synthesizePluginFixtureApp(path.join(outdir, 'unknown'), { awsPackageName: 'analysis-nothing' });
});

afterEach(async () => Promise.all(running.splice(0).map(({ simulator }) => simulator.stop())));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** A fresh simulator that knows the AWS-provided plugins of 2.17 and 2.19 and the imported legacy domain, and a deployment of the stack. */
async function setUp(stack: string, assembly = at217, options: Omit<FixtureDeploymentOptions, 'stack'> = {}) {
  const fixture = await deployFixture(assembly, { simulator: { blueGreenDuration: { polls: 2 } }, ...options, stack });
  running.push(fixture);
  const { simulator } = fixture;
  simulator.addPackage({ id: 'G100000217', name: 'analysis-sudachi', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.17' });
  simulator.addPackage({ id: 'G100000219', name: 'analysis-sudachi', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.19' });
  simulator.addPackage({ id: 'G200000217', name: 'analysis-icu', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.17' });
  simulator.addDomain(LEGACY_DOMAIN, { engineVersion: 'OpenSearch_2.17' });
  const deployVersion = (assemblyOf: CloudAssembly) => fixture.deployment.deployArtifact(selectStack(assemblyOf, { stackName: stack }));
  const customPlugins = () => simulator.packages().filter(p => p.PackageName === CUSTOM_PLUGIN || p.PackageName?.startsWith(`${CUSTOM_PLUGIN}-`));
  const live = (engine: string) => customPlugins().find(p => p.EngineVersion === `OpenSearch_${engine}` && p.PackageStatus !== 'DELETED')?.PackageID;
  return { ...fixture, deployVersion, customPlugins, live };
}

const reasons = (result: StackOperationResult) => result.failures.map(f => f.reason).join(' | ');

describe('an engine upgrade of the stack\'s domain', () => {
  test('takes the AWS-provided plugin named by name and the custom plugin to the new version in one deployment, nothing left behind', async () => {
    const { simulator, deployment, domainName, packagesOn, deployVersion, live, domainPackages } = await setUp(UPGRADE_STACK);
    expect((await deployment.deploy()).status).toBe('CREATE_COMPLETE');
    const custom217 = live('2.17')!;
    expect(packagesOn()).toEqual(['G100000217 ACTIVE v1', `${custom217} ACTIVE v1`]);
    // The plugin by name and the custom plugin went to the domain in one call: one blue/green deployment.
    expect(simulator.callCount('AssociatePackages')).toBe(1);
    expect(simulator.blueGreenDeployments(domainName())).toBe(1);
    expect(Object.values(deployment.resources.get(domainPackages)!.provisioned.attributes).map(v => String(v).split('|')[0]).sort())
      .toEqual(['G100000217', custom217]);
    const associationCalls = simulator.callCount('AssociatePackages');

    const result = await deployVersion(at219);

    expect(result.status).toBe('UPDATE_COMPLETE');
    const custom219 = live('2.19')!;
    expect(custom219).toBeDefined();
    expect(simulator.domainPackages(domainName())[0]).toMatchObject({ PackageID: 'G100000219' });
    expect(packagesOn()).toEqual(['G100000219 ACTIVE v1', `${custom219} ACTIVE v1`]);
    // The new version's package existed before CloudFormation upgraded the domain; the upgrade swapped both plugins.
    const [analyzer] = resourcesOfType(selectStack(at219, { stackName: UPGRADE_STACK }).template, PACKAGE_TYPE);
    const searchDomain = result.timings.find(t => t.resourceType === 'AWS::OpenSearchService::Domain' && t.action === 'Update')!;
    expect(result.timings.find(t => t.logicalId === analyzer && t.action === 'Update')!.endedAt).toBeLessThanOrEqual(searchDomain.startedAt);
    expect(simulator.callCount('AssociatePackages')).toBe(associationCalls);
    // The attributes follow: the resolved ID of the named plugin is the new version's.
    expect(Object.values(deployment.resources.get(domainPackages)!.provisioned.attributes).map(v => String(v).split('|')[0]).sort())
      .toEqual(['G100000219', custom219]);
    // The old custom package is deleted in the cleanup, once the upgrade has taken it off the domain.
    expect(simulator.packages().find(p => p.PackageID === custom217)?.PackageStatus).toBe('DELETED');

    expect((await deployment.destroy()).status).toBe('DELETE_COMPLETE');
    expect(packagesOn()).toEqual([]);
    expect(live('2.19')).toBeUndefined();
  });

  test('when the deployment fails after the upgrade, the rollback stops at the domain, which cannot go back, and nothing leaves it', async () => {
    const { simulator, deployment, packagesOn, deployVersion, live, domainPackages } = await setUp(UPGRADE_STACK);
    expect((await deployment.deploy()).status).toBe('CREATE_COMPLETE');
    // The packages' resource is the last to update: make its first call after the upgrade fail for good.
    simulator.injectError('DescribeDomain', { type: 'AccessDeniedException', message: 'Injected denial' });
    const calls = simulator.calls.length;

    const result = await deployVersion(at219);

    // CloudFormation rolls updates back in dependency order, the domain first: an engine version cannot go back, so the
    // stack is UPDATE_ROLLBACK_FAILED whatever the packages do (ContinueUpdateRollback, skipping the domain, then sends the
    // packages' resource its old properties: see the handler test "the rollback of an engine upgrade").
    expect(result.status).toBe('UPDATE_ROLLBACK_FAILED');
    expect(result.failures.filter(f => f.phase === 'rollback').map(f => f.reason)).toEqual([expect.stringMatching(/not newer than OpenSearch_2.19/)]);
    expect(result.failures.find(f => f.logicalId === domainPackages)?.reason).toContain('AccessDeniedException: Injected denial');
    expect(packagesOn()).toEqual(['G100000219 ACTIVE v1', `${live('2.19')} ACTIVE v1`]);
    expect(simulator.calls.slice(calls).filter(c => /^(Associate|Dissociate)/.test(c.operation))).toEqual([]);
    // The new plugin package the rollback gives up cannot be deleted while the domain runs it, and the failure says so.
    expect(result.failures.find(f => f.phase === 'cleanup')?.reason).toMatch(/DeletePackage refused .* still associated with domain/);
  });

  test('an AWS-provided name the engine version lacks fails before any change, listing the names there are', async () => {
    const { deployVersion, packagesOn } = await setUp(UPGRADE_STACK, unknownName);

    const result = await deployVersion(unknownName);

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(reasons(result)).toContain('No package AWS provides for OpenSearch_2.17 (the engine version of domain');
    expect(reasons(result)).toContain('is named analysis-nothing. The names for OpenSearch_2.17 are: analysis-icu, analysis-sudachi.');
    expect(packagesOn()).toEqual([]);
  });
});

describe('the two-step procedure for a domain upgraded outside the stack', () => {
  test('the new version\'s package first, the upgrade, then the association moves to it; too early, the switch is refused with the procedure', async () => {
    const { simulator, deployment, packagesOn, deployVersion, live } = await setUp(TWO_STEP_STACK);
    expect((await deployment.deploy()).status).toBe('CREATE_COMPLETE');
    const custom217 = live('2.17')!;
    expect(packagesOn(LEGACY_DOMAIN)).toEqual([`${custom217} ACTIVE v1`]);

    // (1) The package for the new engine version, under the same name, not associated.
    expect((await deployVersion(at219)).status).toBe('UPDATE_COMPLETE');
    const custom219 = live('2.19')!;
    expect(packagesOn(LEGACY_DOMAIN)).toEqual([`${custom217} ACTIVE v1`]);

    // (3) before (2): the domain still runs 2.17, so the switch is refused before anything changes.
    const early = await deployVersion(stepThree);
    expect(early.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reasons(early)).toContain(`Package ${CUSTOM_PLUGIN} is a plugin built for OpenSearch_2.19, and domain ${LEGACY_DOMAIN} runs OpenSearch_2.17`);
    expect(packagesOn(LEGACY_DOMAIN)).toEqual([`${custom217} ACTIVE v1`]);
    expect(live('2.17')).toBe(custom217);

    // (2) The upgrade, outside the stack, installs the new package in place of the old one.
    simulator.upgradeDomain(LEGACY_DOMAIN, 'OpenSearch_2.19');
    expect(packagesOn(LEGACY_DOMAIN)).toEqual([`${custom219} ACTIVE v1`]);

    // (3) The association moves to the new package (its ownership record follows the package's name), and the old package goes.
    const calls = simulator.calls.length;
    const switched = await deployVersion(stepThree);
    expect(switched.status).toBe('UPDATE_COMPLETE');
    expect(packagesOn(LEGACY_DOMAIN)).toEqual([`${custom219} ACTIVE v1`]);
    expect(simulator.calls.slice(calls).filter(c => /^(Associate|Dissociate)/.test(c.operation))).toEqual([]);
    expect(live('2.17')).toBeUndefined();

    expect((await deployment.destroy()).status).toBe('DELETE_COMPLETE');
    expect(packagesOn(LEGACY_DOMAIN)).toEqual([]);
    expect(live('2.19')).toBeUndefined();
  });

  test('a failure after step 3\'s switch ends UPDATE_ROLLBACK_FAILED (the README says how to continue), and the new plugin stays on the domain', async () => {
    const { simulator, deployment, packagesOn, deployVersion, live } = await setUp(TWO_STEP_STACK);
    expect((await deployment.deploy()).status).toBe('CREATE_COMPLETE');
    expect((await deployVersion(at219)).status).toBe('UPDATE_COMPLETE');
    simulator.upgradeDomain(LEGACY_DOMAIN, 'OpenSearch_2.19');
    const custom219 = live('2.19')!;

    deployment.failNext(STEP_MARKER, 'Update');
    const rolledBack = await deployVersion(stepThree);
    expect(rolledBack.status).toBe('UPDATE_ROLLBACK_FAILED');
    expect(reasons(rolledBack)).toContain(`Package ${CUSTOM_PLUGIN} is a plugin built for OpenSearch_2.17, and domain ${LEGACY_DOMAIN} runs OpenSearch_2.19`);
    expect(packagesOn(LEGACY_DOMAIN)).toEqual([`${custom219} ACTIVE v1`]);
  });
});

describe('a plugin encrypted with a customer KMS key', () => {
  test('with a key of the stack, the key policy lets the service encrypt and install it', async () => {
    const { simulator, deployment, packagesOn, customPlugins } = await setUp(ENCRYPTED_STACK);

    const result = await deployment.deploy();

    expect(result.status).toBe('CREATE_COMPLETE');
    const [plugin] = customPlugins();
    const keyArn = String([...deployment.resources.values()].find(r => r.definition.Type === 'AWS::KMS::Key')!.provisioned.attributes.Arn);
    expect(plugin).toMatchObject({ PackageStatus: 'AVAILABLE', PackageEncryptionOptions: { EncryptionEnabled: true, KmsKeyIdentifier: keyArn } });
    expect(simulator.calls.find(c => c.operation === 'CreatePackage')?.body).toMatchObject({ PackageEncryptionOptions: { EncryptionEnabled: true, KmsKeyIdentifier: keyArn } });
    expect(packagesOn()).toEqual([`${plugin.PackageID} ACTIVE v1`]);
  });

  test('with a key whose policy shuts the service out, the copy fails with AccessDenied and the rollback deletes the package', async () => {
    const { simulator, deployment, customPlugins } = await setUp(FOREIGN_KEY_STACK);
    simulator.addAuthorizer(({ caller, resource }) => (caller.service && resource === FOREIGN_KEY_ARN ? false : undefined));

    const result = await deployment.deploy();

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(reasons(result)).toMatch(/COPY_FAILED: AccessDeniedException: custom-packages\.us-east-1\.amazonaws\.com is not allowed to use KMS key/);
    expect(customPlugins().map(p => p.PackageStatus)).toEqual(['DELETED']);
    // The domain waits for its plugin's package, so it was never created.
    expect(simulator.domainNames()).toEqual([LEGACY_DOMAIN]);
  });

  test('with a key the service may encrypt with but not decrypt, the association fails with AccessDenied and nothing stays on the domain', async () => {
    const { simulator, deployment, packagesOn, customPlugins } = await setUp(FOREIGN_KEY_STACK);
    simulator.addAuthorizer(({ caller, action, resource }) => (caller.service && resource === FOREIGN_KEY_ARN ? action !== 'kms:Decrypt' : undefined));

    const result = await deployment.deploy();

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(reasons(result)).toMatch(/ASSOCIATION_FAILED: AccessDeniedException: .* is not allowed to decrypt package/);
    expect(packagesOn()).toEqual([]);
    expect(customPlugins().map(p => p.PackageStatus)).toEqual(['DELETED']);
  });
});
