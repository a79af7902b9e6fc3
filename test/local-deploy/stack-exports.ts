import { CfnTemplate } from './cfn-template';

/** What an export holds: its value, and the stack that exports it. */
interface ExportedValue {
  readonly stackName: string;
  readonly value: string;
}

/**
 * The CloudFormation exports of one account and Region, and the resolution of
 * `Fn::ImportValue` against them. CloudFormation resolves an import to the
 * exported value when the importing stack is deployed, as it resolves a
 * parameter; {@link resolveImports} does the same to a template before it is
 * handed to a local deployment, whose resolver then sees the value.
 */
export class StackExports {
  private readonly exported = new Map<string, ExportedValue>();

  /**
   * Records the exports of a stack that was just deployed: every output of its
   * template with an `Export`, with the value the deployment resolved. An
   * export name another stack holds is refused, as CloudFormation refuses it.
   */
  public publish(stackName: string, template: CfnTemplate, outputs: Record<string, string>): void {
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      if (!output.Export) continue;
      const exportName = output.Export.Name;
      if (typeof exportName !== 'string') throw new Error(`Output ${name} of ${stackName}: only a literal export name is supported locally`);
      const holder = this.exported.get(exportName);
      if (holder && holder.stackName !== stackName) throw new Error(`Export ${exportName} cannot be created as it is already exported by stack ${holder.stackName}`);
      this.exported.set(exportName, { stackName, value: outputs[name] });
    }
  }

  /** Forgets the exports of a stack that was deleted. */
  public withdraw(stackName: string): void {
    for (const [name, { stackName: holder }] of this.exported) if (holder === stackName) this.exported.delete(name);
  }

  /** The template with every `Fn::ImportValue` of a literal export name replaced by the exported value. */
  public resolveImports(template: CfnTemplate): CfnTemplate {
    return this.resolve(template) as CfnTemplate;
  }

  private resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(item => this.resolve(item));
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === 'Fn::ImportValue') {
      const name = entries[0][1];
      if (typeof name !== 'string') throw new Error(`Fn::ImportValue: only a literal export name is supported locally, got ${JSON.stringify(name)}`);
      const exported = this.exported.get(name);
      if (!exported) throw new Error(`No export named ${name} found.`);
      return exported.value;
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.resolve(item)]));
  }
}
