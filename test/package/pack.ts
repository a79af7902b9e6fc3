import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Packages the library for JavaScript with jsii-pacmak, as a release would,
 * into `outdir`, and returns the tarball's path.
 */
export function packTarball(outdir: string): string {
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'), ['--targets', 'js', '--outdir', outdir], {
    cwd: ROOT,
    stdio: 'pipe',
    env: npmFreeEnv(),
  });
  const dir = path.join(outdir, 'js');
  const tarballs = fs.readdirSync(dir).filter((file) => file.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`expected one tarball in ${dir}, found: ${tarballs.join(', ')}`);
  return path.join(dir, tarballs[0]);
}

/** The tarball's files, relative to the package root, sorted. */
export function listTarball(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
    .sort();
}

/**
 * The environment without what `npm run` adds for its scripts (such as
 * npm_config_local_prefix, which points at this repository), so that a child
 * npm behaves as it does for a user. The cache, registry and user config stay.
 */
export function npmFreeEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || keep.has(name.toLowerCase())));
}
