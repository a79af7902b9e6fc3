/**
 * The one time scale of the deployment benchmarks (1 and 4): every service
 * duration, every waiter interval and every replayed sleep is multiplied by
 * it, and every result is divided by it again, so that tables show unscaled
 * seconds. 0.05 turns 1 s into 50 ms (the library's 7 s interval into 350 ms).
 * Each poll costs the harness or a replay about 4-6 ms of wall-clock time on
 * top of its interval whatever the scale, so a smaller scale weighs it more:
 * at 0.02 that is 0.2-0.3 s unscaled per List call, at 0.05 about 0.1 s (of
 * the order of a real Lambda invocation plus an API call), and 0.05 keeps
 * `npm run bench` within its 5 minutes. `BENCH_TIME_SCALE` overrides it.
 */
export const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 0.05);
if (!(TIME_SCALE > 0 && TIME_SCALE <= 1)) throw new Error(`BENCH_TIME_SCALE must be in (0, 1], got ${process.env.BENCH_TIME_SCALE}`);

/** Scaled milliseconds for unscaled seconds. */
export function scaledMs(seconds: number): number {
  return seconds * 1000 * TIME_SCALE;
}

/** Unscaled seconds for scaled (wall-clock) milliseconds. */
export function unscaledSeconds(ms: number): number {
  return ms / 1000 / TIME_SCALE;
}

/** Resolves after the given unscaled seconds, scaled. */
export function sleepScaled(seconds: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, scaledMs(seconds)));
}
