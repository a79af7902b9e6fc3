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

/** The usage text. */
export const USAGE = `Usage: npm run local-deploy -- [options]

Deploys a CDK app locally against the OpenSearch simulator, playing
CloudFormation's lifecycle through the real Provider framework and the bundled
handler:
  create   the synthesised template
  update   a source change: a CustomPackage's S3Key gets a new asset hash, so
           UpdatePackage, then the domains that hold the package get the new
           version in the same deployment (an app without a CustomPackage
           gets a version label bump of a package named by ID instead)
  remove   an association leaves the app: its domain's set takes it off the
           domain in the update phase, its own resource is deleted in the
           cleanup phase (or kept, if its removal policy says so)
  delete   the stack: associations before the packages they refer to
Packages the app names by literal ID are seeded in the simulator;
CustomPackages are created by the handler.

App
  --app DIR                  synthesise the app in DIR (npx cdk synth -q); default: the example app
  --assembly DIR             deploy an existing cloud assembly instead
  --stack NAME               the stack (default: the one with the associations)
  --context KEY=VALUE        context for cdk synth (repeatable)
  --typecheck-app            let ts-node type-check the app while synthesising (slower; default: transpile only)
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
