// Python, Java and Go apps that install the library's freshly built artifact
// (wheel, jar, Go module) with their own build tools and the aws-cdk-lib that
// package.json pins, from their own registries, and synthesise the same stack
// as the TypeScript reference app, which installs the npm tarball from the
// same build. Each template must be identical to the TypeScript app's, but for
// the jsii runtime CDKMetadata names. Each language then compiles the README's
// examples as rosetta translated them, in its app's environment
// (readme-examples.ts). `npm run test:languages` builds the artifacts first
// (npm run package:all), renders the docs (scripts/docgen-languages.sh) and
// runs this file. The release rehearsal runs it with
// CDK_LANGUAGES_LIBRARY=registries: the apps then install the published
// version from the local registries (library-source.ts).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  APPS, cacheEnv, cdkSynth, comparable, contents, copyApp, devVersion, installedVersion, jsiiRuntime,
  LIBRARY_VERSION, mavenLocalRepository, pipDownloads, readAssembly, run, sizeOf, stagedAsset, steps, Synthesised, toolEnv,
} from './harness';
import { GO_MODULE, librarySource } from './library-source';
import { compileGoExamples, compileJavaExamples, compilePythonExamples } from './readme-examples';

const AWS_CDK_LIB = devVersion('aws-cdk-lib');
const CONSTRUCTS = devVersion('constructs');
/** Where the apps get the library: dist/, or the rehearsal's registries. */
const LIBRARY = librarySource();
const DICTIONARY = path.join('dictionaries', 'synonyms.txt');

/** The summary scripts/test-languages.sh prints: steps, seconds, cache growth. */
const REPORT = process.env.CDK_LANGUAGES_REPORT;
const cacheGrowth: Record<string, Record<string, number>> = {};
let pipDownloaded = 0;

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-opensearch-packages-languages-'));
});
afterAll(() => {
  if (REPORT) fs.writeFileSync(REPORT, JSON.stringify({ awsCdkLib: AWS_CDK_LIB, constructs: CONSTRUCTS, steps, cacheGrowth, pipDownloaded }, null, 2));
  if (work && !process.env.CDK_LANGUAGES_KEEP) fs.rmSync(work, { recursive: true, force: true });
});

/** Runs `fn` and records how much each cache grew meanwhile (only when CDK_LANGUAGES_CACHE is set). */
function measured<T>(language: string, fn: () => T): T {
  const caches = cacheEnv();
  const dirs: Record<string, string> = caches.PIP_CACHE_DIR ? {
    pip: caches.PIP_CACHE_DIR!, maven: caches.MAVEN_LOCAL_REPOSITORY!, 'go modules': caches.GOMODCACHE!, 'go build': caches.GOCACHE!, npm: caches.npm_config_cache!,
  } : {};
  const before = Object.fromEntries(Object.entries(dirs).map(([name, dir]) => [name, sizeOf(dir)]));
  try {
    return fn();
  } finally {
    cacheGrowth[language] = Object.fromEntries(Object.entries(dirs).map(([name, dir]) => [name, sizeOf(dir) - before[name]]));
  }
}

// ---- the apps ---------------------------------------------------------------

interface TypeScriptRun extends Synthesised { readonly installed: { version: string; integrity: string } }

/** The reference: the TypeScript app with the library (the jsii-pacmak npm tarball, or from the registry), TypeScript and ts-node. */
function typescriptApp(): TypeScriptRun {
  return measured('TypeScript', () => {
    const dir = copyApp('typescript', path.join(work, 'typescript'));
    const env = toolEnv();
    run('TypeScript', 'npm install', 'npm', [
      'install', '--no-audit', '--no-fund', '--prefer-offline', LIBRARY.npmSpec,
      `aws-cdk-lib@${AWS_CDK_LIB}`, `constructs@${CONSTRUCTS}`, `typescript@${installedVersion('typescript')}`, `ts-node@${installedVersion('ts-node')}`,
    ], { cwd: dir, env });
    const locked = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')).packages['node_modules/cdk-opensearch-packages'];
    return { ...readAssembly(cdkSynth('TypeScript', dir, env)), installed: { version: locked.version, integrity: locked.integrity } };
  });
}

interface PythonRun extends Synthesised { readonly installed: { library: string; url: string; awsCdkLib: string } }

/** A virtual environment, pip install -r requirements.txt (the library, aws-cdk-lib and constructs from PyPI), cdk synth. */
function pythonApp(): PythonRun {
  return measured('Python', () => {
    const dir = copyApp('python', path.join(work, 'python'));
    const venv = path.join(dir, '.venv');
    run('Python', 'python3 -m venv', 'python3', ['-m', 'venv', venv], { cwd: dir, env: toolEnv() });
    // what `source .venv/bin/activate` does, and what requirements.txt reads
    const env = toolEnv({
      VIRTUAL_ENV: venv,
      PATH: `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH}`,
      AWS_CDK_LIB_VERSION: AWS_CDK_LIB,
      CONSTRUCTS_VERSION: CONSTRUCTS,
      CDK_OPENSEARCH_PACKAGES: LIBRARY.pythonRequirement,
    });
    const report = path.join(work, 'pip-report.json');
    const pip = run('Python', 'pip install -r requirements.txt', 'pip', ['install', '-r', 'requirements.txt', '--report', report], { cwd: dir, env });
    pipDownloaded = pipDownloads(pip);
    const library = JSON.parse(fs.readFileSync(report, 'utf8')).install.find((item: any) => item.metadata.name === 'cdk-opensearch-packages');
    const installed = JSON.parse(run('Python', 'importlib.metadata', 'python', ['-c', [
      'import json, importlib.metadata as m',
      'print(json.dumps({"library": m.version("cdk-opensearch-packages"), "awsCdkLib": m.version("aws-cdk-lib")}))',
    ].join('\n')], { cwd: dir, env }));
    return { ...readAssembly(cdkSynth('Python', dir, env)), installed: { ...installed, url: library?.download_info?.url } };
  });
}

interface JavaRun extends Synthesised { readonly resolvedJar: string; readonly builtJar: string }

/** Maven: the jar from jsii-pacmak's repository (dist/java) or the rehearsal's, aws-cdk-lib and constructs from Maven Central; mvn compile exec:java. */
function javaApp(): JavaRun {
  return measured('Java', () => {
    const dir = copyApp('java', path.join(work, 'java'));
    const localRepository = mavenLocalRepository();
    // Maven never fetches a release version again once its local repository has
    // it: drop the library (jsii-pacmak's own build installs it there too) so
    // that this app resolves the jar from the library's repository.
    const libraryInLocal = path.join(localRepository, 'io', 'github', 'cdk-opensearch-packages');
    fs.rmSync(libraryInLocal, { recursive: true, force: true });
    // the build settings a user keeps in .mvn/maven.config
    fs.mkdirSync(path.join(dir, '.mvn'));
    fs.writeFileSync(path.join(dir, '.mvn', 'maven.config'), [
      '--batch-mode',
      `-Daws-cdk-lib.version=${AWS_CDK_LIB}`,
      `-Dconstructs.version=${CONSTRUCTS}`,
      `-Dcdk-opensearch-packages.version=${LIBRARY_VERSION}`,
      `-Dcdk-opensearch-packages.repository=file://${LIBRARY.mavenRepository}`,
      `-Dmaven.repo.local=${localRepository}`,
    ].join('\n') + '\n');
    const env = toolEnv();
    run('Java', 'mvn compile', 'mvn', ['-q', 'compile'], { cwd: dir, env });
    const jar = `cdk-opensearch-packages-${LIBRARY_VERSION}.jar`;
    const relative = path.join('cdk-opensearch-packages', LIBRARY_VERSION, jar);
    return {
      ...readAssembly(cdkSynth('Java', dir, env)),
      resolvedJar: path.join(libraryInLocal, relative),
      builtJar: path.join(LIBRARY.mavenRepository, 'io', 'github', 'cdk-opensearch-packages', relative),
    };
  });
}

interface GoRun extends Synthesised { readonly modules: Record<string, { Version?: string; Replace?: { Path: string } }> }

/**
 * go.mod's replace pointed at jsii-pacmak's module (dist/go), or dropped to
 * fetch the library's version from its repository; aws-cdk-go at the pinned
 * version; go mod tidy, go build, go run.
 */
function goApp(): GoRun {
  return measured('Go', () => {
    const dir = copyApp('go', path.join(work, 'go'));
    const env = toolEnv();
    if (!LIBRARY.goReplace) {
      // Go never fetches a version again once its module cache has it (an
      // earlier rehearsal published another build under the same version),
      // nor a tag its clone of the repository already has: drop the library's
      // module (read-only files) and that clone (cache/vcs/<hash>, whose
      // <hash>.info names the repository) from the cache first. (Nor does it
      // index a cached version's files again: the rehearsal runs Go without
      // its module index, GODEBUG=goindex=0.)
      const cache = run('Go', 'go env GOMODCACHE', 'go', ['env', 'GOMODCACHE'], { cwd: dir, env }).trim();
      const vcs = path.join(cache, 'cache', 'vcs');
      const clones = (fs.existsSync(vcs) ? fs.readdirSync(vcs) : [])
        .filter((file) => file.endsWith('.info') && fs.readFileSync(path.join(vcs, file), 'utf8').includes('github.com/cdk-opensearch-packages/'))
        .flatMap((file) => [path.join(vcs, file.slice(0, -'.info'.length)), path.join(vcs, file)]);
      for (const cached of [path.join(cache, 'github.com', 'cdk-opensearch-packages'), path.join(cache, 'cache', 'download', 'github.com', 'cdk-opensearch-packages'), ...clones]) {
        if (fs.existsSync(cached)) run('Go', 'drop the cached module', 'chmod', ['-R', 'u+w', cached]);
        fs.rmSync(cached, { recursive: true, force: true });
      }
    }
    run('Go', 'go mod edit', 'go', [
      'mod', 'edit',
      LIBRARY.goReplace ? `-replace=${GO_MODULE}=${LIBRARY.goReplace}` : `-dropreplace=${GO_MODULE}`,
      `-require=${GO_MODULE}@v${LIBRARY_VERSION}`,
      `-require=github.com/aws/aws-cdk-go/awscdk/v2@v${AWS_CDK_LIB}`,
      `-require=github.com/aws/constructs-go/constructs/v10@v${CONSTRUCTS}`,
    ], { cwd: dir, env });
    run('Go', 'go mod tidy', 'go', ['mod', 'tidy'], { cwd: dir, env });
    run('Go', 'go build', 'go', ['build', '-o', path.join(work, 'go-app'), '.'], { cwd: dir, env });
    const listed = run('Go', 'go list -m', 'go', ['list', '-m', '-json', GO_MODULE, 'github.com/aws/aws-cdk-go/awscdk/v2'], { cwd: dir, env });
    const modules = Object.fromEntries(listed.split(/\n(?=\{)/).map((chunk) => JSON.parse(chunk)).map((m: any) => [m.Path, m]));
    return { ...readAssembly(cdkSynth('Go', dir, env)), modules };
  });
}

// ---- the tests --------------------------------------------------------------

test('every app packages a byte-identical dictionary', () => {
  const reference = fs.readFileSync(path.join(APPS, 'typescript', DICTIONARY));
  for (const language of ['python', 'java', 'go']) {
    expect({ language, same: fs.readFileSync(path.join(APPS, language, DICTIONARY)).equals(reference) }).toEqual({ language, same: true });
  }
});

let typescript: TypeScriptRun;

describe('TypeScript, the reference', () => {
  beforeAll(() => {
    typescript = typescriptApp();
  }, 600_000);

  test(`installs the library from ${LIBRARY.name}: this build's tarball`, () => {
    const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(LIBRARY.npmTarball)).digest('base64')}`;
    expect(typescript.installed).toEqual({ version: LIBRARY_VERSION, integrity });
  });

  test('synthesises the stack with the output and the dictionary asset', () => {
    expect(jsiiRuntime(typescript.template)).toMatch(/^node\.js\//);
    expect(typescript.template.Outputs?.SynonymsPath?.Value).toBeDefined();
    const dictionary = fs.readFileSync(path.join(APPS, 'typescript', DICTIONARY)).toString('base64');
    const staged = libraryAssets(typescript).map((hash) => Object.values(contents(stagedAsset(typescript, hash))));
    expect(staged).toContainEqual([dictionary]);
  });
});

/**
 * The hashes of the file assets the constructs staged, sorted: all but the
 * stack's template, whose hash differs with the jsii runtime CDKMetadata names.
 */
function libraryAssets(synth: Synthesised): string[] {
  return Object.entries<any>(synth.assets.files ?? {})
    .filter(([, asset]) => !String(asset.source?.path).endsWith('.template.json'))
    .map(([hash]) => hash)
    .sort();
}

/** What every language must show against the TypeScript app. */
function sameAsTypeScript(language: string, runtime: RegExp, synth: () => Synthesised): void {
  test(`was synthesised by ${language}'s jsii runtime`, () => {
    expect(jsiiRuntime(synth().template)).toMatch(runtime);
  });

  test('synthesises the template of the TypeScript app, resource for resource and property for property', () => {
    expect(typescript).toBeDefined();
    const { template } = synth();
    expect(Object.keys(template.Resources).sort()).toEqual(Object.keys(typescript.template.Resources).sort());
    expect(comparable(template)).toEqual(comparable(typescript.template));
  });

  test('stages the same assets, byte for byte (the handler from the installed library, the dictionary from the app)', () => {
    expect(typescript).toBeDefined();
    const mine = synth();
    expect(libraryAssets(mine)).toEqual(libraryAssets(typescript));
    for (const hash of libraryAssets(typescript)) {
      expect({ hash, manifest: mine.assets.files[hash], contents: contents(stagedAsset(mine, hash)) })
        .toEqual({ hash, manifest: typescript.assets.files[hash], contents: contents(stagedAsset(typescript, hash)) });
    }
  });
}

describe('Python', () => {
  let python: PythonRun;
  beforeAll(() => {
    python = pythonApp();
  }, 1_200_000);

  test(`installs the library from ${LIBRARY.name} and the pinned aws-cdk-lib`, () => {
    expect(python.installed).toEqual({ library: LIBRARY_VERSION, url: expect.any(String), awsCdkLib: AWS_CDK_LIB });
    expect(python.installed.url.slice(0, LIBRARY.pythonOrigin.length)).toBe(LIBRARY.pythonOrigin);
  });

  sameAsTypeScript('Python', /^Python\//, () => python);

  test('type-checks the README examples as rosetta translated them (mypy)', () => {
    expect(compilePythonExamples(path.dirname(python.outdir))).toBeGreaterThan(0);
  });
});

describe('Java', () => {
  let java: JavaRun;
  beforeAll(() => {
    java = javaApp();
  }, 1_200_000);

  test(`resolves the jar from ${LIBRARY.name}`, () => {
    expect(fs.readFileSync(java.resolvedJar).equals(fs.readFileSync(java.builtJar))).toBe(true);
  });

  sameAsTypeScript('Java', /^Java\//, () => java);

  test('compiles the README examples as rosetta translated them (javac)', () => {
    expect(compileJavaExamples(path.dirname(java.outdir))).toBeGreaterThan(0);
  });
});

describe('Go', () => {
  let go: GoRun;
  beforeAll(() => {
    go = goApp();
  }, 1_800_000);

  test(`builds against the library from ${LIBRARY.name} and the pinned aws-cdk-go`, () => {
    expect(go.modules[GO_MODULE]?.Version).toBe(`v${LIBRARY_VERSION}`);
    expect(go.modules[GO_MODULE]?.Replace?.Path).toBe(LIBRARY.goReplace);
    expect(go.modules['github.com/aws/aws-cdk-go/awscdk/v2']?.Version).toBe(`v${AWS_CDK_LIB}`);
  });

  sameAsTypeScript('Go', /^go\d/, () => go);

  test('compiles the README examples as rosetta translated them (go vet, go build)', () => {
    expect(compileGoExamples(path.dirname(go.outdir))).toBeGreaterThan(0);
  });
});
