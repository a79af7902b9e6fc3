import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { main } from './cli';
import { DEFAULT_IMPORTED_ENGINE_VERSION, NOT_PROVEN, parseCliArguments, USAGE } from './cli-options';
import { DomainPackageAssociation } from '../../lib';
import { awsProvidedPackages } from '../simulator/aws-provided-packages';

/*
 * The local deploy's command line on a user's own app, as the README shows it:
 * an AWS-provided plugin by name on a domain of the app, and a dictionary on
 * a domain the app imports.
 */

const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'package-association-handler', 'index.js');
/** The imported domain of the user's app. */
const LEGACY_DOMAIN = 'legacy-search';

let outdir: string;

function domain(stack: Stack, version: opensearch.EngineVersion): opensearch.Domain {
  return new opensearch.Domain(stack, 'Search', {
    version,
    capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
  });
}

beforeAll(() => {
  if (!fs.existsSync(HANDLER_BUNDLE)) throw new Error(`${HANDLER_BUNDLE} is missing: run \`npm run bundle\` first`);
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-deploy-cli-test-'));
  const app = new App({ outdir });
  const user = new Stack(app, 'UserApp');
  new DomainPackageAssociation(user, 'Sudachi', { domain: domain(user, opensearch.EngineVersion.OPENSEARCH_2_17), awsPackageName: 'analysis-sudachi' });
  const legacy = opensearch.Domain.fromDomainAttributes(user, 'Legacy', {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${LEGACY_DOMAIN}`,
    domainEndpoint: `https://search-${LEGACY_DOMAIN}-abcdefghijklmnopqrstuvwxyz.us-east-1.es.amazonaws.com`,
  });
  new DomainPackageAssociation(user, 'Stopwords', { domain: legacy, packageId: 'F111111111' });
  const old = new Stack(app, 'HanlpBefore211');
  new DomainPackageAssociation(old, 'Hanlp', { domain: domain(old, opensearch.EngineVersion.OPENSEARCH_2_9), awsPackageName: 'analysis-hanlp' });
  app.synth();
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** Runs the command line; returns its exit code and the lines it printed. */
async function runCli(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line?: unknown) => { lines.push(String(line)); });
  const error = jest.spyOn(console, 'error').mockImplementation((line?: unknown) => { lines.push(String(line)); });
  try {
    return { code: await main(argv), lines };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

test('deploys a user\'s app: an AWS-provided plugin by name and a domain the app imports, then says what a local run does not prove', async () => {
  const { code, lines } = await runCli('--assembly', outdir, '--stack', 'UserApp', '--steps', 'create,delete', '--imported-engine-version', 'OpenSearch_2.17');

  expect(lines.filter(line => line.includes('FAILED'))).toEqual([]);
  expect(code).toBe(0);
  expect(lines).toContain(`local-deploy: domains the app imports, added at OpenSearch_2.17: ${LEGACY_DOMAIN}`);
  expect(lines).toContain('local-deploy: packages the app names by ID, added as created outside the stack: F111111111; CustomPackages are created by the handler');
  // The plugin went on the domain under the ID the simulator gives analysis-sudachi for OpenSearch 2.17.
  const created = lines.find(line => line.includes(' packages ') && line.includes('Create SUCCESS'));
  expect(created).toContain('analysis-sudachi@');
  expect(created).toMatch(/analysis-sudachi@\S+ ACTIVE v1/);
  expect(created).toContain(`F111111111@${LEGACY_DOMAIN} ACTIVE v1`);
  expect(lines.filter(line => line.startsWith('  stack: ')).map(line => line.split(' ')[3])).toEqual(['CREATE_COMPLETE', 'DELETE_COMPLETE']);
  expect(lines[lines.length - 1]).toBe(NOT_PROVEN);
});

test('fails, with the names that exist, a plugin AWS does not provide for the domain\'s engine version, and still closes with what a local run does not prove', async () => {
  const { code, lines } = await runCli('--assembly', outdir, '--stack', 'HanlpBefore211', '--steps', 'create');

  expect(code).toBe(1);
  const names = awsProvidedPackages('OpenSearch_2.9').map(p => p.name).join(', ');
  expect(lines.join('\n')).toContain(`is named analysis-hanlp. The names for OpenSearch_2.9 are: ${names}.`);
  expect(lines[lines.length - 1]).toBe(NOT_PROVEN);
});

describe('AWS-provided packages', () => {
  test('follow the first engine version AWS lists each for, with an ID per engine version, and none for Elasticsearch', () => {
    const names = (version: string) => awsProvidedPackages(version).map(p => p.name);
    expect(names('OpenSearch_1.2')).toEqual([]);
    expect(names('OpenSearch_1.3')).toEqual(['analysis-nori', 'analysis-pinyin', 'analysis-stconvert', 'analysis-sudachi']);
    expect(names('OpenSearch_2.9')).toEqual(['analysis-nori', 'analysis-pinyin', 'analysis-stconvert', 'analysis-sudachi']);
    expect(names('OpenSearch_2.11')).toEqual(['analysis-nori', 'analysis-pinyin', 'analysis-stconvert', 'analysis-sudachi', 'analysis-hanlp']);
    expect(names('OpenSearch_3.1')).toContain('analysis-hanlp');
    expect(names('Elasticsearch_7.10')).toEqual([]);
    const sudachi = (version: string) => awsProvidedPackages(version).find(p => p.name === 'analysis-sudachi');
    expect(sudachi('OpenSearch_2.17')).toEqual(expect.objectContaining({ id: 'G040217', type: 'ZIP-PLUGIN', owner: 'AWS', engineVersion: 'OpenSearch_2.17' }));
    expect(sudachi('OpenSearch_2.19')?.id).toBe('G040219');
  });
});

describe('command line', () => {
  test('takes the imported domains\' engine version, and refuses one that is not an engine version', () => {
    expect(parseCliArguments([]).importedEngineVersion).toBe(DEFAULT_IMPORTED_ENGINE_VERSION);
    expect(parseCliArguments(['--imported-engine-version', 'OpenSearch_2.17']).importedEngineVersion).toBe('OpenSearch_2.17');
    expect(() => parseCliArguments(['--imported-engine-version', '2.17'])).toThrow('--imported-engine-version needs an engine version such as OpenSearch_2.19, got "2.17"');
  });

  test('reads a relative --assembly from the directory npm was run in', async () => {
    const initCwd = process.env.INIT_CWD;
    process.env.INIT_CWD = path.dirname(outdir);
    try {
      const { lines } = await runCli('--assembly', path.basename(outdir), '--stack', 'UserApp', '--steps', 'create');
      expect(lines[0]).toBe(`local-deploy: reading the cloud assembly in ${outdir}`);
    } finally {
      if (initCwd === undefined) delete process.env.INIT_CWD; else process.env.INIT_CWD = initCwd;
    }
  });

  test('--help documents the own-app options and what a local run does not prove', async () => {
    const { code, lines } = await runCli('--help');
    expect(code).toBe(0);
    expect(lines).toEqual([USAGE]);
    for (const option of ['--app DIR', '--assembly DIR', '--stack NAME', '--context KEY=VALUE', '--imported-engine-version VERSION']) expect(USAGE).toContain(option);
    expect(USAGE).toContain('What a local run does not prove');
  });
});
