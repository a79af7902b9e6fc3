import { awsPackageId, PackageSpec } from './app-spec';
import { deploy, deployAtOnce, destroy, dictionary, mutatingCalls, on, onDomain, reasons, version, worldPerTest } from './case-steps';
import { withTimeouts } from './edits';
import { SDK_ATTEMPTS } from './faults';
import { ConformanceWorld, INTERVAL_SCALE, StackName } from './world';
import { withScaledClock } from '../local-deploy/scaled-clock';
import { propertyOf } from '../local-deploy/template-queries';

/*
 * The five classes of the ownership issue (16), each a named sequence of
 * stack versions through the public API, checked against every invariant
 * after every step (I1 to I9) and against what the class is about: the
 * stacks' statuses, what is on the domains and in the Region, the reasons.
 */

const newWorld = worldPerTest();

const NORI = awsPackageId('analysis-nori');
/** A throttling storm as long as the SDK's attempts: the call fails, and the handler's own retries must wait it out. */
const LONG_THROTTLING = { error: 'ThrottlingException' as const, times: SDK_ATTEMPTS };
/** Real time a long throttling storm can take: the SDK backs off about 0.5, 1, 2, 4 and 8 s (up to twice that). */
const STORM_TEST_TIMEOUT = 150_000;

/** The logical IDs of the stacks' CustomPackages whose packageName is this, and the S3 key of the file each deploys. */
function sourceOf(world: ConformanceWorld, stack: StackName, packageName: string): string | undefined {
  const deployed = world.deployed.get(stack);
  const pkg = deployed?.version.packages.find(p => p.name === packageName);
  const logicalId = pkg && Object.keys(deployed!.template.Resources ?? {}).find(id => deployed!.template.Resources![id].Type === 'Custom::OpenSearchPackage'
    && String(deployed!.template.Resources![id].Metadata?.['aws:cdk:path'] ?? '').split('/')[1] === pkg.id);
  return logicalId && String(propertyOf(deployed!.template, logicalId, 'S3Key'));
}

const live = (world: ConformanceWorld, name: string) => world.simulator.packages().filter(p => p.PackageName === name && p.PackageStatus !== 'DELETED');

describe('1. a package or a domain is the same however it is named', () => {
  test.each([false, true])('a package AWS provides, named by ID and then by its AWS name (adoptExisting %s), stays on the domain, and nothing is called', async adopt => {
    const world = await newWorld();
    expect((await deploy(world, 'StackA', version(1, [], [on('Nori', 'alpha-domain', { imported: NORI })]))).status).toBe('CREATE_COMPLETE');
    const before = world.simulator.calls.length;

    const renamed = await deploy(world, 'StackA', version(2, [], [on('Nori', 'alpha-domain', { aws: 'analysis-nori' }, { adopt })]), { noServiceChange: true });

    expect(renamed.status).toBe('UPDATE_COMPLETE');
    expect(mutatingCalls(world, before)).toEqual([]);
    expect(onDomain(world, 'alpha-domain')).toEqual([`${NORI} ACTIVE`]);
    // Still the stack's own: removing it takes it off.
    expect((await deploy(world, 'StackA', version(3, [], []))).status).toBe('UPDATE_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual([]);
  });

  test.each(['parameter', 'import'] as const)('a domain named through a %s and then literally is the same domain: nothing is called, and the stack still owns the association', async spelling => {
    const world = await newWorld();
    const synonyms = on('Synonyms', 'alpha-domain', { imported: 'F100000001' });
    expect((await deploy(world, 'StackA', version(1, [], [synonyms], { 'alpha-domain': spelling }))).status).toBe('CREATE_COMPLETE');
    const before = world.simulator.calls.length;

    const literal = await deploy(world, 'StackA', version(2, [], [synonyms], { 'alpha-domain': 'literal' }), { noServiceChange: true });

    expect(literal.status).toBe('UPDATE_COMPLETE');
    expect(mutatingCalls(world, before)).toEqual([]);
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
    expect((await deploy(world, 'StackA', version(3, [], [], { 'alpha-domain': spelling }))).status).toBe('UPDATE_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual([]);
  });

  test('an association a retaining removal policy kept on the domain can be declared again, and is the stack\'s again', async () => {
    const world = await newWorld();
    const synonyms = on('Synonyms', 'alpha-domain', { imported: 'F100000001' }, { removal: 'RETAIN_ON_UPDATE_OR_DELETE' });
    await deploy(world, 'StackA', version(1, [], [synonyms]));
    expect((await deploy(world, 'StackA', version(2, [], []))).status).toBe('UPDATE_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);

    const again = await deploy(world, 'StackA', version(3, [], [synonyms]));

    expect(again.status).toBe('UPDATE_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
    expect((await deploy(world, 'StackA', version(4, [], [{ ...synonyms, removal: 'DESTROY' }]))).status).toBe('UPDATE_COMPLETE');
    expect((await deploy(world, 'StackA', version(5, [], []))).status).toBe('UPDATE_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual([]);
  });

  test('declared again in an update that rolls back, an association a retaining removal policy kept stays on the domain', async () => {
    const world = await newWorld();
    const synonyms = on('Synonyms', 'alpha-domain', { imported: 'F100000001' }, { removal: 'RETAIN_ON_UPDATE_OR_DELETE' });
    await deploy(world, 'StackA', version(1, [], [synonyms]));
    await deploy(world, 'StackA', version(2, [], []));

    const failed = await deploy(world, 'StackA', version(3, [], [synonyms]), { kind: 'later resource fails' });

    expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
  });

  test('one domain name in two Regions is two domains: each package goes to its own, and each leaves its own', async () => {
    const world = await newWorld();
    const near = on('Near', 'alpha-domain', { imported: 'F100000001' });
    const far = on('Far', 'alpha-domain@eu-west-1', { imported: 'F100000002' });

    expect((await deploy(world, 'StackA', version(1, [], [near, far]))).status).toBe('CREATE_COMPLETE');

    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
    expect(onDomain(world, 'alpha-domain@eu-west-1')).toEqual(['F100000002 ACTIVE']);
    expect((await deploy(world, 'StackA', version(2, [], [far]))).status).toBe('UPDATE_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual([]);
    expect(onDomain(world, 'alpha-domain@eu-west-1')).toEqual(['F100000002 ACTIVE']);
    expect((await destroy(world, 'StackA')).status).toBe('DELETE_COMPLETE');
    expect(onDomain(world, 'alpha-domain@eu-west-1')).toEqual([]);
  });
});

describe('2. claims are atomic', () => {
  test('two stacks deployed at once with one packageName: one wins, the other fails naming it and leaves nothing, and the winner keeps its package and its file', async () => {
    const world = await newWorld();
    const deployed = (content: number, domain: 'alpha-domain' | 'beta-domain') => version(1, [dictionary('Synonyms', 'synonyms', content)], [on('SynonymsOn', domain, { custom: 'Synonyms' })]);

    const [a, b] = await deployAtOnce(world, [['StackA', deployed(1, 'alpha-domain')], ['StackB', deployed(2, 'beta-domain')]]);

    expect([a.status, b.status].sort()).toEqual(['CREATE_COMPLETE', 'ROLLBACK_COMPLETE']);
    const [winner, loser] = a.status === 'CREATE_COMPLETE' ? ['StackA', b] as const : ['StackB', a] as const;
    expect(reasons(loser)).toContain(winner);
    const [synonyms] = live(world, 'synonyms');
    expect(live(world, 'synonyms')).toHaveLength(1);
    expect(world.simulator.packageVersions(synonyms.PackageID!).at(-1)?.source?.S3Key).toBe(sourceOf(world, winner, 'synonyms'));
    expect([...onDomain(world, 'alpha-domain'), ...onDomain(world, 'beta-domain')]).toEqual([`${synonyms.PackageID} ACTIVE`]);
    expect((await destroy(world, winner)).status).toBe('DELETE_COMPLETE');
    expect(live(world, 'synonyms')).toEqual([]);
  });

  test('two stacks declaring one package on one domain at once: a stack that finds the other\'s association under way fails, names it contested and leaves it; two that reach the domain together both hold it (the race the service cannot arbitrate)', async () => {
    const world = await newWorld();
    const declared = version(1, [], [on('Synonyms', 'alpha-domain', { imported: 'F100000001' })]);

    const [a, b] = await deployAtOnce(world, [['StackA', declared], ['StackB', declared]]);

    expect(['CREATE_COMPLETE CREATE_COMPLETE', 'CREATE_COMPLETE ROLLBACK_COMPLETE']).toContain([a.status, b.status].sort().join(' '));
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
    const losers = [a, b].filter(result => result.status === 'ROLLBACK_COMPLETE');
    expect(losers.filter(loser => !/\(contested: \d{12}\/[a-z0-9-]+\/alpha-domain\/\S+\)/.test(reasons(loser)))).toEqual([]);
  });

  test('an ownership check onEvent could not make (ListPackagesForDomain throttled beyond the SDK\'s attempts), then a failed create: the rollback leaves the association made by hand', async () => {
    const world = await newWorld();
    world.associateByHand('alpha-domain', 'F100000001');

    const result = await deploy(world, 'StackA', version(1, [], [on('Synonyms', 'alpha-domain', { imported: 'F100000001' })]), {
      fault: { kind: 'later resource fails' },
      storm: { operation: 'ListPackagesForDomain', phase: 'forward', ...LONG_THROTTLING },
      expectation: { outcome: 'refused', why: 'the package is on the domain, made by hand, and the stack does not adopt it' },
    });

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
  }, STORM_TEST_TIMEOUT);
});

test('3. an adopted plugin association taken through the two-step engine upgrade stays adopted, and is left on the domain when it leaves the stack', async () => {
  const world = await newWorld();
  world.simulator.addDomain('alpha-domain', { engineVersion: 'OpenSearch_2.17' });
  const plugin = (id: string, engine: '2.17' | '2.19'): PackageSpec => ({ id, name: 'analyzer', content: 1, type: 'ZIP-PLUGIN', engine, removal: 'RETAIN' });
  const adopted = (target: string) => on('AnalyzerOn', 'alpha-domain', { custom: target }, { adopt: true });
  await deploy(world, 'StackA', version(1, [plugin('Analyzer', '2.17')], []));
  const old = live(world, 'analyzer')[0].PackageID!;
  world.associateByHand('alpha-domain', old);
  expect((await deploy(world, 'StackA', version(2, [plugin('Analyzer', '2.17')], [adopted('Analyzer')]))).status).toBe('UPDATE_COMPLETE');

  // 1. The new engine version's package, not associated. 2. The upgrade, elsewhere. 3. The association moves to it.
  expect((await deploy(world, 'StackA', version(3, [plugin('Analyzer', '2.17'), plugin('Analyzer219', '2.19')], [adopted('Analyzer')]))).status).toBe('UPDATE_COMPLETE');
  world.upgradeDomainByHand('alpha-domain', 'OpenSearch_2.19');
  const successor = live(world, 'analyzer').find(p => p.EngineVersion === 'OpenSearch_2.19')!.PackageID!;
  const before = world.simulator.calls.length;
  expect((await deploy(world, 'StackA', version(4, [plugin('Analyzer219', '2.19')], [adopted('Analyzer219')]))).status).toBe('UPDATE_COMPLETE');
  expect(mutatingCalls(world, before).filter(call => /Associate|Dissociate/.test(call))).toEqual([]);
  expect(onDomain(world, 'alpha-domain')).toEqual([`${successor} ACTIVE`]);

  const removed = await deploy(world, 'StackA', version(5, [plugin('Analyzer219', '2.19')], []));

  expect(removed.status).toBe('UPDATE_COMPLETE');
  expect(onDomain(world, 'alpha-domain')).toEqual([`${successor} ACTIVE`]);
});

describe('4. time budgets', () => {
  const synonyms = on('Synonyms', 'alpha-domain', { imported: 'F100000001' });
  const stopwords = on('Stopwords', 'alpha-domain', { imported: 'F100000002' });

  test('a service slower than the timeout fails the update, and the rollback waits out the operation still in flight and undoes it', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', withTimeouts(version(1, [], [synonyms]), 2));

    const result = await deploy(world, 'StackA', withTimeouts(version(2, [], [synonyms, stopwords]), 2), { fault: { kind: 'slow service', timeoutSeconds: 2 } });

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reasons(result)).toContain('Timed out after 2 seconds');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
  });

  test('a throttling storm as long as the SDK\'s attempts is waited out on create', async () => {
    const world = await newWorld();

    const result = await deploy(world, 'StackA', version(1, [], [synonyms]), {
      storm: { operation: 'ListPackagesForDomain', phase: 'forward', ...LONG_THROTTLING },
      expectation: { outcome: 'complete', why: 'throttling is transient' },
    });

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual(['F100000001 ACTIVE']);
  }, STORM_TEST_TIMEOUT);

  test('the rollback of a failed create finishes under a throttling storm that outlasts the association\'s timeout', async () => {
    const world = await newWorld();

    const result = await deploy(world, 'StackA', withTimeouts(version(1, [], [synonyms]), 2), {
      fault: { kind: 'later resource fails' },
      storm: { operation: 'DissociatePackages', phase: 'rollback', ...LONG_THROTTLING },
    });

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual([]);
  }, STORM_TEST_TIMEOUT);

  test('a stack\'s deletion finishes under a throttling storm that outlasts the association\'s timeout', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', withTimeouts(version(1, [], [synonyms, stopwords]), 2));

    const result = await destroy(world, 'StackA', { storm: { operation: 'DissociatePackages', phase: 'delete', ...LONG_THROTTLING } });

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(onDomain(world, 'alpha-domain')).toEqual([]);
  }, STORM_TEST_TIMEOUT);

  test('with a timeout of one hour, the handler answers before the waiter gives up, on a clock that keeps pace with the scaled waiter', async () => {
    const overAnHour = { ms: 4000 * 1000 };
    const usualPace = { associationDuration: { polls: 1 }, dissociationDuration: { polls: 1 } };

    const { world, result } = await withScaledClock(INTERVAL_SCALE, async () => {
      // Created on the scaled clock, which the simulator reads from then on.
      const scaled = await newWorld();
      scaled.simulator.setOperationDurations({ associationDuration: overAnHour, dissociationDuration: overAnHour });
      const deployed = await deploy(scaled, 'StackA', withTimeouts(version(1, [], [synonyms]), 3600), {
        byHand: { phase: 'rollback', change: () => scaled.simulator.setOperationDurations(usualPace) },
      });
      return { world: scaled, result: deployed };
    });

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(reasons(result)).toContain('Timed out after 3480 seconds');
    expect(result.records.map(r => r.reason)).not.toContain('Operation timed out');
    expect(onDomain(world, 'alpha-domain')).toEqual([]);
  });
});

describe('5. the world changing underneath', () => {
  const synonyms = on('Synonyms', 'alpha-domain', { imported: 'F100000001' });
  const stopwords = on('Stopwords', 'alpha-domain', { imported: 'F100000003' });
  const elsewhere = on('Elsewhere', 'beta-domain', { imported: 'F100000002' });

  test('a domain deleted by hand, then its association removed from the stack: the update completes', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [], [synonyms, elsewhere]));
    world.deleteDomainByHand('alpha-domain');

    const result = await deploy(world, 'StackA', version(2, [], [elsewhere]), { expectation: { outcome: 'complete', why: 'nothing is left to do on a domain that is gone' } });

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(onDomain(world, 'beta-domain')).toEqual(['F100000002 ACTIVE']);
  });

  test('an association removed from the stack, then its domain deleted by hand before the failed update rolls back: the rollback completes', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [], [synonyms, stopwords, elsewhere]));

    const result = await deploy(world, 'StackA', version(2, [], [stopwords, elsewhere]), {
      fault: { kind: 'later resource fails' },
      byHand: { phase: 'rollback', change: () => world.deleteDomainByHand('alpha-domain') },
    });

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(onDomain(world, 'beta-domain')).toEqual(['F100000002 ACTIVE']);
  });

  test('a DeletePackage that ends DELETE_FAILED with the service\'s "Try again" is tried again: the stack\'s deletion completes', async () => {
    const world = await newWorld();
    await deploy(world, 'StackA', version(1, [dictionary('Synonyms', 'synonyms')], [on('SynonymsOn', 'alpha-domain', { custom: 'Synonyms' })]));

    const result = await destroy(world, 'StackA', { fault: { kind: 'deletion fails transiently' } });

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(live(world, 'synonyms')).toEqual([]);
    expect(world.simulator.consumedFaults.filter(f => f.kind === 'package failure')).toHaveLength(1);
  });
});
