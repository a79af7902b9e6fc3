import type { DomainPackageDetails } from '../simulator';
import { AppVersion, AWS_PACKAGES, DomainKey, DOMAINS, domainName, IMPORTED_PACKAGES, KEY_STORE_ROLE } from './app-spec';
import { Expectation, FaultEffect, faultEffect } from './expectations';
import type { Fault } from './faults';
import { isFrameworkFailure, placement, Placement, placementParts, placementsOf } from './ledger';
import type { ConformanceWorld, DeployedStack, StepOutcome } from './world';
import { redactResponseUrls } from '../local-deploy/progress-log';
import { propertyOf } from '../local-deploy/template-queries';

/*
 * The invariants of the lifecycle issues, checked on the simulator's state,
 * its call log, the recorded events and the functions' logs after every step:
 * I1 an operation completes or rolls back (no *_FAILED stack);
 * I2 the domains and the Region hold what the stacks declare, plus what a
 *    removal policy keeps, and nothing a stack made is left behind;
 * I3 no stack removes an association or a package that any stack still
 *    declares, nor one it did not make (made by hand, or adopted);
 * I4 the handler is never denied a call;
 * I5 every failure reason names the resource, and carries the error a fault
 *    injected;
 * I6 a change of representation (a package by ID or AWS name, a domain by
 *    literal, parameter or import, a construct renamed), or of what happens
 *    on removal, makes no mutating call on the service;
 * I7 at most one stack owns an association or a package, even when stacks
 *    deploy at once; the loser names the owner when it can be known;
 * I8 rollbacks, cleanups and deletions finish: none of their requests fails,
 *    but for the framework's own failures and an index that uses a package;
 * I9 no line a function writes to its log carries a pre-signed ResponseURL,
 *    and the handler answers before the framework's waiter gives up.
 * Besides, a step whose non-transient fault hit something must end failed
 * and rolled back, and a change the model expects to complete (or to be
 * refused) must do so.
 */

/** What one step was, and what the model expected of it. */
export interface CheckedStep {
  readonly description: string;
  readonly outcome: StepOutcome;
  /** What the change must come to; undefined: nothing. */
  readonly expectation?: Expectation;
  readonly fault?: Fault;
  /** The step changes nothing the service sees (I6). */
  readonly noServiceChange?: boolean;
  /** The other stacks' steps that ran at the same time. */
  readonly together?: readonly StepOutcome[];
  /** The version a deployment tried to apply. */
  readonly attempted?: AppVersion;
}

const FAILED_STATUSES = new Set(['ROLLBACK_FAILED', 'UPDATE_ROLLBACK_FAILED', 'DELETE_FAILED']);
const ROLLED_BACK = new Set(['ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);
/** The calls that change something on the service. */
const MUTATING = new Set(['AssociatePackage', 'AssociatePackages', 'DissociatePackage', 'DissociatePackages', 'CreatePackage', 'UpdatePackage', 'DeletePackage']);

function sortedIds(ids: readonly unknown[] | undefined): string {
  return [...ids ?? []].map(String).sort().join(',');
}

/** A failure reason without the framework's trailer (`Logs: ...` and the handler's stack). */
const firstLine = (reason: string) => reason.split('\n')[0];
const describeFailures = (outcome: StepOutcome) => outcome.result.failures.map(f => `${f.logicalId} (${f.phase}): ${firstLine(f.reason)}`).join(' | ');

/** Every violation the world shows after the step. */
export function violationsAfter(world: ConformanceWorld, step: CheckedStep): string[] {
  const found: string[] = [];
  const { result } = step.outcome;
  const unexcused = result.failures.filter(f => !heldByAnother(world, f.reason));
  if (FAILED_STATUSES.has(result.status) && unexcused.length > 0) found.push(`I1: the stack ended ${result.status}: ${describeFailures(step.outcome)}`);
  found.push(...outcomeViolations(step));
  found.push(...reasonViolations(world, step));
  found.push(...domainViolations(world));
  found.push(...packageViolations(world));
  step.outcome.calls.filter(call => call.errorType === 'AccessDeniedException').forEach(call => found.push(`I4: ${call.operation} ${call.path} was denied`));
  found.push(...representationViolations(world, step));
  found.push(...ownershipViolations(world, step));
  found.push(...finishViolations(world, step));
  found.push(...logViolations(step.outcome));
  return found;
}

/** The step ended as its fault, or else its change, requires. */
function outcomeViolations(step: CheckedStep): string[] {
  const { outcome, expectation } = step;
  const effect: FaultEffect = step.fault ? faultEffect(step.fault, outcome) : { hit: false };
  const status = outcome.result.status;
  if (effect.hit && effect.mustRollBack !== false) {
    const inCleanup = effect.mustRollBack === 'unless in cleanup' && outcome.applied && outcome.result.failures.some(f => f.phase === 'cleanup' && f.reason.includes(effect.carries));
    if (!inCleanup && !ROLLED_BACK.has(status)) return [`a fault that is not transient hit (${effect.description}), and the step ended ${status}, not failed and rolled back`];
    return [];
  }
  if (expectation?.outcome === 'complete' && !outcome.applied) return [`a valid change failed (${status}; ${expectation.why}): ${describeFailures(outcome)}`];
  if (expectation?.outcome === 'refused' && outcome.applied) return [`a change the library must refuse completed (${expectation.why})`];
  return [];
}

/** I5: a failure reason names what failed (a domain, a package ID or name) and carries the injected error's text. */
function reasonViolations(world: ConformanceWorld, step: CheckedStep): string[] {
  const names = [...DOMAINS.map(domainName), ...IMPORTED_PACKAGES, ...AWS_PACKAGES,
    ...[...world.deployed.values()].flatMap(s => [...s.packageIds.values()]), ...step.attempted?.packages.map(p => p.name) ?? [],
    ...world.simulator.packages().flatMap(p => [p.PackageID!, p.PackageName!])];
  const found: string[] = [];
  const reasons = step.outcome.result.failures.map(f => f.reason);
  for (const reason of reasons) {
    if (!isFrameworkFailure(reason) && !names.some(name => reason.includes(name))) found.push(`I5: a failure reason names no domain or package: ${firstLine(reason)}`);
  }
  const effect = step.fault ? faultEffect(step.fault, step.outcome) : { hit: false as const };
  if (effect.hit && 'carries' in effect && !reasons.some(r => r.includes(effect.carries))) {
    found.push(`I5: no failure reason carries the injected error "${effect.carries}": ${reasons.join(' | ')}`);
  }
  return found;
}

/** A stack that declares a placement, with its association. */
type Declared = { readonly stack: DeployedStack; readonly association: DeployedStack['version']['associations'][number] };

/** The placements the deployed stacks declare, each with every stack that declares it (two, when one adopted the other's). */
function declaredPlacements(world: ConformanceWorld): Map<Placement, Declared[]> {
  const declared = new Map<Placement, Declared[]>();
  for (const stack of world.deployed.values()) {
    for (const [where, association] of placementsOf(stack)) declared.set(where, [...declared.get(where) ?? [], { stack, association }]);
  }
  return declared;
}

/** I2 and I3 on each domain. */
function domainViolations(world: ConformanceWorld): string[] {
  const found: string[] = [];
  const declared = declaredPlacements(world);
  const { outOfBand, ledger } = world;
  for (const domain of DOMAINS) {
    if (outOfBand.deletedDomains.has(domain)) continue;
    const entries = new Map(world.onDomain(domain).map(e => [e.PackageID!, e]));
    for (const [where, declarers] of declared) {
      const [onDomain, packageId] = placementParts(where);
      if (onDomain !== domain || outOfBand.gone(where) || outOfBand.dissociated.has(where)) continue;
      const entry = entries.get(packageId);
      if (!entry && ledger.unrestorable.has(where)) continue;
      if (entry?.DomainPackageStatus !== 'ACTIVE') {
        // Taken at once by two stacks, it may have been taken off by either (the ledger's `contested`), and with it
        // what names it as a prerequisite (the service dissociates those too).
        const prerequisiteContested = declarers.some(({ stack, association }) =>
          association.prerequisites.some(t => ledger.contested.has(placement(domain, world.resolve(stack, t) ?? ''))));
        if (!ledger.contested.has(where) && !prerequisiteContested) found.push(`I2: ${declarers[0].association.id} (${packageId}) should be ACTIVE on ${domain}, is ${entry?.DomainPackageStatus ?? 'not associated'}`);
        continue;
      }
      // Two stacks that declare one association (one adopted it) may ask for different configurations: the last applied wins.
      if (ledger.reconfigured.has(where)) continue;
      const mismatches = declarers.map(({ stack, association }) => configurationViolations(world, stack, association, entry, domain));
      if (mismatches.every(found_ => found_.length > 0)) found.push(...mismatches[0]);
    }
    for (const [where, kept] of ledger.kept) {
      const [onDomain, packageId] = placementParts(where);
      if (onDomain !== domain || declared.has(where) || outOfBand.gone(where)) continue;
      const entry = entries.get(packageId);
      const invariant = kept.why === 'retained by its removal policy' ? 'I2' : 'I3';
      if (!entry || entry.DomainPackageStatus === 'DISSOCIATING') found.push(`${invariant}: ${packageId} (${kept.why}) was removed from ${domain}`);
      else if (kept.why === 'made by hand' && entry.DomainPackageStatus !== 'ACTIVE') found.push(`I3: ${packageId} (made by hand) is ${entry.DomainPackageStatus} on ${domain}`);
    }
    for (const entry of entries.values()) {
      const where = placement(domain, entry.PackageID!);
      // A dissociation under way (one domain's, when another domain refused its own in the same failed operation) ends by itself.
      if (entry.DomainPackageStatus === 'DISSOCIATING') continue;
      if (!declared.has(where) && !ledger.kept.has(where) && !ledger.tolerated.has(where)) {
        found.push(`I2: ${entry.PackageID} (${entry.DomainPackageStatus}) is left on ${domain}, declared by no stack and kept by no removal policy`);
      }
    }
  }
  return found;
}

/** The entry has the prerequisites and key-store option asked for, and a CustomPackage's domain runs a version read from its current file. */
function configurationViolations(world: ConformanceWorld, stack: DeployedStack, association: Declared['association'], entry: DomainPackageDetails, domain: DomainKey): string[] {
  const found: string[] = [];
  const prerequisites = association.prerequisites.map(t => world.resolve(stack, t));
  if (sortedIds(entry.PrerequisitePackageIDList) !== sortedIds(prerequisites)) {
    found.push(`I2: ${entry.PackageID} on ${domain} has prerequisites [${sortedIds(entry.PrerequisitePackageIDList)}], the stack asks for [${sortedIds(prerequisites)}]`);
  }
  const option = entry.AssociationConfiguration?.KeyStoreAccessOption;
  const keyStore = option?.KeyStoreAccessEnabled ? option.KeyAccessRoleArn : undefined;
  if (keyStore !== (association.keyStore ? KEY_STORE_ROLE : undefined)) found.push(`I2: ${entry.PackageID} on ${domain} has key-store access ${keyStore ?? 'off'}`);
  if ('custom' in association.target && !world.outOfBand.edited.has(entry.PackageID!)) {
    const custom = association.target.custom;
    const logicalId = Object.keys(stack.template.Resources ?? {}).find(id => String(stack.template.Resources![id].Metadata?.['aws:cdk:path'] ?? '').split('/')[1] === custom
      && stack.template.Resources![id].Type === 'Custom::OpenSearchPackage');
    const key = logicalId && propertyOf(stack.template, logicalId, 'S3Key');
    // What matters is the file: a rolled-back edit makes the old file a new version, which the domain need not run again.
    const source = world.simulator.packageVersions(entry.PackageID!).find(v => v.version === entry.PackageVersion)?.source?.S3Key;
    if (source !== key) found.push(`I2: ${domain} runs ${entry.PackageID} ${entry.PackageVersion}, read from ${source}; the stack's file is ${String(key)}`);
  }
  return found;
}

/** I2 in the Region: the stacks' packages exist, RETAIN ones that left stay, nothing else the stacks made is left. */
function packageViolations(world: ConformanceWorld): string[] {
  const found: string[] = [];
  // A package being deleted is on its way out: the deletion was asked for and the service finishes it.
  const live = world.simulator.packages().filter(p => p.PackageStatus !== 'DELETED' && p.PackageStatus !== 'DELETING');
  const declared = new Map([...world.deployed.values()].flatMap(s => s.version.packages
    .filter(p => !world.outOfBand.deletedPackages.has(s.packageIds.get(p.id) ?? ''))
    .map(p => [p.name, p] as const)));
  for (const [name, pkg] of declared) {
    const found_ = live.find(p => p.PackageName === name && p.PackageOwner !== 'AWS');
    if (!found_) found.push(`I2: package ${name} of a stack does not exist`);
    else if (found_.PackageType !== pkg.type) found.push(`I2: package ${name} is ${found_.PackageType}, the stack declares ${pkg.type}`);
  }
  for (const name of world.ledger.keptPackages) {
    if (!declared.has(name) && !live.some(p => p.PackageName === name)) found.push(`I2: package ${name} (removal policy RETAIN) was deleted`);
  }
  const imported = new Set<string>(IMPORTED_PACKAGES);
  for (const pkg of live) {
    const name = pkg.PackageName!;
    if (pkg.PackageOwner === 'AWS' || imported.has(pkg.PackageID!)) continue;
    if (!declared.has(name) && !world.ledger.keptPackages.has(name) && !world.ledger.toleratedPackages.has(name)) {
      found.push(`I2: package ${name} (${pkg.PackageID}, ${pkg.PackageStatus}) is left in the Region, declared by no stack and kept by no removal policy`);
    }
  }
  return found;
}

/**
 * I6: a step that changes nothing the service sees makes no mutating call,
 * but to associate again what two stacks took at once and the other took
 * off the domain (the ledger's `contested`), which the stack still declares.
 */
function representationViolations(world: ConformanceWorld, step: CheckedStep): string[] {
  if (!step.noServiceChange) return [];
  const found: string[] = [];
  if (!step.outcome.applied) found.push(`I6: a change of representation failed (${step.outcome.result.status}): ${describeFailures(step.outcome)}`);
  const contested = [...world.ledger.contested].map(where => placementParts(where)[1]);
  const restores = (call: { readonly operation: string; readonly path: string; readonly body?: unknown }) => call.operation.startsWith('Associate')
    && contested.some(id => `${call.path} ${JSON.stringify(call.body ?? {})}`.includes(id));
  const calls = step.outcome.calls.filter(call => MUTATING.has(call.operation) && call.status === 200 && !restores(call));
  if (calls.length > 0) found.push(`I6: a change of representation made ${calls.map(c => `${c.operation} ${c.path}${c.body ? ` ${JSON.stringify(c.body)}` : ''}`).join(', ')}`);
  return found;
}

/**
 * I7: no package name (and engine version) is declared by two stacks; a
 * stack refused for a package name another stack holds names that stack. Two
 * stacks that deployed a new association at once may both own it (the
 * ledger's `contested`: the race the service cannot arbitrate); one that
 * reaches the domain after the other's association started fails (its step's
 * expectations).
 */
function ownershipViolations(world: ConformanceWorld, step: CheckedStep): string[] {
  const found: string[] = [];
  const holders = new Map<string, string>();
  for (const [name, stack] of world.deployed) {
    for (const pkg of stack.version.packages) {
      const key = `${pkg.name}${pkg.engine ? ` (${pkg.engine})` : ''}`;
      const holder = holders.get(key);
      if (holder) found.push(`I7: package ${key} is declared by ${holder} and ${name}`);
      holders.set(key, name);
    }
  }
  if (!step.outcome.applied && step.attempted) {
    const { stack } = step.outcome;
    const reasons = step.outcome.result.failures.map(f => f.reason);
    const previous = new Set(world.deployed.get(stack)?.version.packages.map(p => p.name));
    for (const pkg of step.attempted.packages) {
      if (previous.has(pkg.name) || !reasons.some(r => r.includes(pkg.name))) continue;
      const holds = (other: DeployedStack) => other.version.packages.some(p => p.name === pkg.name && p.engine === pkg.engine);
      const owner = [...world.deployed].find(([name, other]) => name !== stack && holds(other))?.[0];
      if (owner && !reasons.some(r => r.includes(owner))) found.push(`I7: the refusal of package ${pkg.name} does not name its owner, ${owner}: ${describeFailures(step.outcome)}`);
    }
  }
  return found;
}

/** I8: no request of a rollback, a cleanup or a deletion failed, but for the framework's own failures in the cleanup phase and an index that uses a package. */
function finishViolations(world: ConformanceWorld, step: CheckedStep): string[] {
  const effect = step.fault ? faultEffect(step.fault, step.outcome) : { hit: false as const };
  const excused = (reason: string) => (effect.hit && 'carries' in effect && step.fault?.kind === 'in use' && reason.includes(effect.carries)) || heldByAnother(world, reason);
  return step.outcome.result.failures
    .filter(f => f.phase === 'rollback' || f.phase === 'cleanup' || f.phase === 'delete')
    .filter(f => !(f.phase === 'cleanup' && isFrameworkFailure(f.reason)) && !excused(f.reason))
    .map(f => `I8: the ${f.phase} did not finish: ${f.logicalId}: ${firstLine(f.reason)}`);
}

/**
 * Whether the failure is the service refusing to delete a package that a
 * domain holds through an association no stack declares and that the ledger
 * keeps or tolerates there (a retaining removal policy, a change by hand, an
 * index that uses it): the user's doing, not the library's.
 */
function heldByAnother(world: ConformanceWorld, reason: string): boolean {
  const declared = declaredPlacements(world);
  const { kept, tolerated } = world.ledger;
  return [...world.placementsOnDomains()].some(where => !declared.has(where) && (kept.has(where) || tolerated.has(where))
    && reason.includes(placementParts(where)[1]) && !IMPORTED_PACKAGES.includes(placementParts(where)[1] as typeof IMPORTED_PACKAGES[number]));
}

/** I9: no written log line carries a ResponseURL, and the framework's waiter never gave up before the handler answered. */
function logViolations(outcome: StepOutcome): string[] {
  const found = outcome.logs.filter(line => !line.filtered && redactResponseUrls(line.text) !== line.text)
    .map(line => `I9: ${line.functionLogicalId} wrote a ResponseURL to its log: ${redactResponseUrls(line.text).slice(0, 200)}`);
  const timedOut = outcome.result.records.filter(r => r.reason === 'Operation timed out');
  timedOut.forEach(r => found.push(`I9: the framework's waiter gave up on ${r.logicalId} (${r.phase} ${r.requestType}) before the handler answered; its timeout handler logs the request, ResponseURL included, at aws-cdk-lib 2.206.0`));
  return found;
}
