#!/usr/bin/env bash
# The NuGet package publib-nuget publishes (dist/dotnet/*.nupkg). `npm run
# package:all` generates the C# sources only, because the project's machines
# have no .NET SDK; where one exists (the release workflow sets it up), this
# builds the package with jsii-pacmak, README examples translated as for the
# other languages, and checks that it holds the assembly of this version.
#
#   scripts/release/package-dotnet.sh [--require]
#
# Without a .NET SDK it says so and exits 0, or 1 with --require (the release
# workflow, which must not go on to publish without the package).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v dotnet >/dev/null; then
  echo "NuGet: no .NET SDK on this machine (no dotnet on PATH): dist/dotnet holds the C# sources jsii-pacmak generated, not a package."
  echo "NuGet: the .nupkg is built and checked, and publib-nuget runs, only where a .NET SDK exists (the release workflow sets one up)."
  [ "${1:-}" = --require ] && exit 1
  exit 0
fi

tablet=.jsii.tabl.json
trap 'rm -f "$tablet"' EXIT
npx --no-install jsii-rosetta extract --strict
npx --no-install jsii-pacmak --targets dotnet --rosetta-tablet "$tablet" --rosetta-unknown-snippets fail

package_id=$(node -p "require('./package.json').jsii.targets.dotnet.packageId")
version=$(node -p "require('./package.json').version")
nupkg=dist/dotnet/$package_id.$version.nupkg
[ -f "$nupkg" ] || { echo "NuGet: jsii-pacmak wrote no $nupkg" >&2; ls dist/dotnet >&2; exit 1; }
unzip -l "$nupkg" | grep -q "lib/.*/$package_id.dll" || { echo "NuGet: $nupkg holds no $package_id.dll" >&2; exit 1; }
echo "NuGet: $nupkg ($(stat -c %s "$nupkg") bytes) holds $package_id.dll"
