import { Annotations, Token } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';

/*
 * `Domain.fromDomainEndpoint` takes the domain's name from the endpoint's
 * host, `search-<name>-<id>` (or `vpc-<name>-<id>`), but keeps the `search-`
 * prefix (aws-cdk issue 13380): the synth passes, and the deployment fails
 * with "Domain not found". An imported domain whose name is its endpoint's
 * host without the ID is certainly named so; a name with that prefix whose
 * endpoint is not known at synth time may be one.
 */

const PREFIX = /^(search|vpc)-/;

/** Throws for an imported domain named after its endpoint, and warns about a name that may be. */
export function checkImportedDomainName(owner: string, association: Construct, domain: opensearch.IDomain): void {
  if (domain.node.defaultChild instanceof opensearch.CfnDomain) return;
  const name = domain.domainName;
  const prefix = Token.isUnresolved(name) ? undefined : name.match(PREFIX)?.[0];
  if (!prefix) return;
  const fix = 'Import the domain with Domain.fromDomainAttributes({ domainArn, domainEndpoint }), whose domainArn names the domain.';
  if (Token.isUnresolved(domain.domainEndpoint)) {
    Annotations.of(association).addWarningV2('cdk-opensearch-packages:domainNameFromEndpoint',
      `${owner}: domain ${domain.node.path} is named "${name}". Domain.fromDomainEndpoint gives such names: it keeps the endpoint's "${prefix}" prefix `
      + `(aws-cdk issue 13380), and the deployment then fails with "Domain not found". If the domain is really named "${name}", acknowledge this warning. ${fix}`);
    return;
  }
  const host = domain.domainEndpoint.replace(/^https?:\/\//, '').split('.')[0];
  if (!host.startsWith(`${name}-`)) return;
  const actual = host.slice(prefix.length, host.lastIndexOf('-'));
  throw new Error(`${owner}: domain ${domain.node.path} is named "${name}", which is its endpoint's host ${host} without the ID, as Domain.fromDomainEndpoint `
    + `names it (aws-cdk issue 13380): the host puts "${prefix}" before the domain's name, so the domain is named "${actual}", and the deployment would fail `
    + `with "Domain not found". ${fix}`);
}
