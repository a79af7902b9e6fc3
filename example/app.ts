import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { DomainPackageAssociation } from '../lib';

/**
 * The example app: a domain with a synonym dictionary and a stopword
 * dictionary associated. The package IDs stand for packages created
 * beforehand (console, CLI or CreatePackage).
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

const synonyms = new DomainPackageAssociation(stack, 'Synonyms', {
  domain,
  packageId: app.node.tryGetContext('synonymsPackageId') ?? 'F111111111',
  packageVersion: app.node.tryGetContext('synonymsVersion') ?? 'v1',
});

new DomainPackageAssociation(stack, 'Stopwords', {
  domain,
  packageId: app.node.tryGetContext('stopwordsPackageId') ?? 'F222222222',
  timeout: Duration.minutes(20),
  removalPolicy: RemovalPolicy.RETAIN,
});

// The path an index's analyzer settings use, e.g. "synonyms_path": "analyzers/F111111111".
stack.exportValue(synonyms.referencePath, { name: 'SynonymsReferencePath' });
