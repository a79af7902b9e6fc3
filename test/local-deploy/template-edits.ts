import { CfnResource, CfnTemplate, dependsOnList } from './cfn-template';

/** A deep copy of the template, to edit. */
function copy(template: CfnTemplate): { -readonly [K in keyof CfnTemplate]: CfnTemplate[K] } & { Resources: Record<string, CfnResource> } {
  const clone = JSON.parse(JSON.stringify(template)) as CfnTemplate;
  return { ...clone, Resources: { ...clone.Resources } };
}

function resourceOf(template: CfnTemplate, logicalId: string): CfnResource {
  const resource = template.Resources?.[logicalId];
  if (!resource) throw new Error(`No resource ${logicalId} in the template`);
  return resource;
}

/**
 * The template with some properties of one resource set to new values (an
 * `undefined` value removes the property), as a new version of the app
 * would synthesise it.
 */
export function withProperties(template: CfnTemplate, logicalId: string, changes: Record<string, unknown>): CfnTemplate {
  const edited = copy(template);
  const resource = resourceOf(edited, logicalId);
  const properties: Record<string, unknown> = { ...resource.Properties };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete properties[key];
    else properties[key] = value;
  }
  edited.Resources[logicalId] = { ...resource, Properties: properties };
  return edited;
}

/** The template without these resources (and without DependsOn entries naming them). */
export function withoutResources(template: CfnTemplate, logicalIds: string[]): CfnTemplate {
  const edited = copy(template);
  logicalIds.forEach(id => {
    resourceOf(edited, id);
    delete edited.Resources[id];
  });
  for (const [id, resource] of Object.entries(edited.Resources)) {
    const dependsOn = dependsOnList(resource).filter(name => !logicalIds.includes(name));
    edited.Resources[id] = { ...resource, DependsOn: dependsOn.length > 0 ? dependsOn : undefined };
  }
  return edited;
}

/** The template with one DependsOn entry of a resource removed, so that the two may run in parallel. */
export function withoutDependsOn(template: CfnTemplate, logicalId: string, dependency: string): CfnTemplate {
  const edited = copy(template);
  const resource = resourceOf(edited, logicalId);
  const dependsOn = dependsOnList(resource).filter(name => name !== dependency);
  edited.Resources[logicalId] = { ...resource, DependsOn: dependsOn.length > 0 ? dependsOn : undefined };
  return edited;
}

/** The next version label: `v1` becomes `v2`, `1.4` becomes `1.5`, anything else gets `-2` appended. */
export function nextVersionLabel(label: string | undefined): string {
  if (!label) return 'v2';
  const match = /^(.*?)(\d+)$/.exec(label);
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${label}-2`;
}

/**
 * The template with every Step Functions Retry rule limited to `maxAttempts`
 * (in each state machine's DefinitionString, plain or Fn::Join), e.g. to make
 * the Provider framework's waiter give up quickly.
 */
export function withWaiterAttempts(template: CfnTemplate, maxAttempts: number): CfnTemplate {
  const edited = copy(template);
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(/"MaxAttempts":\d+/g, `"MaxAttempts":${maxAttempts}`);
    if (Array.isArray(value)) return value.map(rewrite);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item)]));
    return value;
  };
  for (const [id, resource] of Object.entries(edited.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    edited.Resources[id] = { ...resource, Properties: { ...resource.Properties, DefinitionString: rewrite(resource.Properties?.DefinitionString) } };
  }
  return edited;
}
