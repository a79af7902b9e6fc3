import type { DomainPackageDetails, OpenSearchSimulator, PackageDetails } from '../simulator';
import type { ResourceView } from './progress-log';
import { DOMAIN_PACKAGES_TYPE, PACKAGE_TYPE } from './template-queries';

/** The simulator as the reports read it. */
export type SimulatorView = Pick<OpenSearchSimulator, 'domainPackages' | 'calls' | 'packages'>;

/**
 * The status (and version) the simulator shows for the association these
 * custom resource properties describe: of the package with its PackageID, or
 * of the one AWS provides under its AwsPackageName.
 */
export function associationStatus(simulator: SimulatorView, properties: Record<string, unknown>): string {
  const domain = String(properties.DomainName ?? '');
  const matches = properties.PackageID !== undefined
    ? (p: DomainPackageDetails) => p.PackageID === String(properties.PackageID)
    : (p: DomainPackageDetails) => p.PackageName === String(properties.AwsPackageName);
  try {
    const entry = simulator.domainPackages(domain).find(matches);
    return entry ? [entry.DomainPackageStatus, entry.PackageVersion].filter(Boolean).join(' ') : 'not associated';
  } catch {
    return 'no such domain';
  }
}

/** The package's status and available version, e.g. `AVAILABLE v2`, as DescribePackages would show it now. */
export function packageStatus(simulator: SimulatorView, packageId: string): string {
  const pkg = simulator.packages().find(p => p.PackageID === packageId);
  return pkg ? [pkg.PackageStatus, pkg.AvailablePackageVersion].filter(Boolean).join(' ') : 'no such package';
}

/**
 * What the simulator shows for a custom resource: a package's status (its
 * physical ID starts with the package ID), each package of a domain's set on
 * the domain, or an association's entry on its domain.
 */
export function resourceStatus(simulator: SimulatorView, resource: ResourceView): string {
  if (resource.resourceType === PACKAGE_TYPE) return resource.physicalId ? packageStatus(simulator, resource.physicalId.split(' ')[0]) : 'not created';
  if (resource.resourceType === DOMAIN_PACKAGES_TYPE) {
    type Group = { DomainName?: unknown; Packages?: Array<{ PackageID?: unknown; AwsPackageName?: unknown }> };
    const groups = Array.isArray(resource.properties.Domains) ? resource.properties.Domains as Group[] : [];
    return groups.flatMap(group => (group.Packages ?? []).map(entry => `${String(entry.PackageID ?? entry.AwsPackageName)}@${String(group.DomainName)} `
      + associationStatus(simulator, { DomainName: group.DomainName, ...entry }))).join(', ') || 'no packages';
  }
  return associationStatus(simulator, resource.properties);
}

/** One line per package in the Region (DELETED ones included): ID, name, type, status, available version, error. */
export function regionPackageLines(packages: readonly PackageDetails[]): string[] {
  if (packages.length === 0) return ['    (no packages)'];
  return packages.map(p => {
    const error = p.ErrorDetails ? `  error: ${[p.ErrorDetails.ErrorType, p.ErrorDetails.ErrorMessage].filter(Boolean).join(': ')}` : '';
    return `    ${p.PackageID}  ${p.PackageName ?? ''}  ${p.PackageType ?? ''}  ${p.PackageStatus ?? ''}  version ${p.AvailablePackageVersion ?? '-'}${error}`;
  });
}

/** One line per package on the domain: ID, name, status, version, reference path, error. */
export function packageLines(packages: readonly DomainPackageDetails[]): string[] {
  if (packages.length === 0) return ['    (no packages)'];
  return packages.map(p => {
    const error = p.ErrorDetails ? `  error: ${[p.ErrorDetails.ErrorType, p.ErrorDetails.ErrorMessage].filter(Boolean).join(': ')}` : '';
    return `    ${p.PackageID}  ${p.PackageName ?? ''}  ${p.DomainPackageStatus ?? ''}  version ${p.PackageVersion ?? '-'}  ${p.ReferencePath ?? ''}${error}`;
  });
}

/**
 * The final package state of a domain: what the simulator shows now, or, if
 * the stack deleted the domain, what it had just before.
 */
export function domainStateLines(simulator: SimulatorView, domain: string, packagesAtDeletion: ReadonlyMap<string, DomainPackageDetails[]>): string[] {
  try {
    return [`  domain ${domain}:`, ...packageLines(simulator.domainPackages(domain))];
  } catch {
    const before = packagesAtDeletion.get(domain);
    if (!before) return [`  domain ${domain}: does not exist`];
    return [`  domain ${domain}: deleted with the stack; it had, just before:`, ...packageLines(before)];
  }
}

/** How many calls of each operation reached the simulator, e.g. `AssociatePackage 4, ListPackagesForDomain 31`. */
export function callSummary(simulator: SimulatorView): string {
  const counts = new Map<string, number>();
  simulator.calls.forEach(call => counts.set(call.operation, (counts.get(call.operation) ?? 0) + 1));
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([operation, count]) => `${operation} ${count}`).join(', ') || 'none';
}
