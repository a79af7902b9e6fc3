import { domainLocation } from './association-spec';
import { DomainLocation } from './domain-location';
import { PropertyReader } from './property-reader';
import { DOMAIN_PACKAGES_RESOURCE_TYPE, DomainPackageEntry, DomainPackagesProperties } from '../lib/domain-packages-properties';
import { checkDomainName, checkPackageId, checkRoleArn, checkTimeoutSeconds } from '../lib/validation';

/** One package the stack wants on the domain. */
export interface DesiredPackage {
  readonly key: string;
  readonly packageId: string;
  readonly prerequisitePackageIds: string[];
  readonly keyAccessRoleArn?: string;
  readonly versionLabel?: string;
  /** Kept on the domain when it leaves the stack (removal policy RETAIN or RETAIN_ON_UPDATE_OR_DELETE). */
  readonly retain: boolean;
}

/** The validated, typed form of the domain resource's properties. */
export interface DomainPackagesSpec {
  readonly domain: DomainLocation;
  readonly packages: DesiredPackage[];
  readonly waitSeconds: number;
}

function entries(properties: Record<string, unknown> | undefined): unknown[] {
  const packages = properties?.Packages;
  return Array.isArray(packages) ? packages : [];
}

/**
 * Reads the properties CloudFormation sent for this operation and throws one
 * error listing every problem.
 */
export function parseDomainPackagesSpec(properties: Record<string, unknown> | undefined): DomainPackagesSpec {
  const reader = new PropertyReader<keyof DomainPackagesProperties>(properties ?? {});
  const domainName = reader.text('DomainName', true, checkDomainName);
  const domain = domainLocation(reader, domainName, reader.text('DomainArn', true));
  const waitSeconds = Number(reader.text('WaitSeconds', true, (field, value) => checkTimeoutSeconds(field, Number(value))));
  if (!Array.isArray(properties?.Packages)) reader.problems.push(`Packages must be a list of packages, got ${JSON.stringify(properties?.Packages)}.`);
  const packages = entries(properties).map((entry, i) => readEntry(reader, `Packages[${i}]`, entry)).filter((p): p is DesiredPackage => p !== undefined);
  const seen = new Set<string>();
  for (const { packageId } of packages) {
    if (seen.has(packageId)) reader.problems.push(`Packages lists package ${packageId} twice.`);
    seen.add(packageId);
  }
  reader.throwIfInvalid(DOMAIN_PACKAGES_RESOURCE_TYPE);
  return { domain: domain!, packages, waitSeconds };
}

function readEntry(outer: PropertyReader<string>, field: string, entry: unknown): DesiredPackage | undefined {
  if (typeof entry !== 'object' || entry === null) {
    outer.problems.push(`${field} must be an object, got ${JSON.stringify(entry)}.`);
    return undefined;
  }
  const reader = new PropertyReader<keyof DomainPackageEntry>(entry as Record<string, unknown>, `${field}.`);
  const key = reader.text('Key', true);
  const packageId = reader.text('PackageID', true, checkPackageId);
  const keyAccessRoleArn = reader.text('KeyAccessRoleArn', false, checkRoleArn);
  const versionLabel = reader.text('PackageVersion', false);
  const retain = reader.text('Retain', false) === 'true';
  const prerequisites = (entry as DomainPackageEntry).PrerequisitePackageIDList ?? [];
  const prerequisitePackageIds: string[] = [];
  if (!Array.isArray(prerequisites)) {
    reader.problems.push(`${field}.PrerequisitePackageIDList must be a list of package IDs, got ${JSON.stringify(prerequisites)}.`);
  } else {
    prerequisites.forEach((id, i) => {
      const item = `${field}.PrerequisitePackageIDList[${i}]`;
      if (typeof id !== 'string') reader.problems.push(`${item} must be a string, got ${JSON.stringify(id)}.`);
      else if (reader.valid(item, id, checkPackageId)) prerequisitePackageIds.push(id);
    });
  }
  outer.problems.push(...reader.problems);
  if (reader.problems.length > 0) return undefined;
  return { key: key!, packageId: packageId!, prerequisitePackageIds, keyAccessRoleArn, versionLabel, retain };
}

/**
 * The packages the resource held before this operation (OldResourceProperties
 * of an Update), read leniently: on a rollback these are the properties that
 * failed, and an invalid value there must not stop the stack from going back.
 * Entries without a usable package ID are skipped.
 */
export function previousPackages(properties: Record<string, unknown> | undefined): { domainName?: string; packages: DesiredPackage[] } {
  const packages = entries(properties).flatMap((entry): DesiredPackage[] => {
    const fields = (entry ?? {}) as Record<string, unknown>;
    if (typeof fields.PackageID !== 'string') return [];
    const prerequisites = Array.isArray(fields.PrerequisitePackageIDList) ? fields.PrerequisitePackageIDList.filter((id): id is string => typeof id === 'string') : [];
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    return [{
      key: String(fields.Key ?? ''),
      packageId: fields.PackageID,
      prerequisitePackageIds: prerequisites,
      keyAccessRoleArn: text(fields.KeyAccessRoleArn),
      versionLabel: text(fields.PackageVersion),
      retain: fields.Retain === 'true',
    }];
  });
  const domainName = properties?.DomainName;
  return { domainName: typeof domainName === 'string' ? domainName : undefined, packages };
}
