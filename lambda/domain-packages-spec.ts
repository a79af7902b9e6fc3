import { domainLocation } from './association-spec';
import { DomainLocation } from './domain-location';
import { isOwned, OwnershipRecord, parseRecordId } from './ownership-record';
import { awsPackageRef, PackageRef, Resolution } from './package-resolution';
import { PropertyReader } from './property-reader';
import { DOMAIN_PACKAGES_RESOURCE_TYPE, DomainGroupProperties, DomainPackageEntry } from '../lib/domain-packages-properties';
import { checkDomainName, checkEngineVersion, checkPackageId, checkPackageName, checkRoleArn, checkTimeoutSeconds } from '../lib/validation';

/** One package the stack associates with a domain, as the template names it. */
export interface PackageEntry {
  readonly key: string;
  /** The package's ID, or `aws:<name>` for a package AWS provides, named. */
  readonly ref: PackageRef;
  readonly prerequisitePackageIds: string[];
  readonly keyAccessRoleArn?: string;
  readonly versionLabel?: string;
  /**
   * Left on the domain when it leaves the stack: its removal policy keeps it
   * (RETAIN or RETAIN_ON_UPDATE_OR_DELETE), or the stack did not make it
   * (its ownership record says adopted, or could not tell).
   */
  readonly retain: boolean;
  /** The association's ownership record (see ownership-record.ts), when the template gives one. */
  readonly record?: OwnershipRecord;
}

/** An entry with the ID of the package it means on the domain now (see package-resolution.ts). */
export interface DesiredPackage extends PackageEntry {
  readonly packageId: string;
}

/**
 * The entries with the IDs they resolve to, prerequisites included; an entry
 * whose reference did not resolve (nothing of it can be on the domain) is left out.
 */
export function resolveEntries(entries: readonly PackageEntry[], resolution: Resolution): DesiredPackage[] {
  return entries.filter(e => resolution[e.ref] !== undefined).map(e => ({
    ...e,
    packageId: resolution[e.ref],
    prerequisitePackageIds: e.prerequisitePackageIds.map(id => resolution[id] ?? id),
  }));
}

/** The packages the stack associates with one domain, validated and typed. */
export interface DomainGroupSpec {
  /** The domain as the template names it (see DomainGroupProperties.Key). */
  readonly key: string;
  readonly domain: DomainLocation;
  readonly packages: PackageEntry[];
  readonly waitSeconds: number;
  /** The engine version the template gives the domain, when the domain is defined in the app. */
  readonly engineVersion?: string;
}

/** The domain's identity: its account, Region and name. Two groups with one identity are one domain named two ways. */
export function domainIdentity(domain: DomainLocation): string {
  return `${domain.account}/${domain.region}/${domain.domainName}`;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Reads the properties CloudFormation sent for this operation and throws one
 * error listing every problem.
 */
export function parseDomainPackagesSpec(properties: Record<string, unknown> | undefined): DomainGroupSpec[] {
  const reader = new PropertyReader<string>(properties ?? {});
  if (!Array.isArray(properties?.Domains)) reader.problems.push(`Domains must be a list of domains, got ${JSON.stringify(properties?.Domains)}.`);
  const groups = list(properties?.Domains).map((group, i) => readGroup(reader, `Domains[${i}]`, group)).filter((g): g is DomainGroupSpec => g !== undefined);
  reader.throwIfInvalid(DOMAIN_PACKAGES_RESOURCE_TYPE);
  return groups;
}

function readGroup(outer: PropertyReader<string>, field: string, group: unknown): DomainGroupSpec | undefined {
  if (typeof group !== 'object' || group === null) {
    outer.problems.push(`${field} must be an object, got ${JSON.stringify(group)}.`);
    return undefined;
  }
  const fields = group as Record<string, unknown>;
  const reader = new PropertyReader<keyof DomainGroupProperties>(fields, `${field}.`);
  const key = reader.text('Key', true);
  const domainName = reader.text('DomainName', true, checkDomainName);
  const domain = domainLocation(reader, domainName, reader.text('DomainArn', true));
  const waitSeconds = Number(reader.text('WaitSeconds', true, (name, value) => checkTimeoutSeconds(name, Number(value))));
  const engineVersion = reader.text('EngineVersion', false, checkEngineVersion);
  if (!Array.isArray(fields.Packages)) reader.problems.push(`${field}.Packages must be a list of packages, got ${JSON.stringify(fields.Packages)}.`);
  const packages = list(fields.Packages).map((entry, i) => readEntry(reader, `${field}.Packages[${i}]`, entry)).filter((p): p is PackageEntry => p !== undefined);
  const seen = new Set<string>();
  for (const { ref } of packages) {
    if (seen.has(ref)) reader.problems.push(`${field}.Packages lists package ${ref} twice.`);
    seen.add(ref);
  }
  outer.problems.push(...reader.problems);
  if (reader.problems.length > 0) return undefined;
  return { key: key!, domain: domain!, packages, waitSeconds, engineVersion };
}

/** The entry's reference: exactly one of PackageID and AwsPackageName. */
export function packageRefOf(reader: PropertyReader<'PackageID' | 'AwsPackageName'>, field: string): PackageRef | undefined {
  const problems = reader.problems.length;
  const packageId = reader.text('PackageID', false, checkPackageId);
  const awsPackageName = reader.text('AwsPackageName', false, checkPackageName);
  if ((packageId === undefined) === (awsPackageName === undefined) && reader.problems.length === problems) {
    reader.problems.push(`${field}PackageID or ${field}AwsPackageName is required, and only one of them.`);
  }
  return packageId ?? (awsPackageName === undefined ? undefined : awsPackageRef(awsPackageName));
}

function readEntry(outer: PropertyReader<string>, field: string, entry: unknown): PackageEntry | undefined {
  if (typeof entry !== 'object' || entry === null) {
    outer.problems.push(`${field} must be an object, got ${JSON.stringify(entry)}.`);
    return undefined;
  }
  const reader = new PropertyReader<keyof DomainPackageEntry>(entry as Record<string, unknown>, `${field}.`);
  const key = reader.text('Key', true);
  const ref = packageRefOf(reader, `${field}.`);
  const keyAccessRoleArn = reader.text('KeyAccessRoleArn', false, checkRoleArn);
  const versionLabel = reader.text('PackageVersion', false);
  const record = parseRecordId(reader.text('OwnershipRecord', false));
  const retain = reader.text('Retain', false) === 'true' || !isOwned(record);
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
  return { key: key!, ref: ref!, prerequisitePackageIds, keyAccessRoleArn, versionLabel, retain, record };
}

/**
 * The groups the resource held before this operation (OldResourceProperties
 * of an Update), read leniently: on a rollback these are the properties that
 * failed, and an invalid value there must not stop the stack from going
 * back. Groups without a usable domain, and entries without a usable
 * package ID or name, are skipped.
 */
export function previousGroups(properties: Record<string, unknown> | undefined): DomainGroupSpec[] {
  return list(properties?.Domains).flatMap((group): DomainGroupSpec[] => {
    const fields = (group ?? {}) as Record<string, unknown>;
    const reader = new PropertyReader<string>({});
    const domain = typeof fields.DomainName === 'string' && typeof fields.DomainArn === 'string'
      ? domainLocation(reader, fields.DomainName, fields.DomainArn) : undefined;
    if (!domain || reader.problems.length > 0) return [];
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    const packages = list(fields.Packages).flatMap((entry): PackageEntry[] => {
      const e = (entry ?? {}) as Record<string, unknown>;
      const ref = typeof e.PackageID === 'string' ? e.PackageID : typeof e.AwsPackageName === 'string' ? awsPackageRef(e.AwsPackageName) : undefined;
      if (!ref) return [];
      return [{
        key: String(e.Key ?? ''),
        ref,
        prerequisitePackageIds: list(e.PrerequisitePackageIDList).filter((id): id is string => typeof id === 'string'),
        keyAccessRoleArn: text(e.KeyAccessRoleArn),
        versionLabel: text(e.PackageVersion),
        retain: e.Retain === 'true' || !isOwned(parseRecordId(e.OwnershipRecord)),
        record: parseRecordId(e.OwnershipRecord),
      }];
    });
    const waitSeconds = Number(fields.WaitSeconds);
    return [{ key: String(fields.Key ?? ''), domain, packages, waitSeconds: Number.isFinite(waitSeconds) && waitSeconds > 0 ? waitSeconds : 1, engineVersion: text(fields.EngineVersion) }];
  });
}
