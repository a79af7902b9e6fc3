import { Duration } from './options';
import { AssociationRecord, PendingOperation } from './records';

/** What became of an association record after time passed or a caller looked at it. */
export type Outcome = 'kept' | 'removed';

/**
 * Whether an in-flight operation has reached its end. With `{ polls: n }` only observing reads count:
 * the first n observations still see the in-flight status, the (n+1)th sees the outcome.
 */
function isDue(pending: PendingOperation, duration: Duration, now: number, observe: boolean): boolean {
  if ('ms' in duration) return now - pending.startedAt >= duration.ms;
  if (!observe) return false;
  if (pending.observations >= duration.polls) return true;
  pending.observations += 1;
  return false;
}

/** Moves a finished operation to its terminal state. A successful dissociation leaves nothing behind. */
function complete(record: AssociationRecord, pending: PendingOperation, now: number): Outcome {
  record.pending = undefined;
  record.lastUpdated = now;
  if (pending.kind === 'associate') {
    if (pending.failure) {
      record.status = 'ASSOCIATION_FAILED';
      record.errorDetails = pending.failure;
    } else {
      record.status = 'ACTIVE';
      // A re-association for a new package version keeps showing the old version until it is ACTIVE.
      record.version = pending.targetVersion;
      record.errorDetails = undefined;
    }
    return 'kept';
  }
  if (pending.failure) {
    record.status = 'DISSOCIATION_FAILED';
    record.errorDetails = pending.failure;
    return 'kept';
  }
  return 'removed';
}

/** Advances one record if its operation is due. */
export function advance(record: AssociationRecord, now: number, observe: boolean): Outcome {
  const pending = record.pending;
  if (!pending || !isDue(pending, pending.duration, now, observe)) return 'kept';
  return complete(record, pending, now);
}
