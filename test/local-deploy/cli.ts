/**
 * The local deploy's command line: synthesises the example app (or another
 * app or assembly), starts the OpenSearch simulator and plays create, update,
 * replacing update and delete through the real Provider framework and the
 * bundled handler, printing a short progress log.
 *
 *   npm run local-deploy -- --help
 */
import * as path from 'path';
import { OpenSearchSimulator } from '../simulator';
import { CfnTemplate } from './cfn-template';
import { CliOptions, parseCliArguments, USAGE } from './cli-options';
import { CloudAssembly, customResourcesOf, readCloudAssembly, selectStack, StackArtifact, synthesizeApp } from './cloud-assembly';
import { callSummary, domainStateLines } from './domain-report';
import { LifecycleScenario, ScenarioStep } from './lifecycle-scenario';
import { redactResponseUrls } from './progress-log';

/** The custom resource type the local deploy is about. */
const ASSOCIATION_TYPE = 'Custom::OpenSearchPackageAssociation';
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

/** The package IDs the associations name as literals (PackageID and prerequisites). */
function packageIdsOf(template: CfnTemplate, associations: string[]): string[] {
  const ids = new Set<string>();
  for (const id of associations) {
    const props = template.Resources?.[id]?.Properties ?? {};
    if (typeof props.PackageID === 'string') ids.add(props.PackageID);
    const prerequisites = props.PrerequisitePackageIDList;
    if (Array.isArray(prerequisites)) prerequisites.filter((p): p is string => typeof p === 'string').forEach(p => ids.add(p));
  }
  return [...ids];
}

/** A package name for the simulator, from the logical id of the first association that names it. */
function packageNameFor(stack: StackArtifact, associations: string[], packageId: string): string {
  const owner = associations.find(id => stack.template.Resources?.[id]?.Properties?.PackageID === packageId);
  return (owner ?? `package-${packageId}`).replace(/[0-9A-F]{8}$/, '').toLowerCase();
}

async function run(options: CliOptions): Promise<number> {
  const started = Date.now();
  const assembly = await loadAssembly(options);
  const stack = selectStack(assembly, { stackName: options.stackName, resourceType: ASSOCIATION_TYPE });
  const associations = customResourcesOf(stack.template, ASSOCIATION_TYPE);
  say(`local-deploy: stack ${stack.stackName}: ${associations.length} ${ASSOCIATION_TYPE} (${associations.join(', ')})`);
  if (associations.length === 0) throw new Error(`Stack ${stack.stackName} has no ${ASSOCIATION_TYPE}`);

  const simulator = await OpenSearchSimulator.start({
    associationDuration: options.associationDuration,
    dissociationDuration: options.dissociationDuration,
    oneOperationPerDomain: options.oneOperationPerDomain,
  });
  try {
    const describe = (d: CliOptions['associationDuration']) => d ? ('polls' in d ? `${d.polls} polls` : `${d.ms} ms`) : '2 polls (default)';
    say(`local-deploy: simulator at ${simulator.endpoint}; ASSOCIATING lasts ${describe(options.associationDuration)}, `
      + `DISSOCIATING ${describe(options.dissociationDuration)}; ${options.oneOperationPerDomain ? 'one operation per domain (others: ConflictException)' : 'concurrent operations allowed'}`);
    const packageIds = [...new Set([...packageIdsOf(stack.template, associations), options.replacementPackageId])];
    for (const id of packageIds) simulator.addPackage({ id, name: packageNameFor(stack, associations, id) });
    say(`local-deploy: packages in the simulator: ${packageIds.join(', ')}`);
    if (options.throttle > 0) simulator.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429, message: 'Rate exceeded' }, options.throttle);
    if (options.serverErrors > 0) simulator.injectError('ListPackagesForDomain', { type: 'InternalException', status: 500, message: 'Internal error' }, options.serverErrors);
    if (options.throttle + options.serverErrors > 0) say(`local-deploy: injected ${options.throttle} throttling and ${options.serverErrors} server errors on ListPackagesForDomain`);

    const scenario = new LifecycleScenario({ simulator, stack, associations, options, say });
    let ok = true;
    for (const step of options.steps as ScenarioStep[]) ok = (await scenario.run(step)) && ok;

    say();
    say('== final package state');
    for (const domain of scenario.domainNames()) domainStateLines(simulator, domain, scenario.packagesAtDomainDeletion).forEach(line => say(line));
    say(`  simulator calls: ${callSummary(simulator)}`);
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
