import { domainLocation } from './association-spec';
import { DomainLocation } from './domain-location';
import { awsPackageRef, PackageRef, Resolution } from './package-resolution';
import { PropertyReader } from './property-reader';
import { DOMAIN_PACKAGES_RESOURCE_TYPE, DomainPackageEntry, DomainPackagesProperties } from '../lib/domain-packages-properties';
import { isAdoptedRecord } from '../lib/package-association-properties';
import { checkDomainName, checkEngineVersion, checkPackageId, checkPackageName, checkRoleArn, checkTimeoutSeconds } from '../lib/validation';

/** One package the stack associates with the domain, as the template names it. */
export interface PackageEntry {
  readonly key: string;
  /** The package's ID, or `aws:<name>` for a package AWS provides, named. */
  readonly ref: PackageRef;
  readonly prerequisitePackageIds: string[];
  readonly keyAccessRoleArn?: string;
  readonly versionLabel?: string;
  /** Kept on the domain when it leaves the stack (removal policy RETAIN or RETAIN_ON_UPDATE_OR_DELETE, or adopted). */
  readonly retain: boolean;
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

/** The validated, typed form of the domain resource's properties. */
export interface DomainPackagesSpec {
  readonly domain: DomainLocation;
  readonly packages: PackageEntry[];
  readonly waitSeconds: number;
  /** The engine version the template gives the domain, when the domain is defined in the app. */
  readonly engineVersion?: string;
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
  const engineVersion = reader.text('EngineVersion', false, checkEngineVersion);
  if (!Array.isArray(properties?.Packages)) reader.problems.push(`Packages must be a list of packages, got ${JSON.stringify(properties?.Packages)}.`);
  const packages = entries(properties).map((entry, i) => readEntry(reader, `Packages[${i}]`, entry)).filter((p): p is PackageEntry => p !== undefined);
  const seen = new Set<string>();
  for (const { ref } of packages) {
    if (seen.has(ref)) reader.problems.push(`Packages lists package ${ref} twice.`);
    seen.add(ref);
  }
  reader.throwIfInvalid(DOMAIN_PACKAGES_RESOURCE_TYPE);
  return { domain: domain!, packages, waitSeconds, engineVersion };
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
  const retain = reader.text('Retain', false) === 'true' || isAdoptedRecord(reader.text('OwnershipRecord', false), ref ?? '');
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
  return { key: key!, ref: ref!, prerequisitePackageIds, keyAccessRoleArn, versionLabel, retain };
}

/**
 * The packages the resource held before this operation (OldResourceProperties
 * of an Update), read leniently: on a rollback these are the properties that
 * failed, and an invalid value there must not stop the stack from going back.
 * Entries without a usable package ID or name are skipped.
 */
export function previousPackages(properties: Record<string, unknown> | undefined): { domainName?: string; packages: PackageEntry[] } {
  const packages = entries(properties).flatMap((entry): PackageEntry[] => {
    const fields = (entry ?? {}) as Record<string, unknown>;
    const ref = typeof fields.PackageID === 'string' ? fields.PackageID : typeof fields.AwsPackageName === 'string' ? awsPackageRef(fields.AwsPackageName) : undefined;
    if (!ref) return [];
    const prerequisites = Array.isArray(fields.PrerequisitePackageIDList) ? fields.PrerequisitePackageIDList.filter((id): id is string => typeof id === 'string') : [];
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    return [{
      key: String(fields.Key ?? ''),
      ref,
      prerequisitePackageIds: prerequisites,
      keyAccessRoleArn: text(fields.KeyAccessRoleArn),
      versionLabel: text(fields.PackageVersion),
      retain: fields.Retain === 'true' || isAdoptedRecord(fields.OwnershipRecord, ref),
    }];
  });
  const domainName = properties?.DomainName;
  return { domainName: typeof domainName === 'string' ? domainName : undefined, packages };
}
