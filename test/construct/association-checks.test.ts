// Synth-time checks of an association against the app's packages, domains and other associations.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Names, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { importDomain, newStack } from './test-stack';
import { CustomPackage, DomainPackageAssociation, PackageSource, PackageType, PluginConfiguration, RequirementLevel } from '../../lib';
import { writePluginZip } from '../plugin-archive';

const TEXT = path.join(__dirname, 'fixtures', 'synonyms.txt');
const FIXTURES = fs.mkdtempSync(path.join(os.tmpdir(), 'association-checks-test-'));
const PLUGIN_ZIP = writePluginZip(FIXTURES, 'plugin.zip', '2.19');

afterAll(() => fs.rmSync(FIXTURES, { recursive: true, force: true }));

function plugin(stack: Stack, pluginConfiguration?: PluginConfiguration): CustomPackage {
  return new CustomPackage(stack, 'Plugin', {
    packageName: 'my-plugin', packageType: PackageType.ZIP_PLUGIN, engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19,
    source: PackageSource.fromAsset(PLUGIN_ZIP), pluginConfiguration,
  });
}

const license = (stack: Stack) => new CustomPackage(stack, 'License', { packageName: 'my-license', packageType: PackageType.PACKAGE_LICENSE, source: PackageSource.fromAsset(TEXT) });
const config = (stack: Stack) => new CustomPackage(stack, 'Config', { packageName: 'my-config', packageType: PackageType.PACKAGE_CONFIG, source: PackageSource.fromAsset(TEXT) });
/** The path of the association `associateWith(domain)` makes under a package. */
const associationPath = (pkg: CustomPackage, domain: opensearch.IDomain) => `${pkg.node.path}/AssociationWith${Names.nodeUniqueId(domain.node)}`;

describe('one association per package and domain', () => {
  test('associateWith twice for one domain fails with the library\'s message, not the constructs\' duplicate ID', () => {
    const { stack, domain } = newStack();
    const synonyms = new CustomPackage(stack, 'Synonyms', { packageName: 'synonyms', source: PackageSource.fromAsset(TEXT) });
    synonyms.associateWith(domain);
    expect(() => synonyms.associateWith(domain)).toThrow('CustomPackage Test/Synonyms: associateWith was called twice for domain search (Test/Domain): '
      + `a package is associated with a domain once. Keep the DomainPackageAssociation the first call returned (${associationPath(synonyms, domain)}), `
      + 'and give all its options in that call.');
  });

  test('a Domain of the app is named by its construct path, not by a token', () => {
    const stack = new Stack(new App(), 'Test');
    const search = new opensearch.Domain(stack, 'Search', { version: opensearch.EngineVersion.OPENSEARCH_2_19 });
    new DomainPackageAssociation(stack, 'A', { domain: search, packageId: 'F1' });
    expect(() => new DomainPackageAssociation(stack, 'B', { domain: search, packageId: 'F1' })).toThrow(
      'DomainPackageAssociation Test/B: package F1 is already associated with domain Test/Search by Test/A: a stack associates a package with a domain once.');
  });

  test('a package of the app is named by its name and path', () => {
    const { stack, domain } = newStack();
    const synonyms = new CustomPackage(stack, 'Synonyms', { packageName: 'synonyms', source: PackageSource.fromAsset(TEXT) });
    new DomainPackageAssociation(stack, 'A', { domain, packageId: synonyms.packageId });
    expect(() => new DomainPackageAssociation(stack, 'B', { domain, packageId: synonyms.packageId })).toThrow(
      'DomainPackageAssociation Test/B: package synonyms (Test/Synonyms) is already associated with domain search (Test/Domain) by Test/A');
  });

  test('the same package on two domains, or through two stacks, is no duplicate', () => {
    const app = new App();
    const env = { account: '123456789012', region: 'eu-west-1' };
    for (const id of ['One', 'Two']) {
      const stack = new Stack(app, id, { env });
      const domain = importDomain(stack, 'Domain', 'arn:aws:es:eu-west-1:123456789012:domain/search');
      const other = importDomain(stack, 'Other', 'arn:aws:es:eu-west-1:123456789012:domain/other');
      new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
      expect(() => new DomainPackageAssociation(stack, 'B', { domain: other, packageId: 'F1' })).not.toThrow();
    }
  });
});

describe('Regions', () => {
  test('a package of one Region associated with a domain of another fails', () => {
    const { stack } = newStack();
    const synonyms = new CustomPackage(stack, 'Synonyms', { packageName: 'synonyms', source: PackageSource.fromAsset(TEXT) });
    const far = importDomain(stack, 'Far', 'arn:aws:es:us-east-1:123456789012:domain/far');
    expect(() => synonyms.associateWith(far)).toThrow(`DomainPackageAssociation ${associationPath(synonyms, far)}: package synonyms (Test/Synonyms) is created in eu-west-1, `
      + 'the Region of its stack Test, and domain far (Test/Far) is in us-east-1: the service associates a package only with domains of its own Region. '
      + 'Define the CustomPackage in a stack of us-east-1.');
  });

  test('a Domain of the app is in its stack\'s Region', () => {
    const app = new App();
    const packages = new Stack(app, 'Packages', { env: { region: 'eu-west-1' } });
    const synonyms = new CustomPackage(packages, 'Synonyms', { packageName: 'synonyms', source: PackageSource.fromAsset(TEXT) });
    const search = new opensearch.Domain(new Stack(app, 'Search', { env: { region: 'eu-central-1' } }), 'Search', { version: opensearch.EngineVersion.OPENSEARCH_2_19 });
    expect(() => new DomainPackageAssociation(packages, 'A', { domain: search, packageId: synonyms.packageId })).toThrow(
      'is created in eu-west-1, the Region of its stack Packages, and domain Search/Search is in eu-central-1');
  });

  test('Regions unknown at synth time (environment-agnostic stacks) are not compared', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const synonyms = new CustomPackage(stack, 'Synonyms', { packageName: 'synonyms', source: PackageSource.fromAsset(TEXT) });
    expect(() => synonyms.associateWith(importDomain(stack, 'Far', 'arn:aws:es:us-east-1:123456789012:domain/far'))).not.toThrow();
  });
});

describe('a plugin\'s license and configuration', () => {
  test('a license associated as the plugin fails', () => {
    const { stack, domain } = newStack();
    const pkg = plugin(stack);
    const lic = license(stack);
    expect(() => lic.associateWith(domain, { configPackage: pkg })).toThrow(/configPackage my-plugin \(Test\/Plugin\) is a ZIP-PLUGIN package/);
    expect(() => new DomainPackageAssociation(stack, 'Swapped', { domain, packageId: lic.packageId, prerequisitePackageIds: [pkg.packageId], licensePackage: lic }))
      .toThrow('DomainPackageAssociation Test/Swapped: package my-license (Test/License) is a PACKAGE-LICENSE package, yet it is associated as a plugin, '
        + 'with a licensePackage or configPackage of its own. Associate the plugin (the ZIP-PLUGIN package) and give this package as its licensePackage: '
        + 'plugin.associateWith(domain, { licensePackage }).');
  });

  test('a license or a configuration associated without its plugin fails', () => {
    const { stack, domain } = newStack();
    const lic = license(stack);
    expect(() => lic.associateWith(domain)).toThrow(`DomainPackageAssociation ${associationPath(lic, domain)}: package my-license (Test/License) is a PACKAGE-LICENSE `
      + 'package associated without its plugin: the service installs it only together with the plugin it belongs to, named in prerequisitePackageIds. '
      + 'Associate the plugin (the ZIP-PLUGIN package) and give this package as its licensePackage: plugin.associateWith(domain, { licensePackage }).');
    const cfg = config(stack);
    expect(() => cfg.associateWith(domain)).toThrow('package my-config (Test/Config) is a PACKAGE-CONFIG package associated without its plugin');
  });

  test('a configuration whose prerequisites are packages of the app but no plugin fails', () => {
    const { stack, domain } = newStack();
    const dictionary = new CustomPackage(stack, 'Dictionary', { packageName: 'my-dictionary', source: PackageSource.fromAsset(TEXT) });
    const cfg = config(stack);
    expect(() => new DomainPackageAssociation(stack, 'Cfg', { domain, packageId: cfg.packageId, prerequisitePackageIds: [dictionary.packageId] })).toThrow(
      'DomainPackageAssociation Test/Cfg: package my-config (Test/Config) is a PACKAGE-CONFIG package, and none of its prerequisitePackageIds '
      + '(my-dictionary (Test/Dictionary)) is a plugin: the service installs it only together with the plugin it belongs to. '
      + 'Associate the plugin (the ZIP-PLUGIN package) and give this package as its configPackage: plugin.associateWith(domain, { configPackage }).');
    expect(() => new DomainPackageAssociation(stack, 'Imported', { domain, packageId: cfg.packageId, prerequisitePackageIds: ['pkg-0abc'] })).not.toThrow();
  });

  test('a plugin that REQUIRES a license fails the synth when no license is associated with it on the domain', () => {
    const { stack, domain } = newStack();
    const pkg = plugin(stack, { licenseRequirement: RequirementLevel.REQUIRED, configurationRequirement: RequirementLevel.REQUIRED });
    pkg.associateWith(domain, { configPackage: config(stack) });
    expect(() => Template.fromStack(stack)).toThrow(`DomainPackageAssociation ${associationPath(pkg, domain)}: plugin my-plugin (Test/Plugin) has licenseRequirement `
      + 'REQUIRED, and no license package is associated with it on domain search (Test/Domain): the service installs the plugin only with its license. '
      + 'Give it as licensePackage: plugin.associateWith(domain, { licensePackage }).');
  });

  test('a plugin that REQUIRES a configuration fails the synth without one', () => {
    const { stack, domain } = newStack();
    const pkg = plugin(stack, { licenseRequirement: RequirementLevel.OPTIONAL, configurationRequirement: RequirementLevel.REQUIRED });
    pkg.associateWith(domain);
    expect(() => Template.fromStack(stack)).toThrow('plugin my-plugin (Test/Plugin) has configurationRequirement REQUIRED, and no configuration package '
      + 'is associated with it on domain search (Test/Domain): the service installs the plugin only with its configuration. '
      + 'Give it as configPackage: plugin.associateWith(domain, { configPackage }).');
  });

  test('a required license associated on its own, naming the plugin, or imported by ID, counts', () => {
    const { stack, domain } = newStack();
    const pkg = plugin(stack, { licenseRequirement: RequirementLevel.REQUIRED, configurationRequirement: RequirementLevel.REQUIRED });
    pkg.associateWith(domain);
    new DomainPackageAssociation(stack, 'LicenseAssociation', { domain, packageId: license(stack).packageId, prerequisitePackageIds: [pkg.packageId] });
    new DomainPackageAssociation(stack, 'Config', { domain, packageId: 'pkg-0c0f', prerequisitePackageIds: [pkg.packageId] });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('a license on another domain does not count', () => {
    const { stack, domain } = newStack();
    const other = importDomain(stack, 'Other', 'arn:aws:es:eu-west-1:123456789012:domain/other');
    const pkg = plugin(stack, { licenseRequirement: RequirementLevel.REQUIRED, configurationRequirement: RequirementLevel.NONE });
    pkg.associateWith(domain);
    pkg.associateWith(other, { licensePackage: license(stack) });
    expect(() => Template.fromStack(stack)).toThrow(/no license package is associated with it on domain search \(Test\/Domain\)/);
  });
});

describe('a custom plugin on a Domain of the app', () => {
  test('a domain without what custom plugins need fails, listing each setting', () => {
    const stack = new Stack(new App(), 'Test');
    const search = new opensearch.Domain(stack, 'Search', { version: opensearch.EngineVersion.OPENSEARCH_2_19 });
    const pkg = plugin(stack);
    expect(() => pkg.associateWith(search)).toThrow(`DomainPackageAssociation ${associationPath(pkg, search)}: plugin my-plugin (Test/Plugin) is a custom plugin, `
      + 'and domain Test/Search lacks what the service requires of a domain for custom plugins: node-to-node encryption (nodeToNodeEncryption: true), '
      + 'encryption at rest (encryptionAtRest: { enabled: true }), enforced HTTPS (enforceHttps: true). Give the Domain these settings.');
  });

  test('a domain on an engine version before 2.15 fails (with a plugin for it, S3-sourced: no engine takes it)', () => {
    const stack = new Stack(new App(), 'Test');
    const search = new opensearch.Domain(stack, 'Search', {
      version: opensearch.EngineVersion.OPENSEARCH_2_13, nodeToNodeEncryption: true, encryptionAtRest: { enabled: true }, enforceHttps: true,
    });
    expect(() => new DomainPackageAssociation(stack, 'Sudachi', { domain: search, awsPackageName: 'analysis-sudachi' })).not.toThrow();
    expect(() => plugin(stack).associateWith(search)).toThrow('lacks what the service requires of a domain for custom plugins: '
      + 'OpenSearch 2.15 or later (it runs OpenSearch_2.13; version: EngineVersion.OPENSEARCH_2_19, say). Give the Domain these settings.');
  });

  test('an AWS-provided plugin, or an imported domain, is not checked', () => {
    const stack = new Stack(new App(), 'Test');
    const search = new opensearch.Domain(stack, 'Search', { version: opensearch.EngineVersion.OPENSEARCH_2_19 });
    expect(() => new DomainPackageAssociation(stack, 'Icu', { domain: search, awsPackageName: 'analysis-icu' })).not.toThrow();
    const { stack: other, domain } = newStack('Other');
    expect(() => plugin(other).associateWith(domain)).not.toThrow();
  });
});
