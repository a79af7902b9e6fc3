// The reference app: the stack every language test app declares, written in
// TypeScript. Its template is what the Python, Java and Go apps must synthesise.
import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { CustomPackage, DomainPackageAssociation, PackageSource } from 'cdk-opensearch-packages';
import { Construct } from 'constructs';

export class LanguageTestStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const domain = opensearch.Domain.fromDomainAttributes(this, 'Domain', {
      domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/products',
      domainEndpoint: 'https://search-products-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com',
    });

    // A dictionary from a file of this app, associated with the domain.
    const synonyms = new CustomPackage(this, 'Synonyms', {
      packageName: 'product-synonyms',
      source: PackageSource.fromAsset('dictionaries/synonyms.txt'),
    });
    const association = synonyms.associateWith(domain);

    // A package that already exists: a plugin's configuration, with the plugin as its prerequisite.
    new DomainPackageAssociation(this, 'PluginConfig', {
      domain,
      packageId: 'pkg-0123456789abcdef0',
      versionLabel: 'v2',
      prerequisitePackageIds: ['pkg-fedcba98765432100'],
    });

    new CfnOutput(this, 'SynonymsPath', { value: association.referencePath });
  }
}

const app = new App();
new LanguageTestStack(app, 'OpenSearchPackagesLanguageTest');
app.synth();
