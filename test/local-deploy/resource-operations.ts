import { CfnResource, isCustomResourceType } from './cfn-template';
import { StackIdentity } from './cloudformation-events';
import { CustomResourceDispatcher } from './custom-resource-dispatcher';
import { DeployedResource, DeploymentObserver, DeploymentPhase, RequestRecord, ResourceTiming } from './deployment-records';
import { ProvisionedResource, StandInResources } from './stand-in-resources';
import type { StackEventRecord } from '../simulator/cloudformation-api';

/** Where a request belongs: the stack operation and its phase. */
export interface OperationContext {
  readonly operation: number;
  readonly phase: DeploymentPhase;
}

/** The result of creating, updating or deleting one resource. */
export interface ResourceResult {
  readonly ok: boolean;
  /** The resource after the change; on a failed Create, set when the response reported a physical id. */
  readonly provisioned?: ProvisionedResource;
  readonly reason?: string;
}

/**
 * Creates, updates and deletes one resource: custom resources through
 * requests to their ServiceToken, everything else through stand-ins.
 * Every custom resource request is recorded and reported to the observer.
 */
export class ResourceOperations {
  /** Every custom resource request, in the order the responses arrived. */
  public readonly records: RequestRecord[] = [];
  /** Every create, update and delete (stand-ins included), in the order they ended. */
  public readonly timings: ResourceTiming[] = [];
  /** Failures scheduled for stand-in resources, by logical id and action. */
  private readonly scheduledFailures = new Map<string, string>();
  /** The stack's events so far, oldest first, as DescribeStackEvents gives them (newest first). */
  public readonly events: StackEventRecord[] = [];
  /** Each resource's status as CloudFormation reports it (`CREATE_IN_PROGRESS`, `UPDATE_COMPLETE`...) and type, by logical id. */
  private readonly statuses = new Map<string, { readonly status: string; readonly resourceType: string }>();

  public constructor(
    private readonly stack: StackIdentity,
    private readonly dispatcher: CustomResourceDispatcher,
    private readonly standIns: StandInResources,
    private readonly observer: DeploymentObserver,
  ) {}

  /**
   * Makes the next Create, Update or Delete of a stand-in resource fail with
   * this reason, as a resource of the stack that CloudFormation fails to
   * change would (to make a later resource of an update fail, so that the
   * update rolls back).
   */
  public failNext(logicalId: string, action: ResourceTiming['action'], reason: string): void {
    this.scheduledFailures.set(`${action} ${logicalId}`, reason);
  }

  /** Drops the failures scheduled with {@link failNext} that have not happened. */
  public clearScheduledFailures(): void {
    this.scheduledFailures.clear();
  }

  /** Notes an event of the stack itself (`UPDATE_IN_PROGRESS` when an operation starts, ...). */
  public noteStackStatus(status: string): void {
    this.events.push({ logicalId: this.stack.stackName, physicalId: this.stack.stackId, resourceType: 'AWS::CloudFormation::Stack', status, timestamp: Date.now() });
  }

  /** Notes that CloudFormation left a resource in place instead of deleting it (its DeletionPolicy or UpdateReplacePolicy retains it). */
  public noteDeletionSkipped(resource: DeployedResource): void {
    this.events.push({
      logicalId: resource.logicalId, physicalId: resource.provisioned.physicalId, resourceType: resource.definition.Type, status: 'DELETE_SKIPPED', timestamp: Date.now(),
    });
  }

  /** The resource's status from its last change (`CREATE_COMPLETE` for one that has not been changed by this player). */
  public statusOf(logicalId: string): string {
    return this.statuses.get(logicalId)?.status ?? 'CREATE_COMPLETE';
  }

  /** The resources being created now (they have no physical id yet), with their types. */
  public get creating(): Array<{ readonly logicalId: string; readonly resourceType: string }> {
    return [...this.statuses].filter(([, { status }]) => status === 'CREATE_IN_PROGRESS').map(([logicalId, { resourceType }]) => ({ logicalId, resourceType }));
  }

  /** Creates the resource. */
  public create(
    context: OperationContext, logicalId: string, definition: CfnResource, properties: Record<string, unknown>,
  ): Promise<ResourceResult> {
    return this.timed(context, logicalId, definition.Type, undefined, 'Create', () => this.createNow(context, logicalId, definition, properties));
  }

  /** Updates the resource; a result with another physical id means it was replaced. */
  public update(
    context: OperationContext, current: DeployedResource, definition: CfnResource, properties: Record<string, unknown>,
  ): Promise<ResourceResult> {
    return this.timed(context, current.logicalId, definition.Type, current.provisioned.physicalId, 'Update', () => this.updateNow(context, current, definition, properties));
  }

  /** Deletes the resource. */
  public delete(context: OperationContext, current: DeployedResource): Promise<ResourceResult> {
    return this.timed(context, current.logicalId, current.definition.Type, current.provisioned.physicalId, 'Delete', () => this.deleteNow(context, current));
  }

  /** Runs a change, records how long it took, and notes its events. */
  private async timed(
    context: OperationContext, logicalId: string, resourceType: string, physicalId: string | undefined, action: ResourceTiming['action'],
    change: () => Promise<ResourceResult>,
  ): Promise<ResourceResult> {
    const startedAt = Date.now();
    const status = action.toUpperCase();
    let ok = false;
    let result: ResourceResult | undefined;
    this.statuses.set(logicalId, { status: `${status}_IN_PROGRESS`, resourceType });
    this.events.push({ logicalId, physicalId, resourceType, status: `${status}_IN_PROGRESS`, timestamp: startedAt });
    try {
      result = await change();
      ok = result.ok;
      return result;
    } finally {
      const ended = `${status}_${ok ? 'COMPLETE' : 'FAILED'}`;
      this.statuses.set(logicalId, { status: ended, resourceType });
      const provisioned = result?.provisioned?.physicalId ?? physicalId;
      this.events.push({ logicalId, physicalId: provisioned, resourceType, status: ended, reason: result?.reason, timestamp: Date.now() });
      const endedAt = Date.now();
      this.timings.push({ ...context, logicalId, resourceType, action, ok, startedAt, endedAt, elapsedMs: endedAt - startedAt });
    }
  }

  private async createNow(
    context: OperationContext, logicalId: string, definition: CfnResource, properties: Record<string, unknown>,
  ): Promise<ResourceResult> {
    if (!isCustomResourceType(definition.Type)) {
      return this.standIn(context, logicalId, definition, () => this.standIns.create({ stack: this.stack, logicalId, resource: definition, properties }), 'Create');
    }
    const record = await this.request(context, { requestType: 'Create', logicalId, resourceType: definition.Type, properties });
    const provisioned = record.physicalId ? customProvisioned(record.physicalId, record.data) : undefined;
    return { ok: record.status === 'SUCCESS', provisioned, reason: record.reason };
  }

  private async updateNow(
    context: OperationContext, current: DeployedResource, definition: CfnResource, properties: Record<string, unknown>,
  ): Promise<ResourceResult> {
    const { logicalId } = current;
    if (!isCustomResourceType(definition.Type)) {
      const request = { stack: this.stack, logicalId, resource: definition, properties };
      return this.standIn(context, logicalId, definition, () => this.standIns.update(request, current.provisioned, current.properties), 'Update');
    }
    const record = await this.request(context, {
      requestType: 'Update',
      logicalId,
      resourceType: definition.Type,
      properties,
      oldProperties: current.properties,
      physicalId: current.provisioned.physicalId,
    });
    if (record.status !== 'SUCCESS') return { ok: false, reason: record.reason };
    return { ok: true, provisioned: customProvisioned(record.physicalId ?? current.provisioned.physicalId, record.data) };
  }

  private async deleteNow(context: OperationContext, current: DeployedResource): Promise<ResourceResult> {
    const { definition } = current;
    if (!isCustomResourceType(definition.Type)) {
      return this.standIn(undefined, current.logicalId, definition, () => {
        this.standIns.delete({ resource: definition }, current.provisioned);
        return current.provisioned;
      }, 'Delete');
    }
    const record = await this.request(context, {
      requestType: 'Delete',
      logicalId: current.logicalId,
      resourceType: definition.Type,
      properties: current.properties,
      physicalId: current.provisioned.physicalId,
    });
    return { ok: record.status === 'SUCCESS', reason: record.reason };
  }

  /** Runs a stand-in change; reports creates and updates (context set) to the observer. */
  private async standIn(
    context: OperationContext | undefined, logicalId: string, definition: CfnResource, change: () => ProvisionedResource,
    action: ResourceTiming['action'],
  ): Promise<ResourceResult> {
    const scheduled = this.scheduledFailures.get(`${action} ${logicalId}`);
    if (scheduled !== undefined) {
      this.scheduledFailures.delete(`${action} ${logicalId}`);
      return { ok: false, reason: scheduled };
    }
    try {
      const provisioned = change();
      if (context) this.observer.resourceProvisioned?.({ ...context, logicalId, resourceType: definition.Type, physicalId: provisioned.physicalId });
      return { ok: true, provisioned };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }

  private async request(
    context: OperationContext,
    request: Parameters<CustomResourceDispatcher['send']>[1],
  ): Promise<RequestRecord> {
    const { operation, phase } = context;
    this.observer.requestStarted?.({ operation, phase, logicalId: request.logicalId, requestType: request.requestType, physicalId: request.physicalId });
    const outcome = await this.dispatcher.send(this.stack, request);
    const record: RequestRecord = {
      operation,
      phase,
      logicalId: request.logicalId,
      resourceType: request.resourceType,
      requestType: request.requestType,
      physicalIdSent: request.physicalId,
      status: outcome.status,
      reason: outcome.reason,
      physicalId: outcome.physicalId,
      data: outcome.data,
      elapsedMs: outcome.elapsedMs,
      outcome,
    };
    this.records.push(record);
    this.observer.requestFinished?.(record);
    return record;
  }
}

/** A custom resource's Ref is its physical id; its attributes are the response's Data. */
function customProvisioned(physicalId: string, data: Record<string, unknown>): ProvisionedResource {
  return { physicalId, ref: physicalId, attributes: data };
}
