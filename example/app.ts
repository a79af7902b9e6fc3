import * as path from 'path';
import { App, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { CustomPackage, DomainPackageAssociation, PackageSource } from '../lib';

/**
 * The example app: a domain, a synonym dictionary kept in this repository
 * (edit example/dictionaries/synonyms.txt and deploy: the domain gets the new
 * version), and a stopword dictionary created elsewhere, by its package ID.
 */
const app = new App();
const stack = new Stack(app, 'OpenSearchPackagesExample');

const domain = new opensearch.Domain(stack, 'Search', {
  version: opensearch.EngineVersion.OPENSEARCH_2_19,
  capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
  ebs: { volumeSize: 10 },
  enforceHttps: true,
  nodeToNodeEncryption: true,
  encryptionAtRest: { enabled: true },
  removalPolicy: RemovalPolicy.DESTROY,
});

const synonyms = new CustomPackage(stack, 'Synonyms', {
  packageName: 'product-synonyms',
  description: 'Product synonyms for the products index',
  source: PackageSource.fromAsset(path.join(__dirname, 'dictionaries', 'synonyms.txt')),
});
const synonymsOnDomain = synonyms.associateWith(domain);

new DomainPackageAssociation(stack, 'Stopwords', {
  domain,
  packageId: app.node.tryGetContext('stopwordsPackageId') ?? 'F222222222',
  // Kept on the domain when removed from the stack, but cleaned up if its creation fails.
  removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
});

// The index settings that use the dictionary: synonyms_path is the association's reference path.
new CfnOutput(stack, 'ProductsIndexSettings', {
  value: stack.toJsonString({
    analysis: {
      filter: { product_synonyms: { type: 'synonym_graph', synonyms_path: synonymsOnDomain.referencePath, updateable: true } },
      analyzer: { product_search: { tokenizer: 'standard', filter: ['lowercase', 'product_synonyms'] } },
    },
  }),
});
