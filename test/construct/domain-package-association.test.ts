import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { importDomain, newStack, policyStatements } from './test-stack';
import { DomainPackageAssociation } from '../../lib';
import { HANDLER_CEILING_SECONDS } from '../../lib/check-timing';

const DOMAIN_PACKAGES = 'Custom::OpenSearchDomainPackages';
const ASSOCIATION = 'Custom::OpenSearchPackageAssociation';
const DOMAIN_ARN = 'arn:aws:es:eu-west-1:123456789012:domain/search';

/** The one resource of the type in the template, with its logical ID. */
function single(template: Template, type: string): [string, any] {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('DomainPackageAssociation', () => {
  test('puts every package of the stack in one resource, grouped by domain, and gives each association a record of its own, whose physical ID the entry carries', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F123456789', versionLabel: 'v3', timeout: Duration.minutes(10) });
    new DomainPackageAssociation(stack, 'Licence', { domain, packageId: 'pkg-0abc', prerequisitePackageIds: ['pkg-0def'] });

    const template = Template.fromStack(stack);
    const [, domainPackages] = single(template, DOMAIN_PACKAGES);
    expect(domainPackages.Properties).toEqual({
      ServiceToken: expect.anything(),
      ServiceTimeout: '3600',
      Domains: [{
        Key: expect.stringMatching(/^[0-9a-f]{16}$/),
        DomainName: 'search',
        DomainArn: DOMAIN_ARN,
        WaitSeconds: '1800',
        Packages: [
          { Key: expect.stringMatching(/^P[0-9a-f]{16}$/), PackageID: 'F123456789', PackageVersion: 'v3', OwnershipRecord: { Ref: expect.stringMatching(/Association[0-9a-f]{12}/) } },
          { Key: expect.stringMatching(/^P[0-9a-f]{16}$/), PackageID: 'pkg-0abc', PrerequisitePackageIDList: ['pkg-0def'], OwnershipRecord: { Ref: expect.stringMatching(/Association[0-9a-f]{12}/) } },
        ],
      }],
    });
    template.resourceCountIs(ASSOCIATION, 2);
    const records = Object.keys(template.findResources(ASSOCIATION));
    expect(domainPackages.Properties.Domains[0].Packages.map((p: any) => p.OwnershipRecord.Ref).sort()).toEqual(records.sort());
    // Records are deleted only when the operation that created them rolls back; every other removal is the stack's resource's.
    template.hasResource(ASSOCIATION, {
      Properties: { DomainName: 'search', DomainArn: DOMAIN_ARN, PackageID: 'F123456789', WaitSeconds: '600', ServiceTimeout: '3600', AdoptExisting: Match.absent() },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('lets the handler read its own stack\'s resources and events, find which stack of the account holds a record, and nothing else of CloudFormation', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const statements = policyStatements(Template.fromStack(stack)).filter(s => [s.Action].flat().some((a: string) => a.startsWith('cloudformation:')));
    expect(statements).toEqual([
      expect.objectContaining({ Action: ['cloudformation:DescribeStackEvents', 'cloudformation:ListStackResources'], Resource: { Ref: 'AWS::StackId' } }),
      expect.objectContaining({
        Action: 'cloudformation:DescribeStackResources',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudformation:*:123456789012:stack/*']] },
      }),
    ]);
  });

  test('synthesises without warnings', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('the domain\'s resource waits for every association resource of the domain, and those for the domain\'s permissions', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    new DomainPackageAssociation(stack, 'B', { domain, packageId: 'F2' });
    const template = Template.fromStack(stack);
    const [domainPackagesId, domainPackages] = single(template, DOMAIN_PACKAGES);
    const associations = Object.keys(template.findResources(ASSOCIATION));
    const [policyId] = Object.entries(template.findResources('AWS::IAM::Policy'))
      .find(([, p]: [string, any]) => JSON.stringify(p).includes('es:AssociatePackages'))!;
    expect(domainPackages.DependsOn).toEqual(expect.arrayContaining([policyId, ...associations]));
    for (const id of associations) expect(template.toJSON().Resources[id].DependsOn).toContain(policyId);
    expect(template.toJSON().Resources[policyId].DependsOn ?? []).not.toContain(domainPackagesId);
  });

  test('gives each domain its own group in the stack\'s resource and its own policy, scoped to that domain', () => {
    const { stack, domain } = newStack();
    const other = new opensearch.Domain(stack, 'Other', { version: opensearch.EngineVersion.OPENSEARCH_2_19 });
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    new DomainPackageAssociation(stack, 'B', { domain: other, packageId: 'F2' });

    const template = Template.fromStack(stack);
    const [, domainPackages] = single(template, DOMAIN_PACKAGES);
    expect(domainPackages.Properties.Domains.map((d: any) => d.Packages.map((p: any) => p.PackageID))).toEqual([['F1'], ['F2']]);
    const domainActions = ['es:AssociatePackage', 'es:AssociatePackages', 'es:DissociatePackage', 'es:DissociatePackages', 'es:ListPackagesForDomain', 'es:DescribeDomain'];
    const statements = policyStatements(template);
    const scoped = statements.filter(s => JSON.stringify(s.Action) === JSON.stringify(domainActions));
    expect(scoped.map(s => s.Resource)).toEqual([DOMAIN_ARN, { 'Fn::GetAtt': [stack.getLogicalId(other.node.defaultChild as any), 'Arn'] }]);
    // Only the action IAM accepts no resource for gets `*`.
    const wildcards = statements.filter(s => s.Resource === '*' && [s.Action].flat().some((a: string) => a.startsWith('es:')));
    expect(wildcards.map(s => s.Action)).toEqual(['es:DescribePackages']);
  });

  test('shares one provider among all associations of a stack', () => {
    const { stack, domain } = newStack();
    for (const [id, packageId] of [['A', 'F1'], ['B', 'F2'], ['C', 'pkg-0abc']]) {
      new DomainPackageAssociation(stack, id, { domain, packageId });
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs(ASSOCIATION, 3);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    // the provider framework's three functions and the handler's two
    template.resourceCountIs('AWS::Lambda::Function', 5);
  });

  test('waits as long as onEvent says before the first check, then checks every 7 seconds, for just under an hour at most', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const template = Template.fromStack(stack);
    const [, machine] = single(template, 'AWS::StepFunctions::StateMachine');
    // Fn::Join of literal JSON and the functions' ARNs: the ARNs become their functions' logical IDs.
    const parts: unknown[] = machine.Properties.DefinitionString['Fn::Join'][1];
    const definition = JSON.parse(parts.map(part => (typeof part === 'string' ? part : (part as any)['Fn::GetAtt'][0])).join(''));
    const frameworkFunction = (name: string) => Object.keys(template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp(`- ${name} \\(`) },
    }));

    expect(definition.StartAt).toBe('first-check-delay');
    expect(definition.States['first-check-delay']).toEqual({ Type: 'Wait', SecondsPath: '$.FirstCheckDelaySeconds', Next: 'framework-isComplete-task' });
    const check = definition.States['framework-isComplete-task'];
    expect(check.Retry).toEqual([{ ErrorEquals: ['States.ALL'], IntervalSeconds: 7, MaxAttempts: 513, BackoffRate: 1 }]);
    expect(check.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'framework-onTimeout-task' }]);
    expect(frameworkFunction('isComplete')).toEqual([check.Resource]);
    expect(frameworkFunction('onTimeout')).toEqual([definition.States['framework-onTimeout-task'].Resource]);

    // The handler's latest deadline, plus one interval for the check that finds it passed, comes before the waiter's
    // last check even without the first wait: the handler always answers, never the framework's timeout path (whose
    // log line carries the pre-signed ResponseURL at aws-cdk-lib 2.206.0 to 2.275.0).
    const [retry] = check.Retry;
    expect(retry.IntervalSeconds * retry.MaxAttempts).toBeGreaterThan(HANDLER_CEILING_SECONDS + retry.IntervalSeconds);
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

  test('enables key-store access through the role and lets the handler pass it', () => {
    const { stack, domain } = newStack();
    const role = iam.Role.fromRoleArn(stack, 'KeyRole', 'arn:aws:iam::123456789012:role/key-store');
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1', keyStoreAccessRole: role });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(DOMAIN_PACKAGES, { Domains: [Match.objectLike({ Packages: [Match.objectLike({ PackageID: 'F1', KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/key-store' })] })] });
    expect(policyStatements(template)).toContainEqual(expect.objectContaining({
      Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/key-store',
    }));
  });

  test.each([
    [RemovalPolicy.RETAIN, 'Retain', 'true'],
    [RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, 'RetainExceptOnCreate', 'true'],
    [RemovalPolicy.DESTROY, 'RetainExceptOnCreate', undefined],
  ])('with the removal policy %s, the record is %s and the stack\'s resource keeps the association on the domain: %s', (removalPolicy, deletionPolicy, retain) => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1', removalPolicy });
    const template = Template.fromStack(stack);
    template.hasResource(ASSOCIATION, { DeletionPolicy: deletionPolicy, UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties(DOMAIN_PACKAGES, { Domains: [Match.objectLike({ Packages: [Match.objectLike({ PackageID: 'F1', Retain: retain ?? Match.absent() })] })] });
  });

  test('adoptExisting lets the association resource adopt a package already on the domain', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1', adoptExisting: true });
    Template.fromStack(stack).hasResourceProperties(ASSOCIATION, { PackageID: 'F1', AdoptExisting: 'true' });
  });

  test('exposes each package\'s attributes from the domain\'s resource', () => {
    const { stack, domain } = newStack();
    const association = new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const template = Template.fromStack(stack);
    const [logicalId, resource] = single(template, DOMAIN_PACKAGES);
    const key = resource.Properties.Domains[0].Packages[0].Key;
    const attribute = (index: number) => ({ 'Fn::Select': [index, { 'Fn::Split': ['|', { 'Fn::GetAtt': [logicalId, key] }] }] });
    expect(stack.resolve(association.referencePath)).toEqual(attribute(1));
    expect(stack.resolve(association.packageVersion)).toEqual(attribute(2));
    expect(stack.resolve(association.packageName)).toEqual(attribute(3));
    expect(stack.resolve(association.packageType)).toEqual(attribute(4));
    expect(stack.resolve(association.domainPackageStatus)).toEqual(attribute(5));
    expect(association.packageId).toBe('F1');
    expect(association.domainName).toBe('search');
  });

  test('what depends on an association waits for the domain\'s resource', () => {
    const { stack, domain } = newStack();
    const association = new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const consumer = new iam.Role(stack, 'Consumer', { assumedBy: new iam.AccountRootPrincipal() });
    consumer.node.addDependency(association);
    const template = Template.fromStack(stack);
    const [domainPackagesId] = single(template, DOMAIN_PACKAGES);
    expect(template.toJSON().Resources[stack.getLogicalId(consumer.node.defaultChild as any)].DependsOn).toEqual([domainPackagesId]);
  });

  test('renaming or moving an association\'s construct changes no logical ID', () => {
    const synth = (id: string, parent?: string) => {
      const { stack, domain } = newStack();
      new DomainPackageAssociation(parent ? new Construct(stack, parent) : stack, id, { domain, packageId: 'F1', versionLabel: 'v1' });
      const resources = Template.fromStack(stack).toJSON().Resources;
      return Object.keys(resources).sort();
    };
    expect(synth('Renamed')).toEqual(synth('Synonyms'));
    expect(synth('Synonyms', 'Search')).toEqual(synth('Synonyms'));
  });

  test('waits as long as the longest timeout of the domain\'s associations, capped two minutes below CloudFormation\'s ceiling', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1', timeout: Duration.hours(1) });
    new DomainPackageAssociation(stack, 'B', { domain, packageId: 'F2', timeout: Duration.minutes(5) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(DOMAIN_PACKAGES, { Domains: [Match.objectLike({ WaitSeconds: '3480' })], ServiceTimeout: '3600' });
    template.hasResourceProperties(ASSOCIATION, { PackageID: 'F2', WaitSeconds: '300', ServiceTimeout: '3600' });
  });

  test('accepts tokens for the package ID and the domain', () => {
    const { stack } = newStack();
    const domain = new opensearch.Domain(stack, 'Search', { version: opensearch.EngineVersion.OPENSEARCH_2_19 });
    const packageId = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }).roleName;
    expect(() => new DomainPackageAssociation(stack, 'A', { domain, packageId })).not.toThrow();
    Template.fromStack(stack).resourceCountIs(ASSOCIATION, 1);
  });

  test('passes the ARN of a domain in another Region, whose Region the handler calls', () => {
    const { stack } = newStack();
    const domain = importDomain(stack, 'Far', 'arn:aws:es:ap-southeast-2:123456789012:domain/far-search');
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(DOMAIN_PACKAGES, { Domains: [Match.objectLike({ DomainName: 'far-search', DomainArn: 'arn:aws:es:ap-southeast-2:123456789012:domain/far-search' })] });
    expect(policyStatements(template).map(s => s.Resource)).toContain('arn:aws:es:ap-southeast-2:123456789012:domain/far-search');
  });

  test('keeps two domains of one name in two Regions apart: two groups, two records, two policies', () => {
    const { stack } = newStack();
    const here = importDomain(stack, 'Here', 'arn:aws:es:eu-west-1:123456789012:domain/search');
    const there = importDomain(stack, 'There', 'arn:aws:es:us-east-1:123456789012:domain/search');
    new DomainPackageAssociation(stack, 'A', { domain: here, packageId: 'F1' });
    new DomainPackageAssociation(stack, 'B', { domain: there, packageId: 'F1' });
    const template = Template.fromStack(stack);
    const [, domainPackages] = single(template, DOMAIN_PACKAGES);
    expect(domainPackages.Properties.Domains.map((d: any) => d.DomainArn)).toEqual([
      'arn:aws:es:eu-west-1:123456789012:domain/search', 'arn:aws:es:us-east-1:123456789012:domain/search',
    ]);
    template.resourceCountIs(ASSOCIATION, 2);
    expect(policyStatements(template).map(s => s.Resource)).toEqual(expect.arrayContaining([
      'arn:aws:es:eu-west-1:123456789012:domain/search', 'arn:aws:es:us-east-1:123456789012:domain/search',
    ]));
  });

  describe('validation', () => {
    test.each([
      ['an invalid package ID', { packageId: 'f123' }, /packageId "f123" is not a valid OpenSearch package ID/],
      ['a prerequisite that is not a package ID', { packageId: 'F1', prerequisitePackageIds: ['nope'] }, /prerequisitePackageIds\[0\] "nope"/],
      ['the package as its own prerequisite', { packageId: 'F1', prerequisitePackageIds: ['F1'] }, /cannot be its own prerequisite/],
      ['a prerequisite listed twice', { packageId: 'F1', prerequisitePackageIds: ['F2', 'F2'] }, /prerequisitePackageIds\[1\] "F2" is listed twice/],
      ['a timeout over one hour', { packageId: 'F1', timeout: Duration.minutes(61) }, /timeout 3660 seconds is out of range.*1 hour/],
      ['a zero timeout', { packageId: 'F1', timeout: Duration.seconds(0) }, /timeout 0 seconds is out of range/],
      ['a timeout of a fraction of a second', { packageId: 'F1', timeout: Duration.millis(500) }, /DomainPackageAssociation Test\/A: timeout 0.5 seconds is not a whole number of seconds/],
      ['the SNAPSHOT removal policy', { packageId: 'F1', removalPolicy: RemovalPolicy.SNAPSHOT }, /removalPolicy "snapshot" is not supported/],
    ])('fails with %s', (_name, props, message) => {
      const { stack, domain } = newStack();
      expect(() => new DomainPackageAssociation(stack, 'A', { domain, ...props })).toThrow(message);
    });

    test('fails with an invalid domain name', () => {
      const { stack } = newStack();
      const domain = importDomain(stack, 'Bad', 'arn:aws:es:eu-west-1:123456789012:domain/Bad_Name');
      expect(() => new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' }))
        .toThrow(/domain.domainName "Bad_Name" is not a valid OpenSearch domain name/);
    });

    test('fails when the same package is associated with a domain twice in one stack', () => {
      const { stack, domain } = newStack();
      new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
      expect(() => new DomainPackageAssociation(stack, 'B', { domain, packageId: 'F1' }))
        .toThrow('DomainPackageAssociation Test/B: package F1 is already associated with domain search (Test/Domain) by Test/A: '
          + 'a stack associates a package with a domain once. Remove one of the two associations.');
    });

    test('fails with a domain of another account', () => {
      const { stack } = newStack();
      const domain = importDomain(stack, 'Theirs', 'arn:aws:es:eu-west-1:210987654321:domain/theirs');
      expect(() => new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' }))
        .toThrow('DomainPackageAssociation Test/A: domain.domainArn "arn:aws:es:eu-west-1:210987654321:domain/theirs" (Test/Theirs) is in account 210987654321, '
          + 'the stack in account 123456789012');
    });
  });
});

test('an app with several stacks keeps each stack\'s associations in that stack', () => {
  const app = new App();
  const stacks = ['One', 'Two'].map(id => new Stack(app, id, { env: { account: '123456789012', region: 'eu-west-1' } }));
  for (const stack of stacks) {
    const domain = importDomain(stack, 'Domain', 'arn:aws:es:eu-west-1:123456789012:domain/shared');
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
  }
  for (const stack of stacks) Template.fromStack(stack).resourceCountIs(DOMAIN_PACKAGES, 1);
});
