// The README's examples as jsii-rosetta translated them for Python, Java and
// Go, compiled: what Construct Hub shows (jsii-docgen's rendering, which
// scripts/docgen-languages.sh keeps in dist/docgen), what PyPI shows (the
// wheel's README) and what pkg.go.dev shows (the Go module's README). Each
// example is placed in its fixture's counterpart in that language
// (rosetta/<fixture>.{py,java,go}-fixture, beside rosetta/<fixture>.ts-fixture)
// and compiled with the language's own tools, in the environment of that
// language's app in languages.test.ts: mypy in the Python app's virtual
// environment, javac through Maven with the Java app's pom (the built jar,
// aws-cdk-lib from Maven Central), go vet and go build with the Go app's
// go.mod (the generated module, aws-cdk-go).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DIST, ROOT, run, toolEnv } from './harness';

/** The mypy that type-checks the Python examples (installed from PyPI into the app's virtual environment). */
const MYPY = 'mypy==2.4.1';

/** Where scripts/docgen-languages.sh writes the docs it renders (API.<language>.md). */
const DOCGEN_OUT = path.join(DIST, 'docgen');

const FIXTURES = path.join(ROOT, 'rosetta');

type ExampleLanguage = 'python' | 'java' | 'go';

/** A TypeScript example of the README: its fixture (`fixture=NAME`, `nofixture`, or the default) and its line. */
interface SourceExample {
  readonly fixture: string;
  readonly line: number;
}

/** One translation of an example to compile, and where it was published. */
interface TranslatedExample {
  /** A name for its files: example01, or example01b when renderings differ. */
  readonly name: string;
  readonly fixture: string;
  /** The README line of the TypeScript example. */
  readonly line: number;
  readonly code: string;
  readonly renderings: string[];
}

/** The fenced code blocks of a markdown text: info string (`ts fixture=x`) and code. */
function codeBlocks(markdown: string): Array<{ info: string; code: string; line: number }> {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```/gm)].map((m) => ({
    info: m[1].trim(),
    code: m[2],
    line: markdown.slice(0, m.index).split('\n').length,
  }));
}

/** The README's TypeScript examples, in order, as rosetta reads them. */
function sourceExamples(): SourceExample[] {
  return codeBlocks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'))
    .filter((block) => /^(ts|typescript)(\s|$)/.test(block.info))
    .map((block) => {
      const params = block.info.split(/\s+/).slice(1);
      const fixture = params.includes('nofixture') ? 'nofixture' : params.find((p) => p.startsWith('fixture='))?.slice('fixture='.length) ?? 'default';
      return { fixture, line: block.line };
    });
}

/** The README part of a docgen rendering (the API reference follows it). */
function readmePart(markdown: string): string {
  const end = markdown.indexOf('# API Reference');
  return end >= 0 ? markdown.slice(0, end) : markdown;
}

/** The wheel's README: the long description in its METADATA. */
function wheelReadme(): string {
  const wheels = fs.readdirSync(path.join(DIST, 'python')).filter((file) => file.endsWith('.whl'));
  if (wheels.length !== 1) throw new Error(`expected one wheel in dist/python, found ${wheels.length}: run \`npm run package:all\` first`);
  const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode())';
  const metadata = run('Python', 'README examples: read the wheel', 'python3', ['-c', script, path.join(DIST, 'python', wheels[0])]);
  return metadata.slice(metadata.indexOf('\n\n') + 2);
}

/** Each published rendering of the README in a language: name and markdown. */
function renderings(language: ExampleLanguage): Array<{ name: string; markdown: string }> {
  const docgen = path.join(DOCGEN_OUT, `API.${language}.md`);
  if (!fs.existsSync(docgen)) throw new Error(`no ${docgen}: run scripts/docgen-languages.sh first (npm run test:languages does)`);
  const found = [{ name: `Construct Hub (jsii-docgen, dist/docgen/API.${language}.md)`, markdown: readmePart(fs.readFileSync(docgen, 'utf8')) }];
  if (language === 'python') found.push({ name: 'PyPI (the wheel\'s README)', markdown: wheelReadme() });
  if (language === 'go') found.push({ name: 'pkg.go.dev (dist/go/cdkopensearchpackages/README.md)', markdown: fs.readFileSync(path.join(DIST, 'go', 'cdkopensearchpackages', 'README.md'), 'utf8') });
  return found;
}

/**
 * The README's examples in a language, from every rendering, each distinct
 * translation once. Fails when a rendering has another number of examples than
 * the README.
 */
function translatedExamples(language: ExampleLanguage): TranslatedExample[] {
  const sources = sourceExamples();
  const fence = { python: 'python', java: 'java', go: 'go' }[language];
  const variants = sources.map(() => new Map<string, string[]>());
  for (const rendering of renderings(language)) {
    const blocks = codeBlocks(rendering.markdown).filter((block) => block.info === fence);
    if (blocks.length !== sources.length) {
      throw new Error(`${rendering.name} has ${blocks.length} ${fence} examples, the README ${sources.length} TypeScript ones`);
    }
    blocks.forEach((block, i) => variants[i].set(block.code, [...variants[i].get(block.code) ?? [], rendering.name]));
  }
  return sources.flatMap((source, i) => [...variants[i]].map(([code, where], v, all) => ({
    name: `example${String(i + 1).padStart(2, '0')}${all.length > 1 ? String.fromCharCode(97 + v) : ''}`,
    fixture: source.fixture,
    line: source.line,
    code,
    renderings: where,
  })));
}

/** The leading import lines of a translated example, and the rest. */
function splitImports(code: string, isImport: RegExp): { imports: string[]; body: string[] } {
  const lines = code.replace(/\n$/, '').split('\n');
  const firstCode = lines.findIndex((line) => line.trim() !== '' && !isImport.test(line));
  const head = firstCode < 0 ? lines : lines.slice(0, firstCode);
  return { imports: head.filter((line) => line.trim() !== ''), body: firstCode < 0 ? [] : lines.slice(firstCode) };
}

/**
 * The example inside its fixture in that language: its imports at the
 * fixture's `imports` marker, its code at the `here` marker, indented as the
 * marker is.
 */
function placeInFixture(example: TranslatedExample, language: ExampleLanguage): string {
  const extension = { python: 'py', java: 'java', go: 'go' }[language];
  const comment = language === 'python' ? '#' : '//';
  const file = path.join(FIXTURES, `${example.fixture}.${extension}-fixture`);
  if (!fs.existsSync(file)) throw new Error(`README line ${example.line}: no ${path.relative(ROOT, file)} for its fixture ${example.fixture}`);
  const isImport = { python: /^(import|from) /, java: /^import /, go: /^import / }[language];
  const { imports, body } = splitImports(example.code, isImport);
  const out: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n')) {
    const marker = line.trim();
    const indent = line.slice(0, line.length - line.trimStart().length);
    if (marker === `${comment} imports`) out.push(...imports);
    else if (marker === `${comment} here`) out.push(...body.map((code) => (code.trim() === '' ? '' : indent + code)));
    else out.push(line);
  }
  return out.join('\n') + '\n';
}

/** How a language's compile step names the file of an example. */
type FileOf = (example: TranslatedExample) => string;

/** What to print when an example does not compile: where each file comes from. */
function origins(examples: TranslatedExample[], fileOf: FileOf): string {
  return examples.map((e) => `  ${fileOf(e)}: README line ${e.line} (fixture ${e.fixture}), as published in ${e.renderings.join(' and ')}`).join('\n');
}

/** Runs a compile step in `cwd`; on failure, adds which README example each file holds. */
function compileStep(
  language: string, step: string, examples: TranslatedExample[], fileOf: FileOf,
  command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv,
): void {
  try {
    run(language, step, command, args, { cwd, env });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\nThe files are README examples as rosetta translated them:\n${origins(examples, fileOf)}`);
  }
}

/**
 * mypy's cache: its analysis of aws-cdk-lib takes minutes, and stays valid from
 * one virtual environment to the next (mypy compares file hashes when paths or
 * times differ). Under CDK_LANGUAGES_CACHE when that is set, as the other tools'.
 */
function mypyCacheDir(): string {
  const root = process.env.CDK_LANGUAGES_CACHE;
  return root ? path.join(root, 'mypy') : path.join(os.homedir(), '.cache', 'mypy', 'cdk-opensearch-packages-readme');
}

/** A new directory beside the app's, for an example's files. */
function exampleDir(appDir: string, language: ExampleLanguage): string {
  const dir = path.join(path.dirname(appDir), `readme-${language}`);
  fs.mkdirSync(dir);
  return dir;
}

/**
 * Python: each example in its fixture, a module of its own, type-checked by
 * mypy (strict) in the Python app's virtual environment (`.venv`), where the
 * wheel, aws-cdk-lib and constructs are installed. Returns how many.
 */
export function compilePythonExamples(appDir: string): number {
  const examples = translatedExamples('python');
  const dir = exampleDir(appDir, 'python');
  const venv = path.join(appDir, '.venv');
  const env = toolEnv({ VIRTUAL_ENV: venv, PATH: `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH}`, MYPY_CACHE_DIR: mypyCacheDir() });
  const fileOf: FileOf = (e) => `readme_${e.name}.py`;
  for (const example of examples) fs.writeFileSync(path.join(dir, fileOf(example)), placeInFixture(example, 'python'));
  run('Python', 'README examples: pip install mypy', 'python', ['-m', 'pip', 'install', '--quiet', MYPY], { cwd: dir, env });
  compileStep('Python', 'README examples: mypy', examples, fileOf, 'python', ['-m', 'mypy', '--strict', '--no-color-output', ...examples.map(fileOf)], dir, env);
  return examples.length;
}

/**
 * Java: each example in its fixture, a class of its own package, compiled by
 * javac through Maven with the Java app's pom and Maven settings (so against
 * the jar jsii-pacmak built and the pinned aws-cdk-lib from Maven Central).
 * Returns how many.
 */
export function compileJavaExamples(appDir: string): number {
  const examples = translatedExamples('java');
  const dir = exampleDir(appDir, 'java');
  fs.copyFileSync(path.join(appDir, 'pom.xml'), path.join(dir, 'pom.xml'));
  fs.cpSync(path.join(appDir, '.mvn'), path.join(dir, '.mvn'), { recursive: true });
  const fileOf: FileOf = (e) => path.join('src', 'main', 'java', 'readme', e.name, 'Fixture.java');
  for (const example of examples) {
    const file = path.join(dir, fileOf(example));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `package readme.${example.name};\n\n${placeInFixture(example, 'java')}`);
  }
  compileStep('Java', 'README examples: javac (mvn compile)', examples, fileOf, 'mvn', ['-q', 'compile'], dir, toolEnv());
  return examples.length;
}

/**
 * Go: each example in its fixture, a main package of its own, vetted and built
 * with the Go app's go.mod and go.sum (the module jsii-pacmak generated, and
 * the pinned aws-cdk-go). Returns how many.
 */
export function compileGoExamples(appDir: string): number {
  const examples = translatedExamples('go');
  const dir = exampleDir(appDir, 'go');
  const env = toolEnv();
  for (const file of ['go.mod', 'go.sum']) fs.copyFileSync(path.join(appDir, file), path.join(dir, file));
  const fileOf: FileOf = (e) => path.join(e.name, 'main.go');
  for (const example of examples) {
    fs.mkdirSync(path.join(dir, example.name));
    fs.writeFileSync(path.join(dir, fileOf(example)), placeInFixture(example, 'go'));
  }
  compileStep('Go', 'README examples: go vet', examples, fileOf, 'go', ['vet', './...'], dir, env);
  compileStep('Go', 'README examples: go build', examples, fileOf, 'go', ['build', './...'], dir, env);
  return examples.length;
}
