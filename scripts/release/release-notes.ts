// The notes of one release, for its GitHub release: its CHANGELOG.md entry
// (breaking changes first, with what to change), then which aws-cdk-lib
// versions the release was tested with.
//
//   npx ts-node scripts/release/release-notes.ts VERSION [NEWEST_AWS_CDK_LIB]
//
// VERSION is the release's (bump.sh printed it). NEWEST_AWS_CDK_LIB is the
// newest aws-cdk-lib 2.x that `npm run test:cdk-latest` passed with when the
// release was built; without it, the notes name the floor only.
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The entry of `version` in the changelog: from its heading to the next release's heading. */
function changelogEntry(changelog: string, version: string): string {
  const lines = changelog.split('\n');
  const release = /^(#{2,3}) \[?(\d+\.\d+\.\d+[^\]\s]*)\]?/;
  const start = lines.findIndex((line) => release.exec(line)?.[2] === version);
  if (start < 0) throw new Error(`CHANGELOG.md has no entry for ${version}`);
  const end = lines.findIndex((line, i) => i > start && release.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join('\n').trim();
}

function main(version: string, newest?: string): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const floor = String(pkg.peerDependencies['aws-cdk-lib']).replace(/^[\^~>=\s]+/, '');
  const entry = changelogEntry(fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), version);
  const tested = newest && newest !== floor
    ? `aws-cdk-lib ${floor} (the lowest version the peer dependency allows) and ${newest} (the newest 2.x when this release was built)`
    : `aws-cdk-lib ${floor} (the lowest version the peer dependency allows)`;
  console.log([
    entry,
    '',
    '### Versions and compatibility',
    '',
    `Tested with ${tested}, constructs ${pkg.peerDependencies.constructs}, Node.js ${pkg.engines.node}.`,
  ].join('\n'));
}

const [version, newest] = process.argv.slice(2);
if (!version) {
  console.error('usage: release-notes.ts VERSION [NEWEST_AWS_CDK_LIB]');
  process.exit(2);
}
main(version, newest);
