import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { checkTimeoutSeconds, MAX_TIMEOUT_SECONDS } from './validation';

/*
 * Options every custom resource of this library shares: how long its handler
 * waits, and what happens to it on removal.
 */

/** Time kept between the handler giving up and CloudFormation's own timeout, so the handler's clearer reason arrives first. */
const REPORTING_MARGIN_SECONDS = 120;

/** How long a custom resource's handler waits, and the ServiceTimeout CloudFormation enforces. */
export interface WaitTimeout {
  readonly waitSeconds: number;
  readonly serviceTimeout: Duration;
}

/**
 * Turns a construct's `timeout` prop into the handler's wait and the custom
 * resource's ServiceTimeout, or throws an error that names the construct.
 */
export function waitTimeout(owner: string, timeout: Duration = Duration.minutes(30)): WaitTimeout {
  if (timeout.isUnresolved()) {
    throw new Error(`${owner}: timeout must be known at synth time (got a token): it sets the custom resource's ServiceTimeout, from 1 second to 1 hour.`);
  }
  // Not toSeconds(): it throws CDK's own error for a duration that is not a whole number of seconds.
  const seconds = timeout.toMilliseconds() / 1000;
  const problem = checkTimeoutSeconds('timeout', seconds);
  if (problem) throw new Error(`${owner}: ${problem}`);
  const waitSeconds = Math.min(seconds, MAX_TIMEOUT_SECONDS - REPORTING_MARGIN_SECONDS);
  return { waitSeconds, serviceTimeout: Duration.seconds(waitSeconds + REPORTING_MARGIN_SECONDS) };
}

const REMOVAL_POLICIES = [RemovalPolicy.DESTROY, RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];

/** Rejects SNAPSHOT, which only CloudFormation resources that keep data support. */
export function checkRemovalPolicy(owner: string, removalPolicy: RemovalPolicy | undefined): void {
  if (removalPolicy !== undefined && !REMOVAL_POLICIES.includes(removalPolicy)) {
    throw new Error(`${owner}: removalPolicy "${removalPolicy}" is not supported: use DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE (there is no snapshot to take).`);
  }
}
