import { LagSample } from './lag-sample';
import { FIXED_10S, idealOutcome, LIBRARY_DESIGN, PollPolicy, scheduledListOffset, TERRAFORM } from './poll-policies';

/** One association duration, waited for by each policy. */
export interface CompletionLagRow {
  readonly durationSeconds: number;
  readonly library: LagSample;
  readonly terraform: LagSample;
  readonly fixed: LagSample;
}

export type PolicyKey = 'library' | 'terraform' | 'fixed';
export const POLICIES: ReadonlyArray<readonly [PolicyKey, PollPolicy]> = [['library', LIBRARY_DESIGN], ['terraform', TERRAFORM], ['fixed', FIXED_10S]];

export const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** One policy over every duration of a round: mean lag and summed List calls, measured and from the schedule alone. */
export interface Totals {
  readonly lag: number;
  readonly fromAssociate: number;
  readonly all: number;
  readonly idealLag: number;
  readonly idealFromAssociate: number;
  readonly idealAll: number;
}

/** The policy's totals for one round. */
export function roundTotals(rows: readonly CompletionLagRow[], key: PolicyKey, policy: PollPolicy): Totals {
  const ideal = rows.map(row => idealOutcome(policy, row.durationSeconds));
  return {
    lag: mean(rows.map(row => row[key].lagSeconds)),
    fromAssociate: sum(rows.map(row => row[key].listsFromAssociate)),
    all: sum(rows.map(row => row[key].listsTotal)),
    idealLag: mean(ideal.map(outcome => outcome.lagSeconds)),
    idealFromAssociate: sum(ideal.map(outcome => outcome.listsFromAssociate)),
    idealAll: sum(ideal.map(outcome => outcome.listsTotal)),
  };
}

/** The mean of the rounds' totals (the schedule-only figures are the same in every round). */
export function meanTotals(rounds: readonly Totals[]): Totals {
  const field = (name: keyof Totals) => mean(rounds.map(t => t[name]));
  return {
    lag: field('lag'), fromAssociate: field('fromAssociate'), all: field('all'),
    idealLag: field('idealLag'), idealFromAssociate: field('idealFromAssociate'), idealAll: field('idealAll'),
  };
}

/**
 * The harness's and the replays' own overheads, from the call log: how much
 * later than its schedule the List call that saw ACTIVE arrived, divided by
 * the List calls made until then (what each sleep + invocation + request adds
 * to its interval), and the time from that call to success (the response's
 * way back; for Terraform, its Read too). Means over every sample.
 */
export function overheads(
  samples: ReadonlyArray<{ durationSeconds: number; sample: LagSample }>, policy: PollPolicy,
): { driftPerCall: number; finish: number } {
  const perSample = samples.map(({ durationSeconds, sample }) => {
    const polls = sample.listsFromAssociate - policy.listsAfterActive;
    const seen = sample.listOffsetsSeconds[polls - 1];
    return { drift: (seen - scheduledListOffset(policy, polls)) / polls, finish: durationSeconds + sample.lagSeconds - seen };
  });
  return { driftPerCall: mean(perSample.map(s => s.drift)), finish: mean(perSample.map(s => s.finish)) };
}

/** Terraform's Read: the List calls of its totals that come after its wait. */
export const TERRAFORM_READS_PER_ASSOCIATION = TERRAFORM.listsAfterActive;
