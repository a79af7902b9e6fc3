/*
 * The figures of the waiter's schedule (see check-schedule.ts) and of the
 * handler's deadlines, in a module that imports nothing: the handler shares
 * them, and its bundle must not pull in aws-cdk-lib.
 */

/** From onEvent's change to the first isComplete, in seconds. */
export const FIRST_CHECK_DELAY_SECONDS = 6;

/** The field of onEvent's result that holds the seconds to wait before the first isComplete. */
export const FIRST_CHECK_DELAY_FIELD = 'FirstCheckDelaySeconds';

/** Between isComplete calls, in seconds. */
export const CHECK_INTERVAL_SECONDS = 7;

/**
 * The longest the handler waits for anything, in seconds from the start of
 * an operation: two minutes under CloudFormation's one-hour ceiling for a
 * custom resource, so that the handler's own reason reaches CloudFormation
 * first, and under the waiter's last check (see check-schedule.ts), so that
 * the handler always answers before the Provider framework's timeout path does.
 */
export const HANDLER_CEILING_SECONDS = 3600 - 120;
