import { AssociationSpec, DomainKey, targetPackageId } from './app-spec';
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

/** An association's place: `domain packageId`, the domain with its Region when not the stacks' (see DOMAINS). */
export type Placement = string;

export function placement(domain: DomainKey, packageId: string): Placement {
  return `${domain} ${packageId}`;
}

/** The domain and the package ID of a placement. */
export function placementParts(where: Placement): [DomainKey, string] {
  const [domain, packageId] = where.split(' ');
  return [domain as DomainKey, packageId];
}

/** The placements of a deployed stack's associations (those whose package exists), with the association. */
export function placementsOf(stack: DeployedStack | undefined): Map<Placement, AssociationSpec> {
  const placements = new Map<Placement, AssociationSpec>();
  for (const association of stack?.version.associations ?? []) {
    const packageId = targetPackageId(association.target, stack!.packageIds);
    if (packageId) placements.set(placement(association.domain, packageId), association);
  }
  return placements;
}

/** Why a placement must stay on its domain. */
export type KeptReason =
  | { readonly why: 'made by hand' }
  | { readonly why: 'retained by its removal policy'; readonly by: string }
  | { readonly why: 'left by its owner while another stack declared it'; readonly by: StackInstance };

/** A stack as one lifetime of it: deleting a stack and creating it again makes another owner. */
export type StackInstance = string;

/**
 * What the domains and the Region must hold, and may hold, besides what the
 * stacks declare now, exactly as the README allows and nothing more.
 * Must stay: associations made by hand (even once a stack adopted them),
 * associations a retaining removal policy kept when they left their stack,
 * associations a stack adopted, and RETAIN packages that left their stack.
 * May stay: RETAIN associations and packages whose creation a rollback
 * abandoned, what a retaining association keeps through a rolled-back
 * replacement of its package, what a failure of the Provider framework
 * itself was removing in the cleanup phase, and what an injected fault kept
 * (a dissociation refused because an index uses the package).
 * Follows each stack operation as CloudFormation treats the resources.
 */
export class Ledger {
  /** Placements that must stay on their domain, and why. */
  public readonly kept = new Map<Placement, KeptReason>();
  /** Placements that may be on their domain or not. */
  public readonly tolerated = new Set<Placement>();
  /** Placements several stacks took at once, each as its own (see {@link takenAtOnce}). */
  public readonly contested = new Set<Placement>();
  /**
   * Placements another stack declares whose configuration (prerequisites, key-store access) may be one that stack did
   * not ask for, until a stack that declares them applies its own again (docs/ownership.md, "What remains possible"):
   * a stack that adopted them applied its own in an update that then rolled back (the rollback cannot know the
   * configuration it replaced), or a stack that applied its own last let them go.
   */
  public readonly reconfigured = new Set<Placement>();
  /**
   * Placements an update that rolled back took off their domain whose package's last processing had failed: the
   * service associates such a package nowhere, so the rollback cannot put them back (docs/ownership.md, "What
   * remains possible").
   */
  public readonly unrestorable = new Set<Placement>();
  /** Names of CustomPackages that must still exist after they left their stack (RETAIN). */
  public readonly keptPackages = new Set<string>();
  /** Names of packages that may still exist. */
  public readonly toleratedPackages = new Set<string>();
  /** `instance placement`: associations a stack adopted, which it must never take off the domain. */
  private readonly adoptions = new Set<string>();

  /** @param deletedPackages IDs of the packages deleted by hand, as the world records them. */
  public constructor(private readonly deletedPackages: ReadonlySet<string>) {}

  public outOfBand(domain: DomainKey, packageId: string): void {
    this.kept.set(placement(domain, packageId), { why: 'made by hand' });
  }

  /**
   * Several stacks deployed the placement at once, and each may believe it
   * made it: the race the OpenSearch API cannot arbitrate, which the README
   * states. Any of them may take it off the domain while the others declare it.
   */
  public takenAtOnce(where: Placement): void {
    this.contested.add(where);
  }

  /** Whether the stack instance adopted the placement. */
  public adopted(instance: StackInstance, where: Placement): boolean {
    return this.adoptions.has(`${instance} ${where}`);
  }

  /**
   * What the service no longer holds (a domain or package deleted by hand) needs no keeping. A placement taken at
   * once stays `contested`: both stacks' records still say they made it, and either may take it off again once
   * one of them associates it anew.
   */
  public forget(where: Placement): void {
    this.kept.delete(where);
    this.reconfigured.delete(where);
    this.unrestorable.delete(where);
    this.tolerated.delete(where);
    for (const adoption of [...this.adoptions]) if (adoption.endsWith(` ${where}`)) this.adoptions.delete(adoption);
  }

  /** An engine upgrade swapped the plugin of one placement for its successor: what held the one holds the other. */
  public moved(from: Placement, to: Placement): void {
    const kept = this.kept.get(from);
    if (kept) this.kept.set(to, kept);
    if (this.tolerated.has(from)) this.tolerated.add(to);
    for (const adoption of [...this.adoptions]) if (adoption.endsWith(` ${from}`)) this.adoptions.add(adoption.replace(` ${from}`, ` ${to}`));
    this.forget(from);
  }

  /** A package deleted by hand needs no keeping. */
  public forgetPackage(name: string): void {
    this.keptPackages.delete(name);
    this.toleratedPackages.delete(name);
  }

  /**
   * The stack instance went from `before` to `after` (undefined: created, or
   * deleted). `onDomainBefore` holds the placements on the domains before the
   * operation; `declaredElsewhere` tells whether another stack still declares
   * a placement. CloudFormation does not fail an update for a Delete that
   * fails in its cleanup phase: when that failure is the framework's own,
   * whose reason names nothing, anything the cleanup was removing may stay.
   */
  public replaced(
    instance: StackInstance, before: DeployedStack | undefined, after: DeployedStack | undefined, result: StackOperationResult | undefined,
    onDomainBefore: ReadonlySet<Placement>, declaredElsewhere: (where: Placement) => boolean,
  ): void {
    const now = placementsOf(after);
    const previous = placementsOf(before);
    const frameworkFailed = (result?.failures ?? []).some(f => f.phase === 'cleanup' && isFrameworkFailure(f.reason));
    for (const [where, association] of previous) {
      if (now.has(where)) continue;
      // Declared elsewhere, it keeps the configuration this stack applied last until a stack that declares it applies its own.
      if (declaredElsewhere(where)) this.reconfigured.add(where);
      else this.reconfigured.delete(where);
      const adopted = this.adoptions.delete(`${instance} ${where}`);
      // Taken off by hand before the stack let it go: there is nothing to keep.
      if (adopted || !onDomainBefore.has(where)) continue;
      const kept = this.kept.get(where);
      if (this.contested.has(where)) {
        this.tolerated.add(where);
        if (!declaredElsewhere(where)) this.contested.delete(where);
      } else if (declaredElsewhere(where)) {
        this.kept.set(where, { why: 'left by its owner while another stack declared it', by: instance });
      } else if (kept?.why === 'left by its owner while another stack declared it') {
        // Two stacks took it at once, and who owned it is not known: the one that leaves it last may take it off, or not.
        this.kept.delete(where);
        this.tolerated.add(where);
      } else if (association.removal !== 'DESTROY') {
        if (!this.kept.has(where)) this.kept.set(where, { why: 'retained by its removal policy', by: instance });
        this.tolerateTheirPackage(before!, association);
      } else if (frameworkFailed) {
        this.tolerated.add(where);
      }
    }
    if (frameworkFailed) before?.version.packages.forEach(pkg => this.toleratedPackages.add(pkg.name));
    // The stack's packages resource, created or updated, applied its configuration to every placement it declares.
    const applied = result?.records.some(r => r.resourceType === 'Custom::OpenSearchDomainPackages' && (r.phase === 'create' || r.phase === 'update') && r.status === 'SUCCESS');
    if (applied) now.forEach((_, where) => this.reconfigured.delete(where));
    for (const [where, association] of now) {
      if (previous.has(where)) continue;
      const kept = this.kept.get(where);
      const retainedHere = kept?.why === 'retained by its removal policy' && kept.by === instance;
      if (onDomainBefore.has(where) && !retainedHere && association.adopt) {
        // Adopted: it was on the domain before the stack declared it, and the stack never takes it off the domain.
        this.adoptions.add(`${instance} ${where}`);
        continue;
      }
      this.kept.delete(where);
      this.tolerated.delete(where);
    }
    const names = new Set(after?.version.packages.map(p => p.name));
    for (const pkg of before?.version.packages ?? []) {
      // Replaced (renamed), the old package goes as the new template's UpdateReplacePolicy says; removed, as the old DeletionPolicy.
      const successor = after?.version.packages.find(p => p.id === pkg.id);
      // Deleted by hand while the stack still declared it, it has nothing left to keep.
      const deletedByHand = this.deletedPackages.has(before!.packageIds.get(pkg.id) ?? '');
      if (!names.has(pkg.name) && (successor ?? pkg).removal === 'RETAIN' && !deletedByHand) this.keptPackages.add(pkg.name);
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
  public abandoned(before: DeployedStack | undefined, attempted: DeployedStack, onDomainBefore: ReadonlySet<Placement>): void {
    const previous = placementsOf(before);
    for (const [where, association] of placementsOf(attempted)) {
      if (association.adopt && onDomainBefore.has(where) && !previous.has(where)) this.reconfigured.add(where);
    }
    for (const association of attempted.version.associations) {
      // RETAIN keeps what the failed update made, as CloudFormation keeps Retain resources a failed update created. An
      // association that stays in the stack with a retaining policy keeps the package a rolled-back update put behind it
      // (a renamed package, a plugin's new engine version): its own resource was updated, not created, and the domain's
      // resource cannot tell a rollback from an update.
      const kept = association.removal === 'RETAIN'
        || (association.removal === 'RETAIN_ON_UPDATE_OR_DELETE' && before?.version.associations.some(a => a.id === association.id && sameTarget(a.target, association.target)));
      if (!kept) continue;
      const packageId = targetPackageId(association.target, attempted.packageIds);
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

  /** What an injected fault kept: the placement, and its package, may stay. */
  public keptByFault(where: Placement, packageName: string | undefined): void {
    this.tolerated.add(where);
    if (packageName) this.toleratedPackages.add(packageName);
  }

  /** A kept association holds its package: the package may outlive its stack. */
  private tolerateTheirPackage(stack: DeployedStack, association: AssociationSpec): void {
    if (!('custom' in association.target)) return;
    const custom = association.target.custom;
    const pkg = stack.version.packages.find(p => p.id === custom);
    if (pkg) this.toleratedPackages.add(pkg.name);
  }
}
