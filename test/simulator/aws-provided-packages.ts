/**
 * The packages AWS provides (`PackageOwner` AWS, `G…` IDs) that a domain can
 * be associated with, for seeding the simulator: the optional plugins of AWS's
 * "Plugins by engine version in Amazon OpenSearch Service" (OpenSearch Service
 * developer guide, supported-plugins), each a ZIP-PLUGIN package named after
 * the plugin, with a package ID of its own for each engine version from the
 * first one AWS lists it for.
 *
 * Not here, on purpose:
 * - the plugins AWS preinstalls on every domain (analysis-icu, analysis-kuromoji,
 *   analysis-phonetic, analysis-smartcn, analysis-stempel, analysis-ukrainian,
 *   mapper-murmur3, mapper-size, ...): they are not packages, so naming one with
 *   `awsPackageName` fails on AWS as it does here;
 * - Hebrew Analysis (OpenSearch 2.11) and Amazon Personalize Search Ranking
 *   (2.9), optional too, whose package names AWS does not document.
 * Elasticsearch versions have none of these packages.
 */
import type { SimulatedPackage } from './simulator';

/** An optional plugin AWS provides as a package. */
export interface AwsProvidedPlugin {
  /** The package name, as DescribePackages reports it and `awsPackageName` gives it. */
  readonly name: string;
  /** The first OpenSearch version AWS provides it for, `MAJOR.MINOR`. */
  readonly since: string;
  /** The package description. */
  readonly description: string;
}

/** The optional plugins, with the first OpenSearch version of each. */
export const AWS_PROVIDED_PLUGINS: readonly AwsProvidedPlugin[] = [
  { name: 'analysis-nori', since: '1.3', description: 'Korean (Nori) analysis' },
  { name: 'analysis-pinyin', since: '1.3', description: 'Chinese Pinyin analysis' },
  { name: 'analysis-stconvert', since: '1.3', description: 'Chinese traditional and simplified conversion (STConvert)' },
  { name: 'analysis-sudachi', since: '1.3', description: 'Japanese (Sudachi) analysis' },
  { name: 'analysis-hanlp', since: '2.11', description: 'Chinese (HanLP) analysis' },
];

/** `[major, minor]` of `OpenSearch_MAJOR.MINOR`, or of `MAJOR.MINOR`; undefined for anything else (Elasticsearch versions). */
function openSearchVersion(version: string): [number, number] | undefined {
  const match = /^(?:OpenSearch_)?(\d+)\.(\d+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * The packages AWS provides for an engine version (`OpenSearch_2.17`), ready
 * for {@link OpenSearchSimulator.addPackage}. Each has a stable ID made of the
 * plugin's place in {@link AWS_PROVIDED_PLUGINS} and the engine version
 * (analysis-sudachi for OpenSearch_2.17: `G040217`), so that IDs differ per
 * engine version, as AWS's do.
 */
export function awsProvidedPackages(engineVersion: string): SimulatedPackage[] {
  const version = openSearchVersion(engineVersion);
  if (!version) return [];
  const [major, minor] = version;
  const two = (n: number) => String(n).padStart(2, '0');
  return AWS_PROVIDED_PLUGINS.flatMap((plugin, index) => {
    const [sinceMajor, sinceMinor] = openSearchVersion(plugin.since)!;
    if (major < sinceMajor || (major === sinceMajor && minor < sinceMinor)) return [];
    return [{
      id: `G${two(index + 1)}${two(major)}${two(minor)}`,
      name: plugin.name,
      type: 'ZIP-PLUGIN',
      engineVersion,
      owner: 'AWS',
      description: plugin.description,
    }];
  });
}
