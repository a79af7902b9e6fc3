import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { OpenSearchSimulator } from '../simulator';
import { CfnTemplate } from './cfn-template';
import { DOMAIN_PACKAGES_TYPE, groupsOf, literalPackageIds, propertyOf, resourcesOfType } from './template-queries';
import { awsProvidedPackages } from '../simulator/aws-provided-packages';

/** The CloudFormation type of a domain. */
const DOMAIN_TYPE = 'AWS::OpenSearchService::Domain';

/** What {@link seedSimulator} added. */
export interface SeededState {
  /** The engine versions the AWS-provided packages were added for. */
  readonly engineVersions: string[];
  /** The IDs of the AWS-provided packages added. */
  readonly awsProvidedIds: ReadonlySet<string>;
  /** The names of the AWS-provided packages added (for one engine version or more). */
  readonly awsProvidedNames: string[];
  /** The packages the template names by literal ID, added as packages created outside the stack. */
  readonly packageIds: string[];
  /** The domains the template associates packages with but does not create, added at the engine version asked for. */
  readonly importedDomains: string[];
}

/** Options of {@link seedSimulator}. */
export interface SeedOptions {
  /** The engine version of the domains the app imports, `OpenSearch_2.19` for instance. */
  readonly importedEngineVersion: string;
}

/** Every engine version the installed aws-cdk-lib names (`EngineVersion.OPENSEARCH_2_19`, ...). */
function engineVersionsOfAwsCdkLib(): string[] {
  return Object.values(opensearch.EngineVersion).filter((v): v is opensearch.EngineVersion => v instanceof opensearch.EngineVersion).map(v => v.version);
}

/** The template's domains' engine versions and names, where they are literals. */
function templateDomains(template: CfnTemplate): { engineVersions: string[]; names: string[] } {
  const domains = resourcesOfType(template, DOMAIN_TYPE);
  const literals = (property: string) => domains.map(id => propertyOf(template, id, property)).filter((v): v is string => typeof v === 'string');
  return { engineVersions: literals('EngineVersion'), names: literals('DomainName') };
}

/**
 * Puts in the simulator what an app's stack expects to find in its AWS
 * account and Region before it is deployed:
 * - the packages AWS provides (see test/simulator/aws-provided-packages.ts),
 *   for every engine version aws-cdk-lib names and any other the template
 *   gives a domain, so that `awsPackageName` resolves as it does on AWS;
 * - the packages the template names by literal ID, as packages created
 *   outside the stack (TXT-DICTIONARY, version v1; `G…` IDs owned by AWS);
 * - the domains the stack's associations name by a literal name that no
 *   domain of the template has (an imported domain), at the engine version
 *   given. A domain named by a token (a parameter, an import) is not known.
 */
export function seedSimulator(simulator: OpenSearchSimulator, template: CfnTemplate, options: SeedOptions): SeededState {
  const created = templateDomains(template);
  const engineVersions = [...new Set([...engineVersionsOfAwsCdkLib(), ...created.engineVersions, options.importedEngineVersion])];
  const awsProvided = engineVersions.flatMap(awsProvidedPackages);
  awsProvided.forEach(pkg => simulator.addPackage(pkg));
  const awsProvidedIds = new Set(awsProvided.map(pkg => pkg.id));

  const packageIds = [...literalPackageIds(template)].filter(id => !awsProvidedIds.has(id));
  packageIds.forEach(id => simulator.addPackage({ id, name: `package-${id.toLowerCase()}` }));

  // A domain of another Region is added in its Region, which its ARN names.
  const imported = new Map(resourcesOfType(template, DOMAIN_PACKAGES_TYPE).flatMap(id => groupsOf(template, id))
    .filter(group => typeof group.DomainName === 'string' && !created.names.includes(group.DomainName))
    .map(group => [`${group.DomainName}`, typeof group.DomainArn === 'string' ? group.DomainArn.split(':')[3] : undefined]));
  imported.forEach((region, name) => simulator.addDomain(name, { engineVersion: options.importedEngineVersion, region }));
  const importedDomains = [...imported.keys()];

  return {
    engineVersions: engineVersions.filter(version => awsProvidedPackages(version).length > 0),
    awsProvidedIds,
    awsProvidedNames: [...new Set(awsProvided.map(pkg => pkg.name))],
    packageIds,
    importedDomains,
  };
}
