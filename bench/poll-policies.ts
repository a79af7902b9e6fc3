/**
 * How each waiting policy spaces its ListPackagesForDomain calls after
 * AssociatePackage, in unscaled seconds, and what that schedule alone (no
 * call or process overhead) predicts for an association that takes D seconds.
 */
export interface PollPolicy {
  readonly name: string;
  /** From the AssociatePackage call to the first List call that can see the outcome. */
  readonly delaySeconds: number;
  /** The waits between List calls, in order (each wait starts when the previous call has returned). */
  waits(): Iterator<number>;
  /** List calls made after the one that saw ACTIVE, as part of finishing (Terraform's Read). */
  readonly listsAfterActive: number;
  /** List calls made before AssociatePackage. */
  readonly listsBeforeAssociate: number;
}

function* every(seconds: number): Iterator<number> {
  for (;;) yield seconds;
}

/**
 * Terraform (hashicorp/terraform-provider-aws, internal/service/opensearch/package_association.go,
 * checked with the search tool): resourcePackageAssociationCreate calls AssociatePackage, then
 * waitPackageAssociationCreated runs a retry.StateChangeConf{Pending: ASSOCIATING, Target: ACTIVE,
 * Delay: 30s} (no MinTimeout, no PollInterval) whose Refresh lists the domain's packages
 * (ListPackagesForDomain, all pages), then resourcePackageAssociationRead lists them once more.
 * StateChangeConf.WaitForStateContext (terraform-plugin-sdk helper/retry/state.go): sleep Delay;
 * refresh at once; then `wait` starts at 100 ms and is doubled after every refresh that is not on
 * target, before it is used, and capped at 10 s: so after the Delay the gaps are 0.2, 0.4, 0.8,
 * 1.6, 3.2, 6.4 s, then 10 s for good. Each wait starts when the previous refresh has returned.
 */
export const TERRAFORM: PollPolicy = {
  name: 'Terraform',
  delaySeconds: 30,
  *waits() {
    let wait = 0.1;
    for (;;) {
      wait = Math.min(wait * 2, 10);
      yield wait;
    }
  },
  listsAfterActive: 1,
  listsBeforeAssociate: 0,
};

/**
 * The developer guide's SDK sample ("Custom packages for Amazon OpenSearch Service", Python
 * `associate_package` then `wait_for_update`): ListPackagesForDomain right after AssociatePackage,
 * then `time.sleep(10)` between checks until ACTIVE.
 */
export const FIXED_10S: PollPolicy = {
  name: 'fixed 10 s',
  delaySeconds: 0,
  waits: () => every(10),
  listsAfterActive: 0,
  listsBeforeAssociate: 0,
};

/**
 * This library as designed (lib/check-schedule.ts, lambda/association-lifecycle.ts): onEvent lists
 * the domain's packages (the baseline) and calls AssociatePackage; the waiter waits 6 s, then runs
 * isComplete every 7 s, each one List call. Only the schedule: the benchmark measures the library
 * through the deploy harness.
 */
export const LIBRARY_DESIGN: PollPolicy = {
  name: 'library',
  delaySeconds: 6,
  waits: () => every(7),
  listsAfterActive: 0,
  listsBeforeAssociate: 1,
};

/** What a schedule alone predicts: the lag after ACTIVE, and the List calls from AssociatePackage on. */
export interface IdealOutcome {
  readonly lagSeconds: number;
  readonly listsFromAssociate: number;
  readonly listsTotal: number;
}

/** When the policy's n-th List call after AssociatePackage is due (1-based), in seconds after AssociatePackage, with no overhead. */
export function scheduledListOffset(policy: PollPolicy, n: number): number {
  const waits = policy.waits();
  let at = policy.delaySeconds;
  for (let call = 1; call < n; call++) at += waits.next().value as number;
  return at;
}

/** The first List call at or after `durationSeconds` sees ACTIVE. */
export function idealOutcome(policy: PollPolicy, durationSeconds: number): IdealOutcome {
  let calls = 1;
  while (scheduledListOffset(policy, calls) < durationSeconds) calls += 1;
  const listsFromAssociate = calls + policy.listsAfterActive;
  return {
    lagSeconds: scheduledListOffset(policy, calls) - durationSeconds,
    listsFromAssociate,
    listsTotal: listsFromAssociate + policy.listsBeforeAssociate,
  };
}
