import { PackageConfiguration, PackageDetails, PackageEncryptionOptions, PackageVersionHistory } from '@aws-sdk/client-opensearch';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { log } from './log';
import { CheckResult, notYet, OperationFailed, runStep } from './operation';
import { PackageApi } from './package-api';
import { decidePackage, PackageBaseline, packageBaselineOf, PackageDecision, PackageGoal } from './package-decision';
import { describeOwner, isMarkedBy, markedDescription, ownerOf, PackageOwner } from './package-ownership-mark';
import { formatPhysicalId, PackageIdentity, parsePhysicalId, sourceCommitMessage, sourceDigest } from './package-source-identity';
import { PackageSpec, parsePackageSpec } from './package-spec';
import { describeError, isResourceNotFound, isTransient } from './service-errors';
import { FIRST_CHECK_DELAY_SECONDS, HANDLER_CEILING_SECONDS } from '../lib/check-timing';
import { PACKAGE_ATTRIBUTES, PackageAttribute } from '../lib/custom-package-properties';

/** What onEvent hands to every isComplete call of the same operation. */
export interface PackageOperationState {
  readonly Goal: PackageGoal;
  readonly Baseline: PackageBaseline;
  /** The operation brings the package into being: isComplete calls CreatePackage while no package has its name. */
  readonly Creates: boolean;
  /**
   * An update that made a new physical ID (a new packageName): if it fails,
   * CloudFormation keeps the previous package and never deletes the new one,
   * so the handler deletes it itself.
   */
  readonly Replaces: boolean;
  readonly StartedAt: number;
  readonly FirstCheckDelaySeconds: number;
}

export interface PackageStartResult extends PackageOperationState {
  readonly PhysicalResourceId: string;
}

export type PackageIsCompleteEvent = CloudFormationCustomResourceEvent & PackageOperationState & { PhysicalResourceId: string };

/**
 * onEvent: names the package the operation is about and takes the first
 * step towards the goal: UpdatePackage when the version the service makes
 * available is not from the source the stack asks for, DeletePackage on
 * Delete. A new package is created by isComplete, so that nothing is left
 * behind if the Provider framework fails after onEvent. Every decision
 * compares with what the service shows, not with the previous properties,
 * so a rollback (which sends back the properties from before the failed
 * update) is decided the same way.
 */
export async function startPackageOperation(api: PackageApi, event: CloudFormationCustomResourceEvent, now = Date.now()): Promise<PackageStartResult> {
  const spec = parsePackageSpec(event.ResourceProperties);
  try {
    return await start(api, event, spec, now);
  } catch (error) {
    // Nothing has changed yet: say which package, and what the service answered.
    throw error instanceof OperationFailed ? error : new OperationFailed(`${describePackage(spec)}: ${describeError(error)}`);
  }
}

async function start(api: PackageApi, event: CloudFormationCustomResourceEvent, spec: PackageSpec, now: number): Promise<PackageStartResult> {
  const owner = ownerOf(event);
  type Flags = { creates?: boolean; replaces?: boolean; changed?: boolean };
  const started = (physicalId: string, goal: PackageGoal, baseline: PackageBaseline, flags: Flags = {}) => {
    log('operation started', { requestType: event.RequestType, physicalId, goal, ...flags });
    const result: PackageStartResult = {
      PhysicalResourceId: physicalId, Goal: goal, Baseline: baseline, Creates: flags.creates ?? false, Replaces: flags.replaces ?? false,
      StartedAt: now, FirstCheckDelaySeconds: flags.changed ? FIRST_CHECK_DELAY_SECONDS : 0,
    };
    return result;
  };
  const fresh = (replaces?: string): PackageIdentity => ({
    packageName: spec.packageName, engineVersion: spec.engineVersion, createdFrom: sourceDigest(sourceCommitMessage(spec)), replaces,
  });

  if (event.RequestType === 'Create') {
    await checkNameFree(api, spec, owner);
    return started(formatPhysicalId(fresh()), 'current', {}, { creates: true });
  }
  // The package as the service shows it; undefined when a throttling or server error outlasted the SDK's attempts:
  // nothing has changed yet, and isComplete reads it again within the operation's budget.
  const readOrLater = async (of: PackageIdentity): Promise<{ readonly pkg?: PackageDetails } | undefined> => {
    try {
      return { pkg: await live(api, of) };
    } catch (error) {
      if (!isTransient(error)) throw error;
      log('could not read the package yet; isComplete will', { error: describeError(error) });
      return undefined;
    }
  };
  let identity = parsePhysicalId(event.PhysicalResourceId);
  if (event.RequestType === 'Delete') {
    const read = await readOrLater(identity);
    if (!read) return started(event.PhysicalResourceId, 'deleted', {});
    const pkg = mine(read.pkg, owner);
    const baseline = packageBaselineOf(pkg);
    return started(event.PhysicalResourceId, 'deleted', baseline, { changed: await stepTowards(api, spec, owner, identity, 'deleted', pkg, baseline) });
  }

  let physicalId = event.PhysicalResourceId;
  // A new name, or for a plugin a new engine version, is a new package (the old one is deleted once CloudFormation cleans up).
  if (!sameIdentity(spec, identity)) {
    const previous = identity.replaces ? parsePhysicalId(identity.replaces) : undefined;
    if (!previous || !sameIdentity(spec, previous) || !mine(await live(api, previous), owner)) {
      await checkNameFree(api, spec, owner);
      return started(formatPhysicalId(fresh(physicalId)), 'current', {}, { creates: true, replaces: true });
    }
    // Back to the package this one replaced (the rollback of a new packageName): CloudFormation then deletes the new one.
    log('returning to the package this one replaced', { packageName: previous.packageName });
    physicalId = identity.replaces!;
    identity = previous;
  }
  const read = await readOrLater(identity);
  if (!read) return started(physicalId, 'current', {});
  const { pkg } = read;
  if (!pkg) {
    log('the package no longer exists; it is created again', { packageName: identity.packageName });
    return started(physicalId, 'current', {}, { creates: true });
  }
  if (!isMarkedBy(pkg.PackageDescription, owner)) throw takenBy(spec, pkg);
  if (pkg.PackageType !== spec.packageType) {
    throw new OperationFailed(`${describePackage(spec, pkg.PackageID)}: the package is ${pkg.PackageType}, and a package's type cannot change in place `
      + '(package names are unique, so no replacement can be created under the same name): give the package a new packageName to replace it.');
  }
  const baseline = packageBaselineOf(pkg);
  return started(physicalId, 'current', baseline, { changed: await stepTowards(api, spec, owner, identity, 'current', pkg, baseline) });
}

/** The package, if this resource created it: another resource's package under the same name is never this resource's to change or delete. */
function mine(pkg: PackageDetails | undefined, owner: PackageOwner): PackageDetails | undefined {
  if (pkg && !isMarkedBy(pkg.PackageDescription, owner)) {
    log('a package of this name exists, and this resource did not create it: it is left alone', { packageId: pkg.PackageID, createdBy: describeOwner(pkg.PackageDescription) });
    return undefined;
  }
  return pkg;
}

function takenBy(spec: PackageSpec, pkg: PackageDetails): OperationFailed {
  return new OperationFailed(`${describePackage(spec)}: the name is taken by package ${pkg.PackageID} (${pkg.PackageStatus}), which this resource did not create `
    + `(${describeOwner(pkg.PackageDescription)}). Package names are unique per account and Region (a plugin's per engine version): choose another packageName, `
    + 'or import the existing package with CustomPackage.fromPackageId. This resource created nothing.');
}

function describePackage(spec: PackageSpec, packageId?: string): string {
  return `Package ${spec.packageName}${spec.engineVersion ? ` for ${spec.engineVersion}` : ''}${packageId ? ` (${packageId})` : ''}`;
}

/** Whether the properties name the package the identity names: the same name and, for a plugin, engine version. */
function sameIdentity(spec: PackageSpec, identity: PackageIdentity): boolean {
  return spec.packageName === identity.packageName && spec.engineVersion === identity.engineVersion;
}

/**
 * Refuses a name another package holds: package names are unique per
 * account and Region (for plugins, per engine version). A package this very
 * resource created (a repeated request) is its own.
 */
async function checkNameFree(api: PackageApi, spec: PackageSpec, owner: PackageOwner): Promise<void> {
  let existing: PackageDetails | undefined;
  try {
    existing = await live(api, spec);
  } catch (error) {
    // A throttling or server error that outlasted the SDK's attempts: isComplete makes the same check before CreatePackage.
    if (!isTransient(error)) throw error;
    log('could not check the name yet; isComplete will', { error: describeError(error) });
    return;
  }
  if (existing && !isMarkedBy(existing.PackageDescription, owner)) throw takenBy(spec, existing);
}

/** The package with this name (and for a plugin, engine version), unless there is none or it is DELETED. */
async function live(api: PackageApi, identity: Pick<PackageIdentity, 'packageName' | 'engineVersion'>): Promise<PackageDetails | undefined> {
  return (await api.packagesNamed(identity.packageName)).find(p => p.PackageStatus !== 'DELETED' && (p.EngineVersion ?? undefined) === identity.engineVersion);
}

/** PackageEncryptionOptions for the key the stack asks for (disabled when it asks for none). */
function encryptionOf(spec: PackageSpec): PackageEncryptionOptions | undefined {
  if (spec.kmsKeyArn) return { EncryptionEnabled: true, KmsKeyIdentifier: spec.kmsKeyArn };
  return undefined;
}

function sameConfiguration(a: PackageConfiguration | undefined, b: PackageConfiguration | undefined): boolean {
  const canonical = (c: PackageConfiguration | undefined) => (c ? [c.LicenseRequirement, c.LicenseFilepath ?? '', c.ConfigurationRequirement, c.RequiresRestartForConfigurationUpdate ?? false].join('|') : '');
  return canonical(a) === canonical(b);
}

/**
 * CreatePackage, with the mark of the resource in the description. A name
 * that turns out taken is the package a lost response of this very call
 * made, or another stack's that won the name at the same moment: the next
 * check reads the mark and tells which.
 */
async function create(api: PackageApi, spec: PackageSpec, owner: PackageOwner): Promise<void> {
  try {
    await api.createPackage({
      PackageName: spec.packageName,
      PackageType: spec.packageType as PackageDetails['PackageType'],
      PackageSource: { S3BucketName: spec.bucket, S3Key: spec.key },
      PackageDescription: markedDescription(spec.description, owner),
      EngineVersion: spec.engineVersion,
      PackageConfiguration: spec.configuration,
      PackageEncryptionOptions: encryptionOf(spec),
    });
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceAlreadyExistsException') return;
    if (isTransient(error)) throw error;
    throw new OperationFailed(`CreatePackage failed for package ${spec.packageName}: ${describeError(error)}.`);
  }
}

/**
 * Whether the version the package makes available was read from the source
 * the stack asks for (by its commit message, or for the first version the
 * source recorded in the physical ID) and the package has its description,
 * plugin configuration and KMS key: the version history read to tell, when
 * it is; undefined when it is not.
 */
async function historyIfCurrent(api: PackageApi, spec: PackageSpec, owner: PackageOwner, identity: PackageIdentity,
  pkg: PackageDetails): Promise<PackageVersionHistory[] | undefined> {
  if (!pkg.AvailablePackageVersion || (pkg.PackageDescription ?? '') !== markedDescription(spec.description, owner)) return undefined;
  if (!sameConfiguration(pkg.AvailablePackageConfiguration, spec.configuration)) return undefined;
  const key = pkg.PackageEncryptionOptions?.EncryptionEnabled ? pkg.PackageEncryptionOptions.KmsKeyIdentifier : undefined;
  if (key !== spec.kmsKeyArn) return undefined;
  const history = await api.packageHistory(pkg.PackageID!);
  const index = history.findIndex(v => v.PackageVersion === pkg.AvailablePackageVersion);
  const version = history[index];
  const source = version?.CommitMessage ? sourceDigest(version.CommitMessage) : index === 0 ? identity.createdFrom : undefined;
  return source === sourceDigest(sourceCommitMessage(spec)) ? history : undefined;
}

/**
 * The next step towards the goal, from the package as the service shows it
 * (with the version history, when it was read and the package is current); a
 * failure is thrown.
 */
async function decide(api: PackageApi, spec: PackageSpec, owner: PackageOwner, identity: PackageIdentity, goal: PackageGoal, pkg: PackageDetails | undefined,
  baseline: PackageBaseline): Promise<{ decision: PackageDecision; history?: PackageVersionHistory[] }> {
  const history = goal === 'current' && pkg !== undefined ? await historyIfCurrent(api, spec, owner, identity, pkg) : undefined;
  const decision = decidePackage(goal, pkg, baseline, history !== undefined);
  log('observed', { packageName: identity.packageName, packageId: pkg?.PackageID, goal, status: pkg?.PackageStatus ?? 'not found', version: pkg?.AvailablePackageVersion, decision: decision.kind });
  if (decision.kind === 'fail') throw new OperationFailed(`${describePackage(spec, pkg?.PackageID)}: ${decision.reason}`);
  return { decision, history };
}

/** Makes the call the decision asks for (UpdatePackage or DeletePackage); returns whether the service accepted one. */
async function act(api: PackageApi, spec: PackageSpec, owner: PackageOwner, pkg: PackageDetails | undefined, decision: PackageDecision): Promise<boolean> {
  switch (decision.kind) {
    case 'update':
      await update(api, spec, owner, pkg!);
      return true;
    case 'delete': return remove(api, spec, pkg!.PackageID!);
    default: return false;
  }
}

/**
 * onEvent's first step: decides from what the service shows and makes the
 * call, if any; returns whether it made one. A transient error leaves the
 * step to isComplete; any other fails the operation before anything changed.
 */
async function stepTowards(api: PackageApi, spec: PackageSpec, owner: PackageOwner, identity: PackageIdentity, goal: PackageGoal,
  pkg: PackageDetails | undefined, baseline: PackageBaseline): Promise<boolean> {
  try {
    const { decision } = await decide(api, spec, owner, identity, goal, pkg, baseline);
    return await act(api, spec, owner, pkg, decision);
  } catch (error) {
    if (error instanceof OperationFailed) throw error;
    if (!isTransient(error)) throw new OperationFailed(`${describePackage(spec, pkg?.PackageID)}: ${describeError(error)}`);
    log('first step left to isComplete after a transient error', { error: describeError(error) });
    return false;
  }
}

async function update(api: PackageApi, spec: PackageSpec, owner: PackageOwner, pkg: PackageDetails): Promise<void> {
  const packageId = pkg.PackageID!;
  // Encryption options go only with a key, or to turn off the encryption of a package that has one.
  const encryption = encryptionOf(spec) ?? (pkg.PackageEncryptionOptions?.EncryptionEnabled ? { EncryptionEnabled: false } : undefined);
  try {
    await api.updatePackage({
      PackageID: packageId,
      PackageSource: { S3BucketName: spec.bucket, S3Key: spec.key },
      PackageDescription: markedDescription(spec.description, owner),
      CommitMessage: sourceCommitMessage(spec),
      PackageConfiguration: spec.configuration,
      PackageEncryptionOptions: encryption,
    });
  } catch (error) {
    if (isTransient(error)) throw error;
    throw new OperationFailed(`${describePackage(spec, packageId)}: UpdatePackage failed: ${describeError(error)}. `
      + 'If the service refuses to update a package whose last update failed, give the package a new packageName to replace it.');
  }
}

/**
 * DeletePackage; returns whether it was accepted. While a domain still holds
 * the package the service answers ConflictException: a dissociation in
 * flight (this stack's own, in the same cleanup) is waited for, any other
 * holder is reported at once with the domains it is on.
 */
async function remove(api: PackageApi, spec: PackageSpec, packageId: string): Promise<boolean> {
  try {
    await api.deletePackage(packageId);
    return true;
  } catch (error) {
    if (isResourceNotFound(error)) return false;
    if ((error as { name?: string }).name !== 'ConflictException') throw error;
    const holders = (await api.domainsUsing(packageId)).filter(entry => entry.DomainPackageStatus !== 'DISSOCIATING');
    if (holders.length === 0) throw error;
    throw new OperationFailed(`${describePackage(spec, packageId)}: DeletePackage refused (${describeError(error)}): the package is still associated with `
      + `${holders.map(h => `domain ${h.DomainName} (${h.DomainPackageStatus})`).join(', ')}. Dissociate it from those domains, or give the package the removal policy RETAIN.`);
  }
}

/**
 * How long the operation may wait, in seconds from its start: the package's
 * `timeout` to copy and validate what a deployment asks for; the ceiling to
 * delete it, and when the package was still processing another operation's
 * request at the start (what a failed deployment left, which its rollback
 * must wait out before it can go back).
 */
function budgetSeconds(spec: PackageSpec, event: PackageIsCompleteEvent): number {
  const busy = ['COPYING', 'VALIDATING', 'DELETING'].includes(event.Baseline.status ?? '');
  return event.Goal === 'deleted' || busy ? HANDLER_CEILING_SECONDS : spec.waitSeconds;
}

/** isComplete: observes the package, takes the next step and reports whether the goal is reached. */
export async function checkPackageOperation(api: PackageApi, event: PackageIsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  const spec = parsePackageSpec(event.ResourceProperties);
  const owner = ownerOf(event);
  const identity = parsePhysicalId(event.PhysicalResourceId);
  const budget = budgetSeconds(spec, event);
  let lastSeen = 'not yet observed';
  const limits = {
    now,
    deadline: () => event.StartedAt + budget * 1000,
    timedOut: () => `Timed out after ${budget} seconds waiting for ${describePackage(spec)} to ${event.Goal === 'deleted'
      ? 'be deleted (it may still exist: an association outside this stack can hold it)' : 'become AVAILABLE from its source'} (last status: ${lastSeen}).`,
    explain: (error: unknown) => new OperationFailed(`${describePackage(spec)}: ${describeError(error)}`),
  };
  const step = runStep(limits, async () => {
    const named = await live(api, identity);
    lastSeen = named?.PackageStatus ?? 'not found';
    // Another resource's package under this name is never this one's: a Delete leaves it, anything else fails, having created nothing.
    if (named && !isMarkedBy(named.PackageDescription, owner) && event.Goal === 'current') throw takenBy(spec, named);
    const pkg = mine(named, owner);
    if (!pkg && event.Creates && event.Goal === 'current') {
      if (now >= limits.deadline()) throw new OperationFailed(limits.timedOut());
      await create(api, spec, owner);
      return notYet('package created');
    }
    const { decision, history } = await decide(api, spec, owner, identity, event.Goal, pkg, event.Baseline);
    if (decision.kind === 'done') return event.Goal === 'deleted' ? { IsComplete: true } : { IsComplete: true, Data: attributes(pkg!, history!) };
    if (now >= limits.deadline()) throw new OperationFailed(limits.timedOut());
    await act(api, spec, owner, pkg, decision);
    return notYet(decision.kind === 'wait' ? decision.why : `${decision.kind} requested`);
  });
  return event.Replaces ? step.catch(async error => { throw await undoReplacement(api, spec, owner, error as Error); }) : step;
}

/** A new packageName's package failed: deletes it (CloudFormation keeps the previous package and never deletes this one) and says so. */
async function undoReplacement(api: PackageApi, spec: PackageSpec, owner: PackageOwner, error: Error): Promise<Error> {
  const pkg = mine(await live(api, spec).catch(() => undefined), owner);
  if (!pkg) return error;
  try {
    await api.deletePackage(pkg.PackageID!);
    return new OperationFailed(`${error.message} The new package ${spec.packageName} (${pkg.PackageID}) is being deleted (DeletePackage called); CloudFormation keeps the previous package.`);
  } catch (cleanup) {
    return new OperationFailed(`${error.message} The new package ${spec.packageName} (${pkg.PackageID}) may remain (DeletePackage failed: ${describeError(cleanup)}); `
      + 'delete it by hand if the stack does not use it.');
  }
}

/** The package's attributes, with the newest entry of its version history (what GetPackageVersionHistory says each version came from). */
function attributes(pkg: PackageDetails, history: readonly PackageVersionHistory[]): Record<PackageAttribute, string> {
  const latest = [...history].sort((a, b) => (a.CreatedAt?.getTime() ?? 0) - (b.CreatedAt?.getTime() ?? 0)).pop();
  const values: Record<PackageAttribute, string | undefined> = {
    PackageID: pkg.PackageID,
    AvailablePackageVersion: pkg.AvailablePackageVersion,
    ReferencePath: pkg.PackageType === 'TXT-DICTIONARY' ? `analyzers/${pkg.PackageID}` : '',
    PackageName: pkg.PackageName,
    PackageType: pkg.PackageType,
    LatestCommitMessage: latest?.CommitMessage,
    LatestVersionCreatedAt: latest?.CreatedAt?.toISOString(),
  };
  return Object.fromEntries(PACKAGE_ATTRIBUTES.map(key => [key, values[key] ?? ''])) as Record<PackageAttribute, string>;
}
