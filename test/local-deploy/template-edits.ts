import { createHash } from 'crypto';
import { isDeepStrictEqual } from 'util';
import { CfnResource, CfnTemplate, dependsOnList } from './cfn-template';
import { groupsOf, propertyOf, setOf, TemplateEntry, TemplateGroup } from './template-queries';

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

/** A source change of a package: the template that has it, and what changed. */
export interface SourceChange {
  readonly template: CfnTemplate;
  readonly oldKey: string;
  readonly newKey: string;
  /** True when a 64-hex-digit asset hash in the key was replaced, as a new asset hash would; false when a suffix was added. */
  readonly assetHash: boolean;
  /** The other resources whose properties held the old hash (such as the policy that lets the handler read the object). */
  readonly alsoChanged: string[];
}

const ASSET_HASH = /[0-9a-f]{64}/;

/** Another 64-hex-digit hash, derived from the old one (so repeatable). */
function anotherHash(hash: string): string {
  return createHash('sha256').update(`${hash} edited`).digest('hex');
}

/** Replaces `from` with `to` in every string of the value, at any depth. */
function replaceInStrings(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map(item => replaceInStrings(item, from, to));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceInStrings(item, from, to)]));
  }
  return value;
}

/**
 * The template a new version of the app would synthesise after the source
 * file of a package (its S3Key a literal) was edited: the asset hash in the
 * key becomes `newHash` (default: another hash derived from the old one)
 * wherever the template holds it, as the CDK writes it into the key and into
 * the permission to read the object. A key without an asset hash gets `-2`
 * before its extension, in that package only.
 */
export function withChangedSource(template: CfnTemplate, logicalId: string, newHash?: string): SourceChange {
  const oldKey = resourceOf(template, logicalId).Properties?.S3Key;
  if (typeof oldKey !== 'string') throw new Error(`${logicalId} has no literal S3Key to change (got ${JSON.stringify(oldKey)})`);
  const hash = ASSET_HASH.exec(oldKey)?.[0];
  if (!hash) {
    const dot = oldKey.lastIndexOf('.');
    const newKey = dot > oldKey.lastIndexOf('/') ? `${oldKey.slice(0, dot)}-2${oldKey.slice(dot)}` : `${oldKey}-2`;
    return { template: withProperties(template, logicalId, { S3Key: newKey }), oldKey, newKey, assetHash: false, alsoChanged: [] };
  }
  const replacement = newHash ?? anotherHash(hash);
  const edited = copy(template);
  const alsoChanged: string[] = [];
  for (const [id, resource] of Object.entries(edited.Resources)) {
    const properties = replaceInStrings(resource.Properties, hash, replacement) as CfnResource['Properties'];
    if (JSON.stringify(properties) === JSON.stringify(resource.Properties)) continue;
    edited.Resources[id] = { ...resource, Properties: properties };
    if (id !== logicalId) alsoChanged.push(id);
  }
  return { template: edited, oldKey, newKey: oldKey.replace(hash, replacement), assetHash: true, alsoChanged };
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

/**
 * The template with one package of the stack's set changed (a `undefined`
 * value removes the field), as a new version of the app would synthesise it.
 */
export function withEntry(template: CfnTemplate, domainPackages: string, packageId: unknown,
  changes: Partial<Record<keyof TemplateEntry, unknown>>): CfnTemplate {
  const groups = groupsOf(template, domainPackages);
  if (!groups.some(group => group.Packages.some(entry => isDeepStrictEqual(entry.PackageID, packageId)))) {
    throw new Error(`${domainPackages} holds no package ${JSON.stringify(packageId)}`);
  }
  const edited = groups.map(group => ({
    ...group,
    Packages: group.Packages.map(entry => {
      if (!isDeepStrictEqual(entry.PackageID, packageId)) return entry;
      const changed: Record<string, unknown> = { ...entry, ...changes };
      Object.keys(changed).forEach(key => changed[key] === undefined && delete changed[key]);
      return changed as unknown as TemplateEntry;
    }),
  }));
  return withProperties(template, domainPackages, { Domains: edited });
}

/**
 * The template without an association, as the app would synthesise it once
 * the association's construct is gone: its own resource removed, and its
 * package taken out of the stack's set (the domain's group removed with its
 * last package, and the domain's policy with it; the set itself with its last group).
 */
export function withoutAssociation(template: CfnTemplate, association: string): CfnTemplate {
  const set = setOf(template, association);
  if (!set) throw new Error(`${association} is in no domain set of the template`);
  const groups: TemplateGroup[] = groupsOf(template, set.domainPackages)
    .map(group => (group === set.group ? { ...group, Packages: group.Packages.filter(entry => entry !== set.entry) } : group))
    .filter(group => group.Packages.length > 0);
  const edited = withoutOutputsReading(template, [set.domainPackages, set.entry.Key]);
  const policyOf = (group: TemplateGroup) => dependsOnList(template.Resources![set.domainPackages]).filter(id => template.Resources![id]?.Type === 'AWS::IAM::Policy'
    && JSON.stringify(propertyOf(template, id, 'PolicyDocument')).includes('es:AssociatePackages')
    && isDeepStrictEqual(JSON.parse(JSON.stringify(propertyOf(template, id, 'PolicyDocument'))).Statement[0].Resource, group.DomainArn));
  const droppedPolicies = set.group.Packages.length === 1 ? policyOf(set.group) : [];
  if (groups.length > 0) return withoutResources(withProperties(edited, set.domainPackages, { Domains: groups }), [association, ...droppedPolicies]);
  return withoutResources(edited, [association, set.domainPackages, ...droppedPolicies]);
}

/** The template without the outputs that read this attribute (as the app would no longer have them without the association). */
function withoutOutputsReading(template: CfnTemplate, [logicalId, attribute]: [string, string]): CfnTemplate {
  const reads = JSON.stringify({ 'Fn::GetAtt': [logicalId, attribute] });
  const outputs = Object.fromEntries(Object.entries(template.Outputs ?? {}).filter(([, output]) => !JSON.stringify(output.Value).includes(reads)));
  return { ...template, Outputs: outputs };
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
