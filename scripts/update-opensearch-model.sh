#!/usr/bin/env bash
# Refreshes the OpenSearch API model the simulator validates requests against
# (test/simulator/model/): botocore's opensearch/2021-01-01/service-2.json, taken
# from botocore's wheel on PyPI with pip, checked against the pinned hash.
#
#   scripts/update-opensearch-model.sh
#
# To move to another botocore release, set BOTOCORE_VERSION and WHEEL_SHA256 below
# (the hash is on the release's PyPI page, or in pip's error when it differs), run
# this, then `npx jest test/simulator test/handler test/local-deploy`.
# Tests read the committed file; nothing here runs in CI.
set -euo pipefail
BOTOCORE_VERSION=1.44.8
WHEEL_SHA256=76342a76c338701db80dcb8afe1c9bd079283d6fffbb9d881442abb02a215043
MODEL_PATH=botocore/data/opensearch/2021-01-01/service-2.json

root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/test/simulator/model"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "botocore==$BOTOCORE_VERSION --hash=sha256:$WHEEL_SHA256" > "$tmp/requirements.txt"
python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
  --requirement "$tmp/requirements.txt" --dest "$tmp"

# Newer releases ship the model gzipped, older ones as plain JSON: keep it gzipped.
python3 - "$tmp"/botocore-"$BOTOCORE_VERSION"-*.whl "$MODEL_PATH" "$target/opensearch-2021-01-01.json.gz" <<'PY'
import gzip, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive:
    names = set(archive.namelist())
    if member + '.gz' in names:
        data = archive.read(member + '.gz')
    elif member in names:
        data = gzip.compress(archive.read(member), mtime=0)
    else:
        sys.exit(f'{member} is not in {wheel}')
with open(out, 'wb') as f:
    f.write(data)
PY

cat > "$target/NOTICE" <<EOF
opensearch-2021-01-01.json.gz is $MODEL_PATH(.gz) from botocore $BOTOCORE_VERSION
(PyPI wheel, sha256 $WHEEL_SHA256), unchanged; scripts/update-opensearch-model.sh fetches it.

Botocore
Copyright 2012-2022 Amazon.com, Inc. or its affiliates. All Rights Reserved.
Licensed under the Apache License, Version 2.0: http://www.apache.org/licenses/LICENSE-2.0
EOF
echo "test/simulator/model: botocore $BOTOCORE_VERSION"
