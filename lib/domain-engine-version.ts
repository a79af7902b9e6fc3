import { Token } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

/**
 * The engine version a domain of this app is given in its template (the
 * `EngineVersion` of its `AWS::OpenSearchService::Domain`), or undefined for
 * an imported domain, or when the version is a token.
 */
export function templateEngineVersion(domain: opensearch.IDomain): string | undefined {
  const resource = domain.node.defaultChild;
  if (!(resource instanceof opensearch.CfnDomain)) return undefined;
  const version = resource.engineVersion;
  return version === undefined || Token.isUnresolved(version) ? undefined : version;
}
