# Sourced by the language scripts: where pip, Maven and Go keep their downloads.
# By default each tool's own cache (~/.cache/pip, ~/.m2/repository, ~/go/pkg/mod,
# ~/.cache/go-build), as for any user of the machine. With CDK_LANGUAGES_CACHE=DIR
# all of them live under DIR instead: an empty DIR measures a cold run.
if [ -n "${CDK_LANGUAGES_CACHE:-}" ]; then
  mkdir -p "$CDK_LANGUAGES_CACHE"
  CDK_LANGUAGES_CACHE=$(cd "$CDK_LANGUAGES_CACHE" && pwd)
  export PIP_CACHE_DIR="$CDK_LANGUAGES_CACHE/pip"
  export GOMODCACHE="$CDK_LANGUAGES_CACHE/go/mod"
  export GOCACHE="$CDK_LANGUAGES_CACHE/go/build"
  export MAVEN_LOCAL_REPOSITORY="$CDK_LANGUAGES_CACHE/m2/repository"
  export npm_config_cache="$CDK_LANGUAGES_CACHE/npm"
else
  export MAVEN_LOCAL_REPOSITORY="${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}"
fi

# The Go module proxy serves github.com/aws/aws-cdk-go/awscdk/v2 at the pinned
# release (v2.206.0), but the checksum database it relays answers 404 for it
# (it knows later releases, such as v2.230.0). Go then refuses the module
# ("verifying go.mod: ... 404 Not Found"): skip the checksum database for the
# aws-cdk-go modules only; go.sum still records and checks what was downloaded.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/aws/aws-cdk-go"
