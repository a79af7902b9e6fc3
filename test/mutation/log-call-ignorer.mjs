// A Stryker ignorer (stryker.config.json's "ignorers"): mutants inside the
// handler's `log(...)` calls are not made. Their text and fields are for a
// person reading CloudWatch; nothing the handler decides, reports to
// CloudFormation or leaves on the service depends on them. (What a log line
// must never hold, the pre-signed ResponseURL, no mutant could add: mutators
// only remove or empty what is there.)
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-calls', {
    shouldIgnore(path) {
      if (path.isCallExpression() && path.get('callee').isIdentifier({ name: 'log' })) {
        return 'A log line of the handler: text for a person reading CloudWatch, which no behaviour depends on.';
      }
      return undefined;
    },
  }),
];
