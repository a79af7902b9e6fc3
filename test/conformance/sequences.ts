import * as fc from 'fast-check';
import {
  AppVersion, AWS_PACKAGES, awsPackageId, AssociationSpec, DomainKey, DOMAINS, DomainSpelling, IMPORTED_PACKAGES, NEAR_DOMAINS, Removal,
} from './app-spec';
import { applyEdit, Edit, NO_SERVICE_CHANGE, withTimeouts } from './edits';
import { destroyExpectation, expectationOf } from './expectations';
import { Fault, SDK_ATTEMPTS, Storm, StormOperation, StormPhase } from './faults';
import { violationsAfter, CheckedStep } from './invariants';
import { placementsOf } from './ledger';
import { BATCH_REFUSING_DOMAIN, ConformanceWorld, MAX_SLOW_TIMEOUT_SECONDS, StackName, STACKS } from './world';

/*
 * Random scenarios: a world (whether a domain refuses the batch calls) and a
 * sequence of actions, through the public API only. An action deploys a new
 * version of one stack (one or two edits, a fault and a storm armed),
 * deploys new versions of both stacks at the same time, deletes a stack, or
 * changes the world by hand (an association made or taken off, a package
 * deleted or given a new version, a domain deleted). After every stack
 * operation the invariants are checked.
 */

/** A change made by hand between two steps. `pkg` and `index` pick among what exists (modulo its number). */
export type HandChange =
  | { readonly kind: 'associate'; readonly domain: DomainKey; readonly pkg: number }
  | { readonly kind: 'dissociate'; readonly index: number }
  | { readonly kind: 'delete package'; readonly index: number }
  | { readonly kind: 'update package'; readonly index: number }
  | { readonly kind: 'delete domain'; readonly domain: DomainKey };

/** What two stacks deployed at the same time both add: nothing more, one association (I7), or a package of one name (I7). */
export type Shared =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'association'; readonly domain: DomainKey; readonly pkg: number; readonly adopt: readonly [boolean, boolean] }
  | { readonly kind: 'package name'; readonly name: number };

export type Action =
  | { readonly kind: 'deploy'; readonly stack: StackName; readonly edits: readonly Edit[]; readonly fault: Fault; readonly storm?: Storm }
  | { readonly kind: 'deploy both'; readonly edits: readonly [readonly Edit[], readonly Edit[]]; readonly shared: Shared; readonly storm?: Storm }
  | { readonly kind: 'destroy'; readonly stack: StackName; readonly storm?: Storm; readonly deletionFailsTransiently: boolean }
  | { readonly kind: 'by hand'; readonly change: HandChange };

/** A world and what happens in it. */
export interface Scenario {
  /** Whether beta-domain refuses AssociatePackages and DissociatePackages (issue 19). */
  readonly refuseBatchCalls: boolean;
  readonly actions: readonly Action[];
}

const domain = fc.constantFrom<DomainKey>(...DOMAINS);
const nearDomain = fc.constantFrom<DomainKey>(...NEAR_DOMAINS);
const removal = fc.constantFrom<Removal>('DESTROY', 'RETAIN', 'RETAIN_ON_UPDATE_OR_DELETE');
const index = fc.nat(9);
/** The packages a domain can hold that exist outside the stacks: dictionaries made by hand, plugins AWS provides. */
const OUTSIDE_PACKAGES = [...IMPORTED_PACKAGES, ...AWS_PACKAGES.map(awsPackageId)];

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add imported association' as const), domain, pkg: fc.nat(2), removal, label: fc.option(fc.constantFrom('v1', 'v2'), { nil: undefined }), adopt: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add aws association' as const), domain, pkg: fc.nat(1), byName: fc.boolean(), removal, adopt: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add dictionary' as const), name: fc.nat(3), domain: nearDomain, removal, packageRemoval: fc.constantFrom<'DESTROY' | 'RETAIN'>('DESTROY', 'RETAIN') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add plugin with licence' as const), name: fc.nat(1), domain: nearDomain, engine: fc.constantFrom<'2.17' | '2.19'>('2.17', '2.19') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove association' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove package' as const), index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('redeclare retired' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename association' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move association' as const), index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('respell package' as const), index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('respell domain' as const), domain, spelling: fc.constantFrom<DomainSpelling>('literal', 'parameter', 'import') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set label' as const), index, label: fc.constantFrom('v1', 'v2', 'v3') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle prerequisite' as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle key store' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set association removal' as const), index, removal }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set timeout' as const), index, seconds: fc.constantFrom(300, 900, 3600) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle adopt' as const), index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit file' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename package' as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('change package type' as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('change engine version' as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set package removal' as const), index, removal: fc.constantFrom<'DESTROY' | 'RETAIN'>('DESTROY', 'RETAIN') }) },
);
const edits = fc.array(edit, { minLength: 1, maxLength: 2 });

const STORM_OPERATIONS: readonly StormOperation[] = [
  'ListPackagesForDomain', 'AssociatePackages', 'DissociatePackages', 'AssociatePackage', 'DissociatePackage', 'DescribePackages', 'DescribeDomain',
  'GetPackageVersionHistory', 'CreatePackage', 'UpdatePackage', 'DeletePackage', 'ListDomainsForPackage', 'ListStackResources',
];

/**
 * A storm in a phase: as often absorbed by the SDK's own attempts as longer
 * than them (the handler's retries then run). The SDK retries a server error
 * after about 25 ms, doubling; throttling after about 0.5 s, doubling: one
 * throttled call costs half a second of real time, a throttling storm that
 * outlasts the SDK's attempts some 15 s, so the bounded run draws only the
 * former and the long run both.
 */
function storm(phases: readonly StormPhase[], options: ScenarioOptions): fc.Arbitrary<Storm> {
  const long = options.long ?? false;
  return fc.record({
    operation: fc.constantFrom(...STORM_OPERATIONS),
    phase: fc.constantFrom(...phases),
  }).chain(({ operation, phase }) => fc.oneof(
    { weight: 8, arbitrary: fc.record({ error: fc.constant('InternalException' as const), times: fc.integer({ min: 1, max: 2 * SDK_ATTEMPTS }) }) },
    { weight: 2, arbitrary: fc.record({ error: fc.constant('ThrottlingException' as const), times: fc.integer({ min: 1, max: long ? 2 : 1 }) }) },
    { weight: long ? 1 : 0, arbitrary: fc.record({ error: fc.constant('ThrottlingException' as const), times: fc.constant(SDK_ATTEMPTS) }) },
  ).map(({ error, times }) => ({ operation, phase, error, times })));
}
/** A storm in three operations out of ten. */
const maybeStorm = (phases: readonly StormPhase[], options: ScenarioOptions) => fc.oneof(
  { weight: 7, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: storm(phases, options) },
);

/**
 * A fault of a deployment. A service slower than the timeout costs some
 * four times the timeout of real time (the forward phase waits it out, the
 * rollback what is still in flight): the bounded run draws a timeout of one
 * second, the long run of one or two.
 */
function fault(options: ScenarioOptions): fc.Arbitrary<Fault> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('association fails' as const), index }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('validation fails' as const), index }) },
    { weight: 3, arbitrary: fc.constant({ kind: 'later resource fails' as const }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('in use' as const), index }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'waiter start fails' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('slow service' as const), timeoutSeconds: fc.integer({ min: 1, max: options.long ? MAX_SLOW_TIMEOUT_SECONDS : 1 }) }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'deletion fails transiently' as const }) },
  );
}

const handChange: fc.Arbitrary<HandChange> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('associate' as const), domain, pkg: fc.nat(OUTSIDE_PACKAGES.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('dissociate' as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete package' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('update package' as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete domain' as const), domain }) },
);

const shared: fc.Arbitrary<Shared> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'nothing' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('association' as const), domain, pkg: fc.nat(2), adopt: fc.tuple(fc.boolean(), fc.boolean()) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('package name' as const), name: fc.nat(3) }) },
);

/** How much real time the generator may spend on a scenario's slowest dimensions. */
export interface ScenarioOptions {
  /**
   * The long run: storms of throttling that outlast the SDK's attempts (each costs some 15 s of real time), and
   * services slower than timeouts of up to MAX_SLOW_TIMEOUT_SECONDS. Default false: the bounded run of `npm test`.
   */
  readonly long?: boolean;
}

/** One action: a deployment, two at once, a deletion, or a change by hand. */
export function action(options: ScenarioOptions = {}): fc.Arbitrary<Action> {
  return fc.oneof(
    {
      weight: 14,
      arbitrary: fc.record({ kind: fc.constant('deploy' as const), stack: fc.constantFrom(...STACKS), edits, fault: fault(options), storm: maybeStorm(['forward', 'rollback', 'cleanup'], options) })
        // A slow service and a storm at once would leave no timeout to measure the storm against.
        .map(a => (a.fault.kind === 'slow service' ? { ...a, storm: undefined } : a)),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('deploy both' as const), edits: fc.tuple(edits, edits), shared, storm: maybeStorm(['forward'], options) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('destroy' as const), stack: fc.constantFrom(...STACKS), storm: maybeStorm(['delete'], options), deletionFailsTransiently: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('by hand' as const), change: handChange }) },
  );
}

/** Scenarios of `min` to `max` actions. */
export function scenario(min: number, max: number, options: ScenarioOptions = {}): fc.Arbitrary<Scenario> {
  return fc.record({ refuseBatchCalls: fc.boolean(), actions: fc.array(action(options), { minLength: min, maxLength: max }) });
}

/** What a played scenario did: one line per stack operation. */
export interface Played {
  readonly steps: string[];
}

/** Plays the scenario in a fresh world; throws at the first violation, with the steps so far. */
export async function play(played: Scenario, onStep: (line: string) => void = () => undefined): Promise<Played> {
  const world = await ConformanceWorld.create({ refuseBatchCalls: played.refuseBatchCalls });
  const steps: string[] = [];
  const check = (step: CheckedStep) => {
    const line = `${step.description} -> ${step.outcome.result.status}`;
    steps.push(line);
    onStep(line);
    const violations = violationsAfter(world, step);
    if (violations.length === 0) return;
    const requests = step.outcome.result.records.map(r => `${r.phase} ${r.resourceType} ${r.logicalId} ${r.requestType} ${r.status}${r.reason ? `: ${r.reason.split('\n')[0]}` : ''}`);
    const refusing = world.refusesBatchCalls ? ` (${BATCH_REFUSING_DOMAIN} refuses the batch calls)` : '';
    throw new Error(`After ${steps.length} steps${refusing}:\n  ${steps.join('\n  ')}\nViolations:\n  ${violations.join('\n  ')}\nThe last step's requests:\n  ${requests.join('\n  ')}`);
  };
  try {
    const player = new Player(world, check);
    for (const next of played.actions) await player.perform(next);
    return { steps };
  } finally {
    await world.close();
  }
}

/** Turns actions into stack operations and changes by hand, and knows which steps change nothing the service sees. */
class Player {
  /** Stacks whose world changed by hand since their last step: a step of theirs may need service calls to catch up. */
  private readonly changedByHand = new Set<StackName>();

  public constructor(private readonly world: ConformanceWorld, private readonly check: (step: CheckedStep) => void) {}

  /** Plays the action, checking each stack operation as it ends. */
  public async perform(next: Action): Promise<void> {
    switch (next.kind) {
      case 'by hand':
        if (this.changeByHand(next.change)) STACKS.forEach(stack => this.changedByHand.add(stack));
        return;
      case 'destroy': {
        if (!this.world.deployed.has(next.stack)) return;
        const fault: Fault = next.deletionFailsTransiently ? { kind: 'deletion fails transiently' } : { kind: 'none' };
        const outcome = await this.world.destroy(next.stack, { fault, storm: next.storm });
        this.changedByHand.delete(next.stack);
        const description = `destroy ${next.stack}${describeStorm(next.storm)}${next.deletionFailsTransiently ? ', DeletePackage fails with "Try again" once' : ''}`;
        this.check({ description, outcome, fault, expectation: destroyExpectation(this.world, next.stack) });
        return;
      }
      case 'deploy': {
        if (next.fault.kind === 'slow service') await this.setTimeouts(next.stack, next.fault.timeoutSeconds);
        const { version, unchanged } = this.nextVersion(next.stack, next.edits, next.fault.kind === 'slow service');
        const deployed = next.fault.kind === 'slow service' ? withTimeouts(version, next.fault.timeoutSeconds) : version;
        const expectation = expectationOf(this.world, next.stack, deployed);
        const noServiceChange = unchanged && this.caughtUp(next.stack) && (next.fault.kind === 'none' || next.fault.kind === 'deletion fails transiently');
        const outcome = await this.world.deploy(next.stack, deployed, { fault: next.fault, storm: next.storm });
        this.changedByHand.delete(next.stack);
        const description = `deploy ${next.stack} r${deployed.revision} [${next.edits.map(e => e.kind).join(', ')}] fault ${describeFault(next.fault)}${describeStorm(next.storm)}`;
        this.check({ description, outcome, expectation, fault: next.fault, noServiceChange, attempted: deployed });
        return;
      }
      case 'deploy both': {
        const versions = STACKS.map((stack, i) => withShared(this.nextVersion(stack, next.edits[i]).version, next.shared, i));
        const expectations = STACKS.map((stack, i) => expectationOf(this.world, stack, versions[i], [versions[1 - i]]));
        const outcomes = await this.world.deployTogether(STACKS.map((stack, i) => ({ stack, version: versions[i], faults: { storm: next.storm } })));
        STACKS.forEach(stack => this.changedByHand.delete(stack));
        STACKS.forEach((stack, i) => this.check({
          description: `deploy ${stack} r${versions[i].revision} [${next.edits[i].map(e => e.kind).join(', ')}${describeShared(next.shared)}] at the same time as ${STACKS[1 - i]}${describeStorm(next.storm)}`,
          outcome: outcomes[i],
          expectation: expectations[i],
          together: outcomes.filter((_, j) => j !== i),
          attempted: versions[i],
        }));
      }
    }
  }

  /**
   * Before a service slower than the timeout: the stack's associations get
   * that timeout in a deployment of their own (which changes nothing on the
   * service), so that the rollback of the slow step has the same budget.
   */
  private async setTimeouts(stack: StackName, seconds: number): Promise<void> {
    const current = this.world.versionOf(stack);
    if (!this.world.deployed.has(stack) || current.associations.every(a => a.timeoutSeconds === seconds)) return;
    const next = { ...withTimeouts(current, seconds), revision: current.revision + 1 };
    const expectation = expectationOf(this.world, stack, next);
    const noServiceChange = this.caughtUp(stack);
    const outcome = await this.world.deploy(stack, next);
    this.changedByHand.delete(stack);
    this.check({ description: `deploy ${stack} r${next.revision} [set timeouts to ${seconds} s]`, outcome, expectation, noServiceChange, attempted: next });
  }

  /**
   * The stack's next version after the edits, and whether it changes nothing
   * the service sees: every edit that applied changes only representation or
   * removal, over a version the stack holds. A timeout a slow service needed
   * goes back to the default first, unless the service is slow again.
   */
  private nextVersion(stack: StackName, edits: readonly Edit[], keepTimeouts = false): { version: AppVersion; unchanged: boolean } {
    const current = this.world.versionOf(stack);
    const short = (a: AssociationSpec) => !keepTimeouts && (a.timeoutSeconds ?? Infinity) <= MAX_SLOW_TIMEOUT_SECONDS;
    const start: AppVersion = { ...current, associations: current.associations.map(a => (short(a) ? { ...a, timeoutSeconds: undefined } : a)) };
    let unchanged = this.world.deployed.has(stack);
    const version = edits.reduce((v, e) => {
      const next = applyEdit(v, e);
      if (next && !NO_SERVICE_CHANGE.has(e.kind)) unchanged = false;
      return next ?? v;
    }, start);
    return { version: { ...version, revision: current.revision + 1 }, unchanged };
  }

  /**
   * Whether the stack's last operation completed, nothing changed by hand
   * since, no other stack declares one of its associations (and may have
   * applied another configuration to it), and every one of them is on its
   * domain (another stack's removal of a prerequisite takes its dependents
   * with it, which the stack's next update puts back).
   */
  private caughtUp(stack: StackName): boolean {
    const last = [...this.world.history].reverse().find(outcome => outcome.stack === stack);
    const placements = [...placementsOf(this.world.deployed.get(stack)).keys()];
    const onDomains = this.world.placementsOnDomains();
    const shared = placements.some(where => this.world.declaredBy(where, stack));
    return last?.applied === true && !this.changedByHand.has(stack) && !shared && placements.every(where => onDomains.has(where));
  }

  /** Makes the change by hand if it applies to the world as it is; returns whether it did. */
  private changeByHand(change: HandChange): boolean {
    const { world } = this;
    const { deletedDomains, deletedPackages } = world.outOfBand;
    switch (change.kind) {
      case 'associate': {
        const packageId = OUTSIDE_PACKAGES[change.pkg];
        const there = world.onDomain(change.domain).some(e => e.PackageID === packageId);
        if (deletedDomains.has(change.domain) || deletedPackages.has(packageId) || there) return false;
        world.associateByHand(change.domain, packageId);
        return true;
      }
      case 'dissociate': {
        const entries = DOMAINS.flatMap(key => world.onDomain(key).filter(e => e.DomainPackageStatus === 'ACTIVE').map(e => [key, e.PackageID!] as const));
        const picked = entries[change.index % Math.max(entries.length, 1)];
        if (!picked) return false;
        world.dissociateByHand(...picked);
        return true;
      }
      case 'delete package':
      case 'update package': {
        const candidates = world.simulator.packages().filter(p => p.PackageStatus === 'AVAILABLE' && p.PackageOwner !== 'AWS');
        const picked = candidates[change.index % Math.max(candidates.length, 1)];
        if (!picked) return false;
        if (change.kind === 'delete package') world.deletePackageByHand(picked.PackageID!);
        else world.updatePackageByHand(picked.PackageID!);
        return true;
      }
      case 'delete domain':
        if (deletedDomains.has(change.domain)) return false;
        world.deleteDomainByHand(change.domain);
        return true;
    }
  }
}

/** The version with what both stacks add at the same time. */
function withShared(version: AppVersion, shared: Shared, stackIndex: number): AppVersion {
  switch (shared.kind) {
    case 'nothing': return version;
    case 'association': {
      const target = { imported: IMPORTED_PACKAGES[shared.pkg % IMPORTED_PACKAGES.length] };
      if (version.associations.some(a => a.domain === shared.domain && 'imported' in a.target && a.target.imported === target.imported)) return version;
      const added: AssociationSpec = { id: 'Shared', domain: shared.domain, target, prerequisites: [], keyStore: false, removal: 'DESTROY', adopt: shared.adopt[stackIndex] };
      return version.associations.some(a => a.id === added.id) ? version : { ...version, associations: [...version.associations, added] };
    }
    case 'package name': {
      const name = `dictionary-${shared.name}`;
      if (version.packages.some(p => p.name === name || p.id === 'SharedName')) return version;
      return {
        ...version,
        packages: [...version.packages, { id: 'SharedName', name, content: 1, type: 'TXT-DICTIONARY', removal: 'DESTROY' }],
        associations: [...version.associations, { id: 'SharedNameOn', domain: NEAR_DOMAINS[0], target: { custom: 'SharedName' }, prerequisites: [], keyStore: false, removal: 'DESTROY', adopt: false }],
      };
    }
  }
}

function describeFault(fault: Fault): string {
  return fault.kind === 'slow service' ? `slow service (timeout ${fault.timeoutSeconds} s)` : fault.kind;
}

function describeStorm(storm: Storm | undefined): string {
  return storm ? `, ${storm.times} ${storm.error} on ${storm.operation} in the ${storm.phase} phase` : '';
}

function describeShared(shared: Shared): string {
  switch (shared.kind) {
    case 'nothing': return '';
    case 'association': return `, both add ${shared.domain} ${IMPORTED_PACKAGES[shared.pkg % IMPORTED_PACKAGES.length]}`;
    case 'package name': return `, both add package dictionary-${shared.name}`;
  }
}
