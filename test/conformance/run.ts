/**
 * `npm run conformance -- --runs N [--seed S] [--path P] [--shrink] [--verbose] [--bounded]`:
 * more random scenarios than `npm test` plays (with the long run's storms of
 * throttling and slower timeouts), or one replayed from the seed and path
 * fast-check printed on a failure; `--bounded` draws as `npm test` does, to
 * replay its failures (`--seed 16 --path 0`, say).
 */
import * as fc from 'fast-check';
import { play, scenario } from './sequences';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const runs = Number(option('runs') ?? 100);
  const seed = option('seed') === undefined ? Date.now() ^ (Math.random() * 0x100000000) : Number(option('seed'));
  const path = option('path');
  const verbose = process.argv.includes('--verbose');
  const started = Date.now();
  let scenarios = 0;
  let steps = 0;
  console.log(`conformance: ${runs} scenarios, seed ${seed}${path ? `, path ${path}` : ''}`);
  const result = await fc.check(fc.asyncProperty(scenario(6, 14, { long: !process.argv.includes('--bounded') }), async played => {
    const { steps: lines } = await play(played, verbose ? line => console.log(`  ${line}`) : undefined);
    scenarios += 1;
    steps += lines.length;
    if (scenarios % 10 === 0) console.log(`conformance: ${scenarios} scenarios, ${steps} steps, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }), { numRuns: runs, seed, path, endOnFailure: !process.argv.includes('--shrink') });
  const elapsed = ((Date.now() - started) / 1000).toFixed(0);
  if (result.failed) {
    console.log(fc.defaultReportMessage(result));
    console.log(String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance));
    console.log(`conformance: FAILED after ${scenarios} passing scenarios (${steps} steps) in ${elapsed} s; replay with --seed ${result.seed} --path ${result.counterexamplePath}`);
    process.exitCode = 1;
    return;
  }
  console.log(`conformance: ${scenarios} scenarios, ${steps} steps (deploys and deletions), every invariant held, in ${elapsed} s`);
}

void main();
