import { addPackages, AssociationStack, makeScratch, removeScratch, synthesizeAssociationApp } from './association-app';
import { withParallelAssociations } from './parallel-template';
import { printTable, ratio } from './table';
import { scaledMs, TIME_SCALE, unscaledSeconds } from './time-scale';
import { CfnTemplate } from '../test/local-deploy/cfn-template';
import { LocalDeployment } from '../test/local-deploy/local-deployment';
import { OpenSearchSimulator } from '../test/simulator';

/**
 * Benchmark 4: several dictionaries on one domain, under a simulator that
 * rejects a second package operation on a domain with ConflictException. The
 * library chains the associations of a domain with DependsOn; the naive
 * strategy is the same template without those DependsOn.
 */
const COUNTS = [1, 3, 10];
/** A realistic association time for a dictionary, in unscaled seconds. */
const ASSOCIATION_SECONDS = 60;

/** One create of the stack, in unscaled seconds. */
interface Run {
  readonly seconds: number;
  /** From the stack operation's start to the first association's Create (stand-ins, the provider's functions). */
  readonly beforeFirstAssociation: number;
  /** The handler's "retrying after a transient error" lines for a ConflictException. */
  readonly conflicts: number;
  readonly associateCalls: number;
  readonly listCalls: number;
}

async function deploy(app: AssociationStack, template: CfnTemplate): Promise<Run> {
  const simulator = await OpenSearchSimulator.start({ associationDuration: { ms: scaledMs(ASSOCIATION_SECONDS) }, oneOperationPerDomain: true });
  try {
    addPackages(simulator, app);
    const deployment = new LocalDeployment({ simulator, stack: app.stack, intervalScale: TIME_SCALE });
    const result = await deployment.deploy(template);
    const domain = [...deployment.resources.values()].find(r => r.definition.Type === 'AWS::OpenSearchService::Domain')!.provisioned.physicalId;
    const active = simulator.domainPackages(domain).filter(p => p.DomainPackageStatus === 'ACTIVE').length;
    if (result.status !== 'CREATE_COMPLETE' || active !== app.associations.length) {
      throw new Error(`${app.associations.length} associations: ${result.status}, ${active} ACTIVE; ${result.failures.map(f => f.reason).join('; ')}`);
    }
    const firstAssociation = Math.min(...result.timings.filter(t => app.associations.includes(t.logicalId)).map(t => t.startedAt));
    return {
      seconds: unscaledSeconds(result.elapsedMs),
      beforeFirstAssociation: unscaledSeconds(firstAssociation - result.startedAt),
      conflicts: deployment.logs.filter(line => line.text.includes('retrying after a transient error') && line.text.includes('ConflictException')).length,
      associateCalls: simulator.callCount('AssociatePackage'),
      listCalls: simulator.callCount('ListPackagesForDomain'),
    };
  } finally {
    await simulator.stop();
  }
}

export async function benchSeveralPackages(): Promise<void> {
  const scratch = makeScratch();
  const rows: Array<Array<string | number>> = [];
  const overheads: number[] = [];
  try {
    // A first, discarded deploy: the first one in a process runs cold (about 20 s unscaled slower at scale 0.05).
    const warmUp = synthesizeAssociationApp(scratch, 1);
    await deploy(warmUp, warmUp.stack.template);
    for (const count of COUNTS) {
      const app = synthesizeAssociationApp(scratch, count);
      const chained = await deploy(app, app.stack.template);
      const parallel = await deploy(app, withParallelAssociations(app.stack.template, app.associations));
      overheads.push(chained.beforeFirstAssociation, parallel.beforeFirstAssociation);
      rows.push([
        count, count * ASSOCIATION_SECONDS, chained.seconds.toFixed(1), parallel.seconds.toFixed(1), ratio(parallel.seconds, chained.seconds),
        chained.conflicts, parallel.conflicts,
        `${chained.associateCalls} / ${parallel.associateCalls} (${ratio(parallel.associateCalls, chained.associateCalls)})`,
        `${chained.listCalls} / ${parallel.listCalls} (${ratio(parallel.listCalls, chained.listCalls)})`,
      ]);
    }
  } finally {
    removeScratch(scratch);
  }
  printTable(`4. Several dictionaries on one domain: local deploy time of the stack's create (harness elapsedMs, unscaled s, time scale ${TIME_SCALE}),`
    + ` each association ${ASSOCIATION_SECONDS} s on the service, one package operation per domain`,
  ['N', `service s (N x ${ASSOCIATION_SECONDS})`, 'chained s (library)', 'parallel s (naive)', 'parallel / chained', 'chained Conflicts', 'parallel Conflicts',
    'AssociatePackage calls', 'List calls'],
  rows);
  console.log('   chained: the synthesised template (the construct makes each association on a domain DependsOn the previous one);');
  console.log('   parallel: the same template without the DependsOn between associations. Conflicts: ConflictExceptions the handler retried');
  console.log('   (from its log); the call columns read chained / parallel (parallel / chained). Each run has a fresh simulator; runs go one');
  console.log('   after another, after a discarded warm-up deploy (N=1).');
  console.log(`   Harness overhead included: ${Math.min(...overheads).toFixed(1)}-${Math.max(...overheads).toFixed(1)} s (unscaled) from the stack's start`
    + ' to the first association\'s Create (stand-ins, the provider\'s functions), plus each poll\'s drift (see 1).');
}
