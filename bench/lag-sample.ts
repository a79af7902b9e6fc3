import { scaledMs, unscaledSeconds } from './time-scale';
import type { RecordedCall } from '../test/simulator';

/** One association of D seconds waited for by one policy, in unscaled seconds. */
export interface LagSample {
  readonly durationSeconds: number;
  /** From the service turning the association ACTIVE to the waiter reporting success. */
  readonly lagSeconds: number;
  /** ListPackagesForDomain calls from the AssociatePackage call on. */
  readonly listsFromAssociate: number;
  /** Every ListPackagesForDomain call the simulator received. */
  readonly listsTotal: number;
  /** When each List call from AssociatePackage on arrived, in seconds after the AssociatePackage call. */
  readonly listOffsetsSeconds: number[];
}

/**
 * Reads a sample off the simulator's call log: ACTIVE is the AssociatePackage
 * call's arrival (`at`) plus the association's duration (the simulator starts
 * the association's clock while handling that call, a fraction of a
 * millisecond later, so this is at most that much early); `doneAt` is when
 * the waiter reported success (epoch milliseconds).
 */
export function sampleFromCalls(calls: ReadonlyArray<RecordedCall>, durationSeconds: number, doneAt: number): LagSample {
  // The library and the replayed policies call AssociatePackage for the one package.
  const isAssociation = (call: RecordedCall) => call.operation === 'AssociatePackage' || call.operation === 'AssociatePackages';
  const associate = calls.find(isAssociation);
  if (!associate) throw new Error('No AssociatePackage(s) call reached the simulator');
  const associations = calls.filter(isAssociation).length;
  if (associations !== 1) throw new Error(`Expected one AssociatePackage(s) call, got ${associations}`);
  const lists = calls.filter(call => call.operation === 'ListPackagesForDomain');
  const after = lists.filter(call => call.at >= associate.at);
  return {
    durationSeconds,
    lagSeconds: unscaledSeconds(doneAt - (associate.at + scaledMs(durationSeconds))),
    listsFromAssociate: after.length,
    listsTotal: lists.length,
    listOffsetsSeconds: after.map(call => unscaledSeconds(call.at - associate.at)),
  };
}
