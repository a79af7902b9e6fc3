#!/usr/bin/env bash
# Builds the library for every jsii target into dist/, as a release would:
#   dist/js      the npm tarball
#   dist/python  the wheel and the sdist (jsii-pacmak builds them in a venv of its own, pip from PyPI)
#   dist/java    the jar, sources and javadoc, in a Maven repository layout (Maven, from Maven Central)
#   dist/go      the Go module (go mod tidy and go build, modules from the Go module proxy)
#   dist/dotnet  the C# sources only: building them needs the .NET SDK, which this
#                project's machines do not have (and cannot install: no NuGet, no
#                Microsoft package feed); Construct Hub renders C# docs from the
#                jsii assembly, not from a build.
# README examples are translated with the rosetta tablet made here, and any
# example rosetta cannot translate fails the build.
# It bundles the handler and compiles the .jsii assembly first.
# Caches: Maven's local repository is ~/.m2/repository unless
# CDK_LANGUAGES_CACHE is set (then all language caches live under it, see
# scripts/language-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/language-env.sh

tablet=.jsii.tabl.json
trap 'rm -f "$tablet"' EXIT
rm -rf dist
npm run --silent bundle
npm run --silent compile
npx jsii-rosetta extract --strict
npx jsii-pacmak --targets js python java go \
  --rosetta-tablet "$tablet" --rosetta-unknown-snippets fail \
  --maven-local-repository "$MAVEN_LOCAL_REPOSITORY"
npx jsii-pacmak --targets dotnet --code-only \
  --rosetta-tablet "$tablet" --rosetta-unknown-snippets fail
find dist -maxdepth 2 -type f \( -name '*.tgz' -o -name '*.whl' -o -name '*.tar.gz' \) -printf '%p %s bytes\n'
