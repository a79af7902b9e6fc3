/**
 * The local deploy's command line: synthesises the example app (or the user's
 * own app, or reads an assembly), starts the OpenSearch simulator with what
 * the app expects to find in its account (see app-seeding.ts) and plays
 * create, a source change of a CustomPackage (UpdatePackage, then
 * re-association), the removal of an association and delete through the real
 * Provider framework and the bundled handler, printing a short progress log
 * and, last, what a local run does not prove.
 *
 *   npm run local-deploy -- --help
 */
import * as path from 'path';
import { OpenSearchSimulator } from '../simulator';
import { seedSimulator } from './app-seeding';
import { CliOptions, NOT_PROVEN, parseCliArguments, USAGE } from './cli-options';
import { CloudAssembly, readCloudAssembly, selectStack, StackArtifact, synthesizeApp } from './cloud-assembly';
import { callSummary, domainStateLines, regionPackageLines } from './domain-report';
import { LifecycleScenario, ScenarioStep } from './lifecycle-scenario';
import { redactResponseUrls } from './progress-log';
import { ASSOCIATION_TYPE, displayName, DOMAIN_PACKAGES_TYPE, PACKAGE_TYPE, resourcesOfType, withoutHash } from './template-queries';

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

/** A directory from the command line: relative to where the user ran npm (npm runs scripts in the repository root). */
function userPath(directory: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), directory);
}

function say(line = ''): void {
  console.log(redactResponseUrls(line));
}

async function loadAssembly(options: CliOptions): Promise<CloudAssembly> {
  if (options.assemblyDirectory) {
    const directory = userPath(options.assemblyDirectory);
    say(`local-deploy: reading the cloud assembly in ${directory}`);
    return readCloudAssembly(directory);
  }
  const appDirectory = options.appDirectory ? userPath(options.appDirectory) : REPOSITORY_ROOT;
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
    const seeded = seedSimulator(simulator, stack.template, { importedEngineVersion: options.importedEngineVersion });
    const versions = seeded.engineVersions.map(version => version.replace(/^OpenSearch_/, ''));
    say(`local-deploy: AWS-provided packages in the simulator: ${seeded.awsProvidedNames.join(', ')}, for OpenSearch ${versions.join(', ')}`);
    say(`local-deploy: packages the app names by ID, added as created outside the stack: ${seeded.packageIds.join(', ') || 'none'}; CustomPackages are created by the handler`);
    if (seeded.importedDomains.length > 0) say(`local-deploy: domains the app imports, added at ${options.importedEngineVersion}: ${seeded.importedDomains.join(', ')}`);
    if (options.throttle > 0) simulator.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429, message: 'Rate exceeded' }, options.throttle);
    if (options.serverErrors > 0) simulator.injectError('ListPackagesForDomain', { type: 'InternalException', status: 500, message: 'Internal error' }, options.serverErrors);
    if (options.throttle + options.serverErrors > 0) say(`local-deploy: injected ${options.throttle} throttling and ${options.serverErrors} server errors on ListPackagesForDomain`);

    const scenario = new LifecycleScenario({ simulator, stack, options, say });
    let ok = true;
    for (const step of options.steps as ScenarioStep[]) ok = (await scenario.run(step)) && ok;

    say();
    say('== final package state');
    say('  packages in the Region (without the AWS-provided ones):');
    regionPackageLines(simulator.packages().filter(p => !seeded.awsProvidedIds.has(p.PackageID ?? ''))).forEach(line => say(line));
    say(`  simulator calls: ${callSummary(simulator)}`);
    for (const domain of scenario.domainNames()) domainStateLines(simulator, domain, scenario.packagesAtDomainDeletion).forEach(line => say(line));
    say(`local-deploy: ${ok ? 'done' : 'done, with failures (see above)'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return ok ? 0 : 1;
  } finally {
    await simulator.stop();
  }
}

/**
 * Runs the command line (without `node` and the script) and returns the exit
 * code: 0 when every step ended as it should, 1 when one did not or the run
 * failed, 2 for a mistake on the command line.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArguments(argv);
  } catch (error) {
    console.error(`local-deploy: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  let code: number;
  try {
    code = await run(options);
  } catch (error) {
    console.error(redactResponseUrls(`local-deploy: ${(error as Error).stack ?? String(error)}`));
    code = 1;
  }
  say(NOT_PROVEN);
  return code;
}

if (require.main === module) void main(process.argv.slice(2)).then(code => { process.exitCode = code; });
