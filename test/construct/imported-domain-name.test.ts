// A domain imported with Domain.fromDomainEndpoint keeps the endpoint's `search-` prefix in its name (aws-cdk issue 13380).
import { Fn } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { newStack } from './test-stack';
import { DomainPackageAssociation } from '../../lib';

describe('an imported domain named after its endpoint', () => {
  test.each([
    ['search-', 'https://search-products-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com', 'search-products', 'search-products-abcdefghijklmnopqrstuvwxyz', 'products'],
    ['vpc-', 'https://vpc-logs-0123456789abcdefghijklmnop.eu-west-1.es.amazonaws.com', 'vpc-logs', 'vpc-logs-0123456789abcdefghijklmnop', 'logs'],
    ['search- (a domain whose own name starts with search-)', 'https://search-search-x-abc123.eu-west-1.es.amazonaws.com', 'search-search-x', 'search-search-x-abc123', 'search-x'],
  ])('fails for the %s prefix that Domain.fromDomainEndpoint keeps', (_prefix, endpoint, name, host, actual) => {
    const { stack } = newStack();
    const domain = opensearch.Domain.fromDomainEndpoint(stack, 'Products', endpoint);
    const prefix = name.slice(0, name.indexOf('-') + 1);
    expect(() => new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F1' })).toThrow(
      `DomainPackageAssociation Test/Synonyms: domain Test/Products is named "${name}", which is its endpoint's host ${host} without the ID, `
      + `as Domain.fromDomainEndpoint names it (aws-cdk issue 13380): the host puts "${prefix}" before the domain's name, so the domain is named "${actual}", `
      + 'and the deployment would fail with "Domain not found". '
      + 'Import the domain with Domain.fromDomainAttributes({ domainArn, domainEndpoint }), whose domainArn names the domain.');
  });

  test('the same domain imported with fromDomainAttributes passes without warnings', () => {
    const { stack } = newStack();
    const domain = opensearch.Domain.fromDomainAttributes(stack, 'Products', {
      domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/products',
      domainEndpoint: 'https://search-products-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com',
    });
    new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F1' });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a domain really named search-… with its own endpoint passes', () => {
    const { stack } = newStack();
    const domain = opensearch.Domain.fromDomainAttributes(stack, 'Products', {
      domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/search-x',
      domainEndpoint: 'https://search-search-x-abc123.eu-west-1.es.amazonaws.com',
    });
    expect(() => new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F1' })).not.toThrow();
  });

  test('a name with the prefix and an endpoint unknown at synth time gets a warning: it may be the domain\'s name', () => {
    const { stack } = newStack();
    const domain = opensearch.Domain.fromDomainAttributes(stack, 'Products', {
      domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/search-products',
      domainEndpoint: Fn.importValue('ProductsEndpoint'),
    });
    new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F1' });
    Annotations.fromStack(stack).hasWarning('/Test/Synonyms', 'DomainPackageAssociation Test/Synonyms: domain Test/Products is named "search-products". '
      + 'Domain.fromDomainEndpoint gives such names: it keeps the endpoint\'s "search-" prefix (aws-cdk issue 13380), and the deployment then fails with '
      + '"Domain not found". If the domain is really named "search-products", acknowledge this warning. '
      + 'Import the domain with Domain.fromDomainAttributes({ domainArn, domainEndpoint }), whose domainArn names the domain. '
      + '[ack: cdk-opensearch-packages:domainNameFromEndpoint]');
  });
});
