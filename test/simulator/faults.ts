import { ServiceError, statusForErrorType } from './errors';
import { PackageFailure } from './records';
import { ErrorDetails, OperationName, PackageFailureStatus } from './wire-shapes';

/** An error to answer with instead of running an operation. */
export interface InjectedError {
  /** Error type, e.g. `ThrottlingException`. */
  readonly type: string;
  /** HTTP status; defaults to the service's status for that type (429 for ThrottlingException). */
  readonly status?: number;
  readonly message?: string;
  /** When true, the operation takes effect and only its answer is replaced by the error (a response lost on the way back). */
  readonly afterApplying?: boolean;
}

/**
 * How the service refuses to dissociate a package an index still uses. Not documented: the developer guide only
 * says the dissociation fails; the API reference describes ConflictException as an attempt "to remove a resource
 * that is currently in use", so both ValidationException and ConflictException are plausible.
 */
export interface InUseAnswer {
  readonly type: 'ValidationException' | 'ConflictException';
  readonly message: string;
}

/**
 * A scheduled fault that a request took, in the order taken: what a test reads to know whether a fault it armed
 * found something to fail.
 */
export type ConsumedFault =
  | { readonly kind: 'association failure'; readonly domain: string; readonly packageId: string; readonly error: ErrorDetails }
  | { readonly kind: 'dissociation failure'; readonly domain: string; readonly packageId: string; readonly error: ErrorDetails }
  | { readonly kind: 'package failure'; readonly packageName: string; readonly status: PackageFailureStatus; readonly error: ErrorDetails }
  | { readonly kind: 'in use'; readonly region: string; readonly domain: string; readonly packageId: string; readonly answer: InUseAnswer }
  | { readonly kind: 'injected error'; readonly operation: OperationName; readonly errorType: string; readonly status: number };

interface QueuedError {
  readonly error: ServiceError;
  readonly afterApplying: boolean;
  remaining: number;
}

/**
 * The text is not documented: the developer guide only says a package must be removed from every index first.
 */
const DEFAULT_IN_USE_MESSAGE =
  'Package is in use by one or more indices. Remove it from all index settings before dissociating it.';

function pairKey(domain: string, packageId: string): string {
  return `${domain}\u0000${packageId}`;
}

/** Failures scheduled by tests, each consumed in the order it was scheduled. */
export class FaultPlan {
  private readonly associationFailures = new Map<string, ErrorDetails[]>();
  private readonly dissociationFailures = new Map<string, ErrorDetails[]>();
  private readonly inUseAnswers = new Map<string, InUseAnswer>();
  private readonly injectedErrors = new Map<OperationName, QueuedError[]>();
  private readonly packageFailures = new Map<string, PackageFailure[]>();
  private readonly taken: ConsumedFault[] = [];

  /** Every scheduled fault a request has taken so far, in order (a live, read-only view). */
  get consumed(): ReadonlyArray<ConsumedFault> {
    return this.taken;
  }

  /** Makes the next accepted association of the pair end in ASSOCIATION_FAILED. */
  failNextAssociation(domain: string, packageId: string, error: ErrorDetails): void {
    enqueue(this.associationFailures, pairKey(domain, packageId), { ...error });
  }

  /** The scheduled association failure for the package (by ID, or else by name) on the domain, removing it. */
  takeAssociationFailure(domain: string, packageId: string, packageName: string): ErrorDetails | undefined {
    const error = dequeue(this.associationFailures, pairKey(domain, packageId)) ?? dequeue(this.associationFailures, pairKey(domain, packageName));
    if (error) this.taken.push({ kind: 'association failure', domain, packageId, error });
    return error;
  }

  /** Makes the next accepted dissociation of the pair end in DISSOCIATION_FAILED. */
  failNextDissociation(domain: string, packageId: string, error: ErrorDetails): void {
    enqueue(this.dissociationFailures, pairKey(domain, packageId), { ...error });
  }

  /** The scheduled dissociation failure for the pair, removing it. */
  takeDissociationFailure(domain: string, packageId: string): ErrorDetails | undefined {
    const error = dequeue(this.dissociationFailures, pairKey(domain, packageId));
    if (error) this.taken.push({ kind: 'dissociation failure', domain, packageId, error });
    return error;
  }

  /** Makes dissociations of the pair (a domain of the Region and a package) fail synchronously until cleared. */
  markInUse(region: string, domain: string, packageId: string, answer: Partial<InUseAnswer> = {}): void {
    this.inUseAnswers.set(pairKey(`${region}/${domain}`, packageId), { type: answer.type ?? 'ValidationException', message: answer.message ?? DEFAULT_IN_USE_MESSAGE });
  }

  /** Undoes {@link markInUse}. */
  clearInUse(region: string, domain: string, packageId: string): void {
    this.inUseAnswers.delete(pairKey(`${region}/${domain}`, packageId));
  }

  /** The in-use answer for the pair, if marked (a dissociation refused with it counts as taking the fault). */
  inUse(region: string, domain: string, packageId: string): InUseAnswer | undefined {
    const answer = this.inUseAnswers.get(pairKey(`${region}/${domain}`, packageId));
    if (answer) this.taken.push({ kind: 'in use', region, domain, packageId, answer });
    return answer;
  }

  /** Makes the next accepted CreatePackage or UpdatePackage of a package with this name end in the failure. */
  failNextPackageProcessing(packageName: string, failure: PackageFailure): void {
    enqueue(this.packageFailures, packageName, { status: failure.status, error: { ...failure.error } });
  }

  /**
   * The first scheduled failure for the package name whose status is one of `statuses` (a copy or validation
   * failure for CreatePackage and UpdatePackage, DELETE_FAILED for DeletePackage), removing it.
   */
  takePackageFailure(packageName: string, statuses: readonly PackageFailureStatus[]): PackageFailure | undefined {
    const queue = this.packageFailures.get(packageName) ?? [];
    const index = queue.findIndex((failure) => statuses.includes(failure.status));
    if (index < 0) return undefined;
    const [failure] = queue.splice(index, 1);
    this.taken.push({ kind: 'package failure', packageName, status: failure.status, error: failure.error });
    return failure;
  }

  /** Drops every scheduled one-shot failure not yet taken (the in-use marks stay until cleared). */
  clearScheduled(): void {
    this.associationFailures.clear();
    this.dissociationFailures.clear();
    this.injectedErrors.clear();
    this.packageFailures.clear();
  }

  /** Makes the next `times` calls of the operation fail with the error. */
  injectError(operation: OperationName, error: InjectedError, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer, got ${times}`);
    const status = error.status ?? statusForErrorType(error.type);
    const message = error.message ?? `Injected ${error.type}`;
    const queued = { error: new ServiceError(error.type, message, status), afterApplying: error.afterApplying ?? false, remaining: times };
    enqueue(this.injectedErrors, operation, queued);
  }

  /** The next injected error for the operation, consuming one use of it, and whether it comes after the operation took effect. */
  takeInjectedError(operation: OperationName): { error: ServiceError; afterApplying: boolean } | undefined {
    const queue = this.injectedErrors.get(operation);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) queue.shift();
    this.taken.push({ kind: 'injected error', operation, errorType: head.error.type, status: head.error.status });
    return { error: head.error, afterApplying: head.afterApplying };
  }
}

function enqueue<K, V>(queues: Map<K, V[]>, key: K, value: V): void {
  const queue = queues.get(key);
  if (queue) queue.push(value);
  else queues.set(key, [value]);
}

function dequeue<K, V>(queues: Map<K, V[]>, key: K): V | undefined {
  const queue = queues.get(key);
  const value = queue?.shift();
  if (queue && queue.length === 0) queues.delete(key);
  return value;
}
