import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { importDomain, newStack, policyStatements } from './test-stack';
import { CustomPackage, PackageSource, PackageType } from '../../lib';
import { writePluginZip } from '../plugin-archive';

const PACKAGE = 'Custom::OpenSearchPackage';
const ASSOCIATION = 'Custom::OpenSearchPackageAssociation';
const DOMAIN_PACKAGES = 'Custom::OpenSearchDomainPackages';
const SYNONYMS = path.join(__dirname, 'fixtures', 'synonyms.txt');
const FIXTURES = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-package-test-'));
const pluginFor = (engine: opensearch.EngineVersion) => PackageSource.fromAsset(writePluginZip(FIXTURES, `analyzer-${engine.version}.zip`, engine.version.split('_')[1]));

afterAll(() => fs.rmSync(FIXTURES, { recursive: true, force: true }));

describe('CustomPackage', () => {
  test('creates a dictionary package from a file in the repository, uploaded as an asset', () => {
    const { stack } = newStack();
    new CustomPackage(stack, 'Synonyms', { packageName: 'product-synonyms', source: PackageSource.fromAsset(SYNONYMS), description: 'Product synonyms' });

    Template.fromStack(stack).hasResource(PACKAGE, {
      Properties: {
        PackageName: 'product-synonyms',
        PackageType: 'TXT-DICTIONARY',
        S3BucketName: Match.stringLikeRegexp('^cdk-[a-z0-9]+-assets-123456789012-eu-west-1$'),
        S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.txt$'),
        PackageDescription: 'Product synonyms',
        WaitSeconds: '1800',
      },
      DeletionPolicy: 'Delete',
    });
  });

  test('creates a plugin from an S3 object with its engine version, and keeps it when RETAIN', () => {
    const { stack } = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'plugins-bucket');
    new CustomPackage(stack, 'Plugin', {
      packageName: 'my-plugin',
      packageType: PackageType.ZIP_PLUGIN,
      engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19,
      source: PackageSource.fromBucket(bucket, 'plugins/my-plugin.zip', 'version-7'),
      removalPolicy: RemovalPolicy.RETAIN,
      timeout: Duration.minutes(45),
    });

    Template.fromStack(stack).hasResource(PACKAGE, {
      Properties: {
        PackageType: 'ZIP-PLUGIN', EngineVersion: 'OpenSearch_2.19', S3BucketName: 'plugins-bucket', S3Key: 'plugins/my-plugin.zip', S3ObjectVersion: 'version-7', WaitSeconds: '2700',
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('may read only the source object, and manage packages where IAM offers no resource type', () => {
    const { stack } = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'dictionaries');
    new CustomPackage(stack, 'A', { packageName: 'a-dict', source: PackageSource.fromBucket(bucket, 'a.txt') });

    const all = policyStatements(Template.fromStack(stack));
    expect(all).toContainEqual({
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::dictionaries/a.txt']] },
    });
    expect(all).toContainEqual({
      Action: ['es:CreatePackage', 'es:UpdatePackage', 'es:DeletePackage', 'es:GetPackageVersionHistory', 'es:ListDomainsForPackage'],
      Effect: 'Allow',
      Resource: '*',
    });
    expect(all.filter(s => [s.Action].flat().some((a: string) => a.startsWith('s3:')) && s.Resource === '*')).toEqual([]);
  });

  test('shares the stack\'s provider with associations', () => {
    const { stack, domain } = newStack();
    const pkg = new CustomPackage(stack, 'Synonyms', { packageName: 'synonyms', source: PackageSource.fromAsset(SYNONYMS) });
    pkg.associateWith(domain);
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });

  test('associateWith passes the package ID and its version, so a new version re-associates', () => {
    const { stack, domain } = newStack();
    const pkg = new CustomPackage(stack, 'Synonyms', { packageName: 'synonyms', source: PackageSource.fromAsset(SYNONYMS) });
    const association = pkg.associateWith(domain, { timeout: Duration.minutes(5) });
    const pkgId = stack.getLogicalId(pkg.node.defaultChild as any);
    const template = Template.fromStack(stack);

    template.hasResourceProperties(DOMAIN_PACKAGES, { Domains: [Match.objectLike({
      DomainName: 'search',
      Packages: [Match.objectLike({ PackageID: { 'Fn::GetAtt': [pkgId, 'PackageID'] }, PackageVersion: { 'Fn::GetAtt': [pkgId, 'AvailablePackageVersion'] } })],
    })] });
    template.hasResourceProperties(ASSOCIATION, { PackageID: { 'Fn::GetAtt': [pkgId, 'PackageID'] }, WaitSeconds: '300' });
    expect(stack.resolve(pkg.packageId)).toEqual({ 'Fn::GetAtt': [pkgId, 'PackageID'] });
    expect(stack.resolve(pkg.referencePath)).toEqual({ 'Fn::GetAtt': [pkgId, 'ReferencePath'] });
    expect(association.node.scope).toBe(pkg);
  });

  test('imports an existing package, such as one AWS provides, and associates it without a version', () => {
    const { stack, domain } = newStack();
    const imported = CustomPackage.fromPackageId(stack, 'Kuromoji', 'G123456789');
    imported.associateWith(domain);
    const template = Template.fromStack(stack);
    template.resourceCountIs(PACKAGE, 0);
    template.hasResourceProperties(DOMAIN_PACKAGES, { Domains: [Match.objectLike({ Packages: [{ Key: Match.anyValue(), PackageID: 'G123456789', OwnershipRecord: Match.anyValue() }] })] });
  });

  test('associations on one domain go to the domain together, and another domain has its own group', () => {
    const { stack, domain } = newStack();
    const other = importDomain(stack, 'Other', 'arn:aws:es:eu-west-1:123456789012:domain/other');
    CustomPackage.fromPackageId(stack, 'A', 'F1').associateWith(domain);
    CustomPackage.fromPackageId(stack, 'B', 'F2').associateWith(domain);
    CustomPackage.fromPackageId(stack, 'C', 'F3').associateWith(other);
    const template = Template.fromStack(stack);

    const sets = Object.values(template.findResources(DOMAIN_PACKAGES)).flatMap((r: any) => r.Properties.Domains)
      .map((d: any) => [d.DomainName, d.Packages.map((p: any) => p.PackageID)]);
    expect(sets).toEqual([['search', ['F1', 'F2']], ['other', ['F3']]]);
  });

  describe('validation', () => {
    test.each([
      ['an invalid package name', { packageName: 'My_Package' }, /packageName "My_Package" is not a valid OpenSearch package name/],
      ['a too short package name', { packageName: 'ab' }, /packageName "ab" is not a valid/],
      ['a plugin without an engine version', { packageName: 'plugin', packageType: PackageType.ZIP_PLUGIN }, /engineVersion is required when packageType is ZIP-PLUGIN/],
      ['an engine version on a dictionary', { packageName: 'dict', engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19 }, /engineVersion applies only to ZIP-PLUGIN packages, not to TXT-DICTIONARY/],
      ['a description over 800 characters', { packageName: 'dict', description: 'x'.repeat(801) }, /description is 801 characters long: at most 800 are allowed \(the service takes 1024, and the library keeps 224 for the mark of the stack that owns the package\)/],
      ['a timeout over one hour', { packageName: 'dict', timeout: Duration.hours(2) }, /CustomPackage Test\/P: timeout 7200 seconds is out of range/],
      ['the SNAPSHOT removal policy', { packageName: 'dict', removalPolicy: RemovalPolicy.SNAPSHOT }, /CustomPackage Test\/P: removalPolicy "snapshot" is not supported/],
    ])('fails with %s', (_name, props, message) => {
      const { stack } = newStack();
      expect(() => new CustomPackage(stack, 'P', { source: PackageSource.fromAsset(SYNONYMS), ...props })).toThrow(message);
    });

    test('fails when an association kept on the domain names a package deleted with the stack', () => {
      const { stack, domain } = newStack();
      const pkg = new CustomPackage(stack, 'Synonyms', { packageName: 'synonyms', source: PackageSource.fromAsset(SYNONYMS) });
      expect(() => pkg.associateWith(domain, { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE })).toThrow(
        `DomainPackageAssociation Test/Synonyms/AssociationWith${Names.nodeUniqueId(domain.node)}: removalPolicy "retain-on-update-or-delete" keeps the association on the domain, but its package synonyms (Test/Synonyms) `
        + 'is deleted with the stack (removalPolicy DESTROY), which the service refuses while a domain holds the package: give the CustomPackage removalPolicy RETAIN too.');
      const kept = new CustomPackage(stack, 'Kept', { packageName: 'kept', source: PackageSource.fromAsset(SYNONYMS), removalPolicy: RemovalPolicy.RETAIN });
      expect(() => kept.associateWith(domain, { removalPolicy: RemovalPolicy.RETAIN })).not.toThrow();
    });

    test('fails when an association may adopt a package deleted with the stack, since it never takes an adopted association off the domain', () => {
      const { stack, domain } = newStack();
      const pkg = new CustomPackage(stack, 'Synonyms', { packageName: 'synonyms', source: PackageSource.fromAsset(SYNONYMS) });
      expect(() => pkg.associateWith(domain, { adoptExisting: true })).toThrow(
        `DomainPackageAssociation Test/Synonyms/AssociationWith${Names.nodeUniqueId(domain.node)}: adoptExisting: true may adopt an association already on the domain, which the stack then never takes off, `
        + 'but its package synonyms (Test/Synonyms) is deleted with the stack (removalPolicy DESTROY)');
    });

    test('keys the association\'s ownership record by the package\'s name, which a plugin keeps across engine versions', () => {
      const record = (engine: opensearch.EngineVersion, id: string) => {
        const { stack, domain } = newStack();
        new CustomPackage(stack, id, { packageName: 'analyzer', packageType: PackageType.ZIP_PLUGIN, engineVersion: engine, source: pluginFor(engine) })
          .associateWith(domain);
        return Object.keys(Template.fromStack(stack).findResources('Custom::OpenSearchPackageAssociation'));
      };
      expect(record(opensearch.EngineVersion.OPENSEARCH_2_19, 'Analyzer219')).toEqual(record(opensearch.EngineVersion.OPENSEARCH_2_17, 'Analyzer217'));
    });

    test('fails when two packages of one name are associated with one domain', () => {
      const { stack, domain } = newStack();
      const plugin = (id: string, engine: opensearch.EngineVersion) => new CustomPackage(stack, id, {
        packageName: 'analyzer', packageType: PackageType.ZIP_PLUGIN, engineVersion: engine, source: pluginFor(engine),
      });
      plugin('Analyzer219', opensearch.EngineVersion.OPENSEARCH_2_19).associateWith(domain);
      expect(() => plugin('Analyzer217', opensearch.EngineVersion.OPENSEARCH_2_17).associateWith(domain)).toThrow(
        'DomainPackageAssociation: packages Test/Analyzer219 and Test/Analyzer217 are both named analyzer and associated with domain search (Test/Domain): '
        + 'a domain holds one package of a name, so associate only the one built for the domain\'s engine version.');
    });

    test('fails with a package type the API does not know', () => {
      expect(() => PackageType.of('X')).toThrow(/PackageType.of "X" is not a package type: the API accepts TXT-DICTIONARY, ZIP-PLUGIN, PACKAGE-LICENSE, PACKAGE-CONFIG/);
      expect(PackageType.of('ZIP-PLUGIN').value).toBe(PackageType.ZIP_PLUGIN.value);
    });

    test('fails to import an invalid package ID', () => {
      const { stack } = newStack();
      expect(() => CustomPackage.fromPackageId(stack, 'X', 'synonyms')).toThrow(/packageId "synonyms" is not a valid OpenSearch package ID/);
    });
  });
});
