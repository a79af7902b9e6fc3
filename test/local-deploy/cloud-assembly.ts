import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { CfnTemplate, isCustomResourceType } from './cfn-template';

/** One stack of a cloud assembly. */
export interface StackArtifact {
  readonly artifactId: string;
  readonly stackName: string;
  /** The directory of the (possibly nested) assembly holding the template and its assets. */
  readonly directory: string;
  readonly templateFile: string;
  readonly template: CfnTemplate;
  /** The directory of each file asset of the assembly, by asset id (the hash in its S3 object key). */
  readonly assetDirectories: ReadonlyMap<string, string>;
}

/** A synthesised CDK app: manifest.json, templates and assets. */
export interface CloudAssembly {
  readonly directory: string;
  readonly stacks: StackArtifact[];
}

interface ManifestArtifact {
  readonly type: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly directoryName?: string };
}

/** Reads a cloud assembly directory (and the nested assemblies of its stages). */
export function readCloudAssembly(directory: string): CloudAssembly {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${directory} is not a cloud assembly: it has no manifest.json`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const stacks: StackArtifact[] = [];
  const assetDirectories = readAssetDirectories(directory);
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      const templateFile = path.join(directory, artifact.properties.templateFile);
      stacks.push({
        artifactId,
        stackName: artifact.properties.stackName ?? artifactId,
        directory,
        templateFile,
        template: JSON.parse(fs.readFileSync(templateFile, 'utf8')) as CfnTemplate,
        assetDirectories,
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...readCloudAssembly(path.join(directory, artifact.properties.directoryName)).stacks);
    }
  }
  return { directory, stacks };
}

/** Every file asset the assembly's asset manifests (`*.assets.json`) list, by asset id. */
function readAssetDirectories(directory: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of fs.readdirSync(directory).filter(name => name.endsWith('.assets.json'))) {
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8')) as { files?: Record<string, { source?: { path?: string } }> };
    for (const [id, asset] of Object.entries(manifest.files ?? {})) {
      if (asset.source?.path) found.set(id, path.resolve(directory, asset.source.path));
    }
  }
  return found;
}

/** The stack with that name (or artifact id); without a name, the only stack, or the only one with custom resources of the type. */
export function selectStack(assembly: CloudAssembly, nameOrType?: { stackName?: string; resourceType?: string }): StackArtifact {
  const { stackName, resourceType } = nameOrType ?? {};
  if (stackName) {
    const stack = assembly.stacks.find(s => s.stackName === stackName || s.artifactId === stackName);
    if (!stack) throw new Error(`No stack ${stackName} in ${assembly.directory}; it has ${assembly.stacks.map(s => s.stackName).join(', ')}`);
    return stack;
  }
  const candidates = resourceType ? assembly.stacks.filter(s => customResourcesOf(s.template, resourceType).length > 0) : assembly.stacks;
  if (candidates.length !== 1) {
    throw new Error(`Choose a stack: ${assembly.directory} has ${candidates.length} candidates (${candidates.map(s => s.stackName).join(', ')})`);
  }
  return candidates[0];
}

/** The logical ids of the template's custom resources of that type. */
export function customResourcesOf(template: CfnTemplate, resourceType: string): string[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, resource]) => resource.Type === resourceType && isCustomResourceType(resource.Type))
    .map(([logicalId]) => logicalId);
}

/** Options of {@link synthesizeApp}. */
export interface SynthOptions {
  /** Where to write the cloud assembly; default `cdk.out` in the app directory. */
  readonly outdir?: string;
  /** Context values, as `--context key=value`. */
  readonly context?: Record<string, string>;
  /**
   * Ask ts-node (the usual runner of TypeScript CDK apps) to transpile only,
   * which makes synthesis several times faster; type checking is `tsc`'s job.
   * Default false.
   */
  readonly transpileOnly?: boolean;
}

/** Runs `npx cdk synth -q` in an app directory (one with a cdk.json) and reads the cloud assembly it wrote. */
export async function synthesizeApp(appDirectory: string, options: SynthOptions = {}): Promise<CloudAssembly> {
  const outdir = path.resolve(appDirectory, options.outdir ?? 'cdk.out');
  const args = ['cdk', 'synth', '-q', '--output', outdir];
  for (const [key, value] of Object.entries(options.context ?? {})) args.push('--context', `${key}=${value}`);
  const env = { ...process.env };
  if (options.transpileOnly) {
    env.TS_NODE_TRANSPILE_ONLY = 'true';
    // TypeScript 6 insists on a rootDir when it transpiles files one by one.
    env.TS_NODE_COMPILER_OPTIONS ??= JSON.stringify({ rootDir: path.parse(path.resolve(appDirectory)).root });
  }
  try {
    await promisify(execFile)('npx', args, { cwd: appDirectory, env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`cdk synth failed in ${appDirectory}: ${(stderr ?? '').split('\n').filter(line => !/npm warn/i.test(line)).join('\n').trim() || message}`);
  }
  return readCloudAssembly(outdir);
}
