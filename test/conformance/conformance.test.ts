import * as fc from 'fast-check';
import { action, play } from './sequences';

/**
 * The bounded run of the lifecycle conformance suite that `npm test` makes;
 * `npm run conformance -- --runs N` makes more. On failure fast-check prints
 * the seed and path that replay it (`--seed S --path P`).
 */
const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 6);

test(`random sequences of stack versions keep the lifecycle invariants (${RUNS} sequences)`, async () => {
  await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 7 }), async actions => {
    await play(actions);
  }), { numRuns: RUNS, verbose: 1, endOnFailure: process.env.CONFORMANCE_SHRINK !== 'true' });
}, 30 * 60_000);
