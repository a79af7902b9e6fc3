import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HANDLER_CEILING_SECONDS } from './check-timing';
import { checkTimeoutSeconds, MAX_TIMEOUT_SECONDS } from './validation';

/*
 * Options every custom resource of this library shares: how long its handler
 * waits, and what happens to it on removal.
 */

/**
 * The ServiceTimeout of every custom resource of this library:
 * CloudFormation's ceiling. A rollback, a cleanup or a deletion must be able
 * to wait out what a failed operation left in flight and undo it, whatever
 * `timeout` the operation had, so CloudFormation never cuts the handler
 * short; the handler's own deadlines (`timeout` for the work a deployment
 * asks for, {@link HANDLER_CEILING_SECONDS} for undoing and removing) come first.
 */
export const SERVICE_TIMEOUT = Duration.seconds(MAX_TIMEOUT_SECONDS);

/**
 * Turns a construct's `timeout` prop into the handler's wait for the work a
 * deployment asks for, in seconds, or throws an error that names the construct.
 */
export function waitSeconds(owner: string, timeout: Duration = Duration.minutes(30)): number {
  if (timeout.isUnresolved()) {
    throw new Error(`${owner}: timeout must be known at synth time (got a token): it is how long the handler waits, from 1 second to 1 hour.`);
  }
  // Not toSeconds(): it throws CDK's own error for a duration that is not a whole number of seconds.
  const seconds = timeout.toMilliseconds() / 1000;
  const problem = checkTimeoutSeconds('timeout', seconds);
  if (problem) throw new Error(`${owner}: ${problem}`);
  return Math.min(seconds, HANDLER_CEILING_SECONDS);
}

const REMOVAL_POLICIES = [RemovalPolicy.DESTROY, RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];

/** Rejects SNAPSHOT, which only CloudFormation resources that keep data support. */
export function checkRemovalPolicy(owner: string, removalPolicy: RemovalPolicy | undefined): void {
  if (removalPolicy !== undefined && !REMOVAL_POLICIES.includes(removalPolicy)) {
    throw new Error(`${owner}: removalPolicy "${removalPolicy}" is not supported: use DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE (there is no snapshot to take).`);
  }
}
