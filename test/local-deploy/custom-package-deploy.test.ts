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
import { DependencyGraph } from './dependency-graph';
import { RequestRecord, ResourceTiming } from './deployment-records';
import { deployFixture, FixtureDeployment, FixtureDeploymentOptions, linesWithResponseUrl } from './fixture-deployment';
import { LocalDeployment } from './local-deployment';
import { StackOperationResult } from './stack-lifecycle';
import { withChangedSource } from './template-edits';
import { ASSOCIATION_TYPE, associationsFollowing, displayName, PACKAGE_TYPE, propertyOf, resourcesOfType } from './template-queries';

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
  return { ...fixture, template, packages: resourcesOfType(template, PACKAGE_TYPE), associations: resourcesOfType(template, ASSOCIATION_TYPE) };
}

/** The requests as `phase Resource RequestType STATUS`, associations named `Package@Domain`. */
function steps(template: CfnTemplate, records: readonly RequestRecord[]): string[] {
  return records.map(r => `${r.phase} ${displayName(template, r.logicalId)} ${r.requestType} ${r.status}`);
}

function timing(result: StackOperationResult, logicalId: string, action: ResourceTiming['action']): ResourceTiming {
  const found = result.timings.find(t => t.logicalId === logicalId && t.action === action);
  if (!found) throw new Error(`No ${action} of ${logicalId} in operation ${result.operation}`);
  return found;
}

function packageIdOf(deployment: LocalDeployment, logicalId: string): string {
  return deployment.resources.get(logicalId)!.provisioned.physicalId;
}

/** The positions in the simulator's call log of the calls of that operation about the package. */
function callsAbout(simulator: OpenSearchSimulator, operation: string, packageId: string): number[] {
  return simulator.calls.flatMap((call, i) => call.operation === operation && call.path.split('/').includes(packageId) ? [i] : []);
}

/** Every package the stack created (CreatePackage) is DELETED, and each was dissociated from every domain before DeletePackage. */
function expectDissociatedThenDeleted(simulator: OpenSearchSimulator, packageIds: string[]): void {
  for (const id of packageIds) {
    const dissociations = callsAbout(simulator, 'DissociatePackage', id);
    const deletions = callsAbout(simulator, 'DeletePackage', id);
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

  test('a source change updates the package in place and re-associates it with the domain in the same deployment', async () => {
    const { simulator, deployment, template, packages: [pkg], packagesOn } = await setUp(CUSTOM_PACKAGE_STACK);
    const [association] = associationsFollowing(template, pkg);
    expect((await deployment.deploy()).status).toBe('CREATE_COMPLETE');
    const packageId = packageIdOf(deployment, pkg);
    const associationsBefore = simulator.callCount('AssociatePackage');

    const result = await deployment.deploy(templateOf(edited, CUSTOM_PACKAGE_STACK));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(steps(template, result.records)).toEqual(['update Synonyms Update SUCCESS', 'update Synonyms@Search Update SUCCESS']);
    const [packageUpdate, reassociation] = result.records;
    expect(packageUpdate).toMatchObject({ physicalIdSent: packageId, physicalId: packageId, data: { PackageID: packageId, AvailablePackageVersion: 'v2' } });
    expect(simulator.callCount('CreatePackage')).toBe(1);
    expect(simulator.callCount('UpdatePackage')).toBe(1);
    const update = simulator.calls.find(call => call.operation === 'UpdatePackage')!;
    expect(update.body).toMatchObject({ PackageID: packageId, PackageSource: { S3Key: propertyOf(templateOf(edited, CUSTOM_PACKAGE_STACK), pkg, 'S3Key') } });
    expect(reassociation.outcome!.event).toMatchObject({
      PhysicalResourceId: reassociation.physicalId,
      OldResourceProperties: { PackageID: packageId, PackageVersion: 'v1' },
      ResourceProperties: { PackageID: packageId, PackageVersion: 'v2' },
    });
    expect(timing(result, association, 'Update').startedAt).toBeGreaterThanOrEqual(timing(result, pkg, 'Update').endedAt);
    expect(simulator.callCount('AssociatePackage')).toBe(associationsBefore + 1);
    expect(reassociation.data).toMatchObject({ PackageVersion: 'v2', DomainPackageStatus: 'ACTIVE' });
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
    expect(steps(template, result.records)).toEqual(['create Synonyms Create FAILED', 'rollback Synonyms Delete SUCCESS']);
    const [create, rollback] = result.records;
    expect(create.reason).toContain('VALIDATION_FAILED: InvalidSynonymRule: Line 2: "laptop =>" has no right-hand side');
    expect(create.reason).toContain(SYNONYMS_PACKAGE_NAME);
    expect(rollback.outcome!.event).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: create.physicalId });
    expect(simulator.packageByName(SYNONYMS_PACKAGE_NAME)).toMatchObject({ PackageID: create.physicalId, PackageStatus: 'DELETED' });
    expect(simulator.callCount('AssociatePackage')).toBe(0);
    expect(deployment.resources.has(pkg)).toBe(false);
    expect(packagesOn()).toEqual([]);
  });

  test('three dictionaries on one domain deploy one association after another, and no ConflictException reaches CloudFormation', async () => {
    const { simulator, deployment, template, associations, packagesOn } = await setUp(THREE_DICTIONARIES_STACK, {
      simulator: { oneOperationPerDomain: true, associationDuration: { polls: 3 } },
    });
    const graph = DependencyGraph.fromTemplate(template);
    const chain = graph.topologicalOrder().filter(id => associations.includes(id));
    expect(chain).toHaveLength(3);
    chain.slice(1).forEach((id, i) => expect(template.Resources![id].DependsOn).toContain(chain[i]));

    const result = await deployment.deploy();

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(result.records.every(r => r.status === 'SUCCESS' && !/Conflict/.test(r.reason ?? ''))).toBe(true);
    chain.slice(1).forEach((id, i) => expect(timing(result, id, 'Create').startedAt).toBeGreaterThanOrEqual(timing(result, chain[i], 'Create').endedAt));
    expect(simulator.callCount('AssociatePackage')).toBe(3);
    expect(deployment.logs.some(line => line.text.includes('ConflictException'))).toBe(false);
    const packageIds = resourcesOfType(template, PACKAGE_TYPE).map(id => packageIdOf(deployment, id));
    expect(packagesOn()).toEqual(packageIds.map(id => `${id} ACTIVE v1`).sort());
  });

  test('a ZIP-PLUGIN package, its PACKAGE-LICENSE and its PACKAGE-CONFIG (with the plugin as prerequisite) deploy in one go', async () => {
    const { simulator, deployment, template, packages, packagesOn, domainName } = await setUp(PLUGIN_STACK);

    const result = await deployment.deploy();

    expect(result.status).toBe('CREATE_COMPLETE');
    const idOfType = (type: string) => packageIdOf(deployment, packages.find(id => propertyOf(template, id, 'PackageType') === type)!);
    const [plugin, licence, config] = ['ZIP-PLUGIN', 'PACKAGE-LICENSE', 'PACKAGE-CONFIG'].map(idOfType);
    expect(simulator.packages().find(p => p.PackageID === plugin)).toMatchObject({ PackageType: 'ZIP-PLUGIN', EngineVersion: 'OpenSearch_2.19', PackageStatus: 'AVAILABLE' });
    expect(packagesOn()).toEqual([plugin, licence, config].map(id => `${id} ACTIVE v1`).sort());
    const entries = simulator.domainPackages(domainName());
    expect(entries.find(e => e.PackageID === licence)?.PrerequisitePackageIDList).toEqual([plugin]);
    expect(entries.find(e => e.PackageID === config)?.PrerequisitePackageIDList).toEqual([plugin]);
    expect(steps(template, result.records.filter(r => r.resourceType === ASSOCIATION_TYPE)))
      .toEqual(['create Plugin@Search Create SUCCESS', 'create Licence@Search Create SUCCESS', 'create Config@Search Create SUCCESS']);
  });

  test('destroying the stack dissociates each package before deleting it, and leaves only the RETAIN_ON_UPDATE_OR_DELETE association', async () => {
    const { simulator, deployment, template, packages: [pkg], associations, packagesOn, domainName } = await setUp(CUSTOM_PACKAGE_STACK);
    const [association] = associationsFollowing(template, pkg);
    const retained = associations.find(id => id !== association)!;
    expect(template.Resources![retained]).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    await deployment.deploy();
    const packageId = packageIdOf(deployment, pkg);

    const result = await deployment.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(steps(template, result.records)).toEqual(['delete Synonyms@Search Delete SUCCESS', 'delete Synonyms Delete SUCCESS']);
    expect(timing(result, pkg, 'Delete').startedAt).toBeGreaterThanOrEqual(timing(result, association, 'Delete').endedAt);
    expectDissociatedThenDeleted(simulator, [packageId]);
    expect(simulator.packages().filter(p => p.PackageStatus !== 'DELETED').map(p => p.PackageID)).not.toContain(packageId);
    expect(packagesOn(domainName())).toEqual(['F222222222 ACTIVE v1']);
    expect(deployment.resources.size).toBe(0);
  });

  test('destroying the plugin stack dissociates the licence and config before the plugin, and deletes all three packages', async () => {
    const { simulator, deployment, template, packages, packagesOn, domainName } = await setUp(PLUGIN_STACK);
    await deployment.deploy();
    const packageIds = packages.map(id => packageIdOf(deployment, id));

    const result = await deployment.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    const associationDeletes = steps(template, result.records.filter(r => r.resourceType === ASSOCIATION_TYPE));
    expect(associationDeletes).toEqual(['delete Config@Search Delete SUCCESS', 'delete Licence@Search Delete SUCCESS', 'delete Plugin@Search Delete SUCCESS']);
    expectDissociatedThenDeleted(simulator, packageIds);
    expect(packagesOn(domainName())).toEqual([]);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(Math.max(...result.timings.map(t => t.elapsedMs)));
  });
});
