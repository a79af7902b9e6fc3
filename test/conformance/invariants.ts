import type { DomainPackageDetails } from '../simulator';
import { DOMAINS, IMPORTED_PACKAGES, KEY_STORE_ROLE } from './app-spec';
import { isFrameworkFailure, Placement, placement, placementsOf } from './ledger';
import type { ConformanceWorld, DeployedStack, StepOutcome } from './world';
import { propertyOf } from '../local-deploy/template-queries';

/*
 * The invariants of the lifecycle issue, checked on the simulator's state and
 * the recorded events after every step:
 * I1 an update completes or rolls back (no *_FAILED stack);
 * I2 the domains and the Region hold what the stacks declare, plus what a
 *    removal policy keeps, and nothing a stack made is left behind;
 * I3 what the stacks did not make (associations made by hand) is never removed;
 * I4 the handler is never denied a call;
 * I5 every failure reason names the resource and the service's error.
 */

/** What one step was, and whether the model expected it to succeed. */
export interface CheckedStep {
  readonly description: string;
  readonly outcome: StepOutcome;
  /** True when the step makes a valid change with no fault that fails it: it must complete. */
  readonly mustSucceed: boolean;
  /** The service error a fault injected: a failure reason that names its type must carry its message. */
  readonly injected?: { readonly type: string; readonly message: string };
}

const FAILED_STATUSES = new Set(['ROLLBACK_FAILED', 'UPDATE_ROLLBACK_FAILED', 'DELETE_FAILED']);

function sortedIds(ids: readonly unknown[] | undefined): string {
  return [...ids ?? []].map(String).sort().join(',');
}

/** Every violation the world shows after the step; the calls checked for I4 are those from `firstCall` on. */
export function violationsAfter(world: ConformanceWorld, step: CheckedStep, firstCall: number): string[] {
  const found: string[] = [];
  const { result } = step.outcome;
  if (FAILED_STATUSES.has(result.status)) found.push(`I1: the stack ended ${result.status}: ${result.failures.map(f => `${f.logicalId} (${f.phase}): ${f.reason}`).join(' | ')}`);
  if (step.mustSucceed && !step.outcome.applied) found.push(`a valid change failed (${result.status}): ${result.failures.map(f => `${f.logicalId}: ${f.reason}`).join(' | ')}`);
  found.push(...reasonViolations(world, step));
  found.push(...domainViolations(world));
  found.push(...packageViolations(world));
  const denied = world.simulator.calls.slice(firstCall).filter(call => call.errorType === 'AccessDeniedException');
  denied.forEach(call => found.push(`I4: ${call.operation} ${call.path} was denied`));
  return found;
}

/** I5: a failure reason names what failed (a domain, a package ID or name) and carries the injected error's text. */
function reasonViolations(world: ConformanceWorld, step: CheckedStep): string[] {
  const names = [...DOMAINS, ...IMPORTED_PACKAGES, ...[...world.deployed.values()].flatMap(s => [...s.packageIds.values()]),
    ...world.simulator.packages().flatMap(p => [p.PackageID!, p.PackageName!])];
  const found: string[] = [];
  const reasons = step.outcome.result.failures.map(f => f.reason);
  for (const reason of reasons) {
    if (!isFrameworkFailure(reason) && !names.some(name => reason.includes(name))) found.push(`I5: a failure reason names no domain or package: ${reason}`);
  }
  const { injected } = step;
  if (injected && reasons.some(r => r.includes(injected.type)) && !reasons.some(r => r.includes(`${injected.type}: ${injected.message}`))) {
    found.push(`I5: no failure reason carries the service's error "${injected.type}: ${injected.message}": ${reasons.join(' | ')}`);
  }
  return found;
}

interface Declared {
  readonly stack: DeployedStack;
  readonly association: DeployedStack['version']['associations'][number];
}

function declaredPlacements(world: ConformanceWorld): Map<Placement, Declared> {
  const declared = new Map<Placement, Declared>();
  for (const stack of world.deployed.values()) {
    for (const [where, association] of placementsOf(stack)) declared.set(where, { stack, association });
  }
  return declared;
}

/** I2 and I3 on each domain. */
function domainViolations(world: ConformanceWorld): string[] {
  const found: string[] = [];
  const declared = declaredPlacements(world);
  for (const domain of DOMAINS) {
    const entries = new Map(world.simulator.domainPackages(domain).map(e => [e.PackageID!, e]));
    for (const [where, { stack, association }] of declared) {
      const [onDomain, packageId] = where.split(' ');
      if (onDomain !== domain) continue;
      const entry = entries.get(packageId);
      if (entry?.DomainPackageStatus !== 'ACTIVE') {
        found.push(`I2: ${association.id} (${packageId}) should be ACTIVE on ${domain}, is ${entry?.DomainPackageStatus ?? 'not associated'}`);
        continue;
      }
      found.push(...configurationViolations(world, stack, association, entry));
    }
    for (const [where, why] of world.ledger.kept) {
      const [onDomain, packageId] = where.split(' ');
      if (onDomain !== domain || declared.has(where)) continue;
      const entry = entries.get(packageId);
      if (!entry || entry.DomainPackageStatus === 'DISSOCIATING') found.push(`${why === 'made by hand' ? 'I3' : 'I2'}: ${packageId} (${why}) was removed from ${domain}`);
      else if (why === 'made by hand' && entry.DomainPackageStatus !== 'ACTIVE') found.push(`I3: ${packageId} (made by hand) is ${entry.DomainPackageStatus} on ${domain}`);
    }
    for (const entry of entries.values()) {
      const where = placement(domain, entry.PackageID!);
      if (!declared.has(where) && !world.ledger.kept.has(where) && !world.ledger.tolerated.has(where)) {
        found.push(`I2: ${entry.PackageID} (${entry.DomainPackageStatus}) is left on ${domain}, declared by no stack and kept by no removal policy`);
      }
    }
  }
  return found;
}

/** The entry has the prerequisites and key-store option asked for, and a CustomPackage's domain runs a version read from its current file. */
function configurationViolations(world: ConformanceWorld, stack: DeployedStack, association: Declared['association'], entry: DomainPackageDetails): string[] {
  const found: string[] = [];
  const prerequisites = association.prerequisites.map(t => world.resolve(stack, t));
  if (sortedIds(entry.PrerequisitePackageIDList) !== sortedIds(prerequisites)) {
    found.push(`I2: ${entry.PackageID} on ${entry.DomainName} has prerequisites [${sortedIds(entry.PrerequisitePackageIDList)}], the stack asks for [${sortedIds(prerequisites)}]`);
  }
  const option = entry.AssociationConfiguration?.KeyStoreAccessOption;
  const keyStore = option?.KeyStoreAccessEnabled ? option.KeyAccessRoleArn : undefined;
  if (keyStore !== (association.keyStore ? KEY_STORE_ROLE : undefined)) found.push(`I2: ${entry.PackageID} on ${entry.DomainName} has key-store access ${keyStore ?? 'off'}`);
  if ('custom' in association.target) {
    const custom = association.target.custom;
    const logicalId = Object.keys(stack.template.Resources ?? {}).find(id => String(stack.template.Resources![id].Metadata?.['aws:cdk:path'] ?? '').split('/')[1] === custom
      && stack.template.Resources![id].Type === 'Custom::OpenSearchPackage');
    const key = logicalId && propertyOf(stack.template, logicalId, 'S3Key');
    // What matters is the file: a rolled-back edit makes the old file a new version, which the domain need not run again.
    const source = world.simulator.packageVersions(entry.PackageID!).find(v => v.version === entry.PackageVersion)?.source?.S3Key;
    if (source !== key) found.push(`I2: ${entry.DomainName} runs ${entry.PackageID} ${entry.PackageVersion}, read from ${source}; the stack's file is ${String(key)}`);
  }
  return found;
}

/** I2 in the Region: the stacks' packages exist, RETAIN ones that left stay, nothing else the stacks made is left. */
function packageViolations(world: ConformanceWorld): string[] {
  const found: string[] = [];
  // A package being deleted is on its way out: the deletion was asked for and the service finishes it.
  const live = world.simulator.packages().filter(p => p.PackageStatus !== 'DELETED' && p.PackageStatus !== 'DELETING');
  const declared = new Map([...world.deployed.values()].flatMap(s => s.version.packages.map(p => [p.name, p] as const)));
  for (const [name, pkg] of declared) {
    const found_ = live.find(p => p.PackageName === name);
    if (!found_) found.push(`I2: package ${name} of a stack does not exist`);
    else if (found_.PackageType !== pkg.type) found.push(`I2: package ${name} is ${found_.PackageType}, the stack declares ${pkg.type}`);
  }
  for (const name of world.ledger.keptPackages) {
    if (!declared.has(name) && !live.some(p => p.PackageName === name)) found.push(`I2: package ${name} (removal policy RETAIN) was deleted`);
  }
  const imported = new Set<string>(IMPORTED_PACKAGES);
  for (const pkg of live) {
    const name = pkg.PackageName!;
    if (!imported.has(pkg.PackageID!) && !declared.has(name) && !world.ledger.keptPackages.has(name) && !world.ledger.toleratedPackages.has(name)) {
      found.push(`I2: package ${name} (${pkg.PackageID}, ${pkg.PackageStatus}) is left in the Region, declared by no stack and kept by no removal policy`);
    }
  }
  return found;
}
