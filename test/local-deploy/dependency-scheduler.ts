import { DependencyGraph } from './dependency-graph';

/** Options of {@link runInDependencyOrder}. */
export interface ScheduleOptions {
  /**
   * `forward` runs a resource after its dependencies (create, update);
   * `reverse` runs it after its dependents (delete).
   */
  readonly direction: 'forward' | 'reverse';
  /**
   * `stop`: after a failure, start nothing new (CloudFormation's create and
   * update). `continue`: keep going, skipping only what waits for a failed
   * resource (CloudFormation's delete).
   */
  readonly onFailure: 'stop' | 'continue';
}

/** What happened to each resource of a schedule. */
export interface ScheduleResult {
  /** In completion order. */
  readonly succeeded: string[];
  readonly failed: string[];
  /** Never started: blocked by a failure, or stopped. */
  readonly notStarted: string[];
}

/**
 * Runs `action` on every resource of the graph, each as soon as the ones it
 * must follow are done, and independent ones in parallel, as CloudFormation
 * does. An action fails by resolving to false or by throwing.
 */
export async function runInDependencyOrder(
  graph: DependencyGraph,
  action: (logicalId: string) => Promise<boolean>,
  options: ScheduleOptions,
): Promise<ScheduleResult> {
  const mustFollow = (id: string): Iterable<string> =>
    options.direction === 'forward' ? graph.dependenciesOf(id) : graph.dependentsOf(id);
  const succeeded: string[] = [];
  const failed: string[] = [];
  const started = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const blocked = (id: string) => [...mustFollow(id)].some(other => failed.includes(other) || !succeeded.includes(other));
  const launchReady = () => {
    if (stopped) return;
    for (const id of graph.nodes) {
      if (started.has(id) || blocked(id)) continue;
      started.add(id);
      running.set(id, (async () => {
        let ok: boolean;
        try {
          ok = await action(id);
        } catch {
          ok = false;
        }
        running.delete(id);
        (ok ? succeeded : failed).push(id);
        if (!ok && options.onFailure === 'stop') stopped = true;
        launchReady();
      })());
    }
  };

  launchReady();
  while (running.size > 0) await Promise.race(running.values());
  return { succeeded, failed, notStarted: graph.nodes.filter(id => !started.has(id)) };
}
