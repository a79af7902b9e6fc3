/**
 * What the CLI's scenario prints after a step: what became of the edited
 * package and the associations that follow it, and in which order the stack
 * deleted packages and their associations; read from the operation's records
 * and timings and from the simulator.
 */
import { CfnTemplate } from './cfn-template';
import { DeployedResource, ResourceTiming } from './deployment-records';
import { associationStatus, SimulatorView } from './domain-report';
import { NameOf, PlannedUpdate } from './scenario-plans';
import { StackOperationResult } from './stack-lifecycle';
import { associationsFollowing, PACKAGE_TYPE, resourcesOfType, setsFollowing } from './template-queries';

/** What a report reads besides the operation's result. */
export interface ReportSources {
  readonly simulator: SimulatorView;
  /** The stack's resources after the operation. */
  readonly resources: ReadonlyMap<string, DeployedResource>;
  readonly nameOf: NameOf;
}

function timingOf(result: StackOperationResult, logicalId: string, action: ResourceTiming['action']): ResourceTiming | undefined {
  return result.timings.find(t => t.logicalId === logicalId && t.action === action && t.phase !== 'rollback');
}

function callsIn(simulator: SimulatorView, result: StackOperationResult, operation: string): number {
  return simulator.calls.filter(call => call.operation === operation && call.at >= result.startedAt).length;
}

/**
 * After a source change: the package's version before and after, whether it
 * kept its ID, how often UpdatePackage was called, and for each domain set
 * that follows it, its update and the version the domain ends with.
 */
export function sourceChangeReport(plan: PlannedUpdate, before: DeployedResource | undefined, result: StackOperationResult, sources: ReportSources): string[] {
  const { simulator, resources, nameOf } = sources;
  const update = result.records.find(r => r.logicalId === plan.target && r.requestType === 'Update' && r.phase === 'update');
  if (!update) return [`  result: ${nameOf(plan.target)} was not updated`];
  const oldVersion = String(before?.provisioned.attributes.AvailablePackageVersion ?? '?');
  const newVersion = String(update.data.AvailablePackageVersion ?? '?');
  const kept = update.physicalId === update.physicalIdSent ? 'same package ID, updated in place' : `a new package (was ${update.physicalIdSent})`;
  const lines = [`  result: package ${update.physicalId} ${update.status}: version ${oldVersion} -> ${newVersion} (${kept}; `
    + `UpdatePackage called ${callsIn(simulator, result, 'UpdatePackage')} time(s))`];
  const packageDone = timingOf(result, plan.target, 'Update')?.endedAt;
  const packageId = String(update.data.PackageID ?? '?');
  for (const follower of plan.followers) {
    const record = result.records.find(r => r.logicalId === follower && r.requestType === 'Update' && r.phase === 'update');
    if (!record) {
      lines.push(`  result: ${nameOf(follower)} was not updated`);
      continue;
    }
    const started = timingOf(result, follower, 'Update')?.startedAt;
    const after = packageDone !== undefined && started !== undefined ? `, started ${started - packageDone} ms after the package's Update ended` : '';
    lines.push(`  result: ${nameOf(follower)} Update ${record.status}${after}; AssociatePackages called ${callsIn(simulator, result, 'AssociatePackages')} time(s)`);
    const domainName = String(resources.get(follower)?.properties.DomainName);
    lines.push(`  result: domain ${domainName} ends with ${packageId} ${associationStatus(simulator, { DomainName: domainName, PackageID: packageId })}`);
  }
  return lines;
}

/**
 * After the stack's deletion: for each package of the stack, whether its
 * Delete came after the domain sets and associations that hold it had let
 * go, and how often DeletePackage was called.
 */
export function deletionOrderReport(template: CfnTemplate, result: StackOperationResult, nameOf: NameOf, simulator: SimulatorView): string[] {
  const lines: string[] = [];
  for (const pkg of resourcesOfType(template, PACKAGE_TYPE)) {
    const deleted = timingOf(result, pkg, 'Delete');
    if (!deleted) {
      lines.push(`  result: ${nameOf(pkg)} was not deleted (retained)`);
      continue;
    }
    const followers = [...setsFollowing(template, pkg), ...associationsFollowing(template, pkg)];
    const ends = followers.map(id => timingOf(result, id, 'Delete')?.endedAt).filter((end): end is number => end !== undefined);
    const order = ends.length === 0
      ? 'no association of the stack held it'
      : `${followers.map(nameOf).join(', ')} had left the domain ${deleted.startedAt - Math.max(...ends)} ms before`;
    lines.push(`  result: ${nameOf(pkg)} Delete ${deleted.ok ? 'SUCCESS' : 'FAILED'} in ${deleted.elapsedMs} ms; ${order}`);
  }
  if (lines.length > 0) lines.push(`  result: DeletePackage called ${callsIn(simulator, result, 'DeletePackage')} time(s)`);
  return lines;
}
