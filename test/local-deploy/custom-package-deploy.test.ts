import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { OpenSearchSimulator } from '../simulator';
import { CfnTemplate } from './cfn-template';
import { CloudAssembly } from './cloud-assembly';
import {
  CUSTOM_PACKAGE_STACK,
  PLUGIN_STACK,
  SYNONYMS_PACKAGE_NAME,
  synthesizeCustomPackageFixtureApp,
  THREE_DICTIONARIES_STACK,
} from './custom-package-fixture-app';
import { RequestRecord, ResourceTiming } from './deployment-records';
import { deployFixture, FixtureDeployment, FixtureDeploymentOptions, linesWithResponseUrl, requestSummary } from './fixture-deployment';
import { LocalDeployment } from './local-deployment';
import { StackOperationResult } from './stack-lifecycle';
import { withChangedSource } from './template-edits';
import { ASSOCIATION_TYPE, DOMAIN_PACKAGES_TYPE, PACKAGE_TYPE, propertyOf, resourcesOfType, setsFollowing } from './template-queries';

const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'package-association-handler', 'index.js');

let outdir: string;
/** The app as first deployed, and after its synonyms file was edited. */
let assembly: CloudAssembly;
let edited: CloudAssembly;
const running: FixtureDeployment[] = [];

beforeAll(() => {
  if (!fs.existsSync(HANDLER_BUNDLE)) throw new Error(`${HANDLER_BUNDLE} is missing: run \`npm run bundle\` first`);
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-package-deploy-test-'));
  assembly = synthesizeCustomPackageFixtureApp(path.join(outdir, 'v1'));
  edited = synthesizeCustomPackageFixtureApp(path.join(outdir, 'v2'), { synonyms: 'laptop, notebook, portable computer\nphone, mobile\n' });
});

afterEach(async () => {
  const finished = running.splice(0);
  await Promise.all(finished.map(({ simulator }) => simulator.stop()));
  finished.forEach(({ deployment }) => expect(linesWithResponseUrl(deployment).filter(line => !line.filtered)).toEqual([]));
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function templateOf(app: CloudAssembly, stackName: string): CfnTemplate {
  return app.stacks.find(s => s.stackName === stackName)!.template;
}

/** A fresh simulator and a deployment of one of the app's stacks; stopped after the test. */
async function setUp(stack: string, options: Omit<FixtureDeploymentOptions, 'stack'> = {}) {
  const fixture = await deployFixture(assembly, { ...options, stack });
  running.push(fixture);
  const template = templateOf(assembly, stack);
  return {
    ...fixture,
    template,
    packages: resourcesOfType(template, PACKAGE_TYPE),
    associations: resourcesOfType(template, ASSOCIATION_TYPE),
    set: resourcesOfType(template, DOMAIN_PACKAGES_TYPE)[0],
  };
}

/** The requests as `phase Resource RequestType STATUS`, associations named `Package@Domain`. */
function steps(template: CfnTemplate, records: readonly RequestRecord[]): string[] {
  return requestSummary([template], records);
}

function timing(result: StackOperationResult, logicalId: string, action: ResourceTiming['action']): ResourceTiming {
  const found = result.timings.find(t => t.logicalId === logicalId && t.action === action);
  if (!found) throw new Error(`No ${action} of ${logicalId} in operation ${result.operation}`);
  return found;
}

function packageIdOf(deployment: LocalDeployment, logicalId: string): string {
  return String(deployment.resources.get(logicalId)!.provisioned.attributes.PackageID);
}

/** The positions in the simulator's call log of the calls of those operations about the package (in the path or the body). */
function callsAbout(simulator: OpenSearchSimulator, operations: RegExp, packageId: string): number[] {
  return simulator.calls.flatMap((call, i) => operations.test(call.operation) && `${call.path} ${JSON.stringify(call.body)}`.includes(packageId) ? [i] : []);
}

/** Every package the stack created (CreatePackage) is DELETED, and each was dissociated from every domain before DeletePackage. */
function expectDissociatedThenDeleted(simulator: OpenSearchSimulator, packageIds: string[]): void {
  for (const id of packageIds) {
    const dissociations = callsAbout(simulator, /^DissociatePackages?$/, id);
    const deletions = callsAbout(simulator, /^DeletePackage$/, id);
    expect(dissociations.length).toBeGreaterThan(0);
    expect(deletions.length).toBeGreaterThan(0);
    expect(Math.max(...dissociations)).toBeLessThan(Math.min(...deletions));
    expect(simulator.packages().find(p => p.PackageID === id)?.PackageStatus).toBe('DELETED');
  }
}

describe('local deploy of CustomPackage and its associations through the real Provider framework', () => {
  test('editing the source file gives a template that differs only in the asset hash, as the CLI\'s source change does', () => {
    const before = templateOf(assembly, CUSTOM_PACKAGE_STACK);
    const after = templateOf(edited, CUSTOM_PACKAGE_STACK);
    const [pkg] = resourcesOfType(before, PACKAGE_TYPE);
    const newHash = /[0-9a-f]{64}/.exec(String(propertyOf(after, pkg, 'S3Key')))![0];

    const change = withChangedSource(before, pkg, newHash);

    expect(change.template).toEqual(after);
    expect(change.alsoChanged.map(id => before.Resources![id].Type)).toEqual(['AWS::IAM::Policy']);
    expect(withChangedSource(before, pkg).newKey).toMatch(/^[0-9a-f]{64}\.txt$/);
  });

  test('a source change updates the package in place and the domain gets the new version in the same deployment', async () => {
    const { simulator, deployment, template, packages: [pkg], set, packagesOn } = await setUp(CUSTOM_PACKAGE_STACK);
    expect(setsFollowing(template, pkg)).toEqual([set]);
    expect((await deployment.deploy()).status).toBe('CREATE_COMPLETE');
    const packageId = packageIdOf(deployment, pkg);

    const result = await deployment.deploy(templateOf(edited, CUSTOM_PACKAGE_STACK));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(steps(template, result.records)).toEqual(['update Synonyms Update SUCCESS', 'update packages Update SUCCESS']);
    const [packageUpdate, domainUpdate] = result.records;
    expect(packageUpdate).toMatchObject({ physicalId: packageUpdate.physicalIdSent, data: { PackageID: packageId, AvailablePackageVersion: 'v2' } });
    expect(simulator.callCount('CreatePackage')).toBe(1);
    const update = simulator.calls.find(call => call.operation === 'UpdatePackage')!;
    const newKey = propertyOf(templateOf(edited, CUSTOM_PACKAGE_STACK), pkg, 'S3Key') as string;
    expect(update.body).toMatchObject({ PackageID: packageId, PackageSource: { S3Key: newKey }, CommitMessage: `From CDK asset ${newKey.slice(0, 64)}` });
    expect(timing(result, set, 'Update').startedAt).toBeGreaterThanOrEqual(timing(result, pkg, 'Update').endedAt);
    expect(simulator.callCount('AssociatePackages')).toBe(1);
    expect(simulator.callCount('AssociatePackage')).toBe(1);
    expect(Object.values(domainUpdate.data)).toContain(`${packageId}|analyzers/${packageId}|v2|product-synonyms|TXT-DICTIONARY|ACTIVE`);
    expect(packagesOn()).toEqual([`${packageId} ACTIVE v2`, 'F222222222 ACTIVE v1'].sort());
  });

  test('a new package that fails validation fails the Create with the service\'s ErrorMessage, and the rollback deletes the package', async () => {
    const { simulator, deployment, template, packages: [pkg], packagesOn } = await setUp(CUSTOM_PACKAGE_STACK);
    simulator.failNextPackageProcessing(SYNONYMS_PACKAGE_NAME, 'VALIDATION_FAILED', {
      ErrorType: 'InvalidSynonymRule',
      ErrorMessage: 'Line 2: "laptop =>" has no right-hand side',
    });

    const result = await deployment.deploy();

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const summary = steps(template, result.records);
    expect(summary).toContain('create Synonyms Create FAILED');
    expect(summary).toContain('rollback Synonyms Delete SUCCESS');
    const create = result.records.find(r => r.logicalId === pkg && r.requestType === 'Create')!;
    expect(create.reason).toContain('VALIDATION_FAILED: InvalidSynonymRule: Line 2: "laptop =>" has no right-hand side');
    expect(create.reason).toContain(SYNONYMS_PACKAGE_NAME);
    expect(simulator.packageByName(SYNONYMS_PACKAGE_NAME)).toMatchObject({ PackageStatus: 'DELETED' });
    expect(simulator.callCount('AssociatePackages')).toBe(0);
    expect(deployment.resources.size).toBe(0);
    expect(packagesOn()).toEqual([]);
  });

  test('three dictionaries on one domain go to the domain in one AssociatePackages call, with no ConflictException', async () => {
    const { simulator, deployment, template, packagesOn } = await setUp(THREE_DICTIONARIES_STACK, {
      simulator: { oneOperationPerDomain: true, associationDuration: { polls: 3 } },
    });

    const result = await deployment.deploy();

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(result.records.every(r => r.status === 'SUCCESS')).toBe(true);
    const calls = simulator.calls.filter(c => c.operation === 'AssociatePackages');
    expect(calls).toHaveLength(1);
    expect((calls[0].body as { PackageList: unknown[] }).PackageList).toHaveLength(3);
    expect(deployment.logs.some(line => line.text.includes('ConflictException'))).toBe(false);
    const packageIds = resourcesOfType(template, PACKAGE_TYPE).map(id => packageIdOf(deployment, id));
    expect(packagesOn()).toEqual(packageIds.map(id => `${id} ACTIVE v1`).sort());
  });

  test('a ZIP-PLUGIN package, its PACKAGE-LICENSE and its PACKAGE-CONFIG (with the plugin as prerequisite) reach the domain in one call, one blue/green deployment', async () => {
    const { simulator, deployment, template, packages, packagesOn, domainName } = await setUp(PLUGIN_STACK);

    const result = await deployment.deploy();

    expect(result.status).toBe('CREATE_COMPLETE');
    const idOfType = (type: string) => packageIdOf(deployment, packages.find(id => propertyOf(template, id, 'PackageType') === type)!);
    const [plugin, licence, config] = ['ZIP-PLUGIN', 'PACKAGE-LICENSE', 'PACKAGE-CONFIG'].map(idOfType);
    expect(simulator.packages().find(p => p.PackageID === plugin)).toMatchObject({
      PackageType: 'ZIP-PLUGIN',
      EngineVersion: 'OpenSearch_2.19',
      PackageStatus: 'AVAILABLE',
      AvailablePackageConfiguration: {
        LicenseRequirement: 'REQUIRED', LicenseFilepath: 'config/analysis-plugin.lic', ConfigurationRequirement: 'OPTIONAL', RequiresRestartForConfigurationUpdate: true,
      },
    });
    expect(packagesOn()).toEqual([plugin, licence, config].map(id => `${id} ACTIVE v1`).sort());
    const entries = simulator.domainPackages(domainName());
    expect(entries.find(e => e.PackageID === licence)?.PrerequisitePackageIDList).toEqual([plugin]);
    expect(entries.find(e => e.PackageID === config)?.PrerequisitePackageIDList).toEqual([plugin]);
    expect(simulator.callCount('AssociatePackages')).toBe(1);
    expect(simulator.blueGreenDeployments(domainName())).toBe(1);
  });

  test('destroying the stack dissociates each package before deleting it, and leaves only the RETAIN_ON_UPDATE_OR_DELETE association', async () => {
    const { simulator, deployment, template, packages: [pkg], set, associations, packagesOn, domainName } = await setUp(CUSTOM_PACKAGE_STACK);
    const retained = associations.find(id => propertyOf(template, id, 'PackageID') === 'F222222222')!;
    expect(template.Resources![retained]).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    await deployment.deploy();
    const packageId = packageIdOf(deployment, pkg);

    const result = await deployment.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(steps(template, result.records)).toEqual(['delete packages Delete SUCCESS', 'delete Synonyms Delete SUCCESS']);
    expect(timing(result, pkg, 'Delete').startedAt).toBeGreaterThanOrEqual(timing(result, set, 'Delete').endedAt);
    expectDissociatedThenDeleted(simulator, [packageId]);
    expect(packagesOn(domainName())).toEqual(['F222222222 ACTIVE v1']);
    expect(deployment.resources.size).toBe(0);
  });

  test('destroying the plugin stack takes the plugin, its licence and its config off in one DissociatePackages call, then deletes all three packages', async () => {
    const { simulator, deployment, packages, packagesOn, domainName } = await setUp(PLUGIN_STACK);
    await deployment.deploy();
    const packageIds = packages.map(id => packageIdOf(deployment, id));

    const result = await deployment.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(simulator.callCount('DissociatePackages')).toBe(1);
    expectDissociatedThenDeleted(simulator, packageIds);
    expect(packagesOn(domainName())).toEqual([]);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(Math.max(...result.timings.map(t => t.elapsedMs)));
  });
});
