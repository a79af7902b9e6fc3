/**
 * Jest setup file (package.json, `jest.setupFiles`): silences the third-party
 * warnings a passing run would otherwise repeat hundreds of times, each by its
 * exact text and by the third-party code that prints it. Every other warning,
 * the project's own above all, still reaches the console.
 */
import * as path from 'path';

/** A warning the tests cannot fix: its text, the file that prints it, and why it is silenced. */
interface KnownWarning {
  /** The warning's first line, without jsii's `[WARNING]` prefix. */
  readonly text: string;
  /** A path fragment of the file whose call prints it: the warning is silenced only from there. */
  readonly printedFrom: string;
}

const KNOWN_WARNINGS: readonly KnownWarning[] = [
  // aws-cdk-lib's Provider framework sets the deprecated `logFormat` on its own
  // functions (2.206.0, the pinned floor; later releases no longer do), so jsii
  // warns once for every Provider a test synthesises. The library never sets it.
  {
    text: 'aws-cdk-lib.aws_lambda.FunctionOptions#logFormat is deprecated.',
    printedFrom: ['aws-cdk-lib', 'custom-resources', 'lib', 'provider-framework', 'provider.js'].join(path.sep),
  },
];

function isKnown(args: readonly unknown[]): boolean {
  const message = args.map(String).join(' ');
  const known = KNOWN_WARNINGS.filter(warning => message.startsWith(`[WARNING] ${warning.text}`));
  if (known.length === 0) return false;
  const stack = new Error().stack ?? '';
  return known.some(warning => stack.includes(warning.printedFrom));
}

const warn = console.warn;
console.warn = (...args: unknown[]): void => {
  // jest shows where a warning came from as this line: the caller is the next frame of the stack it prints
  if (!isKnown(args)) warn(...args);
};
