import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Names, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { newStack, policyStatements } from './test-stack';
import { CustomPackage, DomainPackageAssociation, PackageSource, PackageType, RequirementLevel } from '../../lib';
import { writePluginZip } from '../plugin-archive';

const PACKAGE = 'Custom::OpenSearchPackage';
const ASSOCIATION = 'Custom::OpenSearchPackageAssociation';
const DOMAIN_PACKAGES = 'Custom::OpenSearchDomainPackages';
const TEXT = path.join(__dirname, 'fixtures', 'synonyms.txt');
const FIXTURES = fs.mkdtempSync(path.join(os.tmpdir(), 'plugins-test-'));

afterAll(() => fs.rmSync(FIXTURES, { recursive: true, force: true }));

/** A Domain of the app that takes custom plugins. */
function domainOf(stack: Stack, version = opensearch.EngineVersion.OPENSEARCH_2_17): opensearch.Domain {
  return new opensearch.Domain(stack, 'Search', {
    version, enableVersionUpgrade: true, nodeToNodeEncryption: true, encryptionAtRest: { enabled: true }, enforceHttps: true,
  });
}

function plugin(stack: Stack, id: string, engineVersion: opensearch.EngineVersion, extra = {}): CustomPackage {
  const zip = writePluginZip(FIXTURES, `my-plugin-${engineVersion.version}.zip`, engineVersion.version.split('_')[1]);
  return new CustomPackage(stack, id, { packageName: 'my-plugin', packageType: PackageType.ZIP_PLUGIN, engineVersion, source: PackageSource.fromAsset(zip), ...extra });
}

describe('a package AWS provides, by name', () => {
  test('is resolved at deploy time: the template names it, and the attributes give the resolved ID', () => {
    const { stack, domain } = newStack();
    const sudachi = new DomainPackageAssociation(stack, 'Sudachi', { domain, awsPackageName: 'analysis-sudachi' });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(DOMAIN_PACKAGES, { Domains: [Match.objectLike({ Packages: [{ Key: Match.stringLikeRegexp('^P[0-9a-f]{16}$'), AwsPackageName: 'analysis-sudachi', OwnershipRecord: Match.anyValue() }] })] });
    template.hasResourceProperties(ASSOCIATION, { AwsPackageName: 'analysis-sudachi', PackageID: Match.absent() });
    const [domainPackages] = Object.keys(template.findResources(DOMAIN_PACKAGES));
    expect(stack.resolve(sudachi.packageId)).toEqual({ 'Fn::Select': [0, { 'Fn::Split': ['|', { 'Fn::GetAtt': [domainPackages, expect.stringMatching(/^P[0-9a-f]{16}$/)] }] }] });
  });

  test('a Domain of the app gives its engine version to the domain\'s resource, so that an upgrade resolves the name again', () => {
    const stack = new Stack(new App(), 'Test');
    new DomainPackageAssociation(stack, 'Sudachi', { domain: domainOf(stack), awsPackageName: 'analysis-sudachi' });

    Template.fromStack(stack).hasResourceProperties(DOMAIN_PACKAGES, { Domains: [Match.objectLike({ EngineVersion: 'OpenSearch_2.17' })] });
  });

  test.each([
    [{}, 'give packageId or awsPackageName, and only one of them (got neither).'],
    [{ packageId: 'G123', awsPackageName: 'analysis-icu' }, 'give packageId or awsPackageName, and only one of them (got packageId "G123" and awsPackageName "analysis-icu").'],
    [{ awsPackageName: 'Analysis ICU' }, 'awsPackageName "Analysis ICU" is not a valid OpenSearch package name'],
  ])('fails with %j', (props, message) => {
    const { stack, domain } = newStack();
    expect(() => new DomainPackageAssociation(stack, 'Bad', { domain, ...props })).toThrow(message);
  });
});

describe('a custom plugin and its domain\'s engine version', () => {
  test('engineVersionOf takes the version from a Domain of the app, and the domain waits for the plugin\'s package', () => {
    const stack = new Stack(new App(), 'Test');
    const search = domainOf(stack);
    const pkg = plugin(stack, 'Analyzer', CustomPackage.engineVersionOf(search));
    pkg.associateWith(search);

    const template = Template.fromStack(stack);
    template.hasResourceProperties(PACKAGE, { EngineVersion: 'OpenSearch_2.17' });
    const [domainId] = Object.keys(template.findResources('AWS::OpenSearchService::Domain'));
    const [packageId] = Object.keys(template.findResources(PACKAGE));
    expect(template.toJSON().Resources[domainId].DependsOn).toContain(packageId);
  });

  test('engineVersionOf refuses an imported domain, whose version is not known at synth time', () => {
    const { domain } = newStack();
    expect(() => CustomPackage.engineVersionOf(domain)).toThrow(/has no engine version known at synth time .* follow the two-step procedure/);
  });

  test('a plugin built for another engine version than its Domain runs is refused at synth time, with the procedure', () => {
    const stack = new Stack(new App(), 'Test');
    const search = domainOf(stack, opensearch.EngineVersion.OPENSEARCH_2_19);
    const pkg = plugin(stack, 'Analyzer', opensearch.EngineVersion.OPENSEARCH_2_17);
    expect(() => pkg.associateWith(search)).toThrow(
      /Package my-plugin is a plugin built for OpenSearch_2\.17, and domain Test\/Search runs OpenSearch_2\.19\. .*CustomPackage\.engineVersionOf\(domain\).*\(1\) add a CustomPackage/);
  });

  test('a plugin in another stack than its Domain is refused: CloudFormation could not order the upgrade', () => {
    const app = new App();
    const search = domainOf(new Stack(app, 'Search'));
    const pkg = plugin(new Stack(app, 'Plugins'), 'Analyzer', CustomPackage.engineVersionOf(search));
    expect(() => pkg.associateWith(search)).toThrow(/is in stack Plugins, its domain Search\/Search in stack Search: .*Define the plugin in the domain's stack/);
  });
});

describe('licenses and configurations', () => {
  test('PackageConfiguration goes to the plugin\'s resource, and the license and config are associated naming the plugin', () => {
    const { stack, domain } = newStack();
    const pkg = plugin(stack, 'Plugin', opensearch.EngineVersion.OPENSEARCH_2_19, {
      pluginConfiguration: { licenseRequirement: RequirementLevel.REQUIRED, licenseFilepath: 'config/x.lic', configurationRequirement: RequirementLevel.OPTIONAL, requiresRestartForConfigurationUpdate: false },
    });
    const license = new CustomPackage(stack, 'License', { packageName: 'my-license', packageType: PackageType.PACKAGE_LICENSE, source: PackageSource.fromAsset(TEXT) });
    const config = new CustomPackage(stack, 'Config', { packageName: 'my-config', packageType: PackageType.PACKAGE_CONFIG, source: PackageSource.fromAsset(TEXT) });
    pkg.associateWith(domain, { licensePackage: license, configPackage: config });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(PACKAGE, {
      PackageName: 'my-plugin',
      PackageConfiguration: { LicenseRequirement: 'REQUIRED', LicenseFilepath: 'config/x.lic', ConfigurationRequirement: 'OPTIONAL', RequiresRestartForConfigurationUpdate: 'false' },
    });
    const [domainPackages] = Object.values(template.findResources(DOMAIN_PACKAGES));
    const entries = domainPackages.Properties.Domains[0].Packages as Array<{ PackageID: unknown; PrerequisitePackageIDList?: unknown[] }>;
    expect(entries).toHaveLength(3);
    const pluginId = stack.resolve(pkg.packageId);
    expect(entries.filter(e => e.PrerequisitePackageIDList).map(e => [e.PackageID, e.PrerequisitePackageIDList]))
      .toEqual([[stack.resolve(license.packageId), [pluginId]], [stack.resolve(config.packageId), [pluginId]]]);
  });

  test('a license or config of the wrong type is refused, and a plugin named by name cannot take them', () => {
    const { stack, domain } = newStack();
    const pkg = plugin(stack, 'Plugin', opensearch.EngineVersion.OPENSEARCH_2_19);
    const dictionary = new CustomPackage(stack, 'Dictionary', { packageName: 'my-dictionary', source: PackageSource.fromAsset(TEXT) });
    expect(() => pkg.associateWith(domain, { licensePackage: dictionary })).toThrow(
      `DomainPackageAssociation Test/Plugin/AssociationWith${Names.nodeUniqueId(domain.node)}: licensePackage my-dictionary (Test/Dictionary) is a TXT-DICTIONARY package: a licensePackage must be PACKAGE-LICENSE.`);
    expect(() => new DomainPackageAssociation(stack, 'Named', { domain, awsPackageName: 'analysis-icu', configPackage: dictionary })).toThrow(
      /licensePackage and configPackage name the plugin by its ID/);
  });

  test('pluginConfiguration and encryptionKey are for plugins only', () => {
    const { stack } = newStack();
    const key = new kms.Key(stack, 'Key');
    expect(() => new CustomPackage(stack, 'A', { packageName: 'a-dictionary', source: PackageSource.fromAsset(TEXT), encryptionKey: key }))
      .toThrow('CustomPackage Test/A: encryptionKey applies only to ZIP-PLUGIN packages, not to TXT-DICTIONARY: the service encrypts plugins only.');
    expect(() => new CustomPackage(stack, 'B', {
      packageName: 'b-dictionary', source: PackageSource.fromAsset(TEXT),
      pluginConfiguration: { licenseRequirement: RequirementLevel.NONE, configurationRequirement: RequirementLevel.NONE },
    })).toThrow('CustomPackage Test/B: pluginConfiguration applies only to ZIP-PLUGIN packages, not to TXT-DICTIONARY.');
  });
});

describe('a plugin encrypted with a customer KMS key', () => {
  test('lets the service use a key of the app under the package ID context, and the handler pass it', () => {
    const { stack } = newStack();
    const key = new kms.Key(stack, 'Key');
    plugin(stack, 'Plugin', opensearch.EngineVersion.OPENSEARCH_2_19, { encryptionKey: key });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(PACKAGE, { KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'custom-packages.eu-west-1.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['packageId'] } },
          }),
          Match.objectLike({
            Principal: { Service: 'custom-packages.eu-west-1.amazonaws.com' },
            Action: 'kms:CreateGrant',
            Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
          }),
        ]),
      },
    });
    expect(policyStatements(template)).toContainEqual(expect.objectContaining({
      Action: ['kms:DescribeKey', 'kms:CreateGrant', 'kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
    }));
  });

  test('warns, listing the statements to add, when the key is imported', () => {
    const { stack } = newStack();
    plugin(stack, 'Plugin', opensearch.EngineVersion.OPENSEARCH_2_19, {
      encryptionKey: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:123456789012:key/1111'),
    });

    Annotations.fromStack(stack).hasWarning('/Test/Plugin', Match.stringLikeRegexp('is not defined in this app, so its key policy cannot be changed here.*custom-packages.eu-west-1.amazonaws.com'));
  });
});
