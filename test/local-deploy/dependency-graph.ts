import { CfnTemplate, dependsOnList } from './cfn-template';
import { referencedNames } from './intrinsics';

/**
 * Which resources of a template depend on which: through DependsOn, Ref,
 * Fn::GetAtt and Fn::Sub, as CloudFormation orders its work.
 */
export class DependencyGraph {
  /**
   * The graph of the template's resources for which `isActive` holds (those
   * whose Condition is true). References to inactive resources are ignored.
   */
  public static fromTemplate(template: CfnTemplate, isActive: (logicalId: string) => boolean = () => true): DependencyGraph {
    const resources = template.Resources ?? {};
    const nodes = Object.keys(resources).filter(isActive);
    const known = new Set(nodes);
    const edges = new Map<string, Set<string>>();
    for (const id of nodes) {
      const resource = resources[id];
      const names = referencedNames(resource.Properties);
      dependsOnList(resource).forEach(name => names.add(name));
      edges.set(id, new Set([...names].filter(name => known.has(name) && name !== id)));
    }
    return new DependencyGraph(nodes, edges);
  }

  private constructor(
    /** Every resource, in template order. */
    public readonly nodes: readonly string[],
    private readonly edges: ReadonlyMap<string, ReadonlySet<string>>,
  ) {
    this.topologicalOrder(); // fails early on a cycle
  }

  /** The resources this one waits for. */
  public dependenciesOf(id: string): ReadonlySet<string> {
    return this.edges.get(id) ?? new Set();
  }

  /** The resources that wait for this one. */
  public dependentsOf(id: string): string[] {
    return this.nodes.filter(node => this.dependenciesOf(node).has(id));
  }

  /** Whether the resource is in the graph. */
  public has(id: string): boolean {
    return this.edges.has(id);
  }

  /** Every resource after all of its dependencies; throws on a cycle. */
  public topologicalOrder(): string[] {
    const order: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, path: string[]) => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') throw new Error(`Circular dependency between resources: ${[...path, id].join(' -> ')}`);
      state.set(id, 'visiting');
      for (const dependency of this.dependenciesOf(id)) visit(dependency, [...path, id]);
      state.set(id, 'done');
      order.push(id);
    };
    this.nodes.forEach(id => visit(id, []));
    return order;
  }

  /**
   * The graph of a subset of the resources. A dependency that ran through a
   * resource left out is kept, so that the subset is still ordered correctly.
   */
  public subset(ids: Iterable<string>): DependencyGraph {
    const keep = new Set([...ids].filter(id => this.has(id)));
    const edges = new Map<string, Set<string>>();
    for (const id of keep) {
      const reached = new Set<string>();
      const pending = [...this.dependenciesOf(id)];
      const seen = new Set<string>();
      while (pending.length > 0) {
        const next = pending.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        if (keep.has(next)) reached.add(next);
        else pending.push(...this.dependenciesOf(next));
      }
      edges.set(id, reached);
    }
    return new DependencyGraph(this.nodes.filter(id => keep.has(id)), edges);
  }
}
