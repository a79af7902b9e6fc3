/**
 * The local deploy's command line: synthesises the example app (or another
 * app or assembly), starts the OpenSearch simulator and plays create, a source
 * change of a CustomPackage (UpdatePackage, then re-association), the
 * removal of an association and delete through the real Provider framework
 * and the bundled handler, printing a short progress log.
 *
 *   npm run local-deploy -- --help
 */
import * as path from 'path';
import { OpenSearchSimulator } from '../simulator';
import { CliOptions, parseCliArguments, USAGE } from './cli-options';
import { CloudAssembly, readCloudAssembly, selectStack, StackArtifact, synthesizeApp } from './cloud-assembly';
import { callSummary, domainStateLines, regionPackageLines } from './domain-report';
import { LifecycleScenario, ScenarioStep } from './lifecycle-scenario';
import { redactResponseUrls } from './progress-log';
import { ASSOCIATION_TYPE, displayName, DOMAIN_PACKAGES_TYPE, literalPackageIds, PACKAGE_TYPE, resourcesOfType, withoutHash } from './template-queries';

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

function say(line = ''): void {
  console.log(redactResponseUrls(line));
}

async function loadAssembly(options: CliOptions): Promise<CloudAssembly> {
  if (options.assemblyDirectory) {
    say(`local-deploy: reading the cloud assembly in ${options.assemblyDirectory}`);
    return readCloudAssembly(path.resolve(options.assemblyDirectory));
  }
  const appDirectory = path.resolve(options.appDirectory ?? REPOSITORY_ROOT);
  const started = Date.now();
  const typecheck = options.typecheckApp ? '' : ', ts-node transpiling only (--typecheck-app to type-check)';
  say(`local-deploy: synthesising ${options.appDirectory ? appDirectory : 'the example app'} (npx cdk synth -q${typecheck}) ...`);
  const assembly = await synthesizeApp(appDirectory, { context: options.context, transpileOnly: !options.typecheckApp });
  say(`local-deploy: synthesised into ${assembly.directory} in ${Date.now() - started} ms`);
  return assembly;
}

/** The stack's packages and associations, one line per type, with the short names the progress log uses. */
function describeStack(stack: StackArtifact): void {
  for (const type of [PACKAGE_TYPE, DOMAIN_PACKAGES_TYPE, ASSOCIATION_TYPE]) {
    const ids = resourcesOfType(stack.template, type);
    const names = ids.map(id => displayName(stack.template, id) === withoutHash(id) ? id : `${displayName(stack.template, id)} (${id})`);
    say(`local-deploy: stack ${stack.stackName}: ${ids.length} ${type}${ids.length > 0 ? `: ${names.join(', ')}` : ''}`);
  }
}

/**
 * Adds to the simulator the packages the stack names by literal ID, as
 * packages created outside the stack; those of CustomPackages are created by
 * the handler. Returns their IDs.
 */
function seedPackages(simulator: OpenSearchSimulator, stack: StackArtifact): string[] {
  const ids = [...literalPackageIds(stack.template)];
  ids.forEach(id => simulator.addPackage({ id, name: `package-${id.toLowerCase()}` }));
  return ids;
}

async function run(options: CliOptions): Promise<number> {
  const started = Date.now();
  const assembly = await loadAssembly(options);
  const stack = selectStack(assembly, { stackName: options.stackName, resourceType: ASSOCIATION_TYPE });
  describeStack(stack);
  if (resourcesOfType(stack.template, ASSOCIATION_TYPE).length === 0) throw new Error(`Stack ${stack.stackName} has no ${ASSOCIATION_TYPE}`);

  const simulator = await OpenSearchSimulator.start({
    associationDuration: options.associationDuration,
    dissociationDuration: options.dissociationDuration,
    oneOperationPerDomain: options.oneOperationPerDomain,
  });
  try {
    const describe = (d: CliOptions['associationDuration']) => d ? ('polls' in d ? `${d.polls} polls` : `${d.ms} ms`) : '2 polls (default)';
    say(`local-deploy: simulator at ${simulator.endpoint}; ASSOCIATING lasts ${describe(options.associationDuration)}, `
      + `DISSOCIATING ${describe(options.dissociationDuration)}; ${options.oneOperationPerDomain ? 'one operation per domain (others: ConflictException)' : 'concurrent operations allowed'}`);
    const seeded = seedPackages(simulator, stack);
    say(`local-deploy: packages seeded in the simulator (named by literal ID): ${seeded.join(', ')}; CustomPackages are created by the handler`);
    if (options.throttle > 0) simulator.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429, message: 'Rate exceeded' }, options.throttle);
    if (options.serverErrors > 0) simulator.injectError('ListPackagesForDomain', { type: 'InternalException', status: 500, message: 'Internal error' }, options.serverErrors);
    if (options.throttle + options.serverErrors > 0) say(`local-deploy: injected ${options.throttle} throttling and ${options.serverErrors} server errors on ListPackagesForDomain`);

    const scenario = new LifecycleScenario({ simulator, stack, options, say });
    let ok = true;
    for (const step of options.steps as ScenarioStep[]) ok = (await scenario.run(step)) && ok;

    say();
    say('== final package state');
    say('  packages in the Region:');
    regionPackageLines(simulator.packages()).forEach(line => say(line));
    say(`  simulator calls: ${callSummary(simulator)}`);
    for (const domain of scenario.domainNames()) domainStateLines(simulator, domain, scenario.packagesAtDomainDeletion).forEach(line => say(line));
    say(`local-deploy: ${ok ? 'done' : 'done, with failures (see above)'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return ok ? 0 : 1;
  } finally {
    await simulator.stop();
  }
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`local-deploy: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  try {
    process.exitCode = await run(options);
  } catch (error) {
    console.error(redactResponseUrls(`local-deploy: ${(error as Error).stack ?? String(error)}`));
    process.exitCode = 1;
  }
}

void main();
