#!/usr/bin/env bash
# Installs every build, test and benchmark dependency from Debian packages.
# Idempotent: does nothing (not even `apt-get update`) when all packages are present.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config
  # libraries
  libfmt-dev libcli11-dev nlohmann-json3-dev zlib1g-dev libssl-dev
  libgit2-dev libsqlite3-dev libzstd-dev libyaml-cpp-dev libtomlplusplus-dev libcurl4-openssl-dev
  # tests, sanitizers, fuzzing, benchmarks
  libgtest-dev libgmock-dev clang libclang-rt-14-dev hyperfine time
  # reference PyTorch for fixtures and interop tests (never needed at run time)
  python3 python3-torch python3-numpy
  # git itself, for end-to-end tests; git-lfs for the storage benchmark
  git git-lfs
  # headless Chromium: the report's HTML is checked in a real browser
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# npm fetches the S3-compatible server the storage tests start (s3rver); a Node.js that already
# ships npm (NodeSource's) is fine, otherwise Debian's.
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
