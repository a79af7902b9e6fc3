// A Stryker ignorer (stryker.config.json's "ignorers"): mutants inside the
// handler's `log(...)` calls, and the removal of a statement that is only a
// `log(...)` call, are not made. Their text and fields are for a person
// reading CloudWatch; nothing the handler decides, reports to CloudFormation
// or leaves on the service depends on them. (What a log line must never hold,
// the pre-signed ResponseURL, no mutant could add: mutators only remove or
// empty what is there.)
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const REASON = 'A log line of the handler: text for a person reading CloudWatch, which no behaviour depends on.';

function isLogCall(path) {
  return path.isCallExpression() && path.get('callee').isIdentifier({ name: 'log' });
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-calls', {
    shouldIgnore(path) {
      if (isLogCall(path) || (path.isExpressionStatement() && isLogCall(path.get('expression')))) return REASON;
      return undefined;
    },
  }),
];
