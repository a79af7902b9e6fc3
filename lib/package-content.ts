import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { openSearchVersion } from './custom-plugin-prerequisites';
import { declaredEngine, DESCRIPTOR, engineFits, PluginArchive, readPluginFolder, readPluginZip } from './plugin-descriptor';

/*
 * Checks, at synth time, the file (or folder) a CustomPackage uploads as an
 * asset against the package's type, before an upload, a wait and (for a
 * plugin) a blue/green deployment would find the mistake. A source in S3 is
 * not read: the service validates it at deploy time.
 *
 * Errors where the service or OpenSearch certainly refuses the content,
 * warnings (which `cdk synth --strict` turns into failures) where it is only
 * likely to be a mistake.
 */

/**
 * The most a plugin may hold, uncompressed: "The maximum uncompressed size of
 * a plugin is 1 GB" (developer guide, "Managing custom plugins in Amazon
 * OpenSearch Service", plugin quotas). Read as 1 GiB, so that only a plugin
 * the service certainly refuses fails at synth.
 */
export const MAX_PLUGIN_BYTES = 1024 ** 3;

/**
 * The size above which a dictionary gets a warning. The service publishes no
 * size limit for dictionary files; its developer guide says a dictionary
 * takes Java heap on every node in proportion to its size (a 2 GiB file may
 * take 2 GiB). This threshold is the library's own choice, not a quota.
 */
export const LARGE_DICTIONARY_BYTES = 100 * 1024 ** 2;

const MIB = 1024 ** 2;

/** What each type's source must be, for the messages about folders and archives. */
const EXPECTED: Record<string, string> = {
  'TXT-DICTIONARY': 'a TXT-DICTIONARY package must be a single UTF-8 text file',
  'PACKAGE-LICENSE': 'a PACKAGE-LICENSE package must be the license file itself (the service\'s guide names a .json or .xml file)',
  'PACKAGE-CONFIG': 'a PACKAGE-CONFIG package is usually the plugin\'s configuration file itself',
};

/** Whether the file starts with a ZIP signature: a local file header, or the end record of an empty archive. */
function isZipFile(file: string): boolean {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  try {
    const read = fs.readSync(fd, head, 0, 4, 0);
    return read === 4 && ['504b0304', '504b0506'].includes(head.toString('hex'));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Whether the file is UTF-8, read in chunks so that a large dictionary is not
 * held in memory (Buffer's isUtf8 checks without decoding into a string).
 */
function isUtf8File(file: string): boolean {
  const buffer = Buffer.alloc(MIB + 4);
  const fd = fs.openSync(file, 'r');
  try {
    let carried = 0;
    for (;;) {
      const end = carried + fs.readSync(fd, buffer, carried, MIB, null);
      if (end === carried) return isUtf8(buffer.subarray(0, end));
      // The last character may go on in the next chunk: check up to where it starts, and carry it over.
      let start = end - 1;
      while (start > 0 && start > end - 4 && (buffer[start] & 0xc0) === 0x80) start--;
      if (!isUtf8(buffer.subarray(0, start))) return false;
      buffer.copy(buffer, 0, start, end);
      carried = end - start;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Checks the local file or folder of a CustomPackage's asset source: throws
 * for content the service refuses, and adds a warning for likely mistakes.
 */
export function checkPackageContent(pkg: Construct, packageType: string, source: string, engineVersion: string | undefined): void {
  // A missing source is the asset's to report ("Cannot find asset").
  if (!fs.existsSync(source)) return;
  const prefix = `CustomPackage ${pkg.node.path}: source ${source}`;
  const folder = fs.statSync(source).isDirectory();
  const zip = !folder && isZipFile(source);
  if (packageType === 'ZIP-PLUGIN') {
    checkPlugin(prefix, source, folder, zip, engineVersion);
    return;
  }
  const expected = EXPECTED[packageType];
  if (expected && (folder || zip)) {
    const message = folder
      ? `${prefix} is a folder, which PackageSource.fromAsset uploads as a ZIP archive, but ${expected}. Give PackageSource.fromAsset the file itself.`
      : `${prefix} is a ZIP archive, but ${expected}. Give PackageSource.fromAsset the file itself, not an archive of it.`;
    if (packageType !== 'PACKAGE-CONFIG') throw new Error(message);
    Annotations.of(pkg).addWarningV2('cdk-opensearch-packages:configArchive',
      `${message} If the plugin's vendor ships its configuration as an archive, acknowledge this warning.`);
    return;
  }
  if (packageType !== 'TXT-DICTIONARY') return;
  if (!isUtf8File(source)) {
    throw new Error(`${prefix} is not UTF-8 text, but OpenSearch reads a dictionary as UTF-8 and fails on a file in another encoding. `
      + 'Convert the file to UTF-8 (for example: iconv -f <its encoding> -t UTF-8).');
  }
  const size = fs.statSync(source).size;
  if (size > LARGE_DICTIONARY_BYTES) {
    Annotations.of(pkg).addWarningV2('cdk-opensearch-packages:largeDictionary',
      `${prefix} is ${(size / MIB).toFixed(1)} MiB. The service publishes no size limit for dictionaries, but a dictionary takes Java heap on every node `
      + `in proportion to its size (its developer guide: a 2 GiB file may take 2 GiB of heap); this library warns above ${LARGE_DICTIONARY_BYTES / MIB} MiB. `
      + 'Make sure the domain\'s nodes have that heap to spare (watch JVMMemoryPressure), or trim the dictionary.');
  }
}

function checkPlugin(prefix: string, source: string, folder: boolean, zip: boolean, engineVersion: string | undefined): void {
  if (!folder && !zip) {
    throw new Error(`${prefix} is not a ZIP archive, but a ZIP-PLUGIN package must be the plugin's ZIP file. `
      + 'Give PackageSource.fromAsset the ZIP file the plugin\'s build produces, or a folder of the plugin\'s files, which fromAsset zips.');
  }
  let archive: PluginArchive;
  try {
    archive = folder ? readPluginFolder(source) : readPluginZip(source);
  } catch (error) {
    throw new Error(`${prefix} starts like a ZIP archive but cannot be read as one (${(error as Error).message}). Rebuild the plugin's ZIP file.`);
  }
  if (archive.uncompressedBytes > MAX_PLUGIN_BYTES) {
    throw new Error(`${prefix} holds ${archive.uncompressedBytes} bytes uncompressed, more than the 1 GB (${MAX_PLUGIN_BYTES} bytes) the service accepts for a plugin `
      + '(developer guide, "Managing custom plugins", plugin quotas). Leave out of the plugin what OpenSearch already provides, such as its own JARs.');
  }
  if (!archive.descriptor) {
    const nested = archive.nestedDescriptor
      ? ` It has one at ${archive.nestedDescriptor}, which OpenSearch does not read: put the plugin's files at the root of the archive, not in a folder.`
      : ' Build the plugin with OpenSearch\'s opensearch.opensearchplugin Gradle plugin, which writes it.';
    throw new Error(`${prefix} has no ${DESCRIPTOR} at its root, and OpenSearch installs no plugin without one.${nested}`);
  }
  const declared = declaredEngine(archive.descriptor);
  if (!declared) {
    throw new Error(`${prefix}: its ${DESCRIPTOR} names no opensearch.version (nor opensearch in dependencies), so OpenSearch refuses the plugin. `
      + 'Build the plugin with the opensearch.opensearchplugin Gradle plugin, which writes opensearch.version.');
  }
  const engine = engineVersion === undefined ? undefined : openSearchVersion(engineVersion);
  if (engine && !engineFits(declared, engine.major, engine.minor)) {
    throw new Error(`${prefix} is built for OpenSearch ${declared.major}.${declared.minor} (${declared.property} in its ${DESCRIPTOR}), but engineVersion is ${engineVersion}: `
      + `OpenSearch installs a plugin only on the version it is built for. Build the plugin against OpenSearch ${engine.major}.${engine.minor}, `
      + `or set engineVersion to OpenSearch_${declared.major}.${declared.minor}.`);
  }
}
