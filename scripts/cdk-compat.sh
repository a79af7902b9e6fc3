#!/usr/bin/env bash
# Tests the library against one aws-cdk-lib release, in a scratch copy of the
# working tree (this checkout and its node_modules are left alone):
#   npm ci, then aws-cdk-lib@VERSION (and the matching @aws-cdk/integ-tests-alpha)
#   instead of the pinned ones, npm run build (handler bundle, jsii, type check),
#   the construct tests and the local deploy's end-to-end test.
#
#   scripts/cdk-compat.sh 2.200.0 [10.0.0]  one aws-cdk-lib release [and constructs release;
#                                           default: the constructs package-lock.json has]
#   scripts/cdk-compat.sh latest            the newest aws-cdk-lib 2.x and constructs 10.x on npm
#   scripts/cdk-compat.sh floor             the floors of both peer dependencies (package.json)
#
# `npm run test:cdk-latest` runs it for `latest`; scripts/cdk-floor.sh searches
# the releases with it for the lowest that passes.
# Exit code 0: everything passes. 3: everything but the cdk-nag test passes
# (cdk-nag's AwsSolutions-L1 wants the newest Node.js runtime that release
# knows, while the release's own determineLatestNodeRuntime may still pick the
# one before it). Anything else: fails.
# Logs go to $CDK_COMPAT_LOG_DIR (default: the scratch directory, kept on failure).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
want=${1:?usage: cdk-compat.sh VERSION [CONSTRUCTS_VERSION] | latest | floor}
peer_floor() { node -p "require('$root/package.json').peerDependencies['$1'].replace(/^[\\^~>=]+/, '')"; }

constructs=${2:-}
case "$want" in
  latest) version=$(npm view aws-cdk-lib@latest version); constructs=$(npm view constructs@latest version) ;;
  floor) version=$(peer_floor aws-cdk-lib); constructs=$(peer_floor constructs) ;;
  *) version=$want ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/cdk-compat-$version-XXXXXX")
log_dir=${CDK_COMPAT_LOG_DIR:-$work}
mkdir -p "$log_dir"
log="$log_dir/cdk-compat-$version${constructs:+-constructs-$constructs}.log"
step() { echo "[cdk-compat $version${constructs:+, constructs $constructs}] $*"; }

# The working tree as it is (tracked and new files, without ignored ones).
(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"; done | xargs -0 cp --parents -t "$work")
cd "$work"

start=$SECONDS
status=0
(
  set -ex
  npm ci --no-audit --no-fund
  # jsii insists that the installed aws-cdk-lib satisfies the declared peer dependency
  npm pkg set "peerDependencies.aws-cdk-lib=^$version" "devDependencies.aws-cdk-lib=$version"
  [ -z "$constructs" ] || npm pkg set "peerDependencies.constructs=^$constructs" "devDependencies.constructs=$constructs"
  # integ-tests-alpha is released with aws-cdk-lib (VERSION-alpha.0), needs an
  # aws-cdk-lib at least as new, and the registry lacks some releases: take the
  # newest one not newer than VERSION. The type check compiles the integ test.
  alpha=$(npm view @aws-cdk/integ-tests-alpha versions --json | node -e '
    const want = process.argv[1].split(".").map(Number);
    const ok = JSON.parse(require("fs").readFileSync(0, "utf8")).filter((v) => /^2\.\d+\.\d+-alpha\.0$/.test(v))
      .map((v) => [v, v.replace(/-.*/, "").split(".").map(Number)])
      .filter(([, n]) => n[1] < want[1] || (n[1] === want[1] && n[2] <= want[2]))
      .sort(([, a], [, b]) => a[1] - b[1] || a[2] - b[2]);
    if (ok.length) console.log("@aws-cdk/integ-tests-alpha@" + ok[ok.length - 1][0]);' "$version")
  npm install --no-save --no-audit --no-fund --legacy-peer-deps "aws-cdk-lib@$version" ${constructs:+"constructs@$constructs"} $alpha
  node -e "console.log('aws-cdk-lib', require('aws-cdk-lib/package.json').version, 'constructs', require('constructs/package.json').version)"
  npm run build
  npx jest --ci --json --outputFile="$work/jest.json" test/construct test/local-deploy/local-deploy.test.ts
) > "$log" 2>&1 || status=$?

# Which test files failed, if the tests ran.
failed_suites=
if [ -f "$work/jest.json" ]; then
  failed_suites=$(node -e '
    const r = require(process.argv[1]);
    console.log(r.testResults.filter((s) => s.status !== "passed").map((s) => require("path").basename(s.name)).join(" "));' "$work/jest.json")
  if [ "$status" -ne 0 ] && [ "$failed_suites" = "cdk-nag.test.ts" ]; then status=3; fi
fi

cd /
if [ "$status" -eq 0 ]; then
  step "PASS in $((SECONDS - start)) s (build, construct tests, local deploy)"
  rm -rf "$work"
else
  step "FAIL (exit $status${failed_suites:+, failed: $failed_suites}) in $((SECONDS - start)) s; log: $log"
  # what failed: the failing step's command, jest's failed test names, compiler errors
  grep -E '^\+ (npm|npx)|●.*›|error TS|Error:|Tests:' "$log" | grep -v '^!!' | cut -c1-240 | head -n 25 || true
  [ -z "${CDK_COMPAT_LOG_DIR:-}" ] || rm -rf "$work"
fi
exit "$status"
