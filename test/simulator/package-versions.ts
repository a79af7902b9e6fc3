import { PackageRecord } from './records';
import { PackageConfiguration, PackageSource } from './wire-shapes';

/** What a new version of a package records besides its name. */
export interface PublishedVersion {
  readonly commitMessage?: string;
  readonly configuration?: PackageConfiguration;
  readonly source?: PackageSource;
}

/**
 * The version a successful CreatePackage or UpdatePackage makes AVAILABLE: `v1` first, then `v2`, `v3`, ...
 * A package seeded with a version in another form (say `2.0`) continues from the number of versions it has had.
 */
export function nextVersion(pkg: PackageRecord): string {
  if (pkg.version === undefined) return 'v1';
  const numbered = /^v(\d+)$/.exec(pkg.version);
  return numbered ? `v${Number(numbered[1]) + 1}` : `v${pkg.history.length + 1}`;
}

/** Makes `version` the package's `AvailablePackageVersion` and adds it to the version history. */
export function publishVersion(pkg: PackageRecord, version: string, at: number, published: PublishedVersion = {}): void {
  pkg.version = version;
  if (published.configuration) pkg.configuration = published.configuration;
  pkg.history.push({
    version,
    createdAt: at,
    ...(published.commitMessage !== undefined ? { commitMessage: published.commitMessage } : {}),
    ...(published.source ? { source: published.source } : {}),
    ...(pkg.configuration ? { configuration: pkg.configuration } : {}),
  });
}

/**
 * The version an association of the package applies. Associations are only accepted for AVAILABLE packages,
 * which always have one, so a missing version is a simulator bug (or a test seeding an impossible state).
 */
export function availableVersion(pkg: PackageRecord): string {
  if (pkg.version === undefined) throw new Error(`Package ${pkg.id} has no available version yet`);
  return pkg.version;
}
