import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { AssociationSpec, EMPTY_VERSION, PackageSpec } from './app-spec';
import { deploy, dictionary, on, onDomain, reasons, version, worldPerTest } from './case-steps';
import { CustomPackage, DomainPackageAssociation, PackageSource, PackageType } from '../../lib';
import { readCloudAssembly, selectStack } from '../local-deploy/cloud-assembly';
import { LocalDeployment } from '../local-deploy/local-deployment';
import { OpenSearchSimulator } from '../simulator';

/*
 * The ten cases of the lifecycle issue, each a sequence of stack versions
 * through the public API, checked against the invariants after every step
 * and against what the case is about.
 */

const newWorld = worldPerTest();

describe('1. a dictionary edit that fails validation', () => {
  const synonyms = (content: number) => dictionary('Synonyms', 'synonyms', content);
  const association = (extra: Partial<AssociationSpec> = {}) => on('SynonymsOn', 'alpha-domain', { custom: 'Synonyms' }, extra);

  test('rolls back to UPDATE_ROLLBACK_COMPLETE, and the next update of the wait alone completes', async () => {
    const world = await newWorld();
    expect((await deploy(world, 'StackA', version(1, [synonyms(1)], [association()]))).status).toBe('CREATE_COMPLETE');

    const failed = await deploy(world, 'StackA', version(2, [synonyms(2)], [association()]), { kind: 'validation fails', index: 0 });
    expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reasons(failed)).toContain('VALIDATION_FAILED: InjectedFailure: synonyms content 2 does not validate');

    expect((await deploy(world, 'StackA', version(3, [synonyms(1)], [association({ timeoutSeconds: 900 })]))).status).toBe('UPDATE_COMPLETE');
  });

  test.each([
    ['refuses to update a failed package, the fixed file fails with advice and rolls back cleanly', false, 'UPDATE_ROLLBACK_COMPLETE'],
    ['accepts an update of a failed package, the fixed file deploys', true, 'UPDATE_COMPLETE'],
  ] as const)('where the service %s', async (_name, failedPackagesAcceptUpdates, status) => {
    const world = await newWorld({ failedPackagesAcceptUpdates });
    await deploy(world, 'StackA', version(1, [synonyms(1)], [association()]));
    await deploy(world, 'StackA', version(2, [synonyms(2)], [association()]), { kind: 'validation fails', index: 0 });

    const fixed = await deploy(world, 'StackA', version(3, [synonyms(3)], [association()]));

    expect(fixed.status).toBe(status);
    if (status === 'UPDATE_ROLLBACK_COMPLETE') expect(reasons(fixed)).toMatch(/UpdatePackage failed: ValidationException: .*give the package a new packageName to replace it/);
  });

  test('then moving its association to another domain fails before the first domain loses it, and rolls back cleanly', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [synonyms(1)], [association()]));
    await deploy(world, 'StackA', version(2, [synonyms(2)], [association()]), { kind: 'validation fails', index: 0 });

    const moved = await deploy(world, 'StackA', version(3, [synonyms(1)], [on('SynonymsOn', 'beta-domain', { custom: 'Synonyms' })]));

    expect(moved.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reasons(moved)).toMatch(/is VALIDATION_FAILED and cannot be associated: InjectedFailure: synonyms content 2 does not validate/);
    expect(world.onDomain('alpha-domain').map(e => `${e.PackageName} ${e.DomainPackageStatus}`)).toEqual(['synonyms ACTIVE']);
    expect(world.onDomain('beta-domain')).toEqual([]);
  });

  test('then removing its association in an update that rolls back: the rollback completes, and leaves off the domain what it cannot associate again', async () => {
    const world = await newWorld();
    const other = on('Other', 'alpha-domain', { imported: 'F100000001' });
    await deploy(world, 'StackA', version(1, [synonyms(1)], [association(), other]));
    await deploy(world, 'StackA', version(2, [synonyms(2)], [association(), other]), { kind: 'validation fails', index: 0 });

    const removed = await deploy(world, 'StackA', version(3, [synonyms(1)], [other]), { kind: 'later resource fails' });

    expect(removed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(world.onDomain('alpha-domain').map(e => e.PackageID)).toEqual(['F100000001']);
  });
});

describe('2. renaming a CustomPackage', () => {
  const association = on('SynonymsOn', 'alpha-domain', { custom: 'Synonyms' });

  test('when a later resource fails, the rollback returns to the old package and deletes the new one', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [dictionary('Synonyms', 'synonyms')], [association]));
    const result = await deploy(world, 'StackA', version(2, [dictionary('Synonyms', 'synonyms-renamed')], [association]), { kind: 'later resource fails' });

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(world.simulator.packageByName('synonyms')?.PackageStatus).toBe('AVAILABLE');
    expect(world.simulator.packageByName('synonyms-renamed')?.PackageStatus).toBe('DELETED');
  });

  test('when the renamed package fails validation, the new package is deleted and the reason says so', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [dictionary('Synonyms', 'synonyms')], [association]));
    const result = await deploy(world, 'StackA', version(2, [dictionary('Synonyms', 'synonyms-renamed')], [association]), { kind: 'validation fails', index: 0 });

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reasons(result)).toContain('The new package synonyms-renamed');
    expect(['DELETING', 'DELETED']).toContain(world.simulator.packageByName('synonyms-renamed')?.PackageStatus);
  });
});

describe('3. a change refused at deploy time', () => {
  test('a new package type under the same name, and a plugin for another engine version than its domain runs, roll back cleanly', async () => {
    const world = await newWorld();
    // A license goes to a domain only with a plugin among its prerequisites (the synth refuses it otherwise): an imported package may be one.
    const association = on('SynonymsOn', 'alpha-domain', { custom: 'Synonyms' }, { prerequisites: [{ imported: 'F100000002' }] });
    await deploy(world, 'StackA', version(1, [dictionary('Synonyms', 'synonyms')], [association]));
    const retyped = await deploy(world, 'StackA', version(2, [{ ...dictionary('Synonyms', 'synonyms'), type: 'PACKAGE-LICENSE' }], [association]));
    expect(retyped.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reasons(retyped)).toContain('cannot change in place');

    const plugin: PackageSpec = { id: 'Plugin', name: 'plugin', content: 1, type: 'ZIP-PLUGIN', engine: '2.19', removal: 'DESTROY' };
    expect((await deploy(world, 'StackB', version(1, [plugin], [on('PluginOn', 'beta-domain', { custom: 'Plugin' })]))).status).toBe('CREATE_COMPLETE');
    const [current] = onDomain(world, 'beta-domain');
    // The domain runs 2.19: a plugin built for 2.17 is refused before anything changes on the domain, and the new package is deleted.
    const older = await deploy(world, 'StackB', version(2, [{ ...plugin, engine: '2.17' }], [on('PluginOn', 'beta-domain', { custom: 'Plugin' })]));
    expect(older.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reasons(older)).toContain('Package plugin is a plugin built for OpenSearch_2.17, and domain beta-domain runs OpenSearch_2.19');
    expect(onDomain(world, 'beta-domain')).toEqual([current]);
    expect(world.simulator.packages().filter(p => p.PackageName === 'plugin' && p.PackageStatus !== 'DELETED').map(p => p.EngineVersion)).toEqual(['OpenSearch_2.19']);
  });

  test('a package ID token that resolves to an invalid value rolls back cleanly', async () => {
    const simulator = await OpenSearchSimulator.start({ associationDuration: { polls: 1 } });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'issue-3-'));
    try {
      simulator.addDomain('alpha-domain');
      simulator.addPackage({ id: 'F100000001', name: 'synonyms' });
      const synth = (packageId: string, name: string) => {
        const app = new App({ outdir: path.join(outdir, name), context: { 'aws:cdk:enable-asset-metadata': true } });
        const stack = new Stack(app, 'TokenStack', { env: { account: '123456789012', region: 'us-east-1' } });
        const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
          domainArn: 'arn:aws:es:us-east-1:123456789012:domain/alpha-domain', domainEndpoint: 'https://search-alpha.us-east-1.es.amazonaws.com',
        });
        new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: new CfnParameter(stack, 'PackageId', { default: packageId }).valueAsString });
        app.synth();
        return selectStack(readCloudAssembly(path.join(outdir, name)), { stackName: 'TokenStack' });
      };
      const first = synth('F100000001', 'v1');
      const deployment = new LocalDeployment({ simulator, stack: first, intervalScale: 0.001 });
      expect((await deployment.deployArtifact(first)).status).toBe('CREATE_COMPLETE');

      const result = await deployment.deployArtifact(synth('not-a-package-id', 'v2'));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(reasons(result)).toContain('PackageID "not-a-package-id" is not a valid OpenSearch package ID');
      expect(simulator.domainPackages('alpha-domain').map(e => e.PackageID)).toEqual(['F100000001']);
    } finally {
      await simulator.stop();
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

test('4. removing an association, or moving it to another domain, takes it off the old domain with the permission the cleanup needs', async () => {
  const world = await newWorld();
  const f1 = on('First', 'alpha-domain', { imported: 'F100000001' });
  const f2 = on('Second', 'beta-domain', { imported: 'F100000002' });
  await deploy(world, 'StackA', version(1, [], [f1, f2]));

  expect((await deploy(world, 'StackA', version(2, [], [{ ...f1, domain: 'beta-domain' }, f2]))).status).toBe('UPDATE_COMPLETE');
  expect(onDomain(world, 'alpha-domain')).toEqual([]);
  expect((await deploy(world, 'StackA', version(3, [], []))).status).toBe('UPDATE_COMPLETE');
  expect(onDomain(world, 'beta-domain')).toEqual([]);
  expect(world.simulator.calls.filter(c => c.errorType === 'AccessDeniedException')).toEqual([]);
});

describe('5. the stack removes only what it associated', () => {
  test('a package associated by hand is refused, and the rollback of the failed first deploy leaves it; with adoptExisting the stack adopts it and never takes it off', async () => {
    const world = await newWorld();
    world.associateByHand('alpha-domain', 'F100000001');
    const refused = await deploy(world, 'StackA', version(1, [], [on('Synonyms', 'alpha-domain', { imported: 'F100000001' })]));
    expect(refused.status).toBe('ROLLBACK_COMPLETE');
    expect(reasons(refused)).toContain('set adoptExisting: true on the association to adopt it');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);

    const adopting = version(2, [], [on('Synonyms', 'alpha-domain', { imported: 'F100000001' }, { adopt: true })]);
    expect((await deploy(world, 'StackA', adopting, { kind: 'later resource fails' })).status).toBe('ROLLBACK_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
    expect((await deploy(world, 'StackA', adopting)).status).toBe('CREATE_COMPLETE');
    expect((await deploy(world, 'StackA', version(3, [], []))).status).toBe('UPDATE_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
  });

  test('the rollback of an update that adopted an association leaves it, through the domain\'s existing resource', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [], [on('Stopwords', 'alpha-domain', { imported: 'F100000002' })]));
    world.associateByHand('alpha-domain', 'F100000001');
    const adopting = version(2, [], [
      on('Stopwords', 'alpha-domain', { imported: 'F100000002' }),
      on('Synonyms', 'alpha-domain', { imported: 'F100000001' }, { adopt: true }),
    ]);
    expect((await deploy(world, 'StackA', adopting, { kind: 'later resource fails' })).status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE', 'F100000002 ACTIVE']);
  });

  test('another stack cannot take over, nor remove, this stack\'s association', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [], [on('Synonyms', 'alpha-domain', { imported: 'F100000002' })]));
    const other = await deploy(world, 'StackB', version(1, [], [on('Theirs', 'alpha-domain', { imported: 'F100000002' })]));
    expect(other.status).toBe('ROLLBACK_COMPLETE');
    await deploy(world, 'StackB', version(2, [], [on('Theirs', 'beta-domain', { imported: 'F100000002' })]));
    expect((await world.destroy('StackB')).result.status).toBe('DELETE_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000002 ACTIVE']);
  });

  test('renaming an association\'s construct changes nothing on the domain', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [], [on('Synonyms', 'alpha-domain', { imported: 'F100000001' })]));
    const before = world.simulator.calls.length;
    expect((await deploy(world, 'StackA', version(2, [], [on('Renamed', 'alpha-domain', { imported: 'F100000001' })]))).status).toBe('UPDATE_COMPLETE');
    expect(world.simulator.calls.slice(before).filter(c => /^(Associate|Dissociate)/.test(c.operation))).toEqual([]);
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
  });
});

describe('6. a package whose deletion failed', () => {
  test('with the service\'s own internal error is deleted again within the deletion\'s budget, and the stack\'s deletion completes', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [dictionary('Synonyms', 'synonyms')], [on('SynonymsOn', 'alpha-domain', { custom: 'Synonyms' })]));
    world.simulator.failNextPackageProcessing('synonyms', 'DELETE_FAILED', { ErrorType: 'InternalFailure', ErrorMessage: 'storage unavailable' });

    const result = await world.destroy('StackA');
    expect(result.result.status).toBe('DELETE_COMPLETE');
    expect(world.simulator.callCount('DeletePackage')).toBe(2);
    expect(world.simulator.packageByName('synonyms')?.PackageStatus).toBe('DELETED');
  });

  test('for another reason fails the stack\'s deletion with the service\'s details, and is deleted when the deletion is tried again', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [dictionary('Synonyms', 'synonyms')], [on('SynonymsOn', 'alpha-domain', { custom: 'Synonyms' })]));
    world.simulator.failNextPackageProcessing('synonyms', 'DELETE_FAILED', { ErrorType: 'DependencyViolation', ErrorMessage: 'referenced by a snapshot' });

    const first = await world.destroy('StackA');
    expect(first.result.status).toBe('DELETE_FAILED');
    expect(reasons(first.result)).toContain('DELETE_FAILED: DependencyViolation: referenced by a snapshot');
    const again = await world.destroy('StackA');
    expect(again.result.status).toBe('DELETE_COMPLETE');
    expect(world.simulator.packageByName('synonyms')?.PackageStatus).toBe('DELETED');
  });
});

describe('7. a new key-store role or prerequisite list', () => {
  const base = on('Synonyms', 'alpha-domain', { imported: 'F100000001' });

  test('is applied to the domain', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [], [base]));
    expect((await deploy(world, 'StackA', version(2, [], [{ ...base, keyStore: true, prerequisites: [{ imported: 'F100000003' }] }]))).status).toBe('UPDATE_COMPLETE');
  });

  test('fails with a clear reason, and rolls back, where the service keeps the old ones as "already in desired state"', async () => {
    const world = await newWorld({ configurationChangeIsDesiredState: true });
    await deploy(world, 'StackA', version(1, [], [base]));
    const result = await deploy(world, 'StackA', version(2, [], [{ ...base, prerequisites: [{ imported: 'F100000003' }] }]));
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reasons(result)).toContain('the service keeps a package\'s prerequisites and key-store option when its version does not change');
  });
});

describe('8. first steps are idempotent', () => {
  test('a CreatePackage whose answer is lost is retried by the SDK and leaves one package', async () => {
    const world = await newWorld();
    world.simulator.injectError('CreatePackage', { type: 'InternalException', afterApplying: true });
    const result = await deploy(world, 'StackA', version(1, [dictionary('Synonyms', 'synonyms')], [on('SynonymsOn', 'alpha-domain', { custom: 'Synonyms' })]));
    expect(result.status).toBe('CREATE_COMPLETE');
    expect(world.simulator.packages().filter(p => p.PackageName === 'synonyms')).toHaveLength(1);
  });

  test('when the waiter fails to start after the first AssociatePackage, the rollback still takes the package off the domain', async () => {
    const world = await newWorld();
    const next = version(1, [], [on('Synonyms', 'alpha-domain', { imported: 'F100000001' })]);
    await deploy(world, 'StackA', EMPTY_VERSION);
    world.deployment('StackA')!.failNextWaiterStart('Custom::OpenSearchDomainPackages');

    const result = await deploy(world, 'StackA', next);

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(world.simulator.callCount('AssociatePackage')).toBe(1);
    expect(onDomain(world, 'alpha-domain')).toEqual([]);
  });
});

describe('9. a removal the service refuses because the package is in use', () => {
  test('fails at once with advice instead of retrying until the timeout, and the update rolls back', async () => {
    const world = await newWorld();
    const stopwords = on('Stopwords', 'alpha-domain', { imported: 'F100000002' });
    await deploy(world, 'StackA', version(1, [], [on('Synonyms', 'alpha-domain', { imported: 'F100000001' }), stopwords]));
    world.simulator.markPackageInUse('alpha-domain', 'F100000001', { type: 'ConflictException', message: 'Package F100000001 is in use by index products' });
    const started = Date.now();

    const result = await deploy(world, 'StackA', version(2, [], [stopwords]));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reasons(result)).toContain('Package F100000001 is in use by index products. If an index still uses the package, remove it from the index settings first');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test('the last association of a domain leaves in the cleanup phase: a refusal there does not fail the update, but its reason says what is left and what to do', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [], [on('Synonyms', 'alpha-domain', { imported: 'F100000001' })]));

    const result = await deploy(world, 'StackA', version(2, [], []), { kind: 'in use', index: 0 });

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(result.failures.map(f => f.phase)).toEqual(['cleanup']);
    expect(reasons(result)).toContain('dissociating F100000001 failed: ValidationException: Package F100000001 is in use by index products');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
  });

  test('a package another domain still holds is not waited for until the timeout: its deletion fails naming that domain', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [dictionary('Synonyms', 'synonyms')], [on('SynonymsOn', 'alpha-domain', { custom: 'Synonyms' })]));
    world.simulator.associate('beta-domain', world.simulator.packageByName('synonyms')!.PackageID!);
    const { result } = await world.destroy('StackA');
    expect(result.status).toBe('DELETE_FAILED');
    expect(reasons(result)).toMatch(/the package is still associated with domain beta-domain \(ACTIVE\)\. Dissociate it from those domains/);
    expect(world.simulator.callCount('DeletePackage')).toBe(1);
  });
});

describe('10. domains of other Regions, and input checked at synth time', () => {
  test('an imported domain in another Region is called in its own Region, on create and on delete', async () => {
    const simulator = await OpenSearchSimulator.start({ associationDuration: { polls: 1 }, dissociationDuration: { polls: 1 } });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'issue-10-'));
    try {
      simulator.addDomain('far-domain', { region: 'eu-west-1' });
      simulator.addPackage({ id: 'F100000001', name: 'synonyms', region: 'eu-west-1' });
      const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
      const stack = new Stack(app, 'FarStack', { env: { account: '123456789012', region: 'us-east-1' } });
      const domain = opensearch.Domain.fromDomainAttributes(stack, 'Far', {
        domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/far-domain', domainEndpoint: 'https://search-far.eu-west-1.es.amazonaws.com',
      });
      new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F100000001' });
      app.synth();
      const deployment = new LocalDeployment({ simulator, stack: selectStack(readCloudAssembly(outdir), { stackName: 'FarStack' }), intervalScale: 0.001 });

      expect((await deployment.deploy()).status).toBe('CREATE_COMPLETE');
      expect(simulator.domainPackages('far-domain', { region: 'eu-west-1' }).map(e => e.DomainPackageStatus)).toEqual(['ACTIVE']);
      expect((await deployment.destroy()).status).toBe('DELETE_COMPLETE');
      expect(simulator.domainPackages('far-domain', { region: 'eu-west-1' })).toEqual([]);
      // Every OpenSearch call but DescribePackages goes to the domain's Region; CloudFormation's go to the stack's (and
      // the search for another stack's record of the association, to the domain's too).
      const cloudFormation = ['ListStackResources', 'DescribeStackEvents', 'DescribeStackResources'];
      expect(simulator.calls.filter(c => c.operation !== 'DescribePackages' && !cloudFormation.includes(c.operation) && c.region !== 'eu-west-1')).toEqual([]);
      expect(simulator.calls.filter(c => cloudFormation.includes(c.operation) && c.region !== 'us-east-1' && c.operation !== 'DescribeStackResources')).toEqual([]);
      expect(simulator.calls.filter(c => c.operation === 'DescribeStackResources').map(c => c.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    } finally {
      await simulator.stop();
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a package type the API does not know, and a timeout of a fraction of a second, fail at synth with the library\'s own messages', () => {
    const stack = new Stack(new App(), 'Checks');
    expect(() => new CustomPackage(stack, 'X', { packageName: 'x-package', packageType: PackageType.of('X'), source: PackageSource.fromAsset(__filename) }))
      .toThrow('PackageType.of "X" is not a package type');
    const domain = opensearch.Domain.fromDomainAttributes(stack, 'D', { domainArn: 'arn:aws:es:us-east-1:123456789012:domain/alpha-domain', domainEndpoint: 'https://x' });
    expect(() => new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1', timeout: Duration.millis(500) }))
      .toThrow('DomainPackageAssociation Checks/A: timeout 0.5 seconds is not a whole number of seconds');
  });
});
