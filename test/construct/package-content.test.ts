// Synth-time checks of the file (or folder) a CustomPackage uploads, against its type.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AssetHashType, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack } from './test-stack';
import { CustomPackage, CustomPackageProps, PackageSource, PackageType } from '../../lib';
import { pluginZip, writePluginZip } from '../plugin-archive';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'package-content-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a file under the test's directory and returns its path. */
function file(name: string, content: string | Buffer): string {
  const full = path.join(dir, name);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

/** A folder under the test's directory holding the files given. */
function folder(name: string, files: Record<string, string | Buffer>): string {
  for (const [relative, content] of Object.entries(files)) file(path.join(name, relative), content);
  return path.join(dir, name);
}

function create(source: string, props: Partial<CustomPackageProps> = {}) {
  const { stack } = newStack();
  const pkg = () => new CustomPackage(stack, 'Pkg', { packageName: 'my-package', source: PackageSource.fromAsset(source), ...props });
  return { stack, pkg };
}

const plugin = (engine = opensearch.EngineVersion.OPENSEARCH_2_19) => ({ packageType: PackageType.ZIP_PLUGIN, engineVersion: engine });
const license = { packageType: PackageType.PACKAGE_LICENSE };
const config = { packageType: PackageType.PACKAGE_CONFIG };

describe('a dictionary, a license and a configuration', () => {
  test('a dictionary that is a ZIP archive fails', () => {
    const source = file('synonyms.zip', pluginZip('2.19'));
    expect(create(source).pkg).toThrow(`CustomPackage Test/Pkg: source ${source} is a ZIP archive, but a TXT-DICTIONARY package must be a single UTF-8 text file. `
      + 'Give PackageSource.fromAsset the file itself, not an archive of it.');
  });

  test('a dictionary that is a folder, which fromAsset zips, fails', () => {
    const source = folder('dictionaries', { 'synonyms.txt': 'laptop, notebook\n' });
    expect(create(source).pkg).toThrow(`CustomPackage Test/Pkg: source ${source} is a folder, which PackageSource.fromAsset uploads as a ZIP archive, `
      + 'but a TXT-DICTIONARY package must be a single UTF-8 text file. Give PackageSource.fromAsset the file itself.');
  });

  test('a dictionary that is not UTF-8 fails', () => {
    const source = file('stopwords.txt', Buffer.from('caf\u00e9\nna\u00efve\n', 'latin1'));
    expect(create(source).pkg).toThrow(`CustomPackage Test/Pkg: source ${source} is not UTF-8 text, but OpenSearch reads a dictionary as UTF-8 `
      + 'and fails on a file in another encoding. Convert the file to UTF-8 (for example: iconv -f <its encoding> -t UTF-8).');
    const late = file('late.txt', Buffer.concat([Buffer.alloc(1_500_000, 'a'), Buffer.from('caf\u00e9\n', 'latin1')]));
    expect(create(late).pkg).toThrow(`source ${late} is not UTF-8 text`);
  });

  test('a UTF-8 dictionary with characters of several bytes, across the reader\'s 1 MiB chunks, passes without warnings', () => {
    // 'é' is two bytes: at an odd offset, one straddles the chunk boundary.
    const source = file('synonyms.txt', `x${'é'.repeat(600_000)}\n`);
    const { stack, pkg } = create(source);
    expect(pkg).not.toThrow();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a dictionary over 100 MiB gets a warning: the service publishes no limit', () => {
    const source = file('huge.txt', '');
    fs.truncateSync(source, 100 * 1024 ** 2 + 1);
    // Neither staged (the sparse file would be copied into the assembly as 100 MiB of zeros) nor hashed.
    const stack = new Stack(new App({ context: { 'aws:cdk:disable-asset-staging': true } }), 'Test');
    const unhashed = { assetHashType: AssetHashType.CUSTOM, assetHash: 'huge' };
    new CustomPackage(stack, 'Pkg', { packageName: 'my-package', source: PackageSource.fromAsset(source, unhashed) });
    Annotations.fromStack(stack).hasWarning('/Test/Pkg', `CustomPackage Test/Pkg: source ${source} is 100.0 MiB. The service publishes no size limit for dictionaries, `
      + 'but a dictionary takes Java heap on every node in proportion to its size (its developer guide: a 2 GiB file may take 2 GiB of heap); '
      + 'this library warns above 100 MiB. Make sure the domain\'s nodes have that heap to spare (watch JVMMemoryPressure), or trim the dictionary. '
      + '[ack: cdk-opensearch-packages:largeDictionary]');
  });

  test('a license that is a ZIP archive or a folder fails', () => {
    const zip = file('license.zip', pluginZip('2.19'));
    expect(create(zip, license).pkg).toThrow(`CustomPackage Test/Pkg: source ${zip} is a ZIP archive, but a PACKAGE-LICENSE package must be the license file itself `
      + '(the service\'s guide names a .json or .xml file). Give PackageSource.fromAsset the file itself, not an archive of it.');
    const dirSource = folder('license', { 'license.json': '{}' });
    expect(create(dirSource, license).pkg).toThrow(`CustomPackage Test/Pkg: source ${dirSource} is a folder, which PackageSource.fromAsset uploads as a ZIP archive, `
      + 'but a PACKAGE-LICENSE package must be the license file itself (the service\'s guide names a .json or .xml file). Give PackageSource.fromAsset the file itself.');
  });

  test('a configuration that is a ZIP archive gets a warning: a vendor may ship one', () => {
    const zip = file('config.zip', pluginZip('2.19'));
    const { stack, pkg } = create(zip, config);
    pkg();
    Annotations.fromStack(stack).hasWarning('/Test/Pkg', `CustomPackage Test/Pkg: source ${zip} is a ZIP archive, but a PACKAGE-CONFIG package is usually `
      + 'the plugin\'s configuration file itself. Give PackageSource.fromAsset the file itself, not an archive of it. '
      + 'If the plugin\'s vendor ships its configuration as an archive, acknowledge this warning. [ack: cdk-opensearch-packages:configArchive]');
  });

  test('a license and a configuration that are text files pass without warnings', () => {
    const { stack } = newStack();
    new CustomPackage(stack, 'License', { packageName: 'my-license', source: PackageSource.fromAsset(file('license.json', '{"key": 1}')), ...license });
    new CustomPackage(stack, 'Config', { packageName: 'my-config', source: PackageSource.fromAsset(file('config.yml', 'a: 1\n')), ...config });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a source in S3 is not read: the service checks it at deploy time', () => {
    const { stack } = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'packages');
    expect(() => new CustomPackage(stack, 'Pkg', { packageName: 'my-package', source: PackageSource.fromBucket(bucket, 'synonyms.zip'), ...plugin() })).not.toThrow();
  });
});

describe('a plugin', () => {
  test('a plugin ZIP file whose descriptor names the package\'s engine version passes', () => {
    expect(create(writePluginZip(dir, 'plugin.zip', '2.19'), plugin()).pkg).not.toThrow();
  });

  test('a folder with the descriptor at its root, which fromAsset zips, passes', () => {
    const source = folder('plugin', { 'plugin-descriptor.properties': 'name=x\nopensearch.version=2.19.0\n', 'x.jar': 'jar' });
    expect(create(source, plugin()).pkg).not.toThrow();
  });

  test('a plugin that is not a ZIP file fails', () => {
    const source = file('plugin.txt', 'laptop, notebook\n');
    expect(create(source, plugin()).pkg).toThrow(`CustomPackage Test/Pkg: source ${source} is not a ZIP archive, but a ZIP-PLUGIN package must be the plugin's ZIP file. `
      + 'Give PackageSource.fromAsset the ZIP file the plugin\'s build produces, or a folder of the plugin\'s files, which fromAsset zips.');
  });

  test('a file that starts like a ZIP archive but is none fails', () => {
    const source = file('plugin.zip', Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(40, 7)]));
    expect(create(source, plugin()).pkg).toThrow(`CustomPackage Test/Pkg: source ${source} starts like a ZIP archive but cannot be read as one (invalid zip data). `
      + 'Rebuild the plugin\'s ZIP file.');
  });

  test('a plugin over the service\'s 1 GB quota, uncompressed, fails', () => {
    const source = folder('big-plugin', { 'plugin-descriptor.properties': 'opensearch.version=2.19.0\n', 'big.jar': '' });
    fs.truncateSync(path.join(source, 'big.jar'), 1024 ** 3);
    expect(create(source, plugin()).pkg).toThrow(`CustomPackage Test/Pkg: source ${source} holds 1073741850 bytes uncompressed, more than the 1 GB (1073741824 bytes) `
      + 'the service accepts for a plugin (developer guide, "Managing custom plugins", plugin quotas). '
      + 'Leave out of the plugin what OpenSearch already provides, such as its own JARs.');
  });

  test('a plugin without plugin-descriptor.properties fails', () => {
    const source = writePluginZip(dir, 'plugin.zip', '2.19', { descriptorPath: null });
    expect(create(source, plugin()).pkg).toThrow(`CustomPackage Test/Pkg: source ${source} has no plugin-descriptor.properties at its root, `
      + 'and OpenSearch installs no plugin without one. Build the plugin with OpenSearch\'s opensearch.opensearchplugin Gradle plugin, which writes it.');
  });

  test('a plugin whose descriptor is in a folder of the archive fails, and says where it is', () => {
    const source = writePluginZip(dir, 'plugin.zip', '2.19', { descriptorPath: 'opensearch/plugin-descriptor.properties' });
    expect(create(source, plugin()).pkg).toThrow(`CustomPackage Test/Pkg: source ${source} has no plugin-descriptor.properties at its root, `
      + 'and OpenSearch installs no plugin without one. It has one at opensearch/plugin-descriptor.properties, which OpenSearch does not read: '
      + 'put the plugin\'s files at the root of the archive, not in a folder.');
  });

  test('a plugin whose descriptor names no OpenSearch version fails', () => {
    const source = writePluginZip(dir, 'plugin.zip', '2.19', { opensearchVersion: null });
    expect(create(source, plugin()).pkg).toThrow(`CustomPackage Test/Pkg: source ${source}: its plugin-descriptor.properties names no opensearch.version `
      + '(nor opensearch in dependencies), so OpenSearch refuses the plugin. Build the plugin with the opensearch.opensearchplugin Gradle plugin, which writes opensearch.version.');
  });

  test('a plugin built for another engine version than the package\'s fails', () => {
    const source = writePluginZip(dir, 'plugin.zip', '2.17');
    expect(create(source, plugin()).pkg).toThrow(`CustomPackage Test/Pkg: source ${source} is built for OpenSearch 2.17 (opensearch.version=2.17.0 in its `
      + 'plugin-descriptor.properties), but engineVersion is OpenSearch_2.19: OpenSearch installs a plugin only on the version it is built for. '
      + 'Build the plugin against OpenSearch 2.19, or set engineVersion to OpenSearch_2.17.');
  });

  test('a descriptor with a dependencies range instead of opensearch.version is read: ~ for one minor version, ^ for later ones', () => {
    const tilde = writePluginZip(dir, 'tilde.zip', '2.19', { opensearchVersion: null, descriptorLines: ['dependencies={ opensearch: "~2.17.0" }'] });
    expect(create(tilde, plugin()).pkg).toThrow('is built for OpenSearch 2.17 (dependencies={ opensearch: "~2.17.0" } in its plugin-descriptor.properties)');
    const caret = writePluginZip(dir, 'caret.zip', '2.19', { opensearchVersion: null, descriptorLines: ['dependencies={ opensearch: "^2.15.0" }'] });
    expect(create(caret, plugin()).pkg).not.toThrow();
    const caretAhead = writePluginZip(dir, 'caret-ahead.zip', '2.19', { opensearchVersion: null, descriptorLines: ['dependencies={ opensearch: "^2.19.0" }'] });
    expect(create(caretAhead, plugin(opensearch.EngineVersion.OPENSEARCH_2_17)).pkg).toThrow(/is built for OpenSearch 2.19 \(dependencies=/);
  });

  test('a plugin for an engine version that takes no custom plugins fails, whatever its source', () => {
    const { stack } = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'plugins');
    expect(() => new CustomPackage(stack, 'Old', {
      packageName: 'old-plugin', source: PackageSource.fromBucket(bucket, 'plugin.zip'), ...plugin(opensearch.EngineVersion.OPENSEARCH_2_13),
    })).toThrow('CustomPackage Test/Old: engineVersion OpenSearch_2.13 cannot run a custom plugin: the service installs custom plugins only on OpenSearch 2.15 or later. '
      + 'Build the plugin for OpenSearch 2.15 or later, and run the domain on that version.');
    expect(() => new CustomPackage(stack, 'Es', {
      packageName: 'es-plugin', source: PackageSource.fromBucket(bucket, 'plugin.zip'), ...plugin(opensearch.EngineVersion.ELASTICSEARCH_7_10),
    })).toThrow('CustomPackage Test/Es: engineVersion Elasticsearch_7.10 cannot run a custom plugin');
  });
});
