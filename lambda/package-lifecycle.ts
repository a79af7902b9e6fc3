import { PackageDetails } from '@aws-sdk/client-opensearch';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { log } from './log';
import { CheckResult, notYet, OperationFailed, runStep } from './operation';
import { PackageApi } from './package-api';
import { decidePackage, PackageBaseline, packageBaselineOf, PackageGoal } from './package-decision';
import { contentChanged, PackageSpec, parsePackageSpec } from './package-spec';
import { describeError } from './service-errors';
import { PACKAGE_ATTRIBUTES, PackageAttribute } from '../lib/custom-package-properties';

/** What onEvent hands to every isComplete call of the same operation. */
export interface PackageOperationState {
  readonly Goal: PackageGoal;
  readonly Baseline: PackageBaseline;
  readonly StartedAt: number;
}

export interface PackageStartResult extends PackageOperationState {
  readonly PhysicalResourceId: string;
}

export type PackageIsCompleteEvent = CloudFormationCustomResourceEvent & PackageOperationState & { PhysicalResourceId: string };

/**
 * onEvent: creates the package (its ID is the physical ID, so this cannot
 * wait for isComplete), updates it in place when its content changed, or
 * takes the first step of a deletion as isComplete would (isComplete retries
 * it while associations still hold the package).
 */
export async function startPackageOperation(api: PackageApi, event: CloudFormationCustomResourceEvent, now = Date.now()): Promise<PackageStartResult> {
  const spec = parsePackageSpec(event.ResourceProperties);
  const started = (physicalId: string, goal: PackageGoal, baseline: PackageBaseline = {}): PackageStartResult => {
    log('operation started', { requestType: event.RequestType, physicalId, goal });
    return { PhysicalResourceId: physicalId, Goal: goal, Baseline: baseline, StartedAt: now };
  };
  if (event.RequestType === 'Delete') {
    const deleting = started(event.PhysicalResourceId, 'deleted');
    await checkPackageOperation(api, { ...event, ...deleting }, now);
    return deleting;
  }
  if (event.RequestType === 'Create') return started(await create(api, spec), 'available');

  const before = parsePackageSpec(event.OldResourceProperties);
  if (before.packageName !== spec.packageName) return started(await create(api, spec), 'available');
  if (before.packageType !== spec.packageType || before.engineVersion !== spec.engineVersion) {
    throw new OperationFailed(`Package ${spec.packageName}: the package type and engine version cannot change in place, and package names are unique: `
      + 'give the package a new packageName to replace it.');
  }
  const packageId = event.PhysicalResourceId;
  if (!contentChanged(before, spec) && before.description === spec.description) return started(packageId, 'available');
  const baseline = packageBaselineOf(await api.describePackage(packageId));
  await api.updatePackage({
    PackageID: packageId,
    PackageSource: { S3BucketName: spec.bucket, S3Key: spec.key },
    PackageDescription: spec.description,
    CommitMessage: contentChanged(before, spec) ? 'Updated by CloudFormation' : undefined,
  });
  return started(packageId, 'updated', baseline);
}

async function create(api: PackageApi, spec: PackageSpec): Promise<string> {
  try {
    const details = await api.createPackage({
      PackageName: spec.packageName,
      PackageType: spec.packageType as PackageDetails['PackageType'],
      PackageSource: { S3BucketName: spec.bucket, S3Key: spec.key },
      PackageDescription: spec.description,
      EngineVersion: spec.engineVersion,
    });
    if (!details.PackageID) throw new OperationFailed(`CreatePackage returned no PackageID for package ${spec.packageName}.`);
    return details.PackageID;
  } catch (error) {
    if (error instanceof OperationFailed) throw error;
    const hint = (error as { name?: string }).name === 'ResourceAlreadyExistsException'
      ? ' Package names are unique per account and Region: choose another packageName, or import the existing package with CustomPackage.fromPackageId.'
      : '';
    throw new OperationFailed(`CreatePackage failed for package ${spec.packageName}: ${describeError(error)}.${hint}`);
  }
}

/** isComplete: observes the package and reports whether the goal is reached. */
export async function checkPackageOperation(api: PackageApi, event: PackageIsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  const spec = parsePackageSpec(event.ResourceProperties);
  const packageId = event.PhysicalResourceId;
  const what = `Package ${spec.packageName} (${packageId})`;
  let lastSeen = 'not yet observed';
  const limits = {
    now,
    deadline: event.StartedAt + spec.waitSeconds * 1000,
    timedOut: () => `Timed out after ${spec.waitSeconds} seconds waiting for ${what} to ${event.Goal === 'deleted'
      ? 'be deleted (it may still exist: an association outside this stack can hold it)' : 'become AVAILABLE'} (last status: ${lastSeen}).`,
    explain: (error: unknown) => new OperationFailed(`${what}: ${describeError(error)}`),
  };
  return runStep(limits, async () => {
    const pkg = await api.describePackage(packageId);
    lastSeen = pkg?.PackageStatus ?? 'not found';
    const decision = decidePackage(event.Goal, pkg, event.Baseline);
    log('observed', { packageId, goal: event.Goal, status: lastSeen, version: pkg?.AvailablePackageVersion, decision: decision.kind });
    switch (decision.kind) {
      case 'done': return event.Goal === 'deleted' ? { IsComplete: true } : { IsComplete: true, Data: attributes(pkg!) };
      case 'fail': throw new OperationFailed(`${what}: ${decision.reason}`);
      default:
        if (now >= limits.deadline) throw new OperationFailed(limits.timedOut());
        return decision.kind === 'wait' ? notYet(decision.why) : remove(api, packageId);
    }
  });
}

async function remove(api: PackageApi, packageId: string): Promise<CheckResult> {
  try {
    await api.deletePackage(packageId);
  } catch (error) {
    // A ConflictException (still associated: a dissociation in flight, or a
    // domain outside this stack) is transient: runStep waits and retries.
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return { IsComplete: true };
    throw error;
  }
  return notYet('deletion requested');
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
