import { isOwned, OwnershipRecord, parseRecordId } from './ownership-record';
import { StackEvent } from './stack-api';
import { PACKAGE_ASSOCIATION_RESOURCE_TYPE } from '../lib/package-association-properties';

/*
 * What the stack's own events remember for the handler, where the service
 * keeps no record of who made an association: that the stack itself kept an
 * association on the domain with a retaining removal policy, and that the
 * current operation failed because someone else associated a package between
 * the stack's ownership check and its association (a race the OpenSearch API
 * cannot arbitrate), so that its rollback leaves that package alone; and
 * whether the current operation is a rollback.
 */

/** The ownership record an event of one names (undefined for other events). */
function recordOf(event: StackEvent): OwnershipRecord | undefined {
  return event.resourceType === PACKAGE_ASSOCIATION_RESOURCE_TYPE ? parseRecordId(event.physicalId) : undefined;
}

/** The statuses of the stack's own event that starts an operation (its rollback's events come after it). */
const OPERATION_STARTS = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'IMPORT_IN_PROGRESS']);

/** What a failure reason says of an association someone else made between the stack's check and its association. */
export function contestMarker(association: string): string {
  return `(contested: ${association})`;
}

/** The events of the stack's current operation, newest first: those after the stack's own event that started it. */
function currentOperation(events: readonly StackEvent[], stackId: string): readonly StackEvent[] {
  const start = events.findIndex(e => e.physicalId === stackId && OPERATION_STARTS.has(e.status));
  return start < 0 ? events : events.slice(0, start);
}

/** The associations a failure of the stack's current operation named as contested: its rollback leaves them on the domain. */
export function contestedAssociations(events: readonly StackEvent[], stackId: string): Set<string> {
  const contested = new Set<string>();
  for (const event of currentOperation(events, stackId)) {
    if (!event.status.endsWith('_FAILED')) continue;
    for (const match of (event.reason ?? '').matchAll(/\(contested: (\S+?)\)/g)) contested.add(match[1]);
  }
  return contested;
}

/**
 * Whether the stack made this association and a retaining removal policy
 * kept it on the domain: CloudFormation skipped the deletion of a record of
 * the stack's own that held it, and the domain's entry has not changed since
 * (`entryLastUpdated`, epoch milliseconds).
 */
export function keptByStack(events: readonly StackEvent[], association: string, entryLastUpdated: number | undefined): boolean {
  return events.some(e => e.status === 'DELETE_SKIPPED' && isOwned(recordOf(e)) && recordOf(e)?.association === association
    && entryLastUpdated !== undefined && entryLastUpdated <= e.timestamp);
}

/** Whether the current operation created an ownership record of this association (its CREATE_COMPLETE is among the operation's events). */
export function recordCreatedNow(events: readonly StackEvent[], stackId: string, association: string): boolean {
  return currentOperation(events, stackId).some(e => e.status === 'CREATE_COMPLETE' && recordOf(e)?.association === association);
}

/**
 * Whether the stack's current operation is rolling an update back: the
 * stack's own `UPDATE_ROLLBACK_IN_PROGRESS` event is among its events. A
 * rollback brings back what the stack held, which may have been deleted by
 * hand since.
 */
export function isRollingBack(events: readonly StackEvent[], stackId: string): boolean {
  return currentOperation(events, stackId).some(e => e.physicalId === stackId && e.status === 'UPDATE_ROLLBACK_IN_PROGRESS');
}

/**
 * When CloudFormation last sent this resource a request in the current
 * operation (its latest `*_IN_PROGRESS` event, epoch milliseconds): what
 * changed on a domain before it was not this request's doing, even when the
 * request is delivered twice.
 */
export function requestSentAt(events: readonly StackEvent[], stackId: string, logicalId: string): number | undefined {
  return currentOperation(events, stackId).find(e => e.logicalId === logicalId && e.status.endsWith('_IN_PROGRESS'))?.timestamp;
}
