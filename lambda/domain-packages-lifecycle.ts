import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { adoptedElsewhere } from './adopted-elsewhere';
import { Clients } from './clients';
import {
  beginDomainChange, checkDomainChange, contestCandidates, contestedFailure, DomainChange, DomainChangeState, leavingAssociations, PreparedChange,
  prepareDomainChange, responseBytes,
} from './domain-change';
import { DomainGroupSpec, domainIdentity, parseDomainPackagesSpec, previousGroups } from './domain-packages-spec';
import { log } from './log';
import { CheckResult, OperationFailed } from './operation';
import { describeError } from './service-errors';
import { orUnreadable, StackEvent } from './stack-api';
import { contestedAssociations, isRollingBack, recordCreatedNow, requestSentAt } from './stack-events';

/*
 * The stack's domain-packages resource: every package the stack associates
 * with any domain. Its packages are grouped by the domain their names
 * resolve to (account, Region, name), so that one domain named two ways is
 * one domain, and each domain's difference between the old and the new set
 * is one operation on that domain; the domains' operations run side by side.
 */

/** What onEvent hands to every isComplete call: each domain's change, by domain identity. */
export interface DomainPackagesState {
  readonly Changes: Record<string, DomainChangeState>;
  /** The stack's associations that stay on their domains for someone else: contested, or adopted by another stack. */
  readonly LeftForOthers?: string[];
  /** True when the operation rolls an update back (the stack's events say so). */
  readonly RollingBack?: boolean;
  readonly FirstCheckDelaySeconds: number;
}

export interface DomainStartResult extends DomainPackagesState {
  readonly PhysicalResourceId: string;
}

export type DomainIsCompleteEvent = CloudFormationCustomResourceEvent & DomainPackagesState;

/** CloudFormation's limit on a custom resource response, less what the Provider framework adds around Data. */
const MAX_DATA_BYTES = 3500;

/** The groups that name one domain, as one group. */
function byDomain(groups: readonly DomainGroupSpec[]): Map<string, DomainGroupSpec & { readonly keys: string[] }> {
  const merged = new Map<string, DomainGroupSpec & { readonly keys: string[] }>();
  for (const group of groups) {
    const identity = domainIdentity(group.domain);
    const other = merged.get(identity);
    merged.set(identity, other ? {
      ...other,
      keys: [...other.keys, group.key],
      packages: [...other.packages, ...group.packages],
      waitSeconds: Math.max(other.waitSeconds, group.waitSeconds),
      engineVersion: other.engineVersion ?? group.engineVersion,
    } : { ...group, keys: [group.key] });
  }
  return merged;
}

/**
 * The change each domain needs, by domain identity. Create and Update work
 * towards each domain's set (an Update away from what the domain had in the
 * old set); Delete takes every set off its domain. A domain of the old set
 * that the new one no longer names is left, by an Update, when the same name
 * in the template now means another domain (the domain was replaced, and
 * CloudFormation deletes the old one with what is on it), and cleared otherwise.
 * The stack's associations `left` for others stay on their domains; a
 * `rollback` skips what it brings back that was deleted by hand since, and
 * leaves what the failed update found kept on the domain.
 */
function changesOf(event: CloudFormationCustomResourceEvent, left: readonly string[] = [], rollback = false): Map<string, DomainChange> {
  const common = { stackId: event.StackId, rollback: rollback || undefined };
  // A rollback undoes the failed update's associations, not those it continued: what the stack's retaining removal
  // policy had kept on the domain (`kept`) was there before it, and stays.
  const keep = (groups: DomainGroupSpec[], undoing = false) => groups.map(group => ({
    ...group,
    packages: group.packages.map(p => (p.record && (left.includes(p.record.association) || (undoing && p.record.ownership === 'kept')) ? { ...p, retain: true } : p)),
  }));
  const wanted = byDomain(keep(parseDomainPackagesSpec(event.ResourceProperties)));
  const changes = new Map<string, DomainChange>();
  if (event.RequestType !== 'Update') {
    const removal = event.RequestType === 'Delete';
    wanted.forEach((spec, id) => changes.set(id, { ...common, spec, wanted: removal ? [] : spec.packages, removal }));
    return changes;
  }
  const before = byDomain(keep(previousGroups(event.OldResourceProperties), rollback));
  wanted.forEach((spec, id) => changes.set(id, { ...common, spec, wanted: spec.packages, previous: before.get(id)?.packages, removal: false }));
  const newKeys = new Set([...wanted.values()].flatMap(spec => spec.keys));
  before.forEach((spec, id) => {
    if (wanted.has(id)) return;
    if (spec.keys.some(key => newKeys.has(key))) {
      log('domain replaced: its packages stay on the old domain, which CloudFormation deletes', { domainName: spec.domain.domainName });
      return;
    }
    changes.set(id, { ...common, spec, wanted: [], removal: true });
  });
  return changes;
}

/**
 * The associations this operation would take off their domains that the
 * failure it follows (it is then a rollback) found contested: someone else
 * made them while the stack was deploying them. CloudFormation's events are
 * read only when the operation takes an association of the stack's own off a domain.
 */
async function contestedLeaving(event: CloudFormationCustomResourceEvent, stackEvents: StackEvents): Promise<string[]> {
  if (event.RequestType === 'Create') return [];
  const held = parseDomainPackagesSpec(event.ResourceProperties).flatMap(g => g.packages);
  const leaving = event.RequestType === 'Delete'
    ? held
    : previousGroups(event.OldResourceProperties).flatMap(g => g.packages).filter(p => !held.some(h => h.ref === p.ref));
  const associations = leaving.filter(p => !p.retain).map(p => p.record!.association);
  if (associations.length === 0) return [];
  const events = await stackEvents();
  if (!events) return [];
  const contested = contestedAssociations(events, event.StackId);
  const kept = associations.filter(a => contested.has(a));
  if (kept.length > 0) log('leaving on their domains the associations someone else made while this stack was deploying them', { associations: kept });
  return kept;
}

/**
 * The associations of the stack's own that the prepared changes would take
 * off their domains and that another stack adopted and still declares (see
 * adopted-elsewhere.ts). CloudFormation is asked only about those.
 */
async function adoptedLeaving(clients: Clients, event: CloudFormationCustomResourceEvent, prepared: readonly PreparedChange[]): Promise<string[]> {
  const adopted: string[] = [];
  for (const association of prepared.flatMap(leavingAssociations)) {
    if (await orUndecided(() => adoptedElsewhere(clients.stack, event.StackId, association))) adopted.push(association);
  }
  return adopted;
}

/** A question to CloudFormation; undefined when it keeps failing (the caller then decides as without the answer). */
async function orUndecided<T>(ask: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ask();
  } catch (error) {
    log('CloudFormation kept failing; deciding without its answer', { error: describeError(error) });
    return undefined;
  }
}

/** The stack's events, read once per request when first needed; undefined when CloudFormation cannot tell (the caller then decides as without them). */
type StackEvents = () => Promise<StackEvent[] | undefined>;

function stackEventsOf(clients: Clients, event: CloudFormationCustomResourceEvent): StackEvents {
  let read: Promise<StackEvent[] | undefined> | undefined;
  return () => (read ??= orUndecided(() => orUnreadable('the stack\'s events', () => clients.stack.events(event.StackId)))
    .then(events => (events === 'unreadable' ? undefined : events)));
}

/**
 * Fails the operation, before anything changes, when an association whose
 * ownership record this operation created (finding it absent) is on the
 * domain already, changed before CloudFormation sent this request: someone
 * else made it meanwhile (see contestedFailure). What changed after is this
 * request's own doing, delivered a second time.
 */
async function checkUncontested(event: CloudFormationCustomResourceEvent, stackEvents: StackEvents, prepared: readonly PreparedChange[]): Promise<void> {
  const candidates = prepared.flatMap(contestCandidates);
  if (candidates.length === 0) return;
  const events = await stackEvents();
  if (!events) return;
  const sentAt = requestSentAt(events, event.StackId, event.LogicalResourceId);
  const contested = candidates.filter(c => recordCreatedNow(events, event.StackId, c.association)
    && c.lastUpdated !== undefined && sentAt !== undefined && c.lastUpdated < sentAt);
  if (contested.length > 0) throw contestedFailure(contested.map(c => c.association));
}

/** Waits for every promise, then throws the first failure (so that no domain's step is cut short). */
async function settled<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map(r => (r as PromiseFulfilledResult<T>).value);
}

/** The stack's name, from its ARN. */
function stackNameOf(stackId: string): string {
  return stackId.split('/')[1] ?? stackId;
}

/**
 * onEvent: reads every domain and plans its change, refuses a set whose
 * attributes would not fit in CloudFormation's response before anything
 * changes, then takes each domain's first step.
 */
export async function startDomainPackagesOperation(clients: Clients, event: CloudFormationCustomResourceEvent, now = Date.now()): Promise<DomainStartResult> {
  const stackEvents = stackEventsOf(clients, event);
  const rollback = event.RequestType === 'Update' && isRollingBack(await stackEvents() ?? [], event.StackId);
  let left = await contestedLeaving(event, stackEvents);
  let changes = changesOf(event, left, rollback);
  const prepare = () => settled([...changes.values()].map(change => prepareDomainChange(clients.opensearch, change, now)));
  let prepared = await prepare();
  const adopted = await adoptedLeaving(clients, event, prepared);
  if (adopted.length > 0) {
    left = [...left, ...adopted];
    changes = changesOf(event, left, rollback);
    prepared = await prepare();
  }
  await checkUncontested(event, stackEvents, prepared);
  const bytes = prepared.reduce((sum, p) => sum + (p.observed ? responseBytes(p.observed.wanted, p.observed.packages) : 0), 0);
  if (bytes > MAX_DATA_BYTES) {
    throw new OperationFailed(`${prepared.reduce((n, p) => n + (p.observed?.wanted.length ?? 0), 0)} packages in stack ${stackNameOf(event.StackId)}: `
      + `their attributes (about ${bytes} bytes) would not fit in CloudFormation's 4 KB custom resource response. Associate some of them from another stack.`);
  }
  const states = await settled(prepared.map(p => beginDomainChange(clients.opensearch, p)));
  const physicalId = event.RequestType === 'Create' ? `${stackNameOf(event.StackId)}/domain-packages` : event.PhysicalResourceId;
  log('operation started', { requestType: event.RequestType, physicalId, domains: [...changes.keys()] });
  return {
    PhysicalResourceId: physicalId,
    Changes: Object.fromEntries([...changes.keys()].map((id, i) => [id, states[i]])),
    LeftForOthers: left.length > 0 ? left : undefined,
    RollingBack: rollback || undefined,
    FirstCheckDelaySeconds: Math.max(0, ...states.map(s => s.FirstCheckDelaySeconds)),
  };
}

/** isComplete: checks every domain's change; done when all are, with every domain's attributes. */
export async function checkDomainPackagesOperation(clients: Clients, event: DomainIsCompleteEvent, now = Date.now()): Promise<CheckResult> {
  const changes = changesOf(event, event.LeftForOthers, event.RollingBack);
  const results = await settled([...changes].map(([id, change]) => checkDomainChange(clients.opensearch, change, event.Changes[id], now)));
  if (!results.every(r => r.IsComplete)) return { IsComplete: false };
  return { IsComplete: true, Data: Object.assign({}, ...results.map(r => r.Data)) };
}
