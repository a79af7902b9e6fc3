import { OperationName } from '../simulator';

/*
 * What the conformance suite arms for a stack operation: a fault, a storm of
 * transient errors, a change by hand while it runs.
 */

/** Operations a storm of transient errors can hit. */
export type StormOperation = Extract<OperationName,
  | 'ListPackagesForDomain' | 'AssociatePackages' | 'DissociatePackages' | 'AssociatePackage' | 'DissociatePackage' | 'DescribePackages'
  | 'DescribeDomain' | 'GetPackageVersionHistory' | 'CreatePackage' | 'UpdatePackage' | 'DeletePackage' | 'ListDomainsForPackage'
  | 'ListStackResources'>;

/** When a storm starts: with the operation, or when CloudFormation enters the phase (its first custom resource request there). */
export type StormPhase = 'forward' | 'rollback' | 'cleanup' | 'delete';

/**
 * A run of transient errors on one operation: the next `times` calls fail,
 * with the error as the service names it (CloudFormation's throttling is
 * `Throttling`, 400; its server error `InternalFailure`).
 */
export interface Storm {
  readonly operation: StormOperation;
  readonly error: 'ThrottlingException' | 'InternalException';
  readonly times: number;
  readonly phase: StormPhase;
}

/** How many times the handler's SDK client tries a call: a longer storm reaches the handler's own retries. */
export const SDK_ATTEMPTS = 6;

/**
 * A fault armed for one deployment. Indexes pick an association or package
 * of the version deployed (modulo their number). All but a DeletePackage
 * that fails with "Try again" are not transient: when one hits something
 * the deployment must fail and roll back. A service slower than the timeout
 * makes the operations on domains the forward phase starts last SLOWNESS
 * times `timeoutSeconds`, the associations' timeout.
 */
export type Fault =
  | { readonly kind: 'none' }
  | { readonly kind: 'association fails'; readonly index: number }
  | { readonly kind: 'validation fails'; readonly index: number }
  | { readonly kind: 'later resource fails' }
  | { readonly kind: 'in use'; readonly index: number }
  | { readonly kind: 'waiter start fails' }
  | { readonly kind: 'slow service'; readonly timeoutSeconds: number }
  | { readonly kind: 'deletion fails transiently' };

/** What a deployment or deletion is armed with. */
export interface StepFaults {
  readonly fault?: Fault;
  readonly storm?: Storm;
  /** A change by hand made while the operation runs, when CloudFormation enters the phase. */
  readonly byHand?: { readonly phase: StormPhase; readonly change: () => void };
}
