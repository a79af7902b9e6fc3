/**
 * The third-party warnings a passing test run would otherwise repeat hundreds
 * of times, each known by its exact text and by the third-party code that
 * prints it, so that the tests silence these and nothing else: every other
 * warning, the project's own above all, still shows. test/silence-known-warnings.ts
 * (a jest setup file) applies them to the tests' console; test/package/ to the
 * output of the app it runs in a child process.
 *
 * One more is silenced elsewhere, by its code: Node.js 24's DEP0169 (url.parse),
 * which aws-cdk-lib's Provider framework (cfn-response.js) triggers when the
 * local deploy runs it: package.json's test and local-deploy scripts start
 * jest and ts-node with `node --disable-warning=DEP0169` (jest's workers
 * inherit it).
 */
import * as path from 'path';

/** A warning the tests cannot fix: its text and the file that prints it. */
export interface KnownWarning {
  /** The warning's first line, without jsii's `[WARNING]` prefix. */
  readonly text: string;
  /** A path fragment of the file whose call prints it: in the tests' console, silenced only from there. */
  readonly printedFrom: string;
}

export const KNOWN_WARNINGS: readonly KnownWarning[] = [
  // aws-cdk-lib's Provider framework sets the deprecated `logFormat` on its own
  // functions (2.206.0, the pinned floor; later releases no longer do), so jsii
  // warns once for every Provider an app synthesises. The library never sets it.
  {
    text: 'aws-cdk-lib.aws_lambda.FunctionOptions#logFormat is deprecated.',
    printedFrom: ['aws-cdk-lib', 'custom-resources', 'lib', 'provider-framework', 'provider.js'].join(path.sep),
  },
];

/** The known warnings whose jsii deprecation message this is. */
function knownBy(message: string): KnownWarning[] {
  return KNOWN_WARNINGS.filter(warning => message.startsWith(`[WARNING] ${warning.text}`));
}

/** Whether these `console.warn` arguments are a known warning, printed by the code known to print it (the call's stack says). */
export function isKnownWarning(args: readonly unknown[], stack: string): boolean {
  return knownBy(args.map(String).join(' ')).some(warning => stack.includes(warning.printedFrom));
}

/**
 * A child process's output without the known warnings: each one's first line
 * and the indented lines jsii prints under it.
 */
export function withoutKnownWarnings(output: string): string {
  const kept: string[] = [];
  let skipping = false;
  for (const line of output.split('\n')) {
    skipping = knownBy(line).length > 0 || (skipping && line.startsWith('  '));
    if (!skipping) kept.push(line);
  }
  return kept.join('\n');
}
