// What the language tests share: where the built artifacts are, the versions
// package.json pins, running a command with a clock, copying an app, running
// `cdk synth`, and reading what it wrote.
import { execFileSync, ExecFileSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { npmFreeEnv, ROOT } from '../package/pack';

export { ROOT };

/** The stack every app declares. */
export const STACK = 'OpenSearchPackagesLanguageTest';

/** Where `npm run package:all` (scripts/package-all.sh) writes each target. */
export const DIST = path.join(ROOT, 'dist');

/** The app sources: test/languages/<language>. */
export const APPS = __dirname;

/** A version package.json pins for a dev dependency (the floor of the peer dependency). */
export function devVersion(name: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const version = pkg.devDependencies[name];
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`package.json must pin ${name} to one version, not "${version}"`);
  return version;
}

/** The version of a package installed in the repository's node_modules. */
export function installedVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** The library's own version. */
export const LIBRARY_VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/** The one file in `dir` whose name matches `pattern`. */
export function theFile(dir: string, pattern: RegExp): string {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => pattern.test(file)) : [];
  if (files.length !== 1) {
    throw new Error(`expected one file matching ${pattern} in ${dir}, found ${files.length} (${files.join(', ')}): run \`npm run package:all\` first`);
  }
  return path.join(dir, files[0]);
}

/**
 * Caches of pip, Maven, Go and npm: the tools' own unless CDK_LANGUAGES_CACHE
 * names a directory (scripts/language-env.sh sets the same variables).
 */
export function cacheEnv(): NodeJS.ProcessEnv {
  const root = process.env.CDK_LANGUAGES_CACHE;
  if (!root) return {};
  return {
    PIP_CACHE_DIR: path.join(root, 'pip'),
    GOMODCACHE: path.join(root, 'go', 'mod'),
    GOCACHE: path.join(root, 'go', 'build'),
    MAVEN_LOCAL_REPOSITORY: path.join(root, 'm2', 'repository'),
    npm_config_cache: path.join(root, 'npm'),
  };
}

/** Maven's local repository: ~/.m2/repository, or the one under CDK_LANGUAGES_CACHE. */
export function mavenLocalRepository(): string {
  return cacheEnv().MAVEN_LOCAL_REPOSITORY ?? process.env.MAVEN_LOCAL_REPOSITORY ?? path.join(process.env.HOME ?? '/root', '.m2', 'repository');
}

/** The environment of the tools: a user's shell, without npm's script variables, telemetry or update checks. */
export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...npmFreeEnv(),
    ...cacheEnv(),
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
    JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1',
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    // the Go checksum database has no entry for the pinned aws-cdk-go release: see scripts/language-env.sh
    GONOSUMDB: [process.env.GONOSUMDB, 'github.com/aws/aws-cdk-go'].filter(Boolean).join(','),
    ...extra,
  };
}

/** One timed step of a language's run, for the summary. */
export interface Step {
  readonly language: string;
  readonly step: string;
  readonly seconds: number;
}

export const steps: Step[] = [];

/**
 * Runs a command in `cwd` and returns its stdout; on failure, throws with the
 * command, its exit code and the end of its output.
 */
export function run(language: string, step: string, command: string, args: string[], options: ExecFileSyncOptions = {}): string {
  const start = Date.now();
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe', maxBuffer: 256 * 1024 * 1024, ...options }) as string;
  } catch (error: any) {
    const output = `${error.stdout ?? ''}\n${error.stderr ?? ''}`.split('\n').filter((line) => line.trim() && !line.startsWith('!!')).slice(-60).join('\n');
    throw new Error(`${language}: ${step} failed: ${command} ${args.join(' ')} (in ${options.cwd}) exited with ${error.status}:\n${output}`);
  } finally {
    steps.push({ language, step, seconds: (Date.now() - start) / 1000 });
  }
}

/** Copies an app of test/languages to `dest`, as a user's fresh checkout of it. */
export function copyApp(language: string, dest: string): string {
  fs.cpSync(path.join(APPS, language), dest, { recursive: true });
  return dest;
}

/** The CDK CLI of this repository (aws-cdk, a dev dependency). */
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');

/** `cdk synth` in the app's directory, with the app command of its cdk.json; returns the cloud assembly's directory. */
export function cdkSynth(language: string, appDir: string, env: NodeJS.ProcessEnv): string {
  run(language, 'cdk synth', CDK, ['synth', '--quiet', '--no-notices', '--ci'], { cwd: appDir, env });
  return path.join(appDir, 'cdk.out');
}

/** What `cdk synth` wrote for the stack. */
export interface Synthesised {
  readonly template: any;
  readonly assets: any;
  readonly outdir: string;
}

export function readAssembly(outdir: string): Synthesised {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
  return { template: read(`${STACK}.template.json`), assets: read(`${STACK}.assets.json`), outdir };
}

/**
 * The construct list CDKMetadata's Analytics carries (gzip, base64, one
 * `version!fqn` per construct, prefix-encoded), decompressed. It ends with the
 * jsii runtime that synthesised the app: `node.js/v20…` for TypeScript,
 * `Python/3.11…`, `Java/17…`, `go1.26…/linux/amd64`.
 */
export function analytics(template: any): string {
  const value: string = template.Resources?.CDKMetadata?.Properties?.Analytics ?? '';
  const match = /^v2:deflate64:(.+)$/.exec(value);
  if (!match) throw new Error(`no CDKMetadata Analytics in the template: ${JSON.stringify(value).slice(0, 80)}`);
  return zlib.gunzipSync(Buffer.from(match[1], 'base64')).toString('utf8');
}

/** The jsii runtime named in Analytics (the pseudo construct `jsii-runtime.Runtime`). */
export function jsiiRuntime(template: any): string {
  const match = /([^{},!]+)!jsii-runtime\.Runtime/.exec(analytics(template));
  if (!match) throw new Error(`Analytics names no jsii runtime: ${analytics(template)}`);
  return match[1];
}

/**
 * The template with the one value that names the language taken out: the jsii
 * runtime in CDKMetadata's Analytics (replaced by its decompressed construct
 * list with the runtime blanked). Everything else must be identical.
 */
export function comparable(template: any): any {
  const copy = JSON.parse(JSON.stringify(template));
  if (copy.Resources?.CDKMetadata?.Properties?.Analytics) {
    copy.Resources.CDKMetadata.Properties.Analytics = analytics(template).replace(/[^{},!]+!jsii-runtime\.Runtime/, '<jsii runtime>!jsii-runtime.Runtime');
  }
  return copy;
}

/** The staged asset (file or directory) of an asset hash, from the assets manifest. */
export function stagedAsset(synth: Synthesised, hash: string): string {
  const entry = synth.assets.files?.[hash];
  if (!entry) throw new Error(`no asset ${hash} in ${STACK}.assets.json`);
  return path.join(synth.outdir, entry.source.path);
}

/** The bytes of a file or every file of a directory, keyed by relative path. */
export function contents(fileOrDir: string): Record<string, string> {
  if (fs.statSync(fileOrDir).isFile()) return { [path.basename(fileOrDir)]: fs.readFileSync(fileOrDir).toString('base64') };
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(fileOrDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(fileOrDir, full)] = fs.readFileSync(full).toString('base64');
  }
  return out;
}

/** The bytes pip says it downloaded ("Downloading aws_cdk_lib-….whl (41.2 MB)"); pip here keeps no cache to measure. */
export function pipDownloads(output: string): number {
  const unit: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };
  return [...output.matchAll(/^\s*Downloading \S+ \(([\d.]+) (B|kB|KB|MB|GB)\)/gm)].reduce((sum, m) => sum + Number(m[1]) * unit[m[2]], 0);
}

/** The total size in bytes of a directory, 0 if it does not exist. */
export function sizeOf(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}
