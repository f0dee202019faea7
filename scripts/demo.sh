#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine, builds git-model, generates example
# checkpoints with Debian's PyTorch, and inspects them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
out="build/examples"
/usr/bin/python3 scripts/gen_fixtures.py build/fixtures >/dev/null
rm -rf "$out" && cp -r build/fixtures/examples "$out"
export PATH="$PWD/build:$PATH"
run() { echo; echo "\$ $*"; "$@"; }
for f in "$out"/*; do
  run git-model inspect "$f"
done
run git-model inspect --tensors "$out/model_best.pth"
run git-model inspect --stats "$out/model_best.safetensors"
echo
echo "Checkpoints are in $out; try: PATH=\$PWD/build:\$PATH git model inspect --help"
