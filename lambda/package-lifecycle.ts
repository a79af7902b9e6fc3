import { PackageDetails } from '@aws-sdk/client-opensearch';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { log } from './log';
import { CheckResult, notYet, OperationFailed, runStep } from './operation';
import { PackageApi } from './package-api';
import { decidePackage, PackageBaseline, packageBaselineOf, PackageDecision, PackageGoal } from './package-decision';
import { formatPhysicalId, PackageIdentity, parsePhysicalId, sourceCommitMessage, sourceDigest } from './package-source-identity';
import { PackageSpec, parsePackageSpec } from './package-spec';
import { describeError, isResourceNotFound, isTransient } from './service-errors';
import { FIRST_CHECK_DELAY } from '../lib/check-schedule';
import { PACKAGE_ATTRIBUTES, PackageAttribute } from '../lib/custom-package-properties';

/** What onEvent hands to every isComplete call of the same operation. */
export interface PackageOperationState {
  readonly Goal: PackageGoal;
  readonly Baseline: PackageBaseline;
  readonly StartedAt: number;
  readonly FirstCheckDelaySeconds: number;
}

export interface PackageStartResult extends PackageOperationState {
  readonly PhysicalResourceId: string;
}

export type PackageIsCompleteEvent = CloudFormationCustomResourceEvent & PackageOperationState & { PhysicalResourceId: string };

/** How long after a lost CreatePackage response the package it made is recognised as this stack's (see {@link create}). */
const RECENT_CREATION_MS = 15 * 60 * 1000;

/**
 * onEvent: creates the package (its ID is in the physical ID, so this cannot
 * wait for isComplete), or finds the package the stack holds, and takes the
 * first step towards the goal: UpdatePackage when the version the service
 * makes available is not from the source the stack asks for, DeletePackage on
 * Delete. Every decision compares with what the service shows, not with the
 * previous properties, so a rollback (which sends back the properties from
 * before the failed update) is decided the same way.
 */
export async function startPackageOperation(api: PackageApi, event: CloudFormationCustomResourceEvent, now = Date.now()): Promise<PackageStartResult> {
  const spec = parsePackageSpec(event.ResourceProperties);
  const what = describePackage(spec);
  if (event.RequestType === 'Create') {
    const { identity, created } = await create(api, spec, undefined, now);
    return started(event, formatPhysicalId(identity), 'current', packageBaselineOf(created), true, now);
  }

  let identity = parsePhysicalId(event.PhysicalResourceId);
  let pkg = await live(api, identity.packageId);
  if (event.RequestType === 'Delete') {
    const baseline = packageBaselineOf(pkg);
    const first = await stepTowards(api, spec, identity, 'deleted', pkg, baseline);
    return started(event, event.PhysicalResourceId, 'deleted', baseline, first.changed, now);
  }

  if (!pkg) {
    // Deleted out of band: a new package takes its place (CloudFormation then deletes the old physical ID, which is gone).
    log('the package no longer exists; creating it again', { packageId: identity.packageId });
    const { identity: recreated, created } = await create(api, spec, undefined, now);
    return started(event, formatPhysicalId(recreated), 'current', packageBaselineOf(created), true, now);
  }
  let physicalId = event.PhysicalResourceId;
  if (pkg.PackageName !== spec.packageName) {
    const named = (await api.packagesNamed(spec.packageName)).find(p => p.PackageStatus !== 'DELETED');
    if (!named) {
      const { identity: replacement, created } = await create(api, spec, physicalId, now);
      return started(event, formatPhysicalId(replacement), 'current', packageBaselineOf(created), true, now);
    }
    // Back to the package this one replaced (a rollback of a new packageName): CloudFormation then deletes the new one.
    const previous = identity.replaces ? parsePhysicalId(identity.replaces) : undefined;
    if (!previous || previous.packageId !== named.PackageID) throw new OperationFailed(nameTaken(spec, named));
    log('returning to the package this one replaced', { packageId: named.PackageID });
    physicalId = identity.replaces!;
    identity = previous;
    pkg = named;
  }
  if (pkg.PackageType !== spec.packageType || (pkg.EngineVersion ?? undefined) !== spec.engineVersion) {
    throw new OperationFailed(`${what}: the package is ${pkg.PackageType}${pkg.EngineVersion ? ` for ${pkg.EngineVersion}` : ''}, and a package's type and engine version `
      + 'cannot change in place (package names are unique, so no replacement can be created under the same name): give the package a new packageName to replace it.');
  }
  const baseline = packageBaselineOf(pkg);
  const first = await stepTowards(api, spec, identity, 'current', pkg, baseline);
  return started(event, physicalId, 'current', baseline, first.changed, now);
}

function started(event: CloudFormationCustomResourceEvent, physicalId: string, goal: PackageGoal, baseline: PackageBaseline,
  changed: boolean, now: number): PackageStartResult {
  log('operation started', { requestType: event.RequestType, physicalId, goal, changed });
  const delay = changed ? FIRST_CHECK_DELAY.toSeconds() : 0;
  return { PhysicalResourceId: physicalId, Goal: goal, Baseline: baseline, StartedAt: now, FirstCheckDelaySeconds: delay };
}

function describePackage(spec: PackageSpec, packageId?: string): string {
  return `Package ${spec.packageName}${packageId ? ` (${packageId})` : ''}`;
}

function nameTaken(spec: PackageSpec, existing: PackageDetails): string {
  return `${describePackage(spec)}: the name is taken by package ${existing.PackageID} (${existing.PackageStatus}), which this stack did not create. `
    + 'Package names are unique per account and Region: choose another packageName, or import the existing package with CustomPackage.fromPackageId.';
}

/** The package unless it is missing or DELETED. */
async function live(api: PackageApi, packageId: string): Promise<PackageDetails | undefined> {
  const pkg = await api.describePackage(packageId);
  return pkg?.PackageStatus === 'DELETED' ? undefined : pkg;
}

/**
 * CreatePackage. A taken name is refused, unless the package that holds it
 * was created within the last minutes with this very type, engine version
 * and description: then it is this request's own package, whose response was
 * lost (the SDK retried, or the event was delivered twice), and it is taken as
 * created; otherwise it would be left behind with its name blocked.
 */
async function create(api: PackageApi, spec: PackageSpec, replaces: string | undefined, now: number)
  : Promise<{ identity: PackageIdentity; created: PackageDetails }> {
  const identity = (packageId: string): PackageIdentity => ({ packageId, createdFrom: sourceDigest(sourceCommitMessage(spec)), replaces });
  try {
    const created = await api.createPackage({
      PackageName: spec.packageName,
      PackageType: spec.packageType as PackageDetails['PackageType'],
      PackageSource: { S3BucketName: spec.bucket, S3Key: spec.key },
      PackageDescription: spec.description,
      EngineVersion: spec.engineVersion,
    });
    if (!created.PackageID) throw new OperationFailed(`CreatePackage returned no PackageID for package ${spec.packageName}.`);
    return { identity: identity(created.PackageID), created };
  } catch (error) {
    if (error instanceof OperationFailed) throw error;
    if ((error as { name?: string }).name !== 'ResourceAlreadyExistsException') {
      throw new OperationFailed(`CreatePackage failed for package ${spec.packageName}: ${describeError(error)}.`);
    }
    const existing = (await api.packagesNamed(spec.packageName)).find(p => p.PackageStatus !== 'DELETED');
    const own = existing && now - (existing.CreatedAt?.getTime() ?? 0) < RECENT_CREATION_MS
      && existing.PackageType === spec.packageType && (existing.EngineVersion ?? undefined) === spec.engineVersion
      && (existing.PackageDescription ?? undefined) === spec.description;
    if (!existing || !own) throw new OperationFailed(existing ? nameTaken(spec, existing) : `CreatePackage failed for package ${spec.packageName}: ${describeError(error)}.`);
    log('CreatePackage found the package its own earlier attempt created', { packageId: existing.PackageID });
    return { identity: identity(existing.PackageID!), created: existing };
  }
}

/**
 * Whether the version the package makes available was read from the source
 * the stack asks for (by its commit message, or for the first version the
 * source recorded in the physical ID) and the package has its description.
 */
async function isCurrent(api: PackageApi, spec: PackageSpec, identity: PackageIdentity, pkg: PackageDetails): Promise<boolean> {
  if (!pkg.AvailablePackageVersion || (pkg.PackageDescription ?? '') !== (spec.description ?? '')) return false;
  const history = await api.packageHistory(identity.packageId);
  const index = history.findIndex(v => v.PackageVersion === pkg.AvailablePackageVersion);
  const version = history[index];
  const source = version?.CommitMessage ? sourceDigest(version.CommitMessage) : index === 0 ? identity.createdFrom : undefined;
  return source === sourceDigest(sourceCommitMessage(spec));
}

/** The next step towards the goal, from the package as the service shows it; a failure is thrown. */
async function decide(api: PackageApi, spec: PackageSpec, identity: PackageIdentity, goal: PackageGoal, pkg: PackageDetails | undefined,
  baseline: PackageBaseline): Promise<PackageDecision> {
  const current = goal === 'current' && pkg !== undefined && await isCurrent(api, spec, identity, pkg);
  const decision = decidePackage(goal, pkg, baseline, current);
  log('observed', { packageId: identity.packageId, goal, status: pkg?.PackageStatus ?? 'not found', version: pkg?.AvailablePackageVersion, decision: decision.kind });
  if (decision.kind === 'fail') throw new OperationFailed(`${describePackage(spec, identity.packageId)}: ${decision.reason}`);
  return decision;
}

/** Makes the call the decision asks for (UpdatePackage or DeletePackage); returns whether the service accepted one. */
async function act(api: PackageApi, spec: PackageSpec, identity: PackageIdentity, decision: PackageDecision): Promise<boolean> {
  switch (decision.kind) {
    case 'update':
      await update(api, spec, identity);
      return true;
    case 'delete': return remove(api, spec, identity);
    default: return false;
  }
}

/**
 * onEvent's first step: decides from what the service shows and makes the
 * call, if any. A transient error leaves the step to isComplete; any other
 * fails the operation before anything changed.
 */
async function stepTowards(api: PackageApi, spec: PackageSpec, identity: PackageIdentity, goal: PackageGoal, pkg: PackageDetails | undefined,
  baseline: PackageBaseline): Promise<{ changed: boolean }> {
  const decision = await decide(api, spec, identity, goal, pkg, baseline);
  try {
    return { changed: await act(api, spec, identity, decision) };
  } catch (error) {
    if (error instanceof OperationFailed) throw error;
    if (!isTransient(error)) throw new OperationFailed(`${describePackage(spec, identity.packageId)}: ${describeError(error)}`);
    log('first step left to isComplete after a transient error', { error: describeError(error) });
    return { changed: false };
  }
}

async function update(api: PackageApi, spec: PackageSpec, identity: PackageIdentity): Promise<void> {
  try {
    await api.updatePackage({
      PackageID: identity.packageId,
      PackageSource: { S3BucketName: spec.bucket, S3Key: spec.key },
      PackageDescription: spec.description,
      CommitMessage: sourceCommitMessage(spec),
    });
  } catch (error) {
    if (isTransient(error)) throw error;
    throw new OperationFailed(`${describePackage(spec, identity.packageId)}: UpdatePackage failed: ${describeError(error)}. `
      + 'If the service refuses to update a package whose last update failed, give the package a new packageName to replace it.');
  }
}

/**
 * DeletePackage; returns whether it was accepted. While a domain still holds
 * the package the service answers ConflictException: a dissociation in
 * flight (this stack's own, in the same cleanup) is waited for, any other
 * holder is reported at once with the domains it is on.
 */
async function remove(api: PackageApi, spec: PackageSpec, identity: PackageIdentity): Promise<boolean> {
  try {
    await api.deletePackage(identity.packageId);
    return true;
  } catch (error) {
    if (isResourceNotFound(error)) return false;
    if ((error as { name?: string }).name !== 'ConflictException') throw error;
    const holders = (await api.domainsUsing(identity.packageId)).filter(entry => entry.DomainPackageStatus !== 'DISSOCIATING');
    if (holders.length === 0) throw error;
    throw new OperationFailed(`${describePackage(spec, identity.packageId)}: DeletePackage refused (${describeError(error)}): the package is still associated with `
      + `${holders.map(h => `domain ${h.DomainName} (${h.DomainPackageStatus})`).join(', ')}. Dissociate it from those domains, or give the package the removal policy RETAIN.`);
  }
}

/** isComplete: observes the package and reports whether the goal is reached. */
export async function checkPackageOperation(api: PackageApi, event: PackageIsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  const spec = parsePackageSpec(event.ResourceProperties);
  const identity = parsePhysicalId(event.PhysicalResourceId);
  const what = describePackage(spec, identity.packageId);
  let lastSeen = 'not yet observed';
  const limits = {
    now,
    deadline: event.StartedAt + spec.waitSeconds * 1000,
    timedOut: () => `Timed out after ${spec.waitSeconds} seconds waiting for ${what} to ${event.Goal === 'deleted'
      ? 'be deleted (it may still exist: an association outside this stack can hold it)' : 'become AVAILABLE from its source'} (last status: ${lastSeen}).`,
    explain: (error: unknown) => new OperationFailed(`${what}: ${describeError(error)}`),
  };
  return runStep(limits, async () => {
    const pkg = await api.describePackage(identity.packageId);
    lastSeen = pkg?.PackageStatus ?? 'not found';
    const decision = await decide(api, spec, identity, event.Goal, pkg, event.Baseline);
    if (decision.kind === 'done') return event.Goal === 'deleted' ? { IsComplete: true } : { IsComplete: true, Data: attributes(pkg!) };
    if (now >= limits.deadline) throw new OperationFailed(limits.timedOut());
    await act(api, spec, identity, decision);
    return notYet(decision.kind === 'wait' ? decision.why : `${decision.kind} requested`);
  });
}

function attributes(pkg: PackageDetails): Record<PackageAttribute, string> {
  const values: Record<PackageAttribute, string | undefined> = {
    PackageID: pkg.PackageID,
    AvailablePackageVersion: pkg.AvailablePackageVersion,
    ReferencePath: pkg.PackageType === 'TXT-DICTIONARY' ? `analyzers/${pkg.PackageID}` : '',
    PackageName: pkg.PackageName,
    PackageType: pkg.PackageType,
  };
  return Object.fromEntries(PACKAGE_ATTRIBUTES.map(key => [key, values[key] ?? ''])) as Record<PackageAttribute, string>;
}
