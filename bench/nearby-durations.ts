import { PollPolicy } from './poll-policies';

/*
 * What a schedule predicts for associations of about each D rather than
 * exactly D. Seven durations are few: a poll period that happens to fall just
 * after one of them (Terraform's 10 s checks fall 0.4 s before D = 73 and
 * 313, then just after them once each call's overhead has drifted them) moves
 * a policy's mean lag by a second or more. Averaging over durations spread
 * around each D shows what a policy does in general.
 */

/** Durations from D / e^0.25 to D x e^0.25 (about -22 % to +28 %), evenly spaced in log. */
const SPREAD = 0.25;
const STEPS = 41;

/** A policy's mean lag and its List calls summed over the set, averaged over the spread. */
export interface Expectation {
  readonly lagSeconds: number;
  readonly lists: number;
}

/** When each List call after AssociatePackage arrives, up to `horizon`, with `drift` added by every call. */
function listOffsets(policy: PollPolicy, horizon: number, drift: number): number[] {
  const waits = policy.waits();
  let at = policy.delaySeconds + drift;
  const offsets = [at];
  while (at < horizon) {
    at += (waits.next().value as number) + drift;
    offsets.push(at);
  }
  return offsets;
}

/** The policy over durations spread around each D, each List call drifting by `drift` seconds. */
export function expectNear(policy: PollPolicy, durations: readonly number[], drift: number): Expectation {
  const offsets = listOffsets(policy, Math.max(...durations) * Math.exp(SPREAD) + 60, drift);
  let lag = 0;
  let lists = 0;
  for (const nominal of durations) {
    for (let step = 0; step < STEPS; step++) {
      const duration = nominal * Math.exp(SPREAD * (2 * step / (STEPS - 1) - 1));
      const seen = offsets.findIndex(at => at >= duration);
      lag += offsets[seen] - duration;
      lists += seen + 1 + policy.listsAfterActive + policy.listsBeforeAssociate;
    }
  }
  return { lagSeconds: lag / (durations.length * STEPS), lists: lists / STEPS };
}

/**
 * A waiter the Provider framework's state machine can express, after onEvent's
 * AssociatePackage: a Wait state, then isComplete retried after IntervalSeconds
 * x BackoffRate^n, capped at MaxDelaySeconds (whole seconds, as Step Functions
 * takes them).
 */
function waiterPolicy(wait: number, interval: number, backoff: number, cap: number): PollPolicy {
  return {
    name: backoff === 1 ? `wait ${wait} s, then every ${interval} s` : `wait ${wait} s, then ${interval} s x${backoff} up to ${cap} s`,
    delaySeconds: wait,
    *waits() {
      for (let gap = interval; ; gap = Math.min(cap, gap * backoff)) yield gap;
    },
    listsAfterActive: 0,
    listsBeforeAssociate: 1,
  };
}

/**
 * The waiter with the lowest expected lag whose expected List calls stay
 * within `maxLists`: waits of 1-10 s, intervals of 1-10 s, backoff 1, 1.5, 2
 * or 3 up to 12 s.
 */
export function bestWaiter(durations: readonly number[], drift: number, maxLists: number): { policy: PollPolicy; expectation: Expectation } | undefined {
  let best: { policy: PollPolicy; expectation: Expectation } | undefined;
  for (let wait = 1; wait <= 10; wait++) {
    for (let interval = 1; interval <= 10; interval++) {
      for (const backoff of [1, 1.5, 2, 3]) {
        for (let cap = backoff === 1 ? interval : interval + 1; cap <= (backoff === 1 ? interval : 12); cap++) {
          const policy = waiterPolicy(wait, interval, backoff, cap);
          const expectation = expectNear(policy, durations, drift);
          if (expectation.lists <= maxLists && (!best || expectation.lagSeconds < best.expectation.lagSeconds)) best = { policy, expectation };
        }
      }
    }
  }
  return best;
}
