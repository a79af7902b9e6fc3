import * as fs from 'fs';
import * as path from 'path';
import { parse as parseProperties } from 'dot-properties';
import { unzipSync } from 'fflate';

/*
 * A plugin's `plugin-descriptor.properties` and size, read at synth time from
 * the plugin's ZIP file (or from the folder that PackageSource.fromAsset zips),
 * and whether the engine version it names fits the package's engineVersion.
 *
 * The ZIP file is read with fflate's `unzipSync`: its filter sees each entry's
 * name and uncompressed size, and only the descriptor is inflated. A library
 * rather than a reader of the central directory written here (ZIP64 records,
 * data descriptors and the like are its business); fflate rather than yauzl,
 * which reads only asynchronously while a construct's checks run in its
 * constructor, or adm-zip, which is larger and needs @types. The descriptor,
 * a Java properties file (comments, `=` or `:` separators, continued lines,
 * escapes), is parsed with dot-properties. Neither has dependencies of its
 * own; both are `bundledDependencies` in package.json, as jsii requires of a
 * dependency that is not a jsii module, so the npm tarball that jsii-pacmak
 * puts inside every language's package carries them.
 */

/** The descriptor's name, at the root of a plugin's ZIP file. */
export const DESCRIPTOR = 'plugin-descriptor.properties';

/** What a plugin archive holds, as far as the checks need it. */
export interface PluginArchive {
  /** The properties of the descriptor at the archive's root, if it has one. */
  readonly descriptor?: Record<string, string>;
  /** Where the archive holds a descriptor below its root, which OpenSearch does not read. */
  readonly nestedDescriptor?: string;
  /** The sum of the uncompressed sizes of the archive's files. */
  readonly uncompressedBytes: number;
}

function parseDescriptor(content: Uint8Array): Record<string, string> {
  return parseProperties(Buffer.from(content).toString('utf8')) as Record<string, string>;
}

/** Reads a plugin's ZIP file; throws fflate's error for a file that is not a readable ZIP archive. */
export function readPluginZip(file: string): PluginArchive {
  let uncompressedBytes = 0;
  let nestedDescriptor: string | undefined;
  const entries = unzipSync(fs.readFileSync(file), {
    filter: (entry) => {
      uncompressedBytes += entry.originalSize;
      if (entry.name !== DESCRIPTOR && path.posix.basename(entry.name) === DESCRIPTOR) nestedDescriptor ??= entry.name;
      return entry.name === DESCRIPTOR;
    },
  });
  const content = entries[DESCRIPTOR];
  return content ? { descriptor: parseDescriptor(content), uncompressedBytes } : { nestedDescriptor, uncompressedBytes };
}

/** Reads a folder that PackageSource.fromAsset zips into a plugin. */
export function readPluginFolder(folder: string): PluginArchive {
  let uncompressedBytes = 0;
  let nestedDescriptor: string | undefined;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      uncompressedBytes += fs.statSync(full).size;
      if (entry.name === DESCRIPTOR && dir !== folder) nestedDescriptor ??= path.relative(folder, full).split(path.sep).join('/');
    }
  };
  walk(folder);
  const root = path.join(folder, DESCRIPTOR);
  return fs.existsSync(root) ? { descriptor: parseDescriptor(fs.readFileSync(root)), uncompressedBytes } : { nestedDescriptor, uncompressedBytes };
}

/** The engine a descriptor declares: the property as written, and the version it names. */
export interface DeclaredEngine {
  /** `opensearch.version=2.17.0` or `dependencies={ opensearch: "~2.17.0" }`. */
  readonly property: string;
  readonly major: number;
  readonly minor: number;
  /** `^` accepts later minor versions of the same major version; the others (none, `=`, `~`) only the same minor version. */
  readonly operator: '' | '=' | '~' | '^';
}

/**
 * The OpenSearch version the descriptor declares: `opensearch.version`, or
 * the `opensearch` entry of `dependencies` (a version or a `~`/`^` range)
 * that newer plugins give instead. Undefined when it declares neither.
 */
export function declaredEngine(descriptor: Record<string, string>): DeclaredEngine | undefined {
  const version = descriptor['opensearch.version']?.match(/^\s*(\d+)\.(\d+)/);
  if (version) return { property: `opensearch.version=${descriptor['opensearch.version']}`, major: Number(version[1]), minor: Number(version[2]), operator: '' };
  const range = descriptor.dependencies?.match(/opensearch"?\s*:\s*"?\s*([=~^]?)\s*(\d+)\.(\d+)/);
  if (!range) return undefined;
  return { property: `dependencies=${descriptor.dependencies}`, major: Number(range[2]), minor: Number(range[3]), operator: range[1] as DeclaredEngine['operator'] };
}

/** Whether a plugin declaring this engine installs on OpenSearch `major.minor`. */
export function engineFits(declared: DeclaredEngine, major: number, minor: number): boolean {
  if (declared.major !== major) return false;
  return declared.operator === '^' ? declared.minor <= minor : declared.minor === minor;
}
