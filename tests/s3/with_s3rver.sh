#!/usr/bin/env bash
# Runs CMD... with a real S3-compatible server: s3rver (npm) on 127.0.0.1, a free port, a temp data
# directory and one bucket, behind the SigV4 check of start_s3rver.js. CMD sees
#   GITMODEL_S3_ENDPOINT=http://127.0.0.1:<port>  GITMODEL_S3_BUCKET=<bucket>
#   AWS_ENDPOINT_URL (the same endpoint), AWS_ACCESS_KEY_ID=S3RVER, AWS_SECRET_ACCESS_KEY=S3RVER,
#   AWS_REGION=us-east-1, and no AWS profile or shared files.
# s3rver is installed once into ${GITMODEL_NPM_CACHE:-$HOME/.cache/git-model-test-npm}, outside the
# source tree. Exits with CMD's status; 77 (CTest's skip) when s3rver cannot be installed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=3.7.1
cache=${GITMODEL_NPM_CACHE:-${HOME:-/tmp}/.cache/git-model-test-npm}
bucket=${GITMODEL_S3_TEST_BUCKET:-git-model-test}

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

installed() {
  [[ -f $cache/node_modules/s3rver/package.json ]] &&
    grep -q "\"version\": \"$version\"" "$cache/node_modules/s3rver/package.json"
}

if ! installed; then
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "with_s3rver.sh: node and npm are needed (scripts/install-deps.sh); skipping" >&2
    exit 77
  fi
  mkdir -p "$cache"
  install=(npm install --prefix "$cache" "s3rver@$version" --no-audit --no-fund --loglevel=error)
  if command -v flock >/dev/null; then install=(flock "$cache/.install.lock" "${install[@]}"); fi
  if ! "${install[@]}" >&2 || ! installed; then
    echo "with_s3rver.sh: could not install s3rver@$version from npm; skipping" >&2
    exit 77
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gm-s3rver.XXXXXX")
pid=
cleanup() {
  if [[ -n $pid ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

node "$here/start_s3rver.js" "$cache" "$work/data" "$bucket" >"$work/server.log" 2>&1 &
pid=$!

port=
for _ in $(seq 300); do
  port=$(sed -n 's/^S3rver listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$work/server.log")
  [[ -n $port ]] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "with_s3rver.sh: s3rver did not start:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z $port ]] || ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "with_s3rver.sh: s3rver is not answering on 127.0.0.1:${port:-?}" >&2
  cat "$work/server.log" >&2
  exit 1
fi

export GITMODEL_S3_ENDPOINT="http://127.0.0.1:$port"
export GITMODEL_S3_BUCKET="$bucket"
export GITMODEL_S3_DATA_DIR="$work/data"  # where s3rver keeps objects (tests corrupt them there)
export AWS_ENDPOINT_URL="$GITMODEL_S3_ENDPOINT"
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION AWS_ENDPOINT_URL_S3

set +e
"$@"
status=$?
set -e
if [[ $status -ne 0 ]]; then
  echo "with_s3rver.sh: server log:" >&2
  tail -n 50 "$work/server.log" >&2
fi
exit "$status"
