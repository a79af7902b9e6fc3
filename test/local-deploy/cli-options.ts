import type { Duration } from '../simulator';

/** The lifecycle steps the CLI can run, in this order. */
export const CLI_STEPS = ['create', 'update', 'remove', 'delete'] as const;
/** One of {@link CLI_STEPS}. */
export type CliStep = typeof CLI_STEPS[number];

/** What the command line asked for. */
export interface CliOptions {
  readonly help: boolean;
  /** Synthesise the app in this directory (default: the repository, i.e. the example app). */
  readonly appDirectory?: string;
  /** Use this cloud assembly instead of synthesising. */
  readonly assemblyDirectory?: string;
  readonly stackName?: string;
  readonly context: Record<string, string>;
  /** Let ts-node type-check the app while synthesising (slower). */
  readonly typecheckApp: boolean;
  /** The engine version of the domains the app imports (names without creating them). */
  readonly importedEngineVersion: string;
  readonly associationDuration?: Duration;
  readonly dissociationDuration?: Duration;
  readonly oneOperationPerDomain: boolean;
  readonly failAssociation: string[];
  readonly failDissociation: string[];
  readonly inUse: string[];
  readonly throttle: number;
  readonly serverErrors: number;
  readonly intervalScale: number;
  readonly steps: CliStep[];
  readonly verbose: boolean;
}

/** The closing line of every local run: what it does not prove. */
export const NOT_PROVEN = 'local-deploy: not proven by a local run: the simulator models the package API\'s shapes, errors and state transitions, '
  + 'not the service\'s validation of package content, IAM beyond the stack\'s own policies, blue/green timing or quotas.';

/** The engine version the simulator gives a domain the app imports, unless --imported-engine-version says otherwise. */
export const DEFAULT_IMPORTED_ENGINE_VERSION = 'OpenSearch_2.19';

/** The usage text. */
export const USAGE = `Usage: npm run local-deploy -- [options]

Deploys a CDK app's stack locally, without an AWS account: a local player of
CloudFormation's lifecycle runs the stack's custom resources through the real
Provider framework and the library's bundled handler, against a local
simulator of the OpenSearch package API. Without --app or --assembly it
deploys this repository's example app (example/app.ts).

Your own app
  npm run local-deploy -- --app ~/src/my-cdk-app
  npm run local-deploy -- --assembly ~/src/my-cdk-app/cdk.out --stack SearchStack

  --app DIR runs \`npx cdk synth -q\` in DIR, which must hold the app's cdk.json,
  with cdk-opensearch-packages and aws-cdk installed there (npm install), so
  the run deploys the handler of the library version the app uses. A relative
  DIR is taken from the directory you ran npm in. --assembly DIR reads a cloud
  assembly you synthesised (\`cdk synth\`) instead.

Steps (--steps; default all, in this order)
  create   the synthesised template
  update   a source change: a CustomPackage's S3Key gets a new asset hash, so
           UpdatePackage, then the domains that hold the package get the new
           version in the same deployment (an app without a CustomPackage
           gets a version label bump of a package named by ID instead)
  remove   an association leaves the app: its domain's set takes it off the
           domain in the update phase, its own resource is deleted in the
           cleanup phase (or kept, if its removal policy says so)
  delete   the stack: associations before the packages they refer to

What the simulator holds before the create step
  - the packages AWS provides, for every OpenSearch version aws-cdk-lib names
    and any other the stack's domains use: the optional plugins analysis-nori,
    analysis-pinyin, analysis-stconvert, analysis-sudachi (OpenSearch 1.3 and
    later) and analysis-hanlp (2.11 and later), so awsPackageName resolves as
    on AWS (plugins AWS preinstalls, such as analysis-kuromoji, are not packages
    there either; see test/simulator/aws-provided-packages.ts);
  - a TXT-DICTIONARY package for each package ID the app names literally
    (created outside the stack); CustomPackages are created by the handler;
  - each domain the app names by a literal name but does not create (imported
    with Domain.fromDomainAttributes, for instance), at the engine version
    --imported-engine-version gives. A domain named by a token (a parameter,
    an import from another stack) is not known: its associations fail.
  The stack's own domains are created by the create step.

App
  --app DIR                  synthesise the app in DIR (npx cdk synth -q); default: the example app
  --assembly DIR             deploy an existing cloud assembly instead
  --stack NAME               the stack (default: the one stack with associations)
  --context KEY=VALUE        context for cdk synth (repeatable)
  --typecheck-app            let ts-node type-check the app while synthesising (slower; default: transpile only)
  --imported-engine-version VERSION
                             the engine version of the domains the app imports (default ${DEFAULT_IMPORTED_ENGINE_VERSION})
Simulator
  --association-polls N      ASSOCIATING lasts N ListPackagesForDomain polls (default 2)
  --association-ms N         ... or N milliseconds
  --dissociation-polls N     DISSOCIATING lasts N polls (default 2)
  --dissociation-ms N        ... or N milliseconds
  --no-conflicts             allow concurrent operations on a domain (default: ConflictException)
Faults
  --fail-association PKG     the next association of package PKG ends ASSOCIATION_FAILED (repeatable)
  --fail-dissociation PKG    the next dissociation of PKG ends DISSOCIATION_FAILED (repeatable)
  --in-use PKG               DissociatePackage of PKG is refused: an index uses it (repeatable)
  --throttle N               the next N ListPackagesForDomain calls answer ThrottlingException (429)
  --server-errors N          the next N ListPackagesForDomain calls answer InternalException (500)
Run
  --interval-scale X         multiply the waiter's query interval by X (default 0.01: 10 s -> 100 ms)
  --steps LIST               comma-separated, among create,update,remove,delete (default: all)
  --verbose                  print every handler and framework log line (ResponseURLs redacted)
  --help

Exit code: 0 when every step ended as it should, 1 when one did not (the log
says which and why) or the run failed, 2 for a mistake on the command line.

What a local run does not prove
  The simulator models the package API: its request and response shapes, its
  errors and its state transitions (package and association statuses, one
  operation per domain, engine upgrades). It does not model the real service's
  validation of package content (a dictionary's text, a plugin's zip and
  descriptor, its engine version), IAM beyond the policies of the stack itself
  (no account, SCP, permission boundary or KMS key policy is evaluated), the
  time a blue/green deployment takes, or the service's quotas.
`;

function integer(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a whole number, got ${JSON.stringify(text)}`);
  return value;
}

/** Reads the command line (without `node` and the script); throws on a mistake, with a message saying which. */
export function parseCliArguments(argv: readonly string[]): CliOptions {
  const options = {
    help: false,
    context: {} as Record<string, string>,
    typecheckApp: false,
    importedEngineVersion: DEFAULT_IMPORTED_ENGINE_VERSION,
    oneOperationPerDomain: true,
    failAssociation: [] as string[],
    failDissociation: [] as string[],
    inUse: [] as string[],
    throttle: 0,
    serverErrors: 0,
    intervalScale: 0.01,
    steps: [...CLI_STEPS] as CliStep[],
    verbose: false,
  } as { -readonly [K in keyof CliOptions]: CliOptions[K] };

  const args = [...argv];
  while (args.length > 0) {
    const flag = args.shift()!;
    const value = () => {
      const next = args.shift();
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--help': case '-h': options.help = true; break;
      case '--app': options.appDirectory = value(); break;
      case '--assembly': options.assemblyDirectory = value(); break;
      case '--stack': options.stackName = value(); break;
      case '--context': {
        const [key, ...rest] = value().split('=');
        if (rest.length === 0) throw new Error('--context needs KEY=VALUE');
        options.context[key] = rest.join('=');
        break;
      }
      case '--typecheck-app': options.typecheckApp = true; break;
      case '--imported-engine-version': {
        const version = value();
        if (!/^(OpenSearch|Elasticsearch)_\d+\.\d+$/.test(version)) throw new Error(`--imported-engine-version needs an engine version such as OpenSearch_2.19, got ${JSON.stringify(version)}`);
        options.importedEngineVersion = version;
        break;
      }
      case '--association-polls': options.associationDuration = { polls: integer(flag, value()) }; break;
      case '--association-ms': options.associationDuration = { ms: integer(flag, value()) }; break;
      case '--dissociation-polls': options.dissociationDuration = { polls: integer(flag, value()) }; break;
      case '--dissociation-ms': options.dissociationDuration = { ms: integer(flag, value()) }; break;
      case '--no-conflicts': options.oneOperationPerDomain = false; break;
      case '--fail-association': options.failAssociation.push(value()); break;
      case '--fail-dissociation': options.failDissociation.push(value()); break;
      case '--in-use': options.inUse.push(value()); break;
      case '--throttle': options.throttle = integer(flag, value()); break;
      case '--server-errors': options.serverErrors = integer(flag, value()); break;
      case '--interval-scale': {
        const scale = Number(value());
        if (!(scale > 0)) throw new Error('--interval-scale needs a positive number');
        options.intervalScale = scale;
        break;
      }
      case '--steps': {
        const steps = value().split(',').map(step => step.trim());
        const unknown = steps.filter(step => !(CLI_STEPS as readonly string[]).includes(step));
        if (unknown.length > 0) throw new Error(`--steps: unknown step(s) ${unknown.join(', ')}; use ${CLI_STEPS.join(',')}`);
        options.steps = CLI_STEPS.filter(step => steps.includes(step));
        break;
      }
      case '--verbose': options.verbose = true; break;
      default: throw new Error(`Unknown option ${flag}`);
    }
  }
  if (options.appDirectory && options.assemblyDirectory) throw new Error('Use --app or --assembly, not both');
  return options;
}
