/**
 * Runs `work` on a clock that runs `1 / scale` times as fast as real time:
 * `Date.now()` (which the handler, the simulator and the harness read) then
 * keeps pace with a waiter whose waits are scaled by `scale`, as both keep
 * pace in AWS. With a scaled waiter and a real-time clock, a handler's
 * deadline of an hour would come after the waiter's own hour of checks has
 * long run out; on this clock it comes when it would in AWS. Timers
 * (`setTimeout`) keep real time: the SDK's retry delays, say, last what they
 * last. Date.now() is restored afterwards.
 */
export async function withScaledClock<T>(scale: number, work: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  const start = realNow();
  Date.now = () => Math.floor(start + (realNow() - start) / scale);
  try {
    return await work();
  } finally {
    Date.now = realNow;
  }
}
