import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { npmFreeEnv, ROOT } from './pack';
import { withoutKnownWarnings } from '../known-warnings';

/** The synonyms file the consumer app packages with CustomPackage. */
export const SYNONYMS = 'laptop, notebook\n';

/** A user's CDK app in plain JavaScript: one stack with both constructs. */
const APP_JS = `
const path = require('path');
const { App, Stack } = require('aws-cdk-lib');
const opensearch = require('aws-cdk-lib/aws-opensearchservice');
const { CustomPackage, DomainPackageAssociation, PackageSource } = require('cdk-opensearch-packages');

const app = new App({ outdir: path.join(__dirname, 'cdk.out') });
const stack = new Stack(app, 'Consumer');
const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
  domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/consumer',
  domainEndpoint: 'https://search-consumer-abcdefghij.eu-west-1.es.amazonaws.com',
});

new DomainPackageAssociation(stack, 'Stopwords', { domain, packageId: 'F111111111' });
const synonyms = new CustomPackage(stack, 'Synonyms', {
  packageName: 'consumer-synonyms',
  source: PackageSource.fromAsset(path.join(__dirname, 'synonyms.txt')),
});
synonyms.associateWith(domain);

app.synth();
console.log(require.resolve('cdk-opensearch-packages'));
`;

/** The version package.json pins for a dev dependency (the peer dependency's floor). */
function devVersion(name: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return pkg.devDependencies[name];
}

/**
 * Creates a CDK app in `dir`, installs the tarball into it with the dev
 * versions of aws-cdk-lib and constructs, and synthesises it.
 * Returns the path `require.resolve` gave the app for the library.
 */
export function installAndSynth(dir: string, tarball: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }));
  fs.writeFileSync(path.join(dir, 'synonyms.txt'), SYNONYMS);
  fs.writeFileSync(path.join(dir, 'app.js'), APP_JS);
  const env = npmFreeEnv();
  execFileSync('npm', [
    'install', '--no-audit', '--no-fund', '--prefer-offline', tarball,
    `aws-cdk-lib@${devVersion('aws-cdk-lib')}`, `constructs@${devVersion('constructs')}`,
  ], { cwd: dir, env, stdio: 'pipe' });
  const app = spawnSync(process.execPath, ['app.js'], { cwd: dir, env, encoding: 'utf8' });
  if (app.status !== 0) throw new Error(`node app.js failed (exit code ${app.status}, ${app.error ?? 'no error'}):\n${app.stderr}`);
  // What the app printed on stderr shows, but for the known third-party warnings.
  process.stderr.write(withoutKnownWarnings(app.stderr));
  return app.stdout.trim();
}
