import * as path from 'path';
import { App, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { CloudAssembly, readCloudAssembly } from './cloud-assembly';
import { CustomPackage, DomainPackageAssociation, PackageSource, PackageType } from '../../lib';
import { writePluginZip } from '../plugin-archive';

/** A Domain (upgraded in place) with the AWS-provided plugin `analysis-sudachi`, by name, and a custom plugin that follows its engine version. */
export const UPGRADE_STACK = 'PluginUpgradeFixture';
/** The imported domain {@link LEGACY_DOMAIN}, upgraded outside the stack, and a custom plugin through the two-step procedure. */
export const TWO_STEP_STACK = 'PluginTwoStepFixture';
/** A Domain and a plugin encrypted with a KMS key of the stack. */
export const ENCRYPTED_STACK = 'EncryptedPluginFixture';
/** A Domain and a plugin encrypted with an imported key, whose policy the stack cannot change. */
export const FOREIGN_KEY_STACK = 'ForeignKeyPluginFixture';

/** The domain the two-step stack imports (the test creates it in the simulator). */
export const LEGACY_DOMAIN = 'legacy-search';
/** The imported key of {@link FOREIGN_KEY_STACK}. */
export const FOREIGN_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001';
/** A resource of the two-step stack that changes at each step after the association: failing it rolls a step back. */
export const STEP_MARKER = 'StepMarker';
/** The name of the custom plugin in every stack. */
export const CUSTOM_PLUGIN = 'custom-analyzer';

/** What varies between versions of the app. */
export interface PluginFixtureOptions {
  /** The engine version of the upgrade stack's domain. Default `2.17`. */
  readonly engine?: '2.17' | '2.19';
  /**
   * The step of the two-step procedure: 0, the plugin for 2.17 associated;
   * 1, plus the plugin for 2.19, not associated; 3, the plugin for 2.19
   * associated instead of the one for 2.17, which is removed. Default 0.
   */
  readonly twoStep?: 0 | 1 | 3;
  /** An AWS-provided package name instead of `analysis-sudachi` (one that does not exist, for instance). */
  readonly awsPackageName?: string;
}

/** A plugin's ZIP file for the engine version (`OpenSearch_2.17`), as the synth-time checks read it (the simulator reads no content). */
function pluginSource(outdir: string, engine: string): PackageSource {
  return PackageSource.fromAsset(writePluginZip(path.join(outdir, 'sources'), `${CUSTOM_PLUGIN}-${engine}.zip`, engine.split('_')[1]));
}

/** A domain that takes custom plugins. */
function domain(stack: Stack, version: opensearch.EngineVersion): opensearch.Domain {
  return new opensearch.Domain(stack, 'Search', {
    version,
    nodeToNodeEncryption: true,
    encryptionAtRest: { enabled: true },
    enforceHttps: true,
    // An engine version change upgrades the domain in place (without it, CloudFormation replaces the domain).
    enableVersionUpgrade: true,
    capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
    ebs: { volumeSize: 10 },
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

function upgradeStack(app: App, outdir: string, options: PluginFixtureOptions): void {
  const stack = new Stack(app, UPGRADE_STACK);
  const search = domain(stack, opensearch.EngineVersion.openSearch(options.engine ?? '2.17'));
  new DomainPackageAssociation(stack, 'Sudachi', { domain: search, awsPackageName: options.awsPackageName ?? 'analysis-sudachi' });
  const engineVersion = CustomPackage.engineVersionOf(search);
  new CustomPackage(stack, 'Analyzer', {
    packageName: CUSTOM_PLUGIN,
    packageType: PackageType.ZIP_PLUGIN,
    engineVersion,
    source: pluginSource(outdir, engineVersion.version),
  }).associateWith(search);
}

function twoStepStack(app: App, outdir: string, step: 0 | 1 | 3): void {
  const stack = new Stack(app, TWO_STEP_STACK, { env: { account: '123456789012', region: 'us-east-1' } });
  const legacy = opensearch.Domain.fromDomainAttributes(stack, 'Legacy', {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${LEGACY_DOMAIN}`,
    domainEndpoint: `https://search-${LEGACY_DOMAIN}.us-east-1.es.amazonaws.com`,
  });
  const plugin = (id: string, engine: '2.17' | '2.19') => new CustomPackage(stack, id, {
    packageName: CUSTOM_PLUGIN,
    packageType: PackageType.ZIP_PLUGIN,
    engineVersion: opensearch.EngineVersion.openSearch(engine),
    source: pluginSource(outdir, `OpenSearch_${engine}`),
  });
  const association = step < 3 ? plugin('Analyzer217', '2.17').associateWith(legacy) : plugin('Analyzer219', '2.19').associateWith(legacy);
  if (step === 1) plugin('Analyzer219', '2.19');
  const marker = new CfnResource(stack, STEP_MARKER, { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: `step ${step}` } });
  marker.overrideLogicalId(STEP_MARKER);
  marker.node.addDependency(association);
}

function encryptedStack(app: App, outdir: string, id: string, key: (stack: Stack) => kms.IKey): void {
  const stack = new Stack(app, id);
  const search = domain(stack, opensearch.EngineVersion.OPENSEARCH_2_19);
  new CustomPackage(stack, 'Analyzer', {
    packageName: `${CUSTOM_PLUGIN}-${id.toLowerCase()}`,
    packageType: PackageType.ZIP_PLUGIN,
    engineVersion: CustomPackage.engineVersionOf(search),
    encryptionKey: key(stack),
    source: pluginSource(outdir, 'OpenSearch_2.19'),
  }).associateWith(search);
}

/**
 * Synthesises, in process, the app of the plugin tests: the stacks
 * {@link UPGRADE_STACK}, {@link TWO_STEP_STACK}, {@link ENCRYPTED_STACK} and
 * {@link FOREIGN_KEY_STACK}. The plugin files are written under `outdir/sources`.
 */
export function synthesizePluginFixtureApp(outdir: string, options: PluginFixtureOptions = {}): CloudAssembly {
  // The CDK CLI turns asset metadata on; an in-process App must ask for it.
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  upgradeStack(app, outdir, options);
  twoStepStack(app, outdir, options.twoStep ?? 0);
  encryptedStack(app, outdir, ENCRYPTED_STACK, stack => new kms.Key(stack, 'PluginKey', { removalPolicy: RemovalPolicy.DESTROY }));
  encryptedStack(app, outdir, FOREIGN_KEY_STACK, stack => kms.Key.fromKeyArn(stack, 'PluginKey', FOREIGN_KEY_ARN));
  app.synth();
  return readCloudAssembly(outdir);
}
