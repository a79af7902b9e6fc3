import { addPackages, AssociationStack, makeScratch, removeScratch, synthesizeAssociationApp } from './association-app';
import { withOneResourcePerPackage } from './one-resource-per-package';
import { printTable, ratio } from './table';
import { scaledMs, TIME_SCALE, unscaledSeconds } from './time-scale';
import { CfnTemplate } from '../test/local-deploy/cfn-template';
import { LocalDeployment } from '../test/local-deploy/local-deployment';
import { OpenSearchSimulator } from '../test/simulator';

/**
 * Benchmark 4: several packages on one domain, under a simulator that
 * rejects a second package operation on a domain with ConflictException and
 * applies one AssociatePackages call as one domain operation. The library
 * (one resource per stack, one association call per domain) beside the
 * same packages with one resource each, chained (this library's previous
 * design) or all at once (naive); then a plugin with its licence and config,
 * each association a blue/green deployment.
 */
const COUNTS = [1, 3, 10];
/** A realistic association time for a dictionary, in unscaled seconds. */
const ASSOCIATION_SECONDS = 60;
/** A blue/green deployment of a small domain, in unscaled seconds. */
const BLUE_GREEN_SECONDS = 600;

/** One create of the stack, in unscaled seconds. */
interface Run {
  readonly seconds: number;
  /** The handler's "retrying after a transient error" lines for a ConflictException. */
  readonly conflicts: number;
  readonly associateCalls: number;
  readonly listCalls: number;
  readonly blueGreens: number;
}

type Design = 'library' | 'chained' | 'parallel';

function templateFor(app: AssociationStack, design: Design): CfnTemplate {
  return design === 'library' ? app.stack.template : withOneResourcePerPackage(app, design === 'chained');
}

async function deploy(app: AssociationStack, design: Design): Promise<Run> {
  const simulator = await OpenSearchSimulator.start({
    associationDuration: { ms: scaledMs(ASSOCIATION_SECONDS) },
    blueGreenDuration: { ms: scaledMs(BLUE_GREEN_SECONDS) },
    oneOperationPerDomain: true,
  });
  try {
    addPackages(simulator, app);
    const deployment = new LocalDeployment({ simulator, stack: app.stack, intervalScale: TIME_SCALE });
    const result = await deployment.deploy(templateFor(app, design));
    const domain = [...deployment.resources.values()].find(r => r.definition.Type === 'AWS::OpenSearchService::Domain')!.provisioned.physicalId;
    const active = simulator.domainPackages(domain).filter(p => p.DomainPackageStatus === 'ACTIVE').length;
    if (result.status !== 'CREATE_COMPLETE' || active !== app.packageIds.length) {
      throw new Error(`${design}, ${app.packageIds.length} packages: ${result.status}, ${active} ACTIVE; ${result.failures.map(f => f.reason).join('; ')}`);
    }
    return {
      seconds: unscaledSeconds(result.elapsedMs),
      conflicts: deployment.logs.filter(line => line.text.includes('retrying after a transient error') && line.text.includes('ConflictException')).length,
      associateCalls: simulator.callCount('AssociatePackages') + simulator.callCount('AssociatePackage'),
      listCalls: simulator.callCount('ListPackagesForDomain'),
      blueGreens: simulator.blueGreenDeployments(domain),
    };
  } finally {
    await simulator.stop();
  }
}

async function allDesigns(app: AssociationStack): Promise<Record<Design, Run>> {
  return { library: await deploy(app, 'library'), chained: await deploy(app, 'chained'), parallel: await deploy(app, 'parallel') };
}

export async function benchSeveralPackages(): Promise<void> {
  const scratch = makeScratch();
  const dictionaries: Array<Array<string | number>> = [];
  try {
    // A first, discarded deploy: the first one in a process runs cold.
    await deploy(synthesizeAssociationApp(scratch, 1), 'library');
    let single: number | undefined;
    for (const count of COUNTS) {
      const runs = await allDesigns(synthesizeAssociationApp(scratch, count));
      single ??= runs.library.seconds;
      dictionaries.push([
        count, runs.library.seconds.toFixed(1), runs.chained.seconds.toFixed(1), runs.parallel.seconds.toFixed(1),
        ratio(runs.library.seconds, single), ratio(runs.chained.seconds, runs.library.seconds), ratio(runs.parallel.seconds, runs.library.seconds),
        `${runs.library.conflicts} / ${runs.chained.conflicts} / ${runs.parallel.conflicts}`,
        `${runs.library.associateCalls} / ${runs.chained.associateCalls} / ${runs.parallel.associateCalls}`,
        `${runs.library.listCalls} / ${runs.chained.listCalls} / ${runs.parallel.listCalls}`,
      ]);
    }
    printTable(`4. Several dictionaries on one domain: local deploy time of the stack's create (unscaled s, time scale ${TIME_SCALE}), `
      + `each association ${ASSOCIATION_SECONDS} s on the service, one package operation per domain`,
    ['N', 'library s', 'chained s', 'parallel s', 'library / library N=1', 'chained / library', 'parallel / library',
      'Conflicts (lib / chained / parallel)', 'association calls', 'List calls'],
    dictionaries);

    const trio = await allDesigns(synthesizeAssociationApp(scratch, 3, true));
    printTable(`   A plugin, its licence and its config (prerequisite: the plugin), each association a blue/green deployment of ${BLUE_GREEN_SECONDS} s`,
      ['design', 'deploy s', 'blue/green deployments', 'Conflicts', 'association calls', 'vs library'],
      (['library', 'chained', 'parallel'] as const).map(design => [design, trio[design].seconds.toFixed(0), trio[design].blueGreens,
        trio[design].conflicts, trio[design].associateCalls, ratio(trio[design].seconds, trio.library.seconds)]));
  } finally {
    removeScratch(scratch);
  }
  console.log('   library: the synthesised template (one resource holds the stack\'s packages: one AssociatePackages call for a domain\'s new packages, AssociatePackage for one);');
  console.log('   chained: the same packages with one resource each, each DependsOn the previous one (this library\'s previous design);');
  console.log('   parallel: one resource each, all at once (naive). Conflicts: ConflictExceptions the handler retried (from its log).');
  console.log('   The simulator models one AssociatePackages call as one domain operation, a blue/green deployment when a plugin is in it');
  console.log('   (AWS does not document how many blue/green deployments a batch makes; README). Each run has a fresh simulator.');
}
