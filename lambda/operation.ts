import { log } from './log';
import { describeError, isTransient } from './service-errors';

/** What isComplete reports to the Provider framework. */
export interface CheckResult {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
  /** A Create's physical ID, when only isComplete can tell it. */
  readonly PhysicalResourceId?: string;
}

/** A failure this handler diagnosed: reported to CloudFormation as it is. */
export class OperationFailed extends Error {}

export interface StepLimits {
  readonly now: number;
  /** Epoch milliseconds after which waiting turns into failure (asked when it matters: it can depend on what the step found). */
  readonly deadline: () => number;
  /** The reason to report when the deadline has passed. */
  readonly timedOut: () => string;
  /** Turns a service error that waiting will not cure into the reason to report. */
  readonly explain: (error: unknown) => OperationFailed;
}

/**
 * Runs one isComplete step. Transient service errors (throttling, 5xx,
 * conflicts with another operation) mean "not yet" until the deadline, since
 * every step is safe to repeat; any other error ends the operation.
 */
export async function runStep(limits: StepLimits, step: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof OperationFailed) throw error;
    if (!isTransient(error)) throw limits.explain(error);
    if (limits.now >= limits.deadline()) throw new OperationFailed(`${limits.timedOut()} Last error: ${describeError(error)}`);
    log('retrying after a transient error', { error: describeError(error) });
    return { IsComplete: false };
  }
}

/** "Not yet", logged with the reason. */
export function notYet(why: string): CheckResult {
  log('waiting', { why });
  return { IsComplete: false };
}
