import { deploysBlueGreen } from './package-operations';
import { AssociationRecord, PackageRecord } from './records';
import { SimulatorState } from './state';

/**
 * A domain's engine upgrade, as it treats the packages on the domain: a
 * plugin (AWS-provided, or a custom one) is swapped for the package of the
 * same name and owner built for the new engine version (AWS-provided ones
 * have one ID per engine version; for a custom plugin the developer guide says
 * to create that package, with the same name, before upgrading), and the
 * licence and config packages that name the plugin follow it. When a plugin
 * has no package for the new version the upgrade fails and nothing changes
 * (the developer guide: another name makes the upgrade's blue/green fail).
 * Dictionaries are kept as they are. An engine version never goes back.
 */
export function upgradeDomain(state: SimulatorState, domainName: string, engineVersion: string): void {
  const domain = state.requireDomain(domainName);
  if (!isNewer(engineVersion, domain.engineVersion)) {
    throw new Error(`Upgrade of ${domainName} refused: ${engineVersion} is not newer than ${domain.engineVersion} (an engine version cannot go back)`);
  }
  state.settle(domainName, false);
  const swaps = new Map<string, PackageRecord>();
  for (const record of state.associationsOn(domainName)) {
    const pkg = state.requirePackage(record.packageId);
    if (pkg.engineVersion === undefined || !deploysBlueGreen(pkg.type)) continue;
    if (record.pending) throw new Error(`Upgrade of ${domainName} refused: package ${pkg.id} is ${record.status}`);
    const successor = state.allPackages().find(p => p.name === pkg.name && p.owner === pkg.owner && p.engineVersion === engineVersion && p.status === 'AVAILABLE');
    if (!successor) {
      throw new Error(`Upgrade of ${domainName} to ${engineVersion} failed: plugin ${pkg.name} (${pkg.id}, ${pkg.engineVersion}) has no package for ${engineVersion}`);
    }
    swaps.set(pkg.id, successor);
  }
  for (const record of state.associationsOn(domainName)) {
    const successor = swaps.get(record.packageId);
    const prerequisites = record.prerequisites?.map(id => swaps.get(id)?.id ?? id);
    state.removeAssociation(domainName, record.packageId);
    const moved: AssociationRecord = { ...record, packageId: successor?.id ?? record.packageId, version: successor?.version ?? record.version, prerequisites };
    state.putAssociation(moved);
  }
  domain.engineVersion = engineVersion;
}

/** Whether `a` (e.g. `OpenSearch_2.19`) is a later engine version than `b`; OpenSearch follows Elasticsearch. */
function isNewer(a: string, b: string): boolean {
  const rank = (version: string) => {
    const [family, number = '0.0'] = version.split('_');
    const [major, minor] = number.split('.').map(Number);
    return [family === 'OpenSearch' ? 1 : 0, major, minor];
  };
  const [x, y] = [rank(a), rank(b)];
  const difference = x.map((part, i) => part - y[i]).find(d => d !== 0);
  return (difference ?? 0) > 0;
}
