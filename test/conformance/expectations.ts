import { AppVersion, DOMAIN_ENGINE_VERSION } from './app-spec';
import { placement, placementsOf } from './ledger';
import type { ConformanceWorld, Fault, StackName } from './world';

/*
 * Whether a deployment must complete: it makes a change the library accepts
 * and no fault that fails an operation is armed (storms of transient errors
 * are waited out). The changes the library refuses, on purpose: a package
 * already on a domain that this stack did not put there (without
 * adoptExisting), a new type under a package's old name, a plugin on a domain
 * of another engine version, a package name (for a plugin, name and engine
 * version) another package holds. When the outcome depends on what the
 * model does not follow exactly, there is no expectation (undefined).
 */
export function mustSucceed(world: ConformanceWorld, stack: StackName, version: AppVersion, fault: Fault): boolean | undefined {
  if (fault.kind !== 'none' && fault.kind !== 'storm') return undefined;
  const before = world.deployed.get(stack);
  const live = world.simulator.packages().filter(p => p.PackageStatus !== 'DELETED');
  const ids = new Map<string, string>();
  let unknown = false;
  for (const pkg of version.packages) {
    const previous = before?.version.packages.find(p => p.id === pkg.id);
    const engineVersion = pkg.engine && `OpenSearch_${pkg.engine}`;
    if (previous && previous.name === pkg.name && previous.engine === pkg.engine) {
      if (previous.type !== pkg.type) return false;
      const id = before!.packageIds.get(pkg.id);
      if (id) ids.set(pkg.id, id);
    } else if (live.some(p => p.PackageName === pkg.name && p.EngineVersion === engineVersion)) {
      unknown = true;
    }
  }
  const owned = placementsOf(before);
  for (const association of version.associations) {
    const plugin = 'custom' in association.target ? version.packages.find(p => p.id === (association.target as { custom: string }).custom) : undefined;
    if (plugin?.engine && `OpenSearch_${plugin.engine}` !== DOMAIN_ENGINE_VERSION) return false;
    const packageId = 'custom' in association.target ? ids.get(association.target.custom) : association.target.imported;
    if (!packageId || owned.has(placement(association.domain, packageId))) continue;
    const onDomain = world.simulator.domainPackages(association.domain).some(e => e.PackageID === packageId);
    if (onDomain && !association.adopt) return false;
  }
  return unknown ? undefined : true;
}

/** The service error a fault injects (ErrorType and ErrorMessage), which a failure reason must carry whole. */
export function injectedError(fault: Fault, version: AppVersion): { type: string; message: string } | undefined {
  const pick = <T>(list: readonly T[], index: number): T | undefined => (list.length === 0 ? undefined : list[index % list.length]);
  switch (fault.kind) {
    case 'association fails': {
      const association = pick(version.associations, fault.index);
      return association && { type: 'InjectedFailure', message: associationFailureMessage(association.id) };
    }
    case 'validation fails': {
      const pkg = pick(version.packages, fault.index);
      return pkg && { type: 'InjectedFailure', message: validationFailureMessage(pkg.name, pkg.content) };
    }
    default: return undefined;
  }
}

export const associationFailureMessage = (associationId: string) => `association of ${associationId} refused`;
export const validationFailureMessage = (packageName: string, content: number) => `${packageName} content ${content} does not validate`;
