/**
 * The updates the CLI's scenario makes to a deployed template, chosen by
 * resource type and by which properties are literals or references (never by
 * logical id), each with the lines that explain it.
 */
import type { OpenSearchSimulator } from '../simulator';
import { CfnTemplate } from './cfn-template';
import { nextVersionLabel, withChangedSource, withProperties } from './template-edits';
import {
  ASSOCIATION_TYPE,
  associationsFollowing,
  associationsWithLiteralPackageId,
  describeValue,
  propertyOf,
  packagesWithLiteralSource,
  resourcesOfType,
} from './template-queries';

/** An update of the stack: the template to deploy and what to say about it. */
export interface PlannedUpdate {
  readonly kind: 'source change' | 'version bump' | 'replacement';
  /** The step's header. */
  readonly title: string;
  /** Lines that explain the edit and what should follow. */
  readonly details: string[];
  readonly template: CfnTemplate;
  /** The resource the edit is about. */
  readonly target: string;
  /** The associations that follow the edited package (a source change), to report on afterwards. */
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
  const target = candidates.find(id => associationsFollowing(template, id).length > 0) ?? candidates[0];
  if (!target) return undefined;
  const change = withChangedSource(template, target);
  const followers = associationsFollowing(template, target);
  const packageName = describeValue(propertyOf(template, target, 'PackageName'));
  const how = change.assetHash
    ? 'the 64-hex-digit asset hash in the key replaced with another, as editing the source file and synthesising again would give'
    : 'a new key (it holds no asset hash)';
  const others = change.alsoChanged.map(id => `${nameOf(id)} (${template.Resources?.[id]?.Type ?? '?'})`);
  const alsoChanged = others.length === 0 ? [] : [`edit: the same hash replaced in ${others.join(', ')}, as a new synth writes it there too`];
  const follow = followers.length === 0
    ? 'no association follows this package'
    : followers.map(id => `${nameOf(id)} (PackageID ${describeValue(propertyOf(template, id, 'PackageID'))}, `
      + `PackageVersion ${describeValue(propertyOf(template, id, 'PackageVersion'))})`).join(', ');
  return {
    kind: 'source change',
    title: `update: a source change of ${nameOf(target)} (package ${packageName})`,
    details: [
      `edit: S3Key ${abbreviateHashes(change.oldKey)} -> ${abbreviateHashes(change.newKey)} (${how})`,
      ...alsoChanged,
      'expect: Update of the package: UpdatePackage, same package ID, wait until AVAILABLE at the next version',
      `expect: then, in the same deployment, re-association of ${follow}`,
    ],
    template: change.template,
    target,
    followers,
  };
}

/**
 * For apps without a CustomPackage: a PackageVersion bump of an association
 * that names its package by a literal ID (the simulator publishes the new
 * version first, as an UpdatePackage outside the stack would).
 */
export function planVersionBump(template: CfnTemplate, nameOf: NameOf): PlannedUpdate | undefined {
  const candidates = associationsWithLiteralPackageId(template);
  const target = candidates.find(id => typeof propertyOf(template, id, 'PackageVersion') === 'string') ?? candidates[0];
  if (!target) return undefined;
  const packageId = propertyOf(template, target, 'PackageID') as string;
  const old = propertyOf(template, target, 'PackageVersion');
  const label = nextVersionLabel(typeof old === 'string' ? old : undefined);
  return {
    kind: 'version bump',
    title: `update: ${nameOf(target)} PackageVersion ${describeValue(old)} -> ${label} (re-association in place)`,
    details: [`edit: package ${packageId} gets version ${label} in the simulator (as an UpdatePackage outside the stack would), the template names it`],
    template: withProperties(template, target, { PackageVersion: label }),
    target,
    followers: [],
    prepare: simulator => simulator.setPackageVersion(packageId, label),
  };
}

/**
 * A replacement: an association that names its package by a literal ID
 * (preferably one whose old instance is deleted rather than retained) gets
 * another package ID, so a new physical id.
 */
export function planReplacement(template: CfnTemplate, replacementId: string, nameOf: NameOf): PlannedUpdate | undefined {
  const candidates = associationsWithLiteralPackageId(template).filter(id => propertyOf(template, id, 'PackageID') !== replacementId);
  const retains = (id: string) => template.Resources?.[id]?.UpdateReplacePolicy === 'Retain';
  const target = candidates.find(id => !retains(id)) ?? candidates[0];
  if (!target) return undefined;
  const oldId = propertyOf(template, target, 'PackageID') as string;
  const old = retains(target)
    ? `is retained (UpdateReplacePolicy Retain, from its removal policy): CloudFormation sends no Delete, so ${oldId} stays on the domain`
    : 'is deleted in the cleanup phase';
  return {
    kind: 'replacement',
    title: `update that replaces: ${nameOf(target)} PackageID ${oldId} -> ${replacementId}`,
    details: [`expect: a new physical id (domain/${replacementId}); the old association ${old}`],
    template: withProperties(template, target, { PackageID: replacementId }),
    target,
    followers: [],
  };
}

/** Why a step has nothing to do, for the header. */
export function nothingToPlan(template: CfnTemplate, step: 'update' | 'replace'): string {
  const associations = resourcesOfType(template, ASSOCIATION_TYPE).length;
  return step === 'update'
    ? `update: skipped, the stack has no CustomPackage with a literal source and no association with a literal PackageID (${associations} associations)`
    : `update that replaces: skipped, no association names its package by a literal ID (${associations} associations)`;
}
