/**
 * Questions the local deploy asks of a template about its packages and
 * associations: which resources have which type, which property values are
 * literals and which refer to other resources. Nothing here knows a logical id.
 */
import { CfnTemplate } from './cfn-template';

/** The custom resource type of a CustomPackage. */
export const PACKAGE_TYPE = 'Custom::OpenSearchPackage';
/** The custom resource type of a DomainPackageAssociation. */
export const ASSOCIATION_TYPE = 'Custom::OpenSearchPackageAssociation';

/** The logical ids of the template's resources of that type, in template order. */
export function resourcesOfType(template: CfnTemplate, type: string): string[] {
  return Object.entries(template.Resources ?? {}).filter(([, resource]) => resource.Type === type).map(([id]) => id);
}

/** A property of a resource, as written in the template (undefined when the resource or property is missing). */
export function propertyOf(template: CfnTemplate, logicalId: string, property: string): unknown {
  return template.Resources?.[logicalId]?.Properties?.[property];
}

/** The resource a `{Ref}` or `{Fn::GetAtt}` names; undefined for literals and other intrinsics. */
export function referencedResource(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  if (typeof fields.Ref === 'string' && !fields.Ref.startsWith('AWS::')) return fields.Ref;
  const getAtt = fields['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/**
 * A property value as a short text for the progress log: a literal as it is,
 * `Ref X`, `X.Attribute` (a GetAtt), or compact JSON for anything else.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (typeof value !== 'object' || value === null) return String(value);
  const fields = value as Record<string, unknown>;
  if (typeof fields.Ref === 'string') return `Ref ${fields.Ref}`;
  const getAtt = fields['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `GetAtt ${getAtt.map(String).join('.')}`;
  return JSON.stringify(value);
}

/** The associations whose PackageID or PackageVersion refers to the resource (the package they follow). */
export function associationsFollowing(template: CfnTemplate, packageLogicalId: string): string[] {
  return resourcesOfType(template, ASSOCIATION_TYPE).filter(id => ['PackageID', 'PackageVersion']
    .some(property => referencedResource(propertyOf(template, id, property)) === packageLogicalId));
}

/** The packages whose source is a literal S3 key (an asset, or a fixed key), those that a source change can edit. */
export function packagesWithLiteralSource(template: CfnTemplate): string[] {
  return resourcesOfType(template, PACKAGE_TYPE).filter(id => typeof propertyOf(template, id, 'S3Key') === 'string');
}

/** The associations that name their package by a literal ID (not by a reference to a package of the stack). */
export function associationsWithLiteralPackageId(template: CfnTemplate): string[] {
  return resourcesOfType(template, ASSOCIATION_TYPE).filter(id => typeof propertyOf(template, id, 'PackageID') === 'string');
}

/** Every package ID the associations name as a literal, in PackageID or PrerequisitePackageIDList, with the first association naming it. */
export function literalPackageIds(template: CfnTemplate): Map<string, string> {
  const ids = new Map<string, string>();
  for (const id of resourcesOfType(template, ASSOCIATION_TYPE)) {
    const prerequisites = propertyOf(template, id, 'PrerequisitePackageIDList');
    const named = [propertyOf(template, id, 'PackageID'), ...(Array.isArray(prerequisites) ? prerequisites : [])];
    named.filter((value): value is string => typeof value === 'string').forEach(packageId => {
      if (!ids.has(packageId)) ids.set(packageId, id);
    });
  }
  return ids;
}

/** The logical id without the 8-hex-digit hash the CDK appends, e.g. `Stopwords1AD89450` -> `Stopwords`. */
export function withoutHash(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '') || logicalId;
}

/**
 * A short name for the progress log: the logical id without its hash, or, for
 * an association with a long generated id, `<package>@<domain>` from the
 * resources its PackageID and DomainName refer to (e.g. `Synonyms@Search`).
 */
export function displayName(template: CfnTemplate, logicalId: string, maxLength = 24): string {
  const short = withoutHash(logicalId);
  if (short.length <= maxLength) return short;
  const resource = template.Resources?.[logicalId];
  if (resource?.Type === ASSOCIATION_TYPE) {
    const pkg = referencedResource(resource.Properties?.PackageID);
    const domain = referencedResource(resource.Properties?.DomainName);
    if (pkg && domain) return `${withoutHash(pkg)}@${withoutHash(domain)}`;
  }
  const keep = maxLength - 1;
  return `${short.slice(0, Math.ceil(keep / 2))}…${short.slice(short.length - Math.floor(keep / 2))}`;
}
