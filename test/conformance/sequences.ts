import * as fc from 'fast-check';
import { DOMAINS, IMPORTED_PACKAGES, Removal } from './app-spec';
import { applyEdit, Edit } from './edits';
import { injectedError, mustSucceed } from './expectations';
import { violationsAfter } from './invariants';
import { ConformanceWorld, Fault, StackName, STACKS, StepOutcome } from './world';

/*
 * Random sequences of stack versions, through the public API only: each
 * action deploys a new version of one of two stacks (one or two edits, with a
 * fault armed), deletes a stack, or associates a package with a domain by
 * hand. After every action the invariants are checked.
 */

export type Action =
  | { readonly kind: 'deploy'; readonly stack: StackName; readonly edits: readonly Edit[]; readonly fault: Fault }
  | { readonly kind: 'destroy'; readonly stack: StackName }
  | { readonly kind: 'associate by hand'; readonly domain: string; readonly pkg: number };

const domain = fc.constantFrom(...DOMAINS);
const removal = fc.constantFrom<Removal>('DESTROY', 'RETAIN', 'RETAIN_ON_UPDATE_OR_DELETE');
const index = fc.nat(9);

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('add imported association' as const), domain, pkg: fc.nat(2), removal, label: fc.option(fc.constantFrom('v1', 'v2'), { nil: undefined }), adopt: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add dictionary' as const), name: fc.nat(3), domain, removal, packageRemoval: fc.constantFrom<'DESTROY' | 'RETAIN'>('DESTROY', 'RETAIN') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add plugin with licence' as const), name: fc.nat(1), domain, engine: fc.constantFrom<'2.17' | '2.19'>('2.17', '2.19') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove association' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove package' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename association' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move association' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set label' as const), index, label: fc.constantFrom('v1', 'v2', 'v3') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle prerequisite' as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle key store' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set association removal' as const), index, removal }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set timeout' as const), index, seconds: fc.constantFrom(300, 900, 1800) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle adopt' as const), index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit file' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename package' as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('change package type' as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('change engine version' as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set package removal' as const), index, removal: fc.constantFrom<'DESTROY' | 'RETAIN'>('DESTROY', 'RETAIN') }) },
);

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('association fails' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('validation fails' as const), index }) },
  { weight: 2, arbitrary: fc.record({
    kind: fc.constant('storm' as const),
    operation: fc.constantFrom('ListPackagesForDomain', 'AssociatePackages', 'DissociatePackages', 'DescribePackages', 'GetPackageVersionHistory' as const),
    error: fc.constantFrom('ThrottlingException', 'InternalException' as const),
    times: fc.integer({ min: 1, max: 5 }),
  }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'later resource fails' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('in use' as const), index }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'waiter start fails' as const }) },
);

export const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('deploy' as const), stack: fc.constantFrom(...STACKS), edits: fc.array(edit, { minLength: 1, maxLength: 2 }), fault }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('destroy' as const), stack: fc.constantFrom(...STACKS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('associate by hand' as const), domain, pkg: fc.nat(2) }) },
);

/** Runs the actions in a fresh world; returns a line per step, and throws at the first violation with the steps so far. */
export async function play(actions: readonly Action[]): Promise<string[]> {
  const world = await ConformanceWorld.create();
  const log: string[] = [];
  try {
    for (const next of actions) {
      const firstCall = world.simulator.calls.length;
      const step = await perform(world, next);
      if (!step) continue;
      log.push(`${step.description} -> ${step.outcome.result.status}`);
      const violations = violationsAfter(world, step, firstCall);
      if (violations.length > 0) {
        const requests = step.outcome.result.records.map(r => `${r.phase} ${r.resourceType} ${r.logicalId} ${r.requestType} ${r.status}${r.reason ? `: ${r.reason.split('\n')[0]}` : ''}`);
        throw new Error(`After ${log.length} steps:\n  ${log.join('\n  ')}\nViolations:\n  ${violations.join('\n  ')}\nThe last step's requests:\n  ${requests.join('\n  ')}`);
      }
    }
    return log;
  } finally {
    await world.close();
  }
}

async function perform(world: ConformanceWorld, next: Action): Promise<(Parameters<typeof violationsAfter>[1]) | undefined> {
  switch (next.kind) {
    case 'associate by hand': {
      const packageId = IMPORTED_PACKAGES[next.pkg % IMPORTED_PACKAGES.length];
      if (world.simulator.domainPackages(next.domain).some(e => e.PackageID === packageId)) return undefined;
      world.associateByHand(next.domain, packageId);
      return undefined;
    }
    case 'destroy': {
      if (!world.deployed.has(next.stack)) return undefined;
      const outcome: StepOutcome = await world.destroy(next.stack);
      return { description: `destroy ${next.stack}`, outcome, mustSucceed: true };
    }
    case 'deploy': {
      const edited = next.edits.reduce((v, e) => applyEdit(v, e) ?? v, world.versionOf(next.stack));
      const version = { ...edited, revision: world.versionOf(next.stack).revision + 1 };
      const expected = mustSucceed(world, next.stack, version, next.fault);
      const outcome = await world.deploy(next.stack, version, next.fault);
      const description = `deploy ${next.stack} r${version.revision} [${next.edits.map(e => e.kind).join(', ')}] fault ${next.fault.kind}`;
      return { description, outcome, mustSucceed: expected === true, injected: injectedError(next.fault, version) };
    }
  }
}
