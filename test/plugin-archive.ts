import * as fs from 'fs';
import * as path from 'path';
import { strToU8, zipSync, Zippable } from 'fflate';

/*
 * Plugin ZIP files for the tests: what a plugin's build produces, as far as
 * the synth-time checks read it (plugin-descriptor.properties at the root,
 * and the plugin's files).
 */

export interface PluginArchiveOptions {
  /** The OpenSearch version the descriptor names, e.g. `2.19.0`; none with `null`. Default: the engine's `X.Y.0`. */
  readonly opensearchVersion?: string | null;
  /** Other descriptor lines, e.g. `dependencies={ opensearch: "~2.19.0" }`. */
  readonly descriptorLines?: string[];
  /** Where the descriptor goes. Default: the root. `null` leaves it out. */
  readonly descriptorPath?: string | null;
  /** Further files, by path in the archive. */
  readonly files?: Record<string, Uint8Array>;
}

/** The bytes of a plugin ZIP file built for `engine` (`2.19`, say). */
export function pluginZip(engine: string, options: PluginArchiveOptions = {}): Buffer {
  const version = options.opensearchVersion === undefined ? `${engine}.0` : options.opensearchVersion;
  const descriptor = [
    'description=A plugin of the tests', 'version=1.0.0', 'name=test-analyzer', 'classname=org.example.TestAnalyzerPlugin', 'java.version=21',
    ...(version === null ? [] : [`opensearch.version=${version}`]),
    ...(options.descriptorLines ?? []),
  ].join('\n') + '\n';
  const entries: Zippable = { 'test-analyzer.jar': new Uint8Array(64), ...options.files };
  if (options.descriptorPath !== null) entries[options.descriptorPath ?? 'plugin-descriptor.properties'] = strToU8(descriptor);
  // A fixed modification time: the same plugin gives the same bytes, and so the same asset hash, at every synth.
  return Buffer.from(zipSync(entries, { mtime: '2024-01-01T00:00:00Z' }));
}

/** Writes a plugin ZIP file for `engine` under `dir` and returns its path. */
export function writePluginZip(dir: string, name: string, engine: string, options: PluginArchiveOptions = {}): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, pluginZip(engine, options));
  return file;
}
