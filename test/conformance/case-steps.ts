import { AppVersion, AssociationSpec, DomainKey, PackageSpec, Target } from './app-spec';
import { Expectation } from './expectations';
import { Fault, StepFaults } from './faults';
import { CheckedStep, violationsAfter } from './invariants';
import { ConformanceWorld, StackName, WorldOptions } from './world';
import { StackOperationResult } from '../local-deploy/stack-lifecycle';

/*
 * The vocabulary of the named cases: stack versions written out, and
 * deployments and deletions that check every invariant after each step.
 */

/** Creates worlds for a test file, each closed after its test. */
export function worldPerTest(): (options?: WorldOptions) => Promise<ConformanceWorld> {
  const worlds: ConformanceWorld[] = [];
  afterEach(async () => Promise.all(worlds.splice(0).map(world => world.close())));
  return async (options = {}) => {
    const world = await ConformanceWorld.create(options);
    worlds.push(world);
    return world;
  };
}

export function dictionary(id: string, name: string, content = 1, removal: PackageSpec['removal'] = 'DESTROY'): PackageSpec {
  return { id, name, content, type: 'TXT-DICTIONARY', removal };
}

export function on(id: string, domain: DomainKey, target: Target, extra: Partial<AssociationSpec> = {}): AssociationSpec {
  return { id, domain, target, prerequisites: [], keyStore: false, removal: 'DESTROY', adopt: false, ...extra };
}

/** A stack version: its packages and associations (and how it names domains), revision numbered by the caller. */
export function version(revision: number, packages: PackageSpec[], associations: AssociationSpec[], spellings: AppVersion['spellings'] = {}): AppVersion {
  return { packages, associations, spellings, retired: [], revision };
}

/** What a checked step may add to the invariants: the faults armed, what the change must come to, whether it changes nothing on the service. */
export interface StepChecks extends StepFaults {
  readonly expectation?: Expectation;
  readonly noServiceChange?: boolean;
}

/** Deploys and checks every invariant; returns the operation's result. */
export async function deploy(world: ConformanceWorld, stack: StackName, next: AppVersion, checks: StepChecks | Fault = {}): Promise<StackOperationResult> {
  const { fault, storm, byHand, expectation, noServiceChange } = 'kind' in checks ? { fault: checks } as StepChecks : checks;
  const outcome = await world.deploy(stack, next, { fault, storm, byHand });
  expectNoViolations(world, { description: `deploy ${stack} r${next.revision}`, outcome, fault, expectation, noServiceChange, attempted: next });
  return outcome.result;
}

/**
 * Deploys versions of several stacks at the same time and checks every
 * invariant after them (no expectation: which of two rival stacks wins is
 * the race's); returns the operations' results, in the order given.
 */
export async function deployAtOnce(world: ConformanceWorld, steps: ReadonlyArray<readonly [StackName, AppVersion]>): Promise<StackOperationResult[]> {
  const outcomes = await world.deployTogether(steps.map(([stack, next]) => ({ stack, version: next })));
  outcomes.forEach((outcome, i) => expectNoViolations(world, {
    description: `deploy ${outcome.stack} r${steps[i][1].revision} at the same time as others`,
    outcome,
    together: outcomes.filter(other => other !== outcome),
    attempted: steps[i][1],
  }));
  return outcomes.map(outcome => outcome.result);
}

/** Deletes the stack and checks every invariant (the deletion must complete); returns the operation's result. */
export async function destroy(world: ConformanceWorld, stack: StackName, faults: StepFaults = {}): Promise<StackOperationResult> {
  const outcome = await world.destroy(stack, faults);
  expectNoViolations(world, { description: `destroy ${stack}`, outcome, fault: faults.fault, expectation: { outcome: 'complete', why: 'a stack deletion' } });
  return outcome.result;
}

function expectNoViolations(world: ConformanceWorld, step: CheckedStep): void {
  expect(violationsAfter(world, step)).toEqual([]);
}

export const reasons = (result: { failures: Array<{ reason: string }> }) => result.failures.map(f => f.reason).join(' | ');

/** The domain's entries as `ID STATUS`. */
export const onDomain = (world: ConformanceWorld, domain: DomainKey) => world.onDomain(domain).map(e => `${e.PackageID} ${e.DomainPackageStatus}`);

/** The calls of an operation that changed something on the service (associations, dissociations, packages), as `Operation path`. */
export function mutatingCalls(world: ConformanceWorld, since: number): string[] {
  return world.simulator.calls.slice(since)
    .filter(call => /^(Associate|Dissociate|CreatePackage|UpdatePackage|DeletePackage)/.test(call.operation) && call.status === 200)
    .map(call => `${call.operation} ${call.path}`);
}
