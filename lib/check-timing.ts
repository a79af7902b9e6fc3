/*
 * The figures of the waiter's schedule (see check-schedule.ts), in a module
 * that imports nothing: the handler shares them, and its bundle must not
 * pull in aws-cdk-lib.
 */

/** From onEvent's change to the first isComplete, in seconds. */
export const FIRST_CHECK_DELAY_SECONDS = 6;

/** The field of onEvent's result that holds the seconds to wait before the first isComplete. */
export const FIRST_CHECK_DELAY_FIELD = 'FirstCheckDelaySeconds';

/** Between isComplete calls, in seconds. */
export const CHECK_INTERVAL_SECONDS = 7;
