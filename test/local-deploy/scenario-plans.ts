/**
 * The updates the CLI's scenario makes to a deployed template, chosen by
 * resource type and by which properties are literals or references (never by
 * logical id), each with the lines that explain it.
 */
import type { OpenSearchSimulator } from '../simulator';
import { CfnTemplate } from './cfn-template';
import { nextVersionLabel, withChangedSource, withEntry, withoutAssociation } from './template-edits';
import {
  ASSOCIATION_TYPE,
  describeValue,
  DOMAIN_PACKAGES_TYPE,
  entriesOf,
  packagesWithLiteralSource,
  propertyOf,
  resourcesOfType,
  setOf,
  setsFollowing,
} from './template-queries';

/** An update of the stack: the template to deploy and what to say about it. */
export interface PlannedUpdate {
  readonly kind: 'source change' | 'version bump' | 'removal';
  /** The step's header. */
  readonly title: string;
  /** Lines that explain the edit and what should follow. */
  readonly details: string[];
  readonly template: CfnTemplate;
  /** The resource the edit is about. */
  readonly target: string;
  /** The domain sets that follow the edited package (a source change), to report on afterwards. */
  readonly followers: string[];
  /** What the simulator must do first (a version bump publishes the new version). */
  readonly prepare?: (simulator: OpenSearchSimulator) => void;
}

/** Names a logical id in the progress log. */
export type NameOf = (logicalId: string) => string;

/** Shortens 64-hex-digit asset hashes, e.g. `e2c9ad7a7ce4…`, so that keys fit on a line. */
export function abbreviateHashes(text: string): string {
  return text.replace(/([0-9a-f]{12})[0-9a-f]{52}/g, '$1…');
}

/**
 * A source change: the S3Key of a CustomPackage (preferably one that
 * associations follow) gets a new asset hash, as editing its file would give.
 * Undefined when no package has a literal source.
 */
export function planSourceChange(template: CfnTemplate, nameOf: NameOf): PlannedUpdate | undefined {
  const candidates = packagesWithLiteralSource(template);
  const target = candidates.find(id => setsFollowing(template, id).length > 0) ?? candidates[0];
  if (!target) return undefined;
  const change = withChangedSource(template, target);
  const followers = setsFollowing(template, target);
  const packageName = describeValue(propertyOf(template, target, 'PackageName'));
  const how = change.assetHash
    ? 'the 64-hex-digit asset hash in the key replaced with another, as editing the source file and synthesising again would give'
    : 'a new key (it holds no asset hash)';
  const others = change.alsoChanged.map(id => `${nameOf(id)} (${template.Resources?.[id]?.Type ?? '?'})`);
  const alsoChanged = others.length === 0 ? [] : [`edit: the same hash replaced in ${others.join(', ')}, as a new synth writes it there too`];
  const follow = followers.length === 0
    ? 'no association follows this package'
    : `${followers.map(nameOf).join(', ')} (the package's version label changes with its AvailablePackageVersion)`;
  return {
    kind: 'source change',
    title: `update: a source change of ${nameOf(target)} (package ${packageName})`,
    details: [
      `edit: S3Key ${abbreviateHashes(change.oldKey)} -> ${abbreviateHashes(change.newKey)} (${how})`,
      ...alsoChanged,
      'expect: Update of the package: UpdatePackage, same package ID, wait until the new version is AVAILABLE',
      `expect: then, in the same deployment, AssociatePackages applies the new version to the domain: ${follow}`,
    ],
    template: change.template,
    target,
    followers,
  };
}

/**
 * For apps without a CustomPackage: a version label bump of a package that
 * the app names by a literal ID (the simulator publishes the new version
 * first, as an UpdatePackage outside the stack would).
 */
export function planVersionBump(template: CfnTemplate, nameOf: NameOf): PlannedUpdate | undefined {
  const candidates = resourcesOfType(template, DOMAIN_PACKAGES_TYPE).flatMap(set => entriesOf(template, set)
    .filter(entry => typeof entry.PackageID === 'string').map(entry => ({ set, entry })));
  const target = candidates.find(({ entry }) => typeof entry.PackageVersion === 'string') ?? candidates[0];
  if (!target) return undefined;
  const packageId = target.entry.PackageID as string;
  const old = target.entry.PackageVersion;
  const label = nextVersionLabel(typeof old === 'string' ? old : undefined);
  return {
    kind: 'version bump',
    title: `update: ${packageId} in ${nameOf(target.set)} PackageVersion ${describeValue(old)} -> ${label} (associated again in place)`,
    details: [`edit: package ${packageId} gets version ${label} in the simulator (as an UpdatePackage outside the stack would), the template names it`],
    template: withEntry(template, target.set, packageId, { PackageVersion: label }),
    target: target.set,
    followers: [],
    prepare: simulator => simulator.setPackageVersion(packageId, label),
  };
}

/**
 * A removal: an association the stack does not retain leaves the app. The
 * domain's set drops the package and takes it off the domain in the update
 * phase; the association's own resource is deleted in the cleanup phase.
 */
export function planRemoval(template: CfnTemplate, nameOf: NameOf): PlannedUpdate | undefined {
  const associations = resourcesOfType(template, ASSOCIATION_TYPE).filter(id => setOf(template, id));
  const target = associations.find(id => (template.Resources?.[id]?.DeletionPolicy ?? 'Delete') === 'Delete') ?? associations[0];
  if (!target) return undefined;
  const retained = setOf(template, target)!.entry.Retain === 'true';
  return {
    kind: 'removal',
    title: `update: ${nameOf(target)} leaves the app`,
    details: [retained
      ? 'expect: its removal policy keeps it on the domain: no DissociatePackages, and no Delete for its resource'
      : `expect: ${nameOf(setOf(template, target)!.domainPackages)} takes it off the domain in the update phase (DissociatePackages), `
        + 'then its own resource is deleted in the cleanup phase, with nothing left to do'],
    template: withoutAssociation(template, target),
    target,
    followers: [],
  };
}

/** Why a step has nothing to do, for the header. */
export function nothingToPlan(template: CfnTemplate, step: 'update' | 'remove'): string {
  const associations = resourcesOfType(template, ASSOCIATION_TYPE).length;
  return step === 'update'
    ? `update: skipped, the stack has no CustomPackage with a literal source and no package named by a literal ID (${associations} associations)`
    : `remove: skipped, the stack has no association (${associations} associations)`;
}
