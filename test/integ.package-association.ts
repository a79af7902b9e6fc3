// Integration test: a real domain, a synonym dictionary created from a file,
// and its association. `npm run integ` verifies the committed snapshot
// offline; README "Integration tests" tells how to deploy it.
import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { CustomPackage, PackageSource } from '../lib';

const app = new App();
const stack = new Stack(app, 'OpenSearchPackageAssociationInteg');

const domain = new opensearch.Domain(stack, 'Domain', {
  version: opensearch.EngineVersion.OPENSEARCH_2_19,
  capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
  ebs: { volumeSize: 10 },
  enforceHttps: true,
  nodeToNodeEncryption: true,
  removalPolicy: RemovalPolicy.DESTROY,
});

const synonyms = new CustomPackage(stack, 'Synonyms', {
  packageName: 'integ-synonyms',
  description: 'cdk-opensearch-packages integration test',
  source: PackageSource.fromAsset(path.join(__dirname, 'integ-fixtures', 'synonyms.txt')),
});
synonyms.associateWith(domain);

const integ = new IntegTest(app, 'PackageAssociation', { testCases: [stack] });

// The deployment finishes only once the service reports the package AVAILABLE
// and the association ACTIVE, so both calls must see that at once: no waiting.
integ.assertions.awsApiCall('OpenSearch', 'describePackages', {
  Filters: [{ Name: 'PackageID', Value: [synonyms.packageId] }],
}).expect(ExpectedResult.objectLike({
  PackageDetailsList: Match.arrayWith([Match.objectLike({ PackageID: synonyms.packageId, PackageStatus: 'AVAILABLE' })]),
}));

integ.assertions.awsApiCall('OpenSearch', 'listPackagesForDomain', { DomainName: domain.domainName })
  .expect(ExpectedResult.objectLike({
    DomainPackageDetailsList: Match.arrayWith([Match.objectLike({ PackageID: synonyms.packageId, DomainPackageStatus: 'ACTIVE' })]),
  }));
