import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CloudAssembly, readCloudAssembly } from './cloud-assembly';
import { retainedDomain } from './fixture-app';
import { CustomPackage, DomainPackageAssociation, PackageSource, PackageType, RequirementLevel } from '../../lib';
import { writePluginZip } from '../plugin-archive';

/** A domain, the CustomPackage `Synonyms` (from a file) associated with it, and `Stopwords` (F222222222, RETAIN_ON_UPDATE_OR_DELETE). */
export const CUSTOM_PACKAGE_STACK = 'CustomPackageFixture';
/** A domain and three dictionaries, each a CustomPackage associated with it. */
export const THREE_DICTIONARIES_STACK = 'ThreeDictionariesFixture';
/** A domain, a ZIP-PLUGIN package with its PackageConfiguration, and its licence and config packages, all associated through the plugin's association. */
export const PLUGIN_STACK = 'PluginFixture';

/** The package name of `Synonyms` in {@link CUSTOM_PACKAGE_STACK}. */
export const SYNONYMS_PACKAGE_NAME = 'product-synonyms';

/** What varies between versions of the app. */
export interface CustomPackageFixtureOptions {
  /** The content of the synonyms file of {@link CUSTOM_PACKAGE_STACK}: editing it gives the package a new asset hash. */
  readonly synonyms?: string;
}

/** Writes a source file into the app's `sources` directory (inside the assembly directory) and returns its path. */
function source(outdir: string, name: string, content: string | Buffer): string {
  const file = path.join(outdir, 'sources', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

function customPackageStack(app: App, outdir: string, synonyms: string): void {
  const stack = new Stack(app, CUSTOM_PACKAGE_STACK);
  const domain = retainedDomain(stack);
  const pkg = new CustomPackage(stack, 'Synonyms', {
    packageName: SYNONYMS_PACKAGE_NAME,
    source: PackageSource.fromAsset(source(outdir, 'synonyms.txt', synonyms)),
  });
  pkg.associateWith(domain);
  new DomainPackageAssociation(stack, 'Stopwords', { domain, packageId: 'F222222222', removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
}

function threeDictionariesStack(app: App, outdir: string): void {
  const stack = new Stack(app, THREE_DICTIONARIES_STACK);
  const domain = retainedDomain(stack);
  for (const [id, name] of [['Synonyms', 'synonyms'], ['Stopwords', 'stopwords'], ['UserDictionary', 'user-dictionary']]) {
    const pkg = new CustomPackage(stack, id, {
      packageName: `three-${name}`,
      source: PackageSource.fromAsset(source(outdir, `${name}.txt`, `# ${name}\nlaptop, notebook\n`)),
    });
    pkg.associateWith(domain);
  }
}

function pluginStack(app: App, outdir: string): void {
  const stack = new Stack(app, PLUGIN_STACK);
  const domain = retainedDomain(stack);
  const plugin = new CustomPackage(stack, 'Plugin', {
    packageName: 'analysis-plugin',
    packageType: PackageType.ZIP_PLUGIN,
    engineVersion: CustomPackage.engineVersionOf(domain),
    pluginConfiguration: {
      licenseRequirement: RequirementLevel.REQUIRED,
      licenseFilepath: 'config/analysis-plugin.lic',
      configurationRequirement: RequirementLevel.OPTIONAL,
      requiresRestartForConfigurationUpdate: true,
    },
    // A plugin's ZIP file, as the synth-time checks read it (the simulator reads no content).
    source: PackageSource.fromAsset(writePluginZip(path.join(outdir, 'sources'), 'analysis-plugin.zip', '2.19')),
  });
  const licence = new CustomPackage(stack, 'Licence', {
    packageName: 'analysis-plugin-licence',
    packageType: PackageType.PACKAGE_LICENSE,
    source: PackageSource.fromAsset(source(outdir, 'licence.txt', 'licence key 0000-0000\n')),
  });
  const config = new CustomPackage(stack, 'Config', {
    packageName: 'analysis-plugin-config',
    packageType: PackageType.PACKAGE_CONFIG,
    source: PackageSource.fromAsset(source(outdir, 'config.yml', 'analysis:\n  enabled: true\n')),
  });
  plugin.associateWith(domain, { licensePackage: licence, configPackage: config });
}

/**
 * Synthesises, in process, the app of the CustomPackage tests: the stacks
 * {@link CUSTOM_PACKAGE_STACK}, {@link THREE_DICTIONARIES_STACK} and
 * {@link PLUGIN_STACK}. The package sources are written under `outdir/sources`.
 */
export function synthesizeCustomPackageFixtureApp(outdir: string, options: CustomPackageFixtureOptions = {}): CloudAssembly {
  // The CDK CLI turns asset metadata on; an in-process App must ask for it.
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  customPackageStack(app, outdir, options.synonyms ?? 'laptop, notebook\nphone, mobile\n');
  threeDictionariesStack(app, outdir);
  pluginStack(app, outdir);
  app.synth();
  return readCloudAssembly(outdir);
}
