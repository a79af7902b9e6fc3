import { AssociationSpec } from './app-spec';
import { sameTarget } from './edits';
import type { DeployedStack } from './world';
import { StackOperationResult } from '../local-deploy/stack-lifecycle';

/**
 * Whether a failure reason is the Provider framework's own (the waiter timed
 * out, an injected Lambda failure, Step Functions throttled), which cannot
 * name what the handler was doing.
 */
export function isFrameworkFailure(reason: string): boolean {
  return /^(Operation timed out|Injected failure)/.test(reason) || /Rate exceeded/.test(reason);
}

/** An association's place: `domain packageId`. */
export type Placement = string;

export function placement(domain: string, packageId: string): Placement {
  return `${domain} ${packageId}`;
}

/** The placements of a deployed stack's associations (those whose package exists), with the association. */
export function placementsOf(stack: DeployedStack | undefined): Map<Placement, AssociationSpec> {
  const placements = new Map<Placement, AssociationSpec>();
  for (const association of stack?.version.associations ?? []) {
    const packageId = 'custom' in association.target ? stack!.packageIds.get(association.target.custom) : association.target.imported;
    if (packageId) placements.set(placement(association.domain, packageId), association);
  }
  return placements;
}

/**
 * What the domains and the Region must hold, and may hold, besides what the
 * stacks declare now: associations kept by a removal policy after they left
 * their stack, and associations made by hand or left by a removal policy,
 * even once a stack adopted them, must stay; RETAIN
 * associations and packages whose creation a rollback abandoned may stay.
 * Follows each stack operation as CloudFormation would treat the resources.
 */
export class Ledger {
  /** Placements that must stay on their domain, and why. */
  public readonly kept = new Map<Placement, 'retained by its removal policy' | 'made by hand'>();
  /** Placements that may be on their domain or not. */
  public readonly tolerated = new Set<Placement>();
  /** Names of CustomPackages that must still exist after they left their stack (RETAIN). */
  public readonly keptPackages = new Set<string>();
  /** Names of packages that may still exist. */
  public readonly toleratedPackages = new Set<string>();

  public outOfBand(domain: string, packageId: string): void {
    this.kept.set(placement(domain, packageId), 'made by hand');
  }

  /**
   * A stack went from `before` to `after` (undefined: created, or deleted).
   * CloudFormation does not fail an update for a Delete that fails in its
   * cleanup phase, nor delete what the failed resource depends on: what such
   * a Delete left, and whose failure reason names it, may stay; after a
   * failure of the framework itself, whose reason names nothing, anything
   * the cleanup was removing may stay.
   */
  public replaced(before: DeployedStack | undefined, after: DeployedStack | undefined, result?: StackOperationResult): void {
    const now = placementsOf(after);
    const previous = placementsOf(before);
    const cleanupFailures = (result?.failures ?? []).filter(f => f.phase === 'cleanup').map(f => f.reason);
    const frameworkFailed = cleanupFailures.some(isFrameworkFailure);
    const named = (text: string) => frameworkFailed || cleanupFailures.some(reason => reason.includes(text));
    for (const [where, association] of previous) {
      if (now.has(where)) continue;
      if (association.removal === 'DESTROY') {
        if (named(where.split(' ')[1])) this.tolerated.add(where);
        continue;
      }
      if (!this.kept.has(where)) this.kept.set(where, 'retained by its removal policy');
      this.tolerateTheirPackage(before!, association);
    }
    for (const pkg of before?.version.packages ?? []) {
      if (named(pkg.name) || [...before!.packageIds.values()].some(id => named(id))) this.toleratedPackages.add(pkg.name);
    }
    for (const [where, association] of now) {
      // Adopted (it was on the domain before the stack declared it): the stack never takes it off the domain.
      if (association.adopt && !previous.has(where) && (this.kept.has(where) || this.tolerated.has(where))) continue;
      this.kept.delete(where);
      this.tolerated.delete(where);
    }
    const names = new Set(after?.version.packages.map(p => p.name));
    for (const pkg of before?.version.packages ?? []) {
      if (!names.has(pkg.name) && pkg.removal === 'RETAIN') this.keptPackages.add(pkg.name);
    }
    names.forEach(name => {
      this.keptPackages.delete(name);
      this.toleratedPackages.delete(name);
    });
  }

  /**
   * An operation that tried to take a stack from `before` to `attempted`
   * rolled back: CloudFormation deletes what it created, except what a
   * removal policy RETAIN keeps (RETAIN_ON_UPDATE_OR_DELETE cleans up a
   * failed creation).
   */
  public abandoned(before: DeployedStack | undefined, attempted: DeployedStack, _result: StackOperationResult): void {
    const previous = placementsOf(before);
    for (const association of attempted.version.associations) {
      // RETAIN keeps what the failed update made, as CloudFormation keeps Retain resources a failed update created. An
      // association that stays in the stack with a retaining policy keeps the package a rolled-back update put behind it
      // (a renamed package, a plugin's new engine version): its own resource was updated, not created, and the domain's
      // resource cannot tell a rollback from an update.
      const kept = association.removal === 'RETAIN'
        || (association.removal === 'RETAIN_ON_UPDATE_OR_DELETE' && before?.version.associations.some(a => a.id === association.id && sameTarget(a.target, association.target)));
      if (!kept) continue;
      const packageId = 'custom' in association.target ? attempted.packageIds.get(association.target.custom) : association.target.imported;
      if (packageId && !previous.has(placement(association.domain, packageId))) {
        this.tolerated.add(placement(association.domain, packageId));
        this.tolerateTheirPackage(attempted, association);
      }
    }
    const names = new Set(before?.version.packages.map(p => p.name));
    for (const pkg of attempted.version.packages) {
      if (!names.has(pkg.name) && pkg.removal === 'RETAIN') this.toleratedPackages.add(pkg.name);
    }
  }

  /** A kept association holds its package: the package may outlive its stack. */
  private tolerateTheirPackage(stack: DeployedStack, association: AssociationSpec): void {
    if (!('custom' in association.target)) return;
    const custom = association.target.custom;
    const pkg = stack.version.packages.find(p => p.id === custom);
    if (pkg) this.toleratedPackages.add(pkg.name);
  }
}
