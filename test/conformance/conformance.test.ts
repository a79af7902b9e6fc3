import * as fc from 'fast-check';
import { play, scenario } from './sequences';

/**
 * The bounded run of the lifecycle conformance suite that `npm test` makes:
 * a fixed seed (CONFORMANCE_SEED draws others), so that CI plays the same
 * scenarios every time; `npm run conformance -- --runs N` plays more, from
 * random seeds. On failure fast-check prints the seed and path that replay
 * it (`--seed S --path P`).
 */
const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 32);
const SEED = Number(process.env.CONFORMANCE_SEED ?? 16);

test(`random scenarios keep the lifecycle invariants (${RUNS} scenarios, seed ${SEED})`, async () => {
  let steps = 0;
  const started = Date.now();
  await fc.assert(fc.asyncProperty(scenario(6, 14), async played => {
    steps += (await play(played)).steps.length;
  }), { numRuns: RUNS, seed: SEED, verbose: 1, endOnFailure: process.env.CONFORMANCE_SHRINK !== 'true' });
  console.log(`conformance: ${RUNS} scenarios, ${steps} steps, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}, 30 * 60_000);
