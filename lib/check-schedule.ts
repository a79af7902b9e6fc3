import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { CHECK_INTERVAL_SECONDS, FIRST_CHECK_DELAY_FIELD, FIRST_CHECK_DELAY_SECONDS } from './check-timing';

/*
 * When the Provider framework's waiter asks isComplete whether the service has
 * finished. When onEvent has just made a change (AssociatePackages,
 * DissociatePackages, DeletePackage), a check at once could only say "not
 * yet": the waiter first lets the service work, then checks at a fixed
 * interval. When onEvent changed nothing (an ownership check, an update that
 * leaves the domain as it is), the first check comes at once. onEvent says
 * which, in FIRST_CHECK_DELAY_FIELD. The README's performance section has the
 * measurements behind the two figures.
 */

/** Between isComplete calls. */
export const CHECK_INTERVAL = Duration.seconds(CHECK_INTERVAL_SECONDS);

/** isComplete calls after the first, to just under CloudFormation's hour; the handlers' own deadlines come first. */
const RETRIES = Math.floor((3600 - FIRST_CHECK_DELAY_SECONDS) / CHECK_INTERVAL_SECONDS);

/** The retries as the Provider construct's `totalTimeout`. */
export const RETRY_TIMEOUT = Duration.seconds(RETRIES * CHECK_INTERVAL_SECONDS);

/**
 * Puts a Wait state in front of the provider's waiter, for as many seconds as
 * onEvent's result says (FIRST_CHECK_DELAY_FIELD). The Provider construct
 * offers no option for it, so this renders the framework's own definition
 * (aws-cdk-lib custom-resources, provider-framework/waiter-state-machine.ts:
 * the framework's isComplete function retried every CHECK_INTERVAL, then its
 * onTimeout function) with the Wait state first.
 */
export function delayFirstCheck(provider: cr.Provider): void {
  const waiter = provider.node.findChild('waiter-state-machine').node.defaultChild as sfn.CfnStateMachine;
  const isComplete = provider.node.findChild('framework-isComplete') as lambda.IFunction;
  const onTimeout = provider.node.findChild('framework-onTimeout') as lambda.IFunction;
  waiter.definitionString = Stack.of(provider).toJsonString({
    StartAt: 'first-check-delay',
    States: {
      'first-check-delay': { Type: 'Wait', SecondsPath: `$.${FIRST_CHECK_DELAY_FIELD}`, Next: 'framework-isComplete-task' },
      'framework-isComplete-task': {
        Type: 'Task',
        Resource: isComplete.functionArn,
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: CHECK_INTERVAL_SECONDS, MaxAttempts: RETRIES, BackoffRate: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'framework-onTimeout-task' }],
        End: true,
      },
      'framework-onTimeout-task': { Type: 'Task', Resource: onTimeout.functionArn, End: true },
    },
  });
}
