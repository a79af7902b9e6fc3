import { AppVersion, AssociationSpec, DOMAIN_ENGINE_VERSION, domainRegion, REGION, Target, targetPackageId } from './app-spec';
import { sameTarget } from './edits';
import type { Fault } from './faults';
import { INJECTED_ERROR_TYPE, inUseMessage, LATER_FAILURE } from './injected-errors';
import { placement, Placement, placementParts, placementsOf } from './ledger';
import type { ConformanceWorld, StackName, StepOutcome } from './world';

/*
 * What a step must do. Before it runs: whether the change it makes must
 * complete, must be refused, or may go either way (the model does not follow
 * exactly what the world holds). After it runs: whether an armed fault that
 * is not transient hit something, in which case the step must end failed
 * and rolled back, with the injected error in a failure reason. A fault that
 * found nothing to fail must not fail the step, and transient faults
 * (storms of throttling and server errors, a deletion that fails with "Try
 * again") must be waited out.
 */

/** What the change of a step must come to, and why. */
export interface Expectation {
  readonly outcome: 'complete' | 'refused' | 'either';
  readonly why: string;
}

const complete: Expectation = { outcome: 'complete', why: 'a change the library accepts' };
const refused = (why: string): Expectation => ({ outcome: 'refused', why });
const either = (why: string): Expectation => ({ outcome: 'either', why });

/**
 * Whether the stack's deployment of the version must complete. The changes
 * the library refuses, on purpose: a package already on a domain that this
 * stack did not put there (made by hand, another stack's, kept by another
 * stack's removal policy) without adoptExisting, a package name another
 * stack declares (I7), a new type under a package's old name, a plugin on a
 * domain of another engine version. An association this stack's retaining
 * removal policy left on the domain may be declared again. `alongside` is
 * what other stacks deploy at the same time.
 */
export function expectationOf(world: ConformanceWorld, stack: StackName, version: AppVersion, alongside: readonly AppVersion[] = []): Expectation {
  const before = world.deployed.get(stack);
  const owned = placementsOf(before);
  const live = world.simulator.packages().filter(p => p.PackageStatus !== 'DELETED');
  const others = [...world.deployed].filter(([name]) => name !== stack).map(([, deployed]) => deployed);
  // A package whose last processing failed keeps its previous version, but the service neither updates nor associates it.
  const failedProcessing = new Map(live.filter(p => p.PackageStatus === 'COPY_FAILED' || p.PackageStatus === 'VALIDATION_FAILED')
    .map(p => [p.PackageID!, p.PackageStatus!]));
  const ids = new Map<string, string>();
  let uncertain: Expectation | undefined;
  for (const pkg of version.packages) {
    const previous = before?.version.packages.find(p => p.id === pkg.id);
    const sameName = (other: { name: string; engine?: string }) => other.name === pkg.name && other.engine === pkg.engine;
    if (previous && sameName(previous)) {
      if (previous.type !== pkg.type) return refused(`package ${pkg.name} changes type`);
      const id = before!.packageIds.get(pkg.id);
      if (id) ids.set(pkg.id, id);
      if (id && failedProcessing.has(id) && previous.content !== pkg.content) return refused(`package ${pkg.name} is ${failedProcessing.get(id)}: the service updates it no more`);
      if (id && world.outOfBand.deletedPackages.has(id)) uncertain ??= either(`package ${pkg.name} was deleted by hand`);
    } else if (alongside.length > 0 && [...others.map(other => other.version), ...alongside].some(other => other.packages.some(sameName))) {
      uncertain ??= either(`a stack deployed at the same time declares, or declared, a package named ${pkg.name}`);
    } else if (others.some(other => other.version.packages.some(sameName))) {
      return refused(`another stack declares a package named ${pkg.name} (I7)`);
    } else if (live.some(p => p.PackageName === pkg.name && p.EngineVersion === (pkg.engine && `OpenSearch_${pkg.engine}`))) {
      uncertain ??= either(`a package named ${pkg.name} exists`);
    }
  }
  const gone = (target: Target) => {
    const id = targetPackageId(target, ids);
    return id !== undefined && world.outOfBand.deletedPackages.has(id);
  };
  for (const association of version.associations) {
    const plugin = 'custom' in association.target ? version.packages.find(p => p.id === (association.target as { custom: string }).custom) : undefined;
    if (plugin?.engine && `OpenSearch_${plugin.engine}` !== DOMAIN_ENGINE_VERSION) return refused(`plugin ${plugin.name} does not fit the domain's engine version`);
    if (world.outOfBand.deletedDomains.has(association.domain)) return either(`${association.domain} was deleted by hand`);
    if ([association.target, ...association.prerequisites].some(t => domainRegion(association.domain) === REGION && gone(t))) {
      return either(`a package of ${association.id} was deleted by hand`);
    }
    const packageId = targetPackageId(association.target, ids);
    if (!packageId) continue;
    const where = placement(association.domain, packageId);
    if (world.outOfBand.dissociated.has(where)) uncertain ??= either(`${where} was dissociated by hand`);
    const failed = failedProcessing.get(packageId);
    if (failed) {
      const active = world.onDomain(association.domain).some(e => e.PackageID === packageId && e.DomainPackageStatus === 'ACTIVE');
      if (!active && !owned.has(where) && alongside.length === 0) return refused(`package ${packageId} is ${failed}: the service associates it nowhere new`);
      const previous = before?.version.associations.find(a => a.id === association.id);
      if (!active || !previous || requested(previous) !== requested(association)) uncertain ??= either(`package ${packageId} is ${failed}: the service associates it no more`);
    }
    if (owned.has(where)) continue;
    if (alongside.some(other => other.associations.some(a => a.domain === association.domain && sameTarget(a.target, association.target)))) {
      uncertain ??= either(`a stack deployed at the same time declares ${where} (I7: at most one of them may own it)`);
      continue;
    }
    const judged = newPlacement(world, stack, where, association.adopt);
    // What the other stack holds may leave while this one deploys.
    if (judged.outcome === 'refused' && alongside.length === 0) return judged;
    if (judged.outcome === 'refused') uncertain ??= either(`${judged.why}, unless the stack deployed at the same time lets it go`);
    if (judged.outcome === 'either') uncertain ??= judged;
  }
  return uncertain ?? complete;
}

/** What an association asks the service for: a change of it associates the package again. */
const requested = (a: AssociationSpec) => JSON.stringify([a.domain, a.target, a.label, a.prerequisites, a.keyStore]);

/**
 * Whether the stack's deletion must complete: it must, unless a package it
 * deletes is held on a domain by an association it does not own (one its
 * own retaining removal policy left there, whose package the user later let
 * the stack delete; the service refuses to delete a package a domain holds).
 */
export function destroyExpectation(world: ConformanceWorld, stack: StackName): Expectation {
  const deployed = world.deployed.get(stack);
  const owned = placementsOf(deployed);
  for (const pkg of deployed?.version.packages ?? []) {
    const id = deployed!.packageIds.get(pkg.id);
    const held = id && [...world.placementsOnDomains()].find(where => placementParts(where)[1] === id && !owned.has(where));
    if (pkg.removal === 'DESTROY' && held) return either(`package ${pkg.name} is held on a domain the stack does not own: ${held}`);
  }
  return { outcome: 'complete', why: 'a stack deletion' };
}

/** Whether the stack may newly declare a placement: it is not on its domain, or the stack may take it. */
function newPlacement(world: ConformanceWorld, stack: StackName, where: Placement, adopt: boolean): Expectation {
  const [domain, packageId] = placementParts(where);
  const onDomain = world.onDomain(domain).some(e => e.PackageID === packageId);
  if (!onDomain) return complete;
  const kept = world.ledger.kept.get(where);
  const instance = world.instanceOf(stack);
  if (kept?.why === 'retained by its removal policy' && kept.by === instance) return complete;
  if (adopt) return complete;
  // A stack made it, left it there, and declares it again: whether it is still the stack's is the design's to say.
  if (kept && kept.why !== 'made by hand' && (kept.by === instance || kept.by.split('#')[0] === stack)) return either(`${where} is on the domain, ${kept.why} (${kept.by})`);
  if (kept) return refused(`${where} is on the domain, ${kept.why}, and the stack does not adopt it`);
  // Taken at once by this stack and another (the race the service cannot arbitrate): each stack's record says it made it.
  if (world.ledger.contested.has(where)) return either(`${where} was taken at once by this stack and another`);
  if (world.declaredBy(where, stack)) return refused(`another stack owns ${where} (I7)`);
  return either(`${where} is on the domain, left by an earlier step`);
}

/** What a fault that hit requires of the step. */
export type FaultEffect =
  | { readonly hit: false }
  /** It hit where CloudFormation ignores failures (the cleanup phase): nothing is required. */
  | { readonly hit: true; readonly mustRollBack: false; readonly description: string }
  /** The step must end failed and rolled back, with this text in a failure reason. */
  | { readonly hit: true; readonly mustRollBack: true; readonly carries: string; readonly description: string }
  /** An index uses the package: the step rolls back, or the refusal happened in the cleanup phase; a reason carries the text either way. */
  | { readonly hit: true; readonly mustRollBack: 'unless in cleanup'; readonly carries: string; readonly description: string };

/** Whether the step's fault hit something, and what that requires. Transient faults never require a failure. */
export function faultEffect(fault: Fault, outcome: StepOutcome): FaultEffect {
  const { consumed, result } = outcome;
  switch (fault.kind) {
    case 'association fails':
    case 'validation fails': {
      const kind = fault.kind === 'association fails' ? 'association failure' : 'package failure';
      const taken = consumed.find(c => c.kind === kind && c.error.ErrorType === INJECTED_ERROR_TYPE);
      if (!taken || !('error' in taken)) return { hit: false };
      return { hit: true, mustRollBack: true, carries: `${taken.error.ErrorType}: ${taken.error.ErrorMessage}`, description: `${fault.kind} (${taken.error.ErrorMessage})` };
    }
    case 'later resource fails':
      return result.failures.some(f => f.reason === LATER_FAILURE)
        ? { hit: true, mustRollBack: true, carries: LATER_FAILURE, description: fault.kind } : { hit: false };
    case 'in use': {
      const taken = consumed.find(c => c.kind === 'in use');
      return taken && taken.kind === 'in use'
        ? { hit: true, mustRollBack: 'unless in cleanup', carries: inUseMessage(taken.packageId), description: `${taken.packageId} in use on ${taken.domain}` }
        : { hit: false };
    }
    case 'waiter start fails': {
      const failure = result.failures.find(f => /Rate exceeded/.test(f.reason));
      if (!failure) return { hit: false };
      return failure.phase === 'create' || failure.phase === 'update'
        ? { hit: true, mustRollBack: true, carries: 'Rate exceeded', description: `the waiter did not start (${failure.phase})` }
        : { hit: true, mustRollBack: false, description: `the waiter did not start (${failure.phase})` };
    }
    case 'slow service': {
      const { associations, dissociations } = outcome.slowed;
      if (associations > 0) return { hit: true, mustRollBack: true, carries: 'Timed out', description: `${associations} associations slower than the ${fault.timeoutSeconds} s timeout` };
      // Taking packages off has a budget of its own (the handler associates first, so no association was slowed): the step completes.
      return dissociations > 0 ? { hit: true, mustRollBack: false, description: `${dissociations} dissociations slower than the ${fault.timeoutSeconds} s timeout` } : { hit: false };
    }
    case 'deletion fails transiently':
    case 'none':
      return { hit: false };
  }
}
