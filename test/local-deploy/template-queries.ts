/**
 * Questions the local deploy asks of a template about its packages and
 * associations: which resources have which type, which property values are
 * literals and which refer to other resources. Nothing here knows a logical id.
 */
import { isDeepStrictEqual } from 'util';
import { CfnTemplate } from './cfn-template';

/** The custom resource type of a CustomPackage. */
export const PACKAGE_TYPE = 'Custom::OpenSearchPackage';
/** The custom resource type of one association: the stack's record that it owns it. */
export const ASSOCIATION_TYPE = 'Custom::OpenSearchPackageAssociation';
/** The custom resource type that holds every package a stack associates with any domain, grouped by domain. */
export const DOMAIN_PACKAGES_TYPE = 'Custom::OpenSearchDomainPackages';

/** One package of a domain's set, as the template writes it. */
export interface TemplateEntry {
  readonly Key: string;
  readonly PackageID: unknown;
  readonly PrerequisitePackageIDList?: unknown[];
  readonly PackageVersion?: unknown;
  readonly KeyAccessRoleArn?: unknown;
  readonly Retain?: string;
}

/** The logical ids of the template's resources of that type, in template order. */
export function resourcesOfType(template: CfnTemplate, type: string): string[] {
  return Object.entries(template.Resources ?? {}).filter(([, resource]) => resource.Type === type).map(([id]) => id);
}

/** A property of a resource, as written in the template (undefined when the resource or property is missing). */
export function propertyOf(template: CfnTemplate, logicalId: string, property: string): unknown {
  return template.Resources?.[logicalId]?.Properties?.[property];
}

/** One domain's group of the stack's set, as the template writes it. */
export interface TemplateGroup {
  readonly Key: string;
  readonly DomainName: unknown;
  readonly DomainArn: unknown;
  readonly Packages: TemplateEntry[];
}

/** The domain groups of the stack's set. */
export function groupsOf(template: CfnTemplate, domainPackages: string): TemplateGroup[] {
  const domains = propertyOf(template, domainPackages, 'Domains');
  return Array.isArray(domains) ? domains as TemplateGroup[] : [];
}

/** The packages of the stack's set, every domain's. */
export function entriesOf(template: CfnTemplate, domainPackages: string): TemplateEntry[] {
  return groupsOf(template, domainPackages).flatMap(group => (Array.isArray(group.Packages) ? group.Packages : []));
}

/** Where the set holds the association's package: the set resource, the domain's group and the entry (the same domain and package). */
export function setOf(template: CfnTemplate, association: string): { domainPackages: string; group: TemplateGroup; entry: TemplateEntry } | undefined {
  const domainArn = propertyOf(template, association, 'DomainArn');
  const packageId = propertyOf(template, association, 'PackageID');
  for (const domainPackages of resourcesOfType(template, DOMAIN_PACKAGES_TYPE)) {
    for (const group of groupsOf(template, domainPackages)) {
      if (!isDeepStrictEqual(group.DomainArn, domainArn)) continue;
      const entry = group.Packages.find(e => isDeepStrictEqual(e.PackageID, packageId));
      if (entry) return { domainPackages, group, entry };
    }
  }
  return undefined;
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

/** The domain sets with a package whose ID refers to the resource (the package they follow). */
export function setsFollowing(template: CfnTemplate, packageLogicalId: string): string[] {
  return resourcesOfType(template, DOMAIN_PACKAGES_TYPE)
    .filter(id => entriesOf(template, id).some(entry => referencedResource(entry.PackageID) === packageLogicalId));
}

/** The associations whose PackageID refers to the resource. */
export function associationsFollowing(template: CfnTemplate, packageLogicalId: string): string[] {
  return resourcesOfType(template, ASSOCIATION_TYPE).filter(id => referencedResource(propertyOf(template, id, 'PackageID')) === packageLogicalId);
}

/** The packages whose source is a literal S3 key (an asset, or a fixed key), those that a source change can edit. */
export function packagesWithLiteralSource(template: CfnTemplate): string[] {
  return resourcesOfType(template, PACKAGE_TYPE).filter(id => typeof propertyOf(template, id, 'S3Key') === 'string');
}

/** Every package ID the domain sets name as a literal, in PackageID or PrerequisitePackageIDList. */
export function literalPackageIds(template: CfnTemplate): Set<string> {
  return new Set(resourcesOfType(template, DOMAIN_PACKAGES_TYPE).flatMap(set => entriesOf(template, set))
    .flatMap(entry => [entry.PackageID, ...entry.PrerequisitePackageIDList ?? []])
    .filter((value): value is string => typeof value === 'string'));
}

/** The logical id without the 8-hex-digit hash the CDK appends, e.g. `Stopwords1AD89450` -> `Stopwords`. */
export function withoutHash(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '') || logicalId;
}

/** What a value names: the resource it refers to (without hash), or the literal. */
function nameIn(value: unknown): string | undefined {
  const resource = referencedResource(value);
  return resource ? withoutHash(resource) : typeof value === 'string' ? value : undefined;
}

/**
 * A short name for the progress log: the logical id without its hash, or, for
 * the resources the library generates, `<package>@<domain>` for an
 * association (e.g. `Synonyms@Search`, `F222222222@Search`,
 * `analysis-sudachi@Search`) and `packages` for the stack's set.
 */
export function displayName(template: CfnTemplate, logicalId: string, maxLength = 24): string {
  const resource = template.Resources?.[logicalId];
  const domain = nameIn(resource?.Properties?.DomainName);
  if (resource?.Type === ASSOCIATION_TYPE && domain) return `${nameIn(resource.Properties?.PackageID) ?? nameIn(resource.Properties?.AwsPackageName) ?? '?'}@${domain}`;
  if (resource?.Type === DOMAIN_PACKAGES_TYPE) return 'packages';
  const short = withoutHash(logicalId);
  if (short.length <= maxLength) return short;
  const keep = maxLength - 1;
  return `${short.slice(0, Math.ceil(keep / 2))}…${short.slice(short.length - Math.floor(keep / 2))}`;
}
