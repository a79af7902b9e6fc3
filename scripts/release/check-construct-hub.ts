// Checks that an npm tarball of the library (dist/js/*.tgz) is what Construct
// Hub (constructs.dev) indexes and renders, the way its npm follower and its
// ingestion read a package:
// - a jsii package: package.json's `jsii` field, and the .jsii assembly inside
//   the tarball, with a target for each language Construct Hub shows
//   (Python, Java, C#, Go) and the README it renders;
// - a construct library: a dependency on aws-cdk-lib or constructs, and the
//   keywords it indexes (`cdk`, `awscdk`);
// - a licence on its default allow-list (the SPDX Apache, BSD, CDDL, EPL, ISC,
//   MIT and MPL-2.0 licences);
// - a stability it shows (package.json `stability`, carried into the
//   assembly's docs).
//
//   npx ts-node scripts/release/check-construct-hub.ts [TARBALL]
//
// TARBALL defaults to the one `npm run package:all` wrote to dist/js.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

const LANGUAGES = ['python', 'java', 'dotnet', 'go'];
const KEYWORDS = ['cdk', 'awscdk'];
const FRAMEWORK_PACKAGES = ['aws-cdk-lib', 'constructs'];
const ALLOWED_LICENCE = /^(Apache-(1\.0|1\.1|2\.0)|0BSD|BSD-[0-9A-Za-z.-]+|CDDL-1\.[01]|EPL-(1\.0|2\.0)|ISC|MIT(-[0-9A-Za-z]+)?|MPL-2\.0)$/;
const STABILITIES = ['experimental', 'stable', 'deprecated'];

/** The .jsii assembly of an unpacked package, following jsii's redirect to a compressed one. */
function readAssembly(dir: string): any {
  const assembly = JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8'));
  if (assembly.schema !== 'jsii/file-redirect') return assembly;
  const target = fs.readFileSync(path.join(dir, assembly.filename));
  return JSON.parse((assembly.compression === 'gzip' ? zlib.gunzipSync(target) : target).toString('utf8'));
}

function main(tarball: string): void {
  const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'construct-hub-check-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
    const dir = path.join(unpacked, 'package');
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const assembly = fs.existsSync(path.join(dir, '.jsii')) ? readAssembly(dir) : undefined;
    const dependsOn = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });

    const checks: Array<[string, boolean]> = [
      ['package.json has a jsii field', typeof pkg.jsii === 'object' && pkg.jsii !== null],
      ['the tarball holds the .jsii assembly', assembly !== undefined],
      [`package.json's jsii targets ${LANGUAGES.join(', ')}`, LANGUAGES.every((language) => pkg.jsii?.targets?.[language] !== undefined)],
      ['the assembly carries those targets', LANGUAGES.every((language) => assembly?.targets?.[language] !== undefined)],
      [`it depends on ${FRAMEWORK_PACKAGES.join(' or ')}`, FRAMEWORK_PACKAGES.some((name) => dependsOn.includes(name))],
      [`its keywords include ${KEYWORDS.join(' and ')}`, KEYWORDS.every((keyword) => (pkg.keywords ?? []).includes(keyword))],
      [`its licence (${pkg.license}) is on Construct Hub's default allow-list`, ALLOWED_LICENCE.test(pkg.license ?? '')],
      [`its stability (${pkg.stability}) is one Construct Hub shows, in package.json and the assembly`,
        STABILITIES.includes(pkg.stability) && assembly?.docs?.stability === pkg.stability],
      ['the tarball holds README.md, and the assembly the README Construct Hub renders',
        fs.existsSync(path.join(dir, 'README.md')) && typeof assembly?.readme?.markdown === 'string' && assembly.readme.markdown.length > 0],
      ['package.json names a description, a repository and an author', Boolean(pkg.description && pkg.repository?.url && pkg.author?.name)],
    ];
    for (const [check, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${check}`);
    const failed = checks.filter(([, ok]) => !ok).length;
    console.log(failed ? `construct-hub: ${failed} of ${checks.length} checks failed for ${path.basename(tarball)}` : `construct-hub: ${path.basename(tarball)} passes the ${checks.length} checks`);
    process.exitCode = failed ? 1 : 0;
  } finally {
    fs.rmSync(unpacked, { recursive: true, force: true });
  }
}

/** The tarball named on the command line, or the one in dist/js. */
function tarballToCheck(): string {
  const named = process.argv[2];
  if (named) return named;
  const dir = path.resolve(__dirname, '..', '..', 'dist', 'js');
  const tarballs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => file.endsWith('.tgz')) : [];
  if (tarballs.length !== 1) throw new Error(`expected one tarball in ${dir}, found ${tarballs.length}: run npm run package:all first, or name one`);
  return path.join(dir, tarballs[0]);
}

main(tarballToCheck());
