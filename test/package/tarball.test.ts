// The npm package as a user gets it: jsii-pacmak's tarball, its contents,
// and a fresh CDK app (outside the repository) that installs and synthesises it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installAndSynth, SYNONYMS } from './consumer-app';
import { listTarball, packTarball, ROOT } from './pack';

const HANDLER = 'assets/package-association-handler/index.js';
const libSources = fs.readdirSync(path.join(ROOT, 'lib')).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));

let work: string;
let tarball: string;
let files: string[];

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-opensearch-packages-tarball-'));
  tarball = packTarball(path.join(work, 'dist'));
  files = listTarball(tarball);
}, 120_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the tarball', () => {
  test('holds the compiled library, the jsii assembly, the bundled handler, README and LICENSE', () => {
    const compiled = libSources.flatMap((file) => [`lib/${file.replace(/\.ts$/, '.js')}`, `lib/${file.replace(/\.ts$/, '.d.ts')}`]);
    expect(files).toEqual(expect.arrayContaining(['package.json', '.jsii', 'README.md', 'LICENSE', HANDLER, ...compiled]));
  });

  test('leaves out tests, the simulator, handler sources, TypeScript sources and the example', () => {
    const unwanted = files.filter((file) => /^(test|lambda|example|rosetta|scripts|patches|dist)\//.test(file)
      || (file.endsWith('.ts') && !file.endsWith('.d.ts'))
      || /^(tsconfig.*|cdk|integ\.config)\.json$/.test(file));
    expect(unwanted).toEqual([]);
  });

  test('ships no compiled file whose source is gone from lib/', () => {
    const stale = files.filter((file) => file.startsWith('lib/'))
      .filter((file) => !libSources.includes(path.basename(file).replace(/\.d\.ts$|\.js$/, '.ts')));
    expect(stale).toEqual([]);
  });
});

describe('a CDK app that installs the tarball', () => {
  let appDir: string;
  let resolved: string;
  let template: any;
  let assets: any;

  beforeAll(() => {
    appDir = path.join(work, 'app');
    resolved = installAndSynth(appDir, tarball);
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(appDir, 'cdk.out', file), 'utf8'));
    template = read('Consumer.template.json');
    assets = read('Consumer.assets.json');
  }, 180_000);

  const resourcesOfType = (type: string) => Object.values<any>(template.Resources).filter((resource) => resource.Type === type);
  const stagedAsset = (s3Key: string) => path.join(appDir, 'cdk.out', assets.files[s3Key.replace(/\.[a-z]+$/, '')].source.path);

  test('resolves the library from its own node_modules', () => {
    expect(resolved).toBe(path.join(fs.realpathSync(appDir), 'node_modules', 'cdk-opensearch-packages', 'lib', 'index.js'));
  });

  test('synthesises the custom resources', () => {
    expect(resourcesOfType('Custom::OpenSearchPackageAssociation')).toHaveLength(2);
    expect(resourcesOfType('Custom::OpenSearchPackage')).toHaveLength(1);
  });

  test('stages the bundled handler from node_modules as the asset of both handler functions', () => {
    const installed = fs.readFileSync(path.join(appDir, 'node_modules', 'cdk-opensearch-packages', HANDLER));
    expect(installed.equals(fs.readFileSync(path.join(ROOT, HANDLER)))).toBe(true);
    const handlers = resourcesOfType('AWS::Lambda::Function').filter((fn) => /^index\.(onEvent|isComplete)$/.test(fn.Properties.Handler));
    expect(handlers.map((fn) => fn.Properties.Handler).sort()).toEqual(['index.isComplete', 'index.onEvent']);
    for (const fn of handlers) {
      const staged = fs.readFileSync(path.join(stagedAsset(fn.Properties.Code.S3Key), 'index.js'));
      expect(staged.equals(installed)).toBe(true);
    }
  });

  test('stages the CustomPackage source file', () => {
    const [pkg] = resourcesOfType('Custom::OpenSearchPackage');
    expect(fs.readFileSync(stagedAsset(pkg.Properties.S3Key), 'utf8')).toBe(SYNONYMS);
  });
});
