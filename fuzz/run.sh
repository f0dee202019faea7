#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (docs/fuzzing.md): builds the fuzz build when it is
# missing (scripts/build.sh fuzz), then fuzz/smoke.sh with that time. Fails on any crash; the input
# that did it is left in BUILD_DIR/fuzz-artifacts/. Each run appends one line per target to
# BUILD_DIR/fuzz-time.tsv (date, target, seconds, executions), so time spent fuzzing adds up
# across runs: `fuzz/run.sh --total` prints the sums.
#
#   fuzz/run.sh SECONDS [BUILD_DIR]     default BUILD_DIR: build-fuzz
#   fuzz/run.sh --total [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { echo "usage: fuzz/run.sh SECONDS [BUILD_DIR] | fuzz/run.sh --total [BUILD_DIR]" >&2; exit 2; }
[ $# -ge 1 ] || usage
build="${2:-build-fuzz}"
ledger="$build/fuzz-time.tsv"

if [ "$1" = "--total" ]; then
  [ -f "$ledger" ] || { echo "no fuzzing recorded in $ledger yet" >&2; exit 1; }
  awk -F'\t' '{s[$2]+=$3; e[$2]+=$4} END {for (t in s) printf "%-24s %6d s  %12d executions\n", t, s[t], e[t]}' "$ledger" | sort
  exit 0
fi
[[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -gt 0 ] || usage
[ -x "$build/fuzz/make_seeds" ] || scripts/build.sh fuzz
status=0
FUZZ_SECONDS="$1" fuzz/smoke.sh "$build" || status=$?
for log in "$build"/fuzz-fuzz_*.log; do  # a target that crashed logged its time too
  target=$(basename "$log" .log); target=${target#fuzz-}
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  printf '%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$1" "${runs:-0}" >> "$ledger"
done
exit $status
