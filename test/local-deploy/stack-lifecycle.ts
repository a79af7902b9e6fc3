import { isDeepStrictEqual } from 'util';
import { CfnResource, CfnTemplate, deletionBehaviour, replacementBehaviour } from './cfn-template';
import { StackIdentity } from './cloudformation-events';
import { DependencyGraph } from './dependency-graph';
import { runInDependencyOrder } from './dependency-scheduler';
import { DeployedResource, DeploymentObserver, DeploymentPhase, RequestRecord, ResourceTiming } from './deployment-records';
import { OperationContext, ResourceOperations, ResourceResult } from './resource-operations';
import { TemplateResolver } from './template-resolver';

/** The stack statuses a local operation ends in. */
export type StackStatus =
  | 'CREATE_COMPLETE' | 'ROLLBACK_COMPLETE' | 'ROLLBACK_FAILED'
  | 'UPDATE_COMPLETE' | 'UPDATE_ROLLBACK_COMPLETE' | 'UPDATE_ROLLBACK_FAILED'
  | 'DELETE_COMPLETE' | 'DELETE_FAILED';

/** A resource that failed, and why. */
export interface ResourceFailure {
  readonly logicalId: string;
  readonly phase: DeploymentPhase;
  readonly reason: string;
}

/** The end of a stack operation. */
export interface StackOperationResult {
  readonly operation: number;
  readonly status: StackStatus;
  /** Every failure, forward and during rollback or cleanup. */
  readonly failures: ResourceFailure[];
  /** The custom resource requests of this operation. */
  readonly records: RequestRecord[];
  /** When the operation started (epoch milliseconds). */
  readonly startedAt: number;
  /** The operation's wall-clock time, from its start to its final status. */
  readonly elapsedMs: number;
  /** How long each resource change of this operation took (stand-ins included; retained resources take none), in the order they ended. */
  readonly timings: ResourceTiming[];
}

/** Where a stack operation began: its number, its start, and what had been recorded before it. */
interface OperationStart {
  readonly operation: number;
  readonly startedAt: number;
  readonly firstRecord: number;
  readonly firstTiming: number;
}

/** An update made in the forward phase, to undo on rollback. */
interface UpdateMade {
  readonly before: DeployedResource;
  readonly attempted: Record<string, unknown>;
}

/** A physical resource an update replaced, deleted in the cleanup phase (unless its UpdateReplacePolicy retains it). */
interface Superseded {
  readonly resource: DeployedResource;
  readonly policy: CfnResource;
}

/**
 * CloudFormation's stack lifecycle, locally: creates and updates resources in
 * dependency order (independent ones in parallel), deletes replaced and
 * removed resources in the cleanup phase, rolls back a failed create (delete
 * everything created, the failed resource included) or a failed update
 * (update back with old and new properties swapped, then delete what was
 * created), and deletes the stack in reverse order, honouring DeletionPolicy
 * and UpdateReplacePolicy.
 */
export class StackLifecycle {
  private readonly state = new Map<string, DeployedResource>();
  private template: CfnTemplate | undefined;
  private operationCount = 0;
  private failures: ResourceFailure[] = [];

  public constructor(
    private readonly stack: StackIdentity,
    private readonly operations: ResourceOperations,
    private readonly observer: DeploymentObserver,
  ) {}

  /** The resources the stack holds now. */
  public get resources(): ReadonlyMap<string, DeployedResource> {
    return this.state;
  }

  /** The template last deployed successfully; undefined when the stack does not exist. */
  public get deployedTemplate(): CfnTemplate | undefined {
    return this.template;
  }

  /** The stack's outputs, resolved against its resources. */
  public outputs(): Record<string, string> {
    return this.template ? this.resolver(this.template).outputs() : {};
  }

  /** Creates the stack, or updates it to the template; rolls back on failure. */
  public async deploy(template: CfnTemplate): Promise<StackOperationResult> {
    const start = this.begin();
    const creating = this.template === undefined;
    this.operations.noteStackStatus(creating ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS');
    const context: OperationContext = { operation: start.operation, phase: creating ? 'create' : 'update' };
    const resolver = this.resolver(template);
    const graph = DependencyGraph.fromTemplate(template, id => resolver.isActive(id));
    const created: string[] = [];
    const updated = new Map<string, UpdateMade>();
    const superseded: Superseded[] = [];

    const forward = await runInDependencyOrder(graph, async id => {
      const definition = template.Resources![id];
      const current = this.state.get(id);
      let properties: Record<string, unknown>;
      try {
        if (current && current.definition.Type !== definition.Type) throw new Error(`Changing the type of ${id} is not supported locally`);
        properties = resolver.resolveProperties(id);
      } catch (error) {
        return this.failed(context, id, { ok: false, reason: (error as Error).message });
      }
      if (!current) {
        const result = await this.operations.create(context, id, definition, properties);
        if (result.provisioned) {
          this.state.set(id, { logicalId: id, definition, properties, provisioned: result.provisioned, createFailed: !result.ok });
          created.push(id);
        }
        return this.failed(context, id, result);
      }
      if (isDeepStrictEqual(current.properties, properties)) {
        this.state.set(id, { ...current, definition });
        return true;
      }
      const result = await this.operations.update(context, current, definition, properties);
      updated.set(id, { before: current, attempted: properties });
      if (!result.ok || !result.provisioned) return this.failed(context, id, result);
      if (result.provisioned.physicalId !== current.provisioned.physicalId) superseded.push({ resource: current, policy: definition });
      this.state.set(id, { logicalId: id, definition, properties, provisioned: result.provisioned });
      return true;
    }, { direction: 'forward', onFailure: 'stop' });

    if (forward.failed.length === 0) {
      const cleanup: OperationContext = { operation: start.operation, phase: 'cleanup' };
      const removed = [...this.state.keys()].filter(id => !graph.has(id));
      if (this.template) await this.deleteInOrder(cleanup, this.graphOf(this.template), removed, new Set(), superseded);
      this.template = template;
      return this.end(start, creating ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE');
    }

    const rollback: OperationContext = { operation: start.operation, phase: 'rollback' };
    this.operations.noteStackStatus(creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS');
    if (creating) {
      const ok = await this.deleteInOrder(rollback, graph, [...this.state.keys()], new Set(created));
      if (!ok) this.template = template;
      return this.end(start, ok ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED');
    }
    const rolledBack = await this.rollBackUpdates(rollback, updated);
    this.restoreDefinitions();
    const cleanup: OperationContext = { operation: start.operation, phase: 'cleanup' };
    await this.deleteInOrder(cleanup, graph, created, new Set(created), rolledBack.superseded);
    return this.end(start, rolledBack.ok ? 'UPDATE_ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_FAILED');
  }

  /** Deletes the stack: every resource in reverse dependency order, retaining those whose DeletionPolicy says so. */
  public async destroy(): Promise<StackOperationResult> {
    const start = this.begin();
    this.operations.noteStackStatus('DELETE_IN_PROGRESS');
    if (!this.template) return this.end(start, 'DELETE_COMPLETE');
    const ok = await this.deleteInOrder({ operation: start.operation, phase: 'delete' }, this.graphOf(this.template), [...this.state.keys()], new Set());
    if (ok) this.template = undefined;
    return this.end(start, ok ? 'DELETE_COMPLETE' : 'DELETE_FAILED');
  }

  /** Sends every forward update back: old properties as the new ones, in the old template's dependency order. */
  private async rollBackUpdates(context: OperationContext, updated: ReadonlyMap<string, UpdateMade>): Promise<{ ok: boolean; superseded: Superseded[] }> {
    const superseded: Superseded[] = [];
    const graph = this.graphOf(this.template!).subset(updated.keys());
    const result = await runInDependencyOrder(graph, async id => {
      const { before, attempted } = updated.get(id)!;
      const current = { ...this.state.get(id)!, properties: attempted };
      const result = await this.operations.update(context, current, before.definition, before.properties);
      if (!result.ok || !result.provisioned) return this.failed(context, id, result);
      if (result.provisioned.physicalId !== current.provisioned.physicalId) superseded.push({ resource: current, policy: before.definition });
      this.state.set(id, { ...before, provisioned: result.provisioned });
      return true;
    }, { direction: 'forward', onFailure: 'stop' });
    return { ok: result.failed.length === 0 && result.notStarted.length === 0, superseded };
  }

  /**
   * Gives every resource of the previous template its definition there back:
   * a rollback restores the whole template, including the DeletionPolicy of a
   * resource whose properties did not change (and so was not updated).
   */
  private restoreDefinitions(): void {
    for (const [id, resource] of this.state) {
      const definition = this.template?.Resources?.[id];
      if (definition) this.state.set(id, { ...resource, definition });
    }
  }

  /**
   * Deletes the resources, and the physical resources updates replaced, in
   * reverse dependency order (as the cleanup phase does: a resource removed
   * from the template goes before the replaced one it referred to); true when
   * none failed, or when only the cleanup phase's failed (they do not fail the
   * stack).
   */
  private async deleteInOrder(
    context: OperationContext, graph: DependencyGraph, ids: string[], createdNow: ReadonlySet<string>, superseded: Superseded[] = [],
  ): Promise<boolean> {
    const replaced = new Map(superseded.map(entry => [entry.resource.logicalId, entry]));
    const result = await runInDependencyOrder(graph.subset([...ids, ...replaced.keys()]), async id => {
      const old = replaced.get(id);
      if (old) return this.deleteSuperseded(context, old);
      const current = this.state.get(id)!;
      if (deletionBehaviour(current.definition, createdNow.has(id)) === 'retain') {
        this.state.delete(id);
        this.operations.noteDeletionSkipped(current);
        this.observer.resourceRetained?.({ ...context, logicalId: id, physicalId: current.provisioned.physicalId, policy: 'DeletionPolicy' });
        return true;
      }
      const result = await this.operations.delete(context, current);
      // A Delete that fails in the cleanup phase does not fail the stack: the resource leaves it all the same (the real
      // thing is left behind), and the cleanup goes on with what it referred to.
      const leaves = result.ok || context.phase === 'cleanup';
      if (leaves) this.state.delete(id);
      return this.failed(context, id, result) || leaves;
    }, { direction: 'reverse', onFailure: 'continue' });
    return result.failed.length === 0 && result.notStarted.length === 0;
  }

  private async deleteSuperseded(context: OperationContext, { resource, policy }: Superseded): Promise<boolean> {
    if (replacementBehaviour(policy) === 'retain') {
      this.operations.noteDeletionSkipped(resource);
      this.observer.resourceRetained?.({ ...context, logicalId: resource.logicalId, physicalId: resource.provisioned.physicalId, policy: 'UpdateReplacePolicy' });
      return true;
    }
    this.failed(context, resource.logicalId, await this.operations.delete(context, resource));
    return true;
  }

  /** Notes a failure (if any); returns whether the result was a success. */
  private failed(context: OperationContext, logicalId: string, result: ResourceResult): boolean {
    if (!result.ok) this.failures.push({ logicalId, phase: context.phase, reason: result.reason ?? 'failed' });
    return result.ok;
  }

  private resolver(template: CfnTemplate): TemplateResolver {
    return new TemplateResolver(template, this.stack, id => this.state.get(id));
  }

  private graphOf(template: CfnTemplate): DependencyGraph {
    return DependencyGraph.fromTemplate(template, id => this.state.has(id));
  }

  private begin(): OperationStart {
    this.failures = [];
    const { records, timings } = this.operations;
    return { operation: ++this.operationCount, startedAt: Date.now(), firstRecord: records.length, firstTiming: timings.length };
  }

  private end(start: OperationStart, status: StackStatus): StackOperationResult {
    const elapsedMs = Date.now() - start.startedAt;
    this.operations.noteStackStatus(status);
    this.observer.stackStatus?.(start.operation, status, elapsedMs);
    return {
      operation: start.operation,
      status,
      failures: this.failures,
      records: this.operations.records.slice(start.firstRecord),
      startedAt: start.startedAt,
      elapsedMs,
      timings: this.operations.timings.slice(start.firstTiming),
    };
  }
}
