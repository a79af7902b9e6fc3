import { Duration } from './options';
import { nextVersion, publishVersion } from './package-versions';
import { PackageFailure, PackageProcessing, PackageProcessingRequest, PackageRecord, PackageStage } from './records';

/**
 * Puts a package in a processing stage: COPYING for CreatePackage and UpdatePackage (VALIDATING follows),
 * DELETING for DeletePackage. Clears the ErrorDetails of an earlier failure.
 */
export function beginPackageStage(
  pkg: PackageRecord,
  stage: PackageStage,
  at: number,
  request: PackageProcessingRequest = {},
): void {
  pkg.status = stage;
  pkg.errorDetails = undefined;
  pkg.lastUpdatedAt = at;
  pkg.processing = { ...request, stage, startedAt: at, observations: 0 };
}

function fail(pkg: PackageRecord, failure: PackageFailure, at: number): void {
  // On a failed update the AvailablePackageVersion stays the old one: domains keep using it.
  pkg.status = failure.status;
  pkg.errorDetails = failure.error;
  pkg.lastUpdatedAt = at;
  pkg.processing = undefined;
}

/** Ends the current stage at `at`: the next stage begins, or the package reaches a terminal status. */
function finishStage(pkg: PackageRecord, processing: PackageProcessing, at: number): void {
  const { failure } = processing;
  switch (processing.stage) {
    case 'COPYING':
      if (failure?.status === 'COPY_FAILED') fail(pkg, failure, at);
      else beginPackageStage(pkg, 'VALIDATING', at, processing);
      return;
    case 'VALIDATING':
      if (failure?.status === 'VALIDATION_FAILED') {
        fail(pkg, failure, at);
        return;
      }
      publishVersion(pkg, nextVersion(pkg), at, processing);
      pkg.status = 'AVAILABLE';
      pkg.lastUpdatedAt = at;
      pkg.processing = undefined;
      return;
    case 'DELETING':
      if (failure?.status === 'DELETE_FAILED') {
        fail(pkg, failure, at);
        return;
      }
      pkg.status = 'DELETED';
      pkg.lastUpdatedAt = at;
      pkg.processing = undefined;
      return;
  }
}

/**
 * Moves a processing package through as many stages as are due.
 *
 * With `{ ms }` each stage lasts that long from the end of the previous one, whoever looks. With `{ polls: n }`
 * only observations count (`observe`, true for a DescribePackages response that includes the package): every
 * in-flight status is shown by exactly n responses, and the response that shows a new status counts as that
 * status's first observation. `{ polls: 0 }` lets the first observation see the final status.
 */
export function advancePackage(pkg: PackageRecord, duration: Duration, now: number, observe: boolean): void {
  for (let processing = pkg.processing; processing; processing = pkg.processing) {
    if ('ms' in duration) {
      const endsAt = processing.startedAt + duration.ms;
      if (now < endsAt) return;
      finishStage(pkg, processing, endsAt);
      continue;
    }
    if (!observe) return;
    if (processing.observations < duration.polls) {
      processing.observations += 1;
      return;
    }
    finishStage(pkg, processing, now);
  }
}
