import * as path from 'path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import { importDomain } from './test-stack';
import { CustomPackage, DomainPackageAssociation, PackageSource } from '../../lib';

/** Findings whose only cause is the aws-cdk-lib Provider framework, which this library uses as it ships. */
const FRAMEWORK_SUPPRESSIONS = [
  { id: 'AwsSolutions-IAM4', reason: 'The Provider framework\'s own functions use the AWSLambdaBasicExecutionRole managed policy; aws-cdk-lib does not let callers replace it.' },
  { id: 'AwsSolutions-IAM5', reason: 'The Provider framework grants its functions lambda:InvokeFunction on the user functions\' ARN with a version wildcard (":*").' },
  { id: 'AwsSolutions-SF1', reason: 'The Provider framework\'s waiter state machine logs nothing by default, to keep ResponseURLs out of logs.' },
  { id: 'AwsSolutions-SF2', reason: 'The Provider framework\'s waiter state machine does not support X-Ray tracing.' },
];

function synthWithNag() {
  const app = new App();
  const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
  const domain = importDomain(stack, 'Domain', 'arn:aws:es:eu-west-1:123456789012:domain/search');
  const synonyms = new CustomPackage(stack, 'Synonyms', {
    packageName: 'synonyms', source: PackageSource.fromAsset(path.join(__dirname, 'fixtures', 'synonyms.txt')),
  });
  synonyms.associateWith(domain);
  new DomainPackageAssociation(stack, 'Licence', {
    domain, packageId: 'F222222222', keyStoreAccessRole: iam.Role.fromRoleArn(stack, 'KeyRole', 'arn:aws:iam::123456789012:role/key-store'),
  });

  const provider = stack.node.findChild('OpenSearchPackagesProvider');
  NagSuppressions.addResourceSuppressions(provider.node.findChild('Provider'), FRAMEWORK_SUPPRESSIONS, true);
  NagSuppressions.addResourceSuppressions(provider, [{
    id: 'AwsSolutions-IAM5',
    reason: 'es:DescribePackages, es:CreatePackage, es:UpdatePackage and es:DeletePackage support no resource type in IAM. '
      + 'Everything domain-scoped names the domain ARN.',
    appliesTo: ['Resource::*'],
  }, {
    id: 'AwsSolutions-IAM5',
    reason: 'cloudformation:DescribeStackResources finds the stack of the account that holds an ownership record by its physical ID: '
      + 'which stack that is, is the question. It reads resource descriptions only.',
    appliesTo: ['Resource::arn:<AWS::Partition>:cloudformation:*:123456789012:stack/*'],
  }], true);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  app.synth();
  return stack;
}

test('the AwsSolutions pack finds nothing unsuppressed; suppressions cover only the Provider framework, the actions IAM gives no resource type, and the search for another stack\'s record', () => {
  const stack = synthWithNag();
  const annotations = Annotations.fromStack(stack);
  const findings = [
    ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
  ].map(f => `${f.id}: ${String(f.entry.data).split('\n')[0]}`);
  expect(findings).toEqual([]);
});
