/**
 * Jest setup file (package.json, `jest.setupFiles`): the tests' console.warn
 * drops the known third-party warnings (test/known-warnings.ts) when the code
 * known to print them does, and passes everything else on.
 */
import { isKnownWarning } from './known-warnings';

const warn = console.warn;
console.warn = (...args: unknown[]): void => {
  // jest shows where a warning came from as this line: the caller is the next frame of the stack it prints
  if (!isKnownWarning(args, new Error().stack ?? '')) warn(...args);
};
