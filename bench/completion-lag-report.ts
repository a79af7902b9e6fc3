import { CompletionLagRow, mean, meanTotals, overheads, POLICIES, roundTotals, TERRAFORM_READS_PER_ASSOCIATION, Totals } from './completion-lag-stats';
import { bestWaiter, expectNear } from './nearby-durations';
import { idealOutcome, LIBRARY_DESIGN } from './poll-policies';
import { printTable, ratio } from './table';
import { TIME_SCALE } from './time-scale';

export type { CompletionLagRow } from './completion-lag-stats';

/** The lead's targets, library / Terraform. */
const TARGETS = { lag: 0.4, lists: 1.25 };

const number = (value: number, digits: number) => (Number.isInteger(value) ? String(value) : value.toFixed(digits));
const cell = (measured: number, ideal: number, digits: number) => `${number(measured, digits)} (${number(ideal, digits)})`;
const verdict = (value: number, target: number) => (value <= target ? 'met' : 'MISSED');

/** Per duration: each policy's lag and List calls, the mean of the rounds, with the schedule-only figure in brackets. */
function printPerDuration(rounds: CompletionLagRow[][], pooled: Totals[]): void {
  const rows: Array<Array<string | number>> = rounds[0].map((first, index) => {
    const same = rounds.map(round => round[index]);
    const avg = (pick: (row: CompletionLagRow) => number) => mean(same.map(pick));
    return [
      first.durationSeconds,
      ...POLICIES.map(([key, policy]) => cell(avg(row => row[key].lagSeconds), idealOutcome(policy, first.durationSeconds).lagSeconds, 2)),
      ...POLICIES.map(([key, policy]) => cell(avg(row => row[key].listsFromAssociate), idealOutcome(policy, first.durationSeconds).listsFromAssociate, 1)),
      cell(avg(row => row.library.listsTotal), idealOutcome(LIBRARY_DESIGN, first.durationSeconds).listsTotal, 1),
    ];
  });
  rows.push(
    ['mean', ...pooled.map(t => cell(t.lag, t.idealLag, 2)), '', '', '', ''],
    ['sum', '', '', '', ...pooled.map(t => cell(t.fromAssociate, t.idealFromAssociate, 1)), cell(pooled[0].all, pooled[0].idealAll, 1)],
  );
  printTable(`1. Completion lag after ACTIVE and ListPackagesForDomain calls per association duration D (unscaled s, time scale ${TIME_SCALE};`
    + ` measured, mean of ${rounds.length} rounds; schedule-only figure in brackets)`,
  ['D s', 'library lag s', 'Terraform lag s', 'fixed 10 s lag s', 'library Lists', 'Terraform Lists', 'fixed 10 s Lists', 'library Lists, all'],
  rows);
  console.log('   Lag: from ACTIVE (the AssociatePackage call\'s arrival + D) to success (library: the end of the association\'s Create in the');
  console.log('   harness\'s timings; replays: the return of their last List call). Lists: from the AssociatePackage call on; "all" adds the');
  console.log('   library\'s List before it (onEvent\'s baseline). Terraform\'s include the Read after its wait (1 per D).');
}

/** library / Terraform and library / fixed 10 s, pooled and per round, with the targets. */
function printRatios(perRound: Totals[][], pooled: Totals[], durations: number): void {
  const [lib, tf, fixed] = pooled;
  const measures: Array<[string, (t: Totals) => number, (t: Totals) => number, number]> = [
    ['mean lag', t => t.lag, t => t.idealLag, TARGETS.lag],
    ['Lists from AssociatePackage', t => t.fromAssociate, t => t.idealFromAssociate, TARGETS.lists],
    ['Lists, all', t => t.all, t => t.idealAll, TARGETS.lists],
  ];
  printTable('   Ratios',
    ['', 'library / Terraform', 'per round', 'schedule only', 'target', 'measured', 'library / fixed 10 s', 'schedule only'],
    measures.map(([name, measured, ideal, target]) => [
      name,
      ratio(measured(lib), measured(tf)),
      perRound.map(([l, t]) => ratio(measured(l), measured(t))).join(', '),
      ratio(ideal(lib), ideal(tf)),
      `<= ${target}x`,
      verdict(measured(lib) / measured(tf), target),
      ratio(measured(lib), measured(fixed)),
      ratio(ideal(lib), ideal(fixed)),
    ]));
  const withoutRead = tf.fromAssociate - TERRAFORM_READS_PER_ASSOCIATION * durations;
  console.log(`   Without Terraform's Read (${number(withoutRead, 1)} Lists per round), library / Terraform would be ${ratio(lib.fromAssociate, withoutRead)}`
    + ` from AssociatePackage and ${ratio(lib.all, withoutRead)} for all Lists.`);
}

type Overheads = ReturnType<typeof overheads>;

/** The overheads included in every measured figure above, per policy. */
function measureOverheads(rounds: CompletionLagRow[][]): Overheads[] {
  return POLICIES.map(([key, policy]) => overheads(rounds.flat().map(row => ({ durationSeconds: row.durationSeconds, sample: row[key] })), policy));
}

function printOverheads(measured: Overheads[], warmUpSeconds: number): void {
  const ms = (seconds: number) => (seconds * 1000 * TIME_SCALE).toFixed(2);
  const rows = POLICIES.map(([, policy], i) => {
    const { driftPerCall, finish } = measured[i];
    return [policy.name, driftPerCall.toFixed(3), ms(driftPerCall), finish.toFixed(3), ms(finish)];
  });
  printTable('   Overheads of the harness and the replays, included above (nothing is subtracted or corrected)',
    ['policy', 'drift per List call s', 'scaled ms', 'List that saw ACTIVE -> success s', 'scaled ms'], rows);
  console.log('   Drift: how much later than its schedule the List call that saw ACTIVE arrived, per List call made until then (each sleep,');
  console.log('   invocation and request adds that to its interval). It shifts which call first sees ACTIVE, so it moves lags and counts.');
  console.log(`   A discarded warm-up run (D=${warmUpSeconds} s) comes first; then the durations one after another, the three policies of a`);
  console.log('   duration side by side, each against its own fresh simulator.');
}

/** Each policy's schedule, with its measured drift, over durations spread around each D; and the best waiter within the List target. */
function printNearbyDurations(durations: number[], measured: Overheads[]): void {
  const index = (name: string) => POLICIES.findIndex(([key]) => key === name);
  const expected = POLICIES.map(([, policy], i) => expectNear(policy, durations, measured[i].driftPerCall));
  const terraform = expected[index('terraform')];
  const best = bestWaiter(durations, measured[index('library')].driftPerCall, TARGETS.lists * terraform.lists);
  const rows = [
    ...POLICIES.map(([, policy], i) => [policy.name, expected[i]] as const),
    ...(best ? [[`best waiter: ${best.policy.name}`, best.expectation] as const] : []),
  ].map(([name, e]) => {
    const lag = e.lagSeconds / terraform.lagSeconds;
    const lists = e.lists / terraform.lists;
    return [name, e.lagSeconds.toFixed(2), e.lists.toFixed(1), ratio(e.lagSeconds, terraform.lagSeconds), ratio(e.lists, terraform.lists),
      `${verdict(lag, TARGETS.lag)} / ${verdict(lists, TARGETS.lists)}`];
  });
  printTable('   Expected for associations of about each D (durations from -22 % to +28 % of each D; each schedule with its drift above)',
    ['policy', 'mean lag s', 'Lists, all (sum)', 'lag / Terraform', 'Lists / Terraform', `<= ${TARGETS.lag}x / <= ${TARGETS.lists}x`], rows);
  console.log('   Seven durations are few: a check that happens to fall just after one of them moves a mean by a second or more, and the');
  console.log('   drift above moves the checks of long associations by several seconds, so the measured lag ratio moves by a few hundredths');
  console.log('   from run to run and by up to a tenth from round to round (see "per round"); these expected figures move far less.');
  console.log(`   "best waiter": the lowest expected lag of any Wait (1-10 s) then retry (1-10 s, backoff 1-3 up to 12 s) schedule within ${TARGETS.lists}x`);
  console.log('   Terraform\'s Lists, the library\'s drift: the targets sit at what a waiter schedule can reach.');
}

export function printCompletionLag(rounds: CompletionLagRow[][], warmUpSeconds: number): void {
  const perRound = rounds.map(rows => POLICIES.map(([key, policy]) => roundTotals(rows, key, policy)));
  const pooled = POLICIES.map((_, i) => meanTotals(perRound.map(round => round[i])));
  const measured = measureOverheads(rounds);
  printPerDuration(rounds, pooled);
  printRatios(perRound, pooled, rounds[0].length);
  printOverheads(measured, warmUpSeconds);
  printNearbyDurations(rounds[0].map(row => row.durationSeconds), measured);
}
