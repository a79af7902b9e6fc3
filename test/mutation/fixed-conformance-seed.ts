import * as fc from 'fast-check';

/*
 * Loaded by the mutation run only (stryker.config.json): the conformance
 * suite's random sequences are drawn from one fixed seed, so that the tests
 * Stryker saw covering a mutant in its first run are the tests that meet the
 * mutant when it is active, and a run can be repeated.
 */
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(process.env.MUTATION_CONFORMANCE_SEED ?? 16) });
