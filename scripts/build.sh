#!/usr/bin/env bash
# Configures and builds one configuration.
#   scripts/build.sh            release build in build/
#   scripts/build.sh asan       ASan+UBSan build in build-asan/
#   scripts/build.sh fuzz       libFuzzer targets (clang) in build-fuzz/
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-release}"
jobs="$(nproc)"
case "$config" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan)    dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DGITMODEL_SANITIZE=ON) ;;
  fuzz)    dir=build-fuzz; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DGITMODEL_FUZZ=ON -DGITMODEL_TESTS=OFF
                                  -DCMAKE_CXX_COMPILER=clang++) ;;
  *) echo "usage: $0 [release|asan|fuzz]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
ninja -C "$dir" -j "$jobs"
