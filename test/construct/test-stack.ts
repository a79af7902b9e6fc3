import { App, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';

/** A domain imported by its ARN (the endpoint, which no test reads, follows from it). */
export function importDomain(scope: Construct, id: string, domainArn: string): opensearch.IDomain {
  const [, , , region, , resource] = domainArn.split(':');
  return opensearch.Domain.fromDomainAttributes(scope, id, {
    domainArn,
    domainEndpoint: `https://search-${resource.replace('domain/', '')}.${region}.es.amazonaws.com`,
  });
}

/** A stack in a fixed account and Region, with an imported domain named `search`. */
export function newStack(id = 'Test') {
  const stack = new Stack(new App(), id, { env: { account: '123456789012', region: 'eu-west-1' } });
  const domain = importDomain(stack, 'Domain', 'arn:aws:es:eu-west-1:123456789012:domain/search');
  return { stack, domain };
}

/** Every statement of every IAM policy in the template. */
export function policyStatements(template: { findResources(type: string): Record<string, any> }): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}
