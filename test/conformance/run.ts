/**
 * `npm run conformance -- --runs N [--seed S] [--path P] [--shrink]`: more
 * random sequences than `npm test` plays, or one replayed from the seed and
 * path fast-check printed on a failure.
 */
import * as fc from 'fast-check';
import { action, play } from './sequences';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const runs = Number(option('runs') ?? 100);
  const seed = option('seed') === undefined ? Date.now() ^ (Math.random() * 0x100000000) : Number(option('seed'));
  const path = option('path');
  const started = Date.now();
  let sequences = 0;
  let steps = 0;
  console.log(`conformance: ${runs} sequences, seed ${seed}${path ? `, path ${path}` : ''}`);
  const result = await fc.check(fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 7 }), async actions => {
    const log = await play(actions);
    sequences += 1;
    steps += log.length;
    if (process.argv.includes('--verbose')) console.log(log.map(line => `  ${line}`).join('\n'));
    if (sequences % 10 === 0) console.log(`conformance: ${sequences} sequences, ${steps} steps, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }), { numRuns: runs, seed, path, endOnFailure: !process.argv.includes('--shrink') });
  const elapsed = ((Date.now() - started) / 1000).toFixed(0);
  if (result.failed) {
    console.log(fc.defaultReportMessage(result));
    console.log(String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance));
    console.log(`conformance: FAILED after ${sequences} passing sequences (${steps} steps) in ${elapsed} s; replay with --seed ${result.seed} --path ${result.counterexamplePath}`);
    process.exitCode = 1;
    return;
  }
  console.log(`conformance: ${sequences} sequences, ${steps} steps (deploys and deletions), every invariant held, in ${elapsed} s`);
}

void main();
