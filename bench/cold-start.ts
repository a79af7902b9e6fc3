import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { median, printTable, ratio } from './table';

/**
 * Cold start: the handler bundle's size and the time a fresh Node process
 * takes to load it, beside the AwsCustomResource handler aws-cdk-lib ships,
 * measured alternately in the same run.
 */
const HANDLERS = {
  'this library': path.join(__dirname, '..', 'assets', 'package-association-handler', 'index.js'),
  // Not in aws-cdk-lib's "exports": found beside its package.json.
  'AwsCustomResource': path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')),
    'custom-resource-handlers', 'dist', 'custom-resources', 'aws-custom-resource-handler', 'index.js'),
};
const RUNS = 21;

/**
 * What a first event costs before any network call: loading the handler and
 * creating an OpenSearch client. This library's onEvent creates its bundled
 * client (then rejects the test event); AwsCustomResource requires the
 * runtime's SDK client package on its first call.
 */
const FIRST_CLIENT: Record<keyof typeof HANDLERS, string> = {
  'this library': 'h.onEvent({ ResourceType: "Custom::Bench" }).catch(() => undefined);',
  'AwsCustomResource': 'const { OpenSearchClient } = require("@aws-sdk/client-opensearch"); new OpenSearchClient({});',
};

/** Milliseconds to load the handler, and to load it and create a client, in a fresh process. */
function coldStart(name: keyof typeof HANDLERS): [number, number] {
  const script = `const t = process.hrtime.bigint(); const h = require(${JSON.stringify(HANDLERS[name])});
    const loaded = process.hrtime.bigint(); ${FIRST_CLIENT[name]}
    console.log(Number(loaded - t) / 1e6, Number(process.hrtime.bigint() - t) / 1e6);`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: path.join(__dirname, '..'), env: { ...process.env, AWS_REGION: 'eu-west-1' }, stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [load, withClient] = out.toString().trim().split(' ').map(Number);
  return [load, withClient];
}

export function benchColdStart(): void {
  const names = Object.keys(HANDLERS) as Array<keyof typeof HANDLERS>;
  const samples = new Map(names.map(name => [name, [] as Array<[number, number]>]));
  for (let run = 0; run < RUNS; run++) {
    for (const name of names) samples.get(name)!.push(coldStart(name));
  }
  const [ours, theirs] = names.map(name => {
    const code = fs.readFileSync(HANDLERS[name]);
    const runs = samples.get(name)!;
    return { bytes: code.length, gzipped: zlib.gzipSync(code).length, load: median(runs.map(r => r[0])), client: median(runs.map(r => r[1])) };
  });
  printTable(`2. Cold start: handler bundle, module load and first client in a fresh Node process (median of ${RUNS}, alternating)`,
    ['handler', 'bytes', 'gzipped', 'load ms', 'load + client ms'],
    [
      [names[0], ours.bytes, ours.gzipped, ours.load.toFixed(1), ours.client.toFixed(1)],
      [names[1], theirs.bytes, theirs.gzipped, theirs.load.toFixed(1), theirs.client.toFixed(1)],
      ['ratio (ours / theirs)', ratio(ours.bytes, theirs.bytes), ratio(ours.gzipped, theirs.gzipped), ratio(ours.load, theirs.load), ratio(ours.client, theirs.client)],
    ]);
  console.log('   AwsCustomResource loads the SDK from the Lambda runtime on its first call; this library bundles the client it was tested with.');
}
