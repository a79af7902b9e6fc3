#!/usr/bin/env bash
# jsii-diff: the API of this build (the .jsii assembly `npm run compile` writes)
# against the last release of the package on the npm registry (npm's
# configured registry: npmjs.org, or the rehearsal's verdaccio).
#
#   scripts/release/api-diff.sh [VERSION]   against VERSION instead of the latest release
#
# API_DIFF_BUILD=DIR compares the package in DIR instead of this build (the
# rehearsal points it at an assembly with an element removed).
# Any breaking change fails, of experimental APIs too (all of this library's
# APIs are experimental while it is 0.x, and users still need to be told),
# unless its key is in scripts/release/allowed-breaking-changes.txt. Before the
# first release there is nothing to compare with: it says so and passes.
#
# The release is installed next to the aws-cdk-lib and constructs this build
# compiles against, rather than with jsii-diff's own `npm:` download, which
# takes the newest ones: members the release inherits from a newer constructs
# (such as Construct.with) would otherwise show as removed from this build.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=$(node -p "require('./package.json').name")
registry=$(npm config get registry)
build=${API_DIFF_BUILD:-.}
[ -f "$build/.jsii" ] || { echo "api-diff: no .jsii in $build: run npm run compile first" >&2; exit 2; }

previous=${1:-}
if [ -z "$previous" ]; then
  if ! view=$(npm view "$name" version --json 2>&1); then
    if grep -q '"code": "E404"' <<<"$view"; then
      echo "api-diff: $name has no release on $registry yet: nothing to compare this build with (jsii-diff runs from the second release on)"
      exit 0
    fi
    echo "$view" >&2
    exit 1
  fi
  previous=$(node -p "JSON.parse(process.argv[1])" "$view")
fi

installed() { node -p "require('$1/package.json').version"; }
aws_cdk_lib=$(installed aws-cdk-lib)
constructs=$(installed constructs)
release=$(mktemp -d)
trap 'rm -rf "$release"' EXIT
echo "api-diff: the API of this build against $name@$previous from $registry (both on aws-cdk-lib $aws_cdk_lib, constructs $constructs)"
(cd "$release" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund --prefer-offline \
  "$name@$previous" "aws-cdk-lib@$aws_cdk_lib" "constructs@$constructs")
npx --no-install jsii-diff --keys --error-on all \
  --ignore-file scripts/release/allowed-breaking-changes.txt \
  "$release/node_modules/$name" "$build"
echo "api-diff: no breaking change against $name@$previous but those allowed-breaking-changes.txt lists"
