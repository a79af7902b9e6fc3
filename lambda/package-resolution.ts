import { DomainPackageDetails, PackageDetails } from '@aws-sdk/client-opensearch';
import { OperationFailed } from './operation';
import { PackageApi } from './package-api';
import { engineUpgradeProcedure } from '../lib/engine-upgrade-procedure';

/*
 * Which package each entry of a domain's set means on the domain as it is
 * now. A package AWS provides is named, and means that name's package for
 * the domain's engine version (each version has its own ID). A package named
 * by ID means itself, except on the rollback of a deployment that upgraded
 * the domain's engine: the upgrade swapped the stack's plugins for their
 * successors and an engine version never goes back, so the old plugin means
 * its successor then.
 */

/** How the template names a package: its ID, or `aws:<name>` for a package AWS provides. */
export type PackageRef = string;

const AWS_PREFIX = 'aws:';

export function awsPackageRef(packageName: string): PackageRef {
  return `${AWS_PREFIX}${packageName}`;
}

/** The AWS-provided package's name, when the reference is one. */
export function awsPackageNameOf(ref: PackageRef): string | undefined {
  return ref.startsWith(AWS_PREFIX) ? ref.slice(AWS_PREFIX.length) : undefined;
}

/** The package ID each reference stands for on the domain now. */
export type Resolution = Readonly<Record<PackageRef, string>>;

/** `[family, major, minor]` of `OpenSearch_2.19` or `Elasticsearch_7.10`; OpenSearch comes after Elasticsearch. */
function versionParts(engineVersion: string): number[] {
  const match = /^(OpenSearch|Elasticsearch)_(\d+)\.(\d+)$/.exec(engineVersion);
  return match ? [match[1] === 'OpenSearch' ? 1 : 0, Number(match[2]), Number(match[3])] : [];
}

/** Negative when `a` is an older engine version than `b`, positive when newer, 0 when the same or not comparable. */
export function compareEngineVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  if (x.length === 0 || y.length === 0) return 0;
  return x.map((part, i) => part - y[i]).find(d => d !== 0) ?? 0;
}

/** Which references must resolve, and to what a plugin may resolve. */
export interface ResolutionRules {
  /**
   * The references of the set the stack wants: for those, a name the engine
   * version lacks, or a plugin built for another engine version than the
   * domain runs, fails with what to do. Any other such reference (of a set
   * leaving the domain, or of the previous set) resolves to nothing when
   * named, and to itself when an ID.
   */
  readonly mustResolve: readonly PackageRef[];
  /**
   * The packages a wanted plugin of an older engine version may resolve to:
   * those the resource itself held before this operation.
   */
  readonly ownedBefore: readonly string[];
  /**
   * The engine version the template gives the domain, when the domain is
   * defined in the app. When the domain runs a later one, the domain was
   * upgraded past the template: the operation is the rollback of a
   * deployment that upgraded it (an engine version never goes back), and a
   * wanted plugin of the old version resolves to the successor the upgrade
   * installed, if the resource held it. Otherwise a plugin of another engine
   * version than the domain runs is refused; a same-named package another
   * stack put on the domain is never taken over.
   */
  readonly templateEngineVersion?: string;
}

/**
 * Resolves the references against the domain: named packages through
 * DescribePackages (PackageName, the domain's EngineVersion, PackageOwner
 * AWS), and on the rollback of an engine upgrade, wanted plugins of the old
 * engine version to the successors the upgrade installed (see {@link ResolutionRules}).
 */
export async function resolvePackages(api: PackageApi, domainName: string, refs: readonly PackageRef[], current: readonly DomainPackageDetails[],
  described: readonly PackageDetails[], rules: ResolutionRules): Promise<Resolution> {
  const names = [...new Set(refs.map(awsPackageNameOf).filter((n): n is string => n !== undefined))];
  const plugins = described.filter(p => p.PackageType === 'ZIP-PLUGIN' && p.EngineVersion && rules.mustResolve.includes(p.PackageID!));
  const resolution: Record<PackageRef, string> = Object.fromEntries(refs.filter(ref => awsPackageNameOf(ref) === undefined).map(ref => [ref, ref]));
  if (names.length === 0 && plugins.length === 0) return resolution;

  const engineVersion = (await api.describeDomain(domainName)).engineVersion;
  if (!engineVersion) throw new OperationFailed(`DescribeDomain gave no EngineVersion for domain ${domainName}: packages cannot be matched to its engine version.`);
  if (names.length > 0) {
    const found = await api.awsPackages(engineVersion, names);
    const missing = names.filter(name => !found.some(p => p.PackageName === name) && rules.mustResolve.includes(awsPackageRef(name)));
    if (missing.length > 0) {
      const available = [...new Set((await api.awsPackages(engineVersion)).map(p => p.PackageName!))].sort();
      throw new OperationFailed(`No package AWS provides for ${engineVersion} (the engine version of domain ${domainName}) is named ${missing.join(', ')}. `
        + `The names for ${engineVersion} are: ${available.join(', ') || 'none'}.`);
    }
    for (const pkg of found) resolution[awsPackageRef(pkg.PackageName!)] = pkg.PackageID!;
  }
  for (const plugin of plugins) {
    if (plugin.EngineVersion === engineVersion) continue;
    const upgradedPastTemplate = rules.templateEngineVersion !== undefined && compareEngineVersions(rules.templateEngineVersion, engineVersion) < 0;
    const successor = current.find(e => e.PackageName === plugin.PackageName && e.PackageType === 'ZIP-PLUGIN' && rules.ownedBefore.includes(e.PackageID!));
    if (upgradedPastTemplate && successor) {
      resolution[plugin.PackageID!] = successor.PackageID!;
      continue;
    }
    const advice = plugin.PackageOwner === 'AWS'
      ? ` Package ${plugin.PackageID} is one AWS provides: name it with awsPackageName: '${plugin.PackageName}' to follow the domain's engine version.` : '';
    throw new OperationFailed(engineUpgradeProcedure(plugin.PackageName!, plugin.EngineVersion!, domainName, engineVersion) + advice);
  }
  return resolution;
}
