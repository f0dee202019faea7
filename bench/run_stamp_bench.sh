#!/usr/bin/env bash
# `git model stamp` of a big checkpoint against `openssl dgst -sha256` of the same file; updates
# the stamp section of bench/RESULTS.md.
#
#   bench/run_stamp_bench.sh [GIT_MODEL_BINARY]
#
# Environment:
#   GIT_MODEL   the binary, when not given as the argument (default: build/git-model)
#   BENCH_DIR   where the checkpoint and raw results go (default: a new /tmp/git-model-bench.*);
#               an existing big_<N>gb_d<D>.pt there is reused
#   BENCH_GB    checkpoint size in GiB (default: 1)
#   PYTHON      a python with torch (default: /usr/bin/python3)
#   RUNS        hyperfine runs per command (default: 7), after one warm-up run
#   RESULTS     the markdown file to update (default: bench/RESULTS.md)
#
# Stamping re-stamps the same file on every run (each run replaces the record). The page cache
# is warm for every command, so this compares hashing and writing work, not the disk.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${GIT_MODEL:-$repo/build/git-model}}
python=${PYTHON:-/usr/bin/python3}
gb=${BENCH_GB:-1}
runs=${RUNS:-7}
results=${RESULTS:-$repo/bench/RESULTS.md}
bench_dir=${BENCH_DIR:-$(mktemp -d /tmp/git-model-bench.XXXXXX)}

die() { echo "run_stamp_bench: $*" >&2; exit 2; }
[[ -x $bin ]] || die "git-model binary not found or not executable: $bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
command -v hyperfine >/dev/null || die "hyperfine is not installed"
command -v openssl >/dev/null || die "openssl is not installed"
mkdir -p "$bench_dir"

d_model=$("$python" -c "print(int(1024 * $gb ** 0.5) // 64 * 64)")
file=$bench_dir/big_${gb}gb_d${d_model}.pt
if [[ ! -f $file ]]; then
  "$python" "$repo/bench/gen_big_checkpoint.py" "$file" --gb "$gb" --d-model "$d_model" >&2
fi
# Stamp outside any repository with a private HOME, so the run measures stamping, not git status
# of whatever directory the benchmark happens to sit in.
export HOME=$bench_dir/home
mkdir -p "$HOME"
cd "$bench_dir"
"$bin" stamp --no-python "$file" >/dev/null  # the file carries a record from here on

OPENSSL_CMD="openssl dgst -sha256 $file"
STAMP_CMD="$bin stamp --no-python $file"
VERIFY_CMD="$bin verify --no-python $file"
HASHES_CMD="$bin inspect --hashes $file"
REPLACE_CMD="cp $file $bench_dir/copy.pt && sync $bench_dir/copy.pt && mv $bench_dir/copy.pt $bench_dir/replaced.pt"
json=$bench_dir/hyperfine_stamp.json
hyperfine --warmup 1 --runs "$runs" --export-json "$json" \
  -n "openssl dgst -sha256" "$OPENSSL_CMD" \
  -n "git-model stamp" "$STAMP_CMD" \
  -n "git-model verify" "$VERIFY_CMD" \
  -n "git-model inspect --hashes" "$HASHES_CMD" \
  -n "cp + sync + mv" "$REPLACE_CMD" >&2

section=$bench_dir/section.md
"$python" - "$json" "$file" "$runs" "$gb" "$bin" "$OPENSSL_CMD" "$STAMP_CMD" "$VERIFY_CMD" "$HASHES_CMD" \
  "$REPLACE_CMD" >"$section" <<'EOF'
import json, os, sys, time
path, file, runs, gb, binary = sys.argv[1:6]
commands = sys.argv[6:]
results = json.load(open(path))["results"]
openssl = results[0]["median"]
size = os.path.getsize(file)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
print("<!-- stamp-bench:begin (written by bench/run_stamp_bench.sh; do not edit by hand) -->")
print("## stamp vs openssl dgst -sha256\n")
print(f"Reproduce: `BENCH_GB={gb} RUNS={runs} bench/run_stamp_bench.sh {binary}`\n")
print(f"- Machine: {cpu}, {os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
      f"load average at end {open('/proc/loadavg').read().split()[0]}")
print(f"- Checkpoint: {size / 2**30:.2f} GiB torch.save zip (`{os.path.basename(file)}`), warm page cache, "
      f"{runs} runs per command after 1 warm-up\n")
print("| command | median | mean ± σ | throughput | vs openssl |")
print("|---|---|---|---|---|")
for r in results:
    print("| %s | %.3f s | %.3f s ± %.3f s | %.2f GB/s | %.2fx |" % (
        r["command"], r["median"], r["mean"], r["stddev"] or 0.0, size / r["median"] / 1e9, openssl / r["median"]))
print("\nExact commands, in the table's order:\n")
print("```sh")
for command in commands:
    print(command)
print("```")
EOF
cat >>"$section" <<'EOF'

What each row does: `openssl` hashes the file in one stream. `verify` and `inspect --hashes`
hash every tensor on both cores and combine them into the weights fingerprint. `stamp` does that,
then replaces the file atomically (a new file with the record, written with copy_file_range,
fsync, rename over the original), then hashes the stamped file once more for the record index.
`cp + sync + mv` is the floor of any crash-safe replacement of a 1 GiB file on this ext4 disk
(no reflinks), for comparison.

Target (issue 3): stamp at >= 1.8x openssl's single-stream throughput. Missed. The hashing part
meets it (`inspect --hashes`, the fingerprint on both cores), but the crash-safe replacement the
same issue requires (temp file, fsync, rename) copies and syncs the whole file, and that floor
alone (`cp + sync + mv`) is slower than openssl's whole pass on this disk; the record index's
file hash is a third full pass. Reaching the target needs a stamp that does not rewrite the
tensor bytes (appending the record in place behind an undo journal, or reflink copies on XFS or
btrfs) and a file hash computed alongside the fingerprint.
EOF
echo "<!-- stamp-bench:end -->" >>"$section"

"$python" - "$results" "$section" <<'EOF'
import re, sys
results, section = sys.argv[1], open(sys.argv[2]).read().rstrip("\n") + "\n"
text = open(results).read()
pattern = re.compile(r"<!-- stamp-bench:begin.*?<!-- stamp-bench:end -->\n?", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(results, "w").write(text)
EOF
echo "run_stamp_bench: wrote $results (raw hyperfine export in $json)" >&2
