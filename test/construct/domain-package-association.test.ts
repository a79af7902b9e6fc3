import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { newStack, policyStatements } from './test-stack';
import { DomainPackageAssociation } from '../../lib';

const RESOURCE_TYPE = 'Custom::OpenSearchPackageAssociation';



describe('DomainPackageAssociation', () => {
  test('writes the association as a custom resource with string properties', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'Synonyms', {
      domain,
      packageId: 'F123456789',
      prerequisitePackageIds: ['F987654321'],
      packageVersion: 'v3',
      timeout: Duration.minutes(10),
    });

    Template.fromStack(stack).hasResource(RESOURCE_TYPE, {
      Properties: {
        DomainName: 'search',
        PackageID: 'F123456789',
        PrerequisitePackageIDList: ['F987654321'],
        PackageVersion: 'v3',
        WaitSeconds: '600',
        ServiceTimeout: '720',
        KeyAccessRoleArn: Match.absent(),
      },
      DeletionPolicy: 'Delete',
    });
  });

  test('shares one provider among all associations of a stack', () => {
    const { stack, domain } = newStack();
    for (const [id, packageId] of [['A', 'F1'], ['B', 'F2'], ['C', 'pkg-0abc']]) {
      new DomainPackageAssociation(stack, id, { domain, packageId });
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs(RESOURCE_TYPE, 3);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    // the provider framework's three functions and the handler's two
    template.resourceCountIs('AWS::Lambda::Function', 5);
  });

  test('lets the service work 6 seconds, then checks every 7 seconds, for just under an hour at most', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const template = Template.fromStack(stack);
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as any[];
    // Fn::Join of literal JSON and the functions' ARNs: the ARNs become their functions' logical IDs.
    const parts: unknown[] = machine.Properties.DefinitionString['Fn::Join'][1];
    const definition = JSON.parse(parts.map(part => (typeof part === 'string' ? part : (part as any)['Fn::GetAtt'][0])).join(''));
    const frameworkFunction = (name: string) => Object.keys(template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp(`- ${name} \\(`) },
    }));

    expect(definition.StartAt).toBe('first-check-delay');
    expect(definition.States['first-check-delay']).toEqual({ Type: 'Wait', Seconds: 6, Next: 'framework-isComplete-task' });
    const check = definition.States['framework-isComplete-task'];
    expect(check.Retry).toEqual([{ ErrorEquals: ['States.ALL'], IntervalSeconds: 7, MaxAttempts: 513, BackoffRate: 1 }]);
    expect(check.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'framework-onTimeout-task' }]);
    expect(frameworkFunction('isComplete')).toEqual([check.Resource]);
    expect(frameworkFunction('onTimeout')).toEqual([definition.States['framework-onTimeout-task'].Resource]);
  });

  test('runs the handlers on the latest Node.js runtime, on ARM64', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const handlers = Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { Handler: Match.stringLikeRegexp('^index\\.(onEvent|isComplete)$') },
    });
    expect(Object.keys(handlers)).toHaveLength(2);
    for (const handler of Object.values(handlers) as any[]) {
      expect(handler.Properties.Architectures).toEqual(['arm64']);
      expect(handler.Properties.Runtime).toMatch(/^nodejs\d+\.x$/);
    }
  });

  test('scopes the package permissions to the domains the associations name', () => {
    const { stack, domain } = newStack();
    const other = new opensearch.Domain(stack, 'Other', { version: opensearch.EngineVersion.OPENSEARCH_2_19 });
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    new DomainPackageAssociation(stack, 'B', { domain: other, packageId: 'F2' });

    const statements = policyStatements(Template.fromStack(stack));
    const domainActions = ['es:AssociatePackage', 'es:DissociatePackage', 'es:ListPackagesForDomain', 'es:DescribeDomain'];
    const scoped = statements.filter(s => JSON.stringify(s.Action) === JSON.stringify(domainActions));
    expect(scoped.map(s => s.Resource)).toEqual([
      'arn:aws:es:eu-west-1:123456789012:domain/search',
      { 'Fn::GetAtt': [stack.getLogicalId(other.node.defaultChild as any), 'Arn'] },
    ]);
    // Only the action IAM accepts no resource for gets `*`.
    const wildcards = statements.filter(s => s.Resource === '*' && [s.Action].flat().some((a: string) => a.startsWith('es:')));
    expect(wildcards.map(s => s.Action)).toEqual(['es:DescribePackages']);
  });

  test('waits for its permissions before the custom resource runs', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const template = Template.fromStack(stack);
    const [policyId] = Object.entries(template.findResources('AWS::IAM::Policy'))
      .find(([, p]: [string, any]) => JSON.stringify(p).includes('es:AssociatePackage'))!;
    template.hasResource(RESOURCE_TYPE, { DependsOn: Match.arrayWith([policyId]) });
  });

  test('enables key-store access through the role and lets the handler pass it', () => {
    const { stack, domain } = newStack();
    const role = iam.Role.fromRoleArn(stack, 'KeyRole', 'arn:aws:iam::123456789012:role/key-store');
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1', keyStoreAccessRole: role });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(RESOURCE_TYPE, { KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/key-store' });
    expect(policyStatements(template)).toContainEqual(expect.objectContaining({
      Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/key-store',
    }));
  });

  test('leaves the package on the domain when the removal policy is RETAIN', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1', removalPolicy: RemovalPolicy.RETAIN });
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('exposes the attributes the handler returns', () => {
    const { stack, domain } = newStack();
    const association = new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const logicalId = stack.getLogicalId(association.node.defaultChild as any);
    const resolved = (value: string) => stack.resolve(value);
    expect(resolved(association.referencePath)).toEqual({ 'Fn::GetAtt': [logicalId, 'ReferencePath'] });
    expect(resolved(association.packageVersion)).toEqual({ 'Fn::GetAtt': [logicalId, 'PackageVersion'] });
    expect(resolved(association.packageName)).toEqual({ 'Fn::GetAtt': [logicalId, 'PackageName'] });
    expect(resolved(association.packageType)).toEqual({ 'Fn::GetAtt': [logicalId, 'PackageType'] });
    expect(resolved(association.domainPackageStatus)).toEqual({ 'Fn::GetAtt': [logicalId, 'DomainPackageStatus'] });
    expect(association.packageId).toBe('F1');
    expect(association.domainName).toBe('search');
  });

  test('caps the wait two minutes below CloudFormation\'s one-hour ceiling', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1', timeout: Duration.hours(1) });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { WaitSeconds: '3480', ServiceTimeout: '3600' });
  });

  test('accepts tokens for the package ID and the domain', () => {
    const { stack } = newStack();
    const domain = new opensearch.Domain(stack, 'Search', { version: opensearch.EngineVersion.OPENSEARCH_2_19 });
    const packageId = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }).roleName;
    expect(() => new DomainPackageAssociation(stack, 'A', { domain, packageId })).not.toThrow();
  });

  describe('validation', () => {
    test.each([
      ['an invalid package ID', { packageId: 'f123' }, /packageId "f123" is not a valid OpenSearch package ID/],
      ['a prerequisite that is not a package ID', { packageId: 'F1', prerequisitePackageIds: ['nope'] }, /prerequisitePackageIds\[0\] "nope"/],
      ['the package as its own prerequisite', { packageId: 'F1', prerequisitePackageIds: ['F1'] }, /cannot be its own prerequisite/],
      ['a prerequisite listed twice', { packageId: 'F1', prerequisitePackageIds: ['F2', 'F2'] }, /prerequisitePackageIds\[1\] "F2" is listed twice/],
      ['a timeout over one hour', { packageId: 'F1', timeout: Duration.minutes(61) }, /timeout 3660 seconds is out of range.*1 hour/],
      ['a zero timeout', { packageId: 'F1', timeout: Duration.seconds(0) }, /timeout 0 seconds is out of range/],
      ['the SNAPSHOT removal policy', { packageId: 'F1', removalPolicy: RemovalPolicy.SNAPSHOT }, /removalPolicy "snapshot" is not supported/],
    ])('fails with %s', (_name, props, message) => {
      const { stack, domain } = newStack();
      expect(() => new DomainPackageAssociation(stack, 'A', { domain, ...props })).toThrow(message);
    });

    test('fails with an invalid domain name', () => {
      const { stack } = newStack();
      const domain = opensearch.Domain.fromDomainAttributes(stack, 'Bad', {
        domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/Bad_Name',
        domainEndpoint: 'https://search-bad.eu-west-1.es.amazonaws.com',
      });
      expect(() => new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' }))
        .toThrow(/domain.domainName "Bad_Name" is not a valid OpenSearch domain name/);
    });
  });
});
