import { App, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

/** A stack in a fixed account and Region, with an imported domain named `search`. */
export function newStack(id = 'Test') {
  const stack = new Stack(new App(), id, { env: { account: '123456789012', region: 'eu-west-1' } });
  const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
    domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/search',
    domainEndpoint: 'https://search-abc.eu-west-1.es.amazonaws.com',
  });
  return { stack, domain };
}

/** Every statement of every IAM policy in the template. */
export function policyStatements(template: { findResources(type: string): Record<string, any> }): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}
