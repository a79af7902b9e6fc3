/**
 * The parts of a CloudFormation template the local deploy reads, and the
 * policies CloudFormation applies to a resource when it is deleted or replaced.
 */

/** A CloudFormation template, as synthesised into the cloud assembly. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, CfnParameter>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, CfnOutput>;
  readonly [section: string]: unknown;
}

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  /** For a domain, `EnableVersionUpgrade` makes an EngineVersion change an upgrade in place rather than a replacement. */
  readonly UpdatePolicy?: { readonly EnableVersionUpgrade?: boolean };
  readonly Metadata?: Record<string, unknown>;
}

/** One template parameter. */
export interface CfnParameter {
  readonly Type: string;
  readonly Default?: unknown;
}

/** One stack output. */
export interface CfnOutput {
  readonly Value: unknown;
  readonly Export?: { readonly Name: unknown };
  readonly Condition?: string;
}

/** What CloudFormation does with a resource's physical instance when it leaves the stack. */
export type RemovalBehaviour = 'delete' | 'retain';

/**
 * What happens when the resource is deleted: with the stack, or because the
 * template no longer has it. `RetainExceptOnCreate` retains too, except when
 * the resource was created by the very operation that is rolling back.
 */
export function deletionBehaviour(resource: CfnResource, createdByRollingBackOperation: boolean): RemovalBehaviour {
  switch (resource.DeletionPolicy) {
    case 'Retain': return 'retain';
    case 'RetainExceptOnCreate': return createdByRollingBackOperation ? 'delete' : 'retain';
    default: return 'delete';
  }
}

/** What happens to the old physical instance when an update replaces it. */
export function replacementBehaviour(resource: CfnResource): RemovalBehaviour {
  return resource.UpdateReplacePolicy === 'Retain' ? 'retain' : 'delete';
}

/** The logical ids the resource names in DependsOn. */
export function dependsOnList(resource: CfnResource): string[] {
  const value = resource.DependsOn;
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}

/** Whether the type is a custom resource (`Custom::*` or `AWS::CloudFormation::CustomResource`). */
export function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}
