import { CfnTemplate, isCustomResourceType } from './cfn-template';
import { StackIdentity } from './cloudformation-events';
import { DeployedResource } from './deployment-records';
import { evaluateCondition, IntrinsicContext, NO_VALUE, resolveIntrinsics } from './intrinsics';

/**
 * Resolves a template's conditions, resource properties and outputs against
 * the stack as deployed so far: Ref and Fn::GetAtt read the resources already
 * created, parameters take their defaults, pseudo parameters the stack's.
 */
export class TemplateResolver {
  private readonly conditions = new Map<string, boolean>();
  private readonly context: IntrinsicContext;

  public constructor(
    private readonly template: CfnTemplate,
    private readonly stack: StackIdentity,
    private readonly lookup: (logicalId: string) => DeployedResource | undefined,
  ) {
    this.context = {
      ref: name => this.ref(name),
      getAtt: (logicalId, attribute) => this.getAtt(logicalId, attribute),
      condition: name => this.condition(name),
      findInMap: (map, top, second) => {
        const mappings = (template.Mappings ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
        const value = mappings[map]?.[top]?.[second];
        if (value === undefined) throw new Error(`Fn::FindInMap: ${map}.${top}.${second} not found`);
        return value;
      },
    };
  }

  /** Whether the resource exists in this template: it has no Condition, or its Condition is true. */
  public isActive(logicalId: string): boolean {
    const condition = this.template.Resources?.[logicalId]?.Condition;
    return condition === undefined || this.condition(condition);
  }

  /** The resource's properties with every intrinsic function resolved. */
  public resolveProperties(logicalId: string): Record<string, unknown> {
    const resource = this.template.Resources?.[logicalId];
    if (!resource) throw new Error(`No resource ${logicalId} in the template`);
    return resolveIntrinsics(resource.Properties ?? {}, this.context) as Record<string, unknown>;
  }

  /** The stack's outputs, by output name; outputs that cannot be resolved are reported as errors. */
  public outputs(): Record<string, string> {
    const outputs: Record<string, string> = {};
    for (const [name, output] of Object.entries(this.template.Outputs ?? {})) {
      if (output.Condition && !this.condition(output.Condition)) continue;
      try {
        outputs[name] = String(resolveIntrinsics(output.Value, this.context));
      } catch (error) {
        outputs[name] = `<error: ${(error as Error).message}>`;
      }
    }
    return outputs;
  }

  private condition(name: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const expression = (this.template.Conditions ?? {})[name];
    if (expression === undefined) throw new Error(`Condition ${name} is not defined`);
    const value = evaluateCondition(expression, this.context);
    this.conditions.set(name, value);
    return value;
  }

  private ref(name: string): unknown {
    switch (name) {
      case 'AWS::Region': return this.stack.region;
      case 'AWS::AccountId': return this.stack.accountId;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return this.stack.stackName;
      case 'AWS::StackId': return this.stack.stackId;
      case 'AWS::NotificationARNs': return [];
      case 'AWS::NoValue': return NO_VALUE;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new Error(`Parameter ${name} has no default value`);
      return parameter.Default;
    }
    return this.deployed(name).provisioned.ref;
  }

  private getAtt(logicalId: string, attribute: string): unknown {
    const resource = this.deployed(logicalId);
    const value = resource.provisioned.attributes[attribute];
    if (value !== undefined) return value;
    if (isCustomResourceType(resource.definition.Type)) {
      throw new Error(`CustomResource attribute error: Vendor response doesn't contain ${attribute} attribute in object ${resource.provisioned.physicalId}`);
    }
    return `${resource.provisioned.physicalId}.${attribute}`;
  }

  private deployed(logicalId: string): DeployedResource {
    const resource = this.lookup(logicalId);
    if (!resource) throw new Error(`Unresolvable reference: ${logicalId} is not a parameter or a created resource`);
    return resource;
  }
}
