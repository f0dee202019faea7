#!/usr/bin/env bash
# Cold-process `git-model inspect` against `torch.load` on big checkpoints; writes bench/RESULTS.md.
#
#   bench/run_inspect_bench.sh [GIT_MODEL_BINARY]
#
# Environment:
#   GIT_MODEL    the binary, when not given as the argument (default: build/git-model)
#   BENCH_DIR    where the checkpoints and raw results go (default: a new /tmp/git-model-bench.*);
#                existing big_<N>gb.pt files there are reused
#   BENCH_SIZES  checkpoint sizes in GiB (default: "1 4")
#   PYTHON       a python with torch (default: /usr/bin/python3, Debian's python3-torch)
#   RUNS         hyperfine runs per command (default: 5), after one warm-up run
#   RESULTS      the markdown file to update (default: bench/RESULTS.md)
#
# Every command runs as a fresh process (no state carried between runs); the page cache is warm
# (hyperfine's warm-up run reads the file first), so this measures parsing and loading, not the
# disk. Each command is also run once under /usr/bin/time -v for its peak RSS. The section
# between the inspect-bench markers in RESULTS is replaced; the rest of the file is kept.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${GIT_MODEL:-$repo/build/git-model}}
python=${PYTHON:-/usr/bin/python3}
sizes=${BENCH_SIZES:-"1 4"}
runs=${RUNS:-5}
results=${RESULTS:-$repo/bench/RESULTS.md}
bench_dir=${BENCH_DIR:-$(mktemp -d /tmp/git-model-bench.XXXXXX)}

die() { echo "run_inspect_bench: $*" >&2; exit 2; }
[[ -x $bin ]] || die "git-model binary not found or not executable: $bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
command -v hyperfine >/dev/null || die "hyperfine is not installed"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is not installed"
"$python" -c "import torch" 2>/dev/null || die "$python cannot import torch (set PYTHON)"
mkdir -p "$bench_dir"

# Peak resident set size of one run of a shell command, in MiB.
peak_rss_mib() {
  local log=$bench_dir/time.log
  /usr/bin/time -v bash -c "$1" >/dev/null 2>"$log" || die "command failed: $1 (see $log)"
  awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log"
}

machine_summary() {
  local cpu
  cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
  echo "- Machine: ${cpu:-unknown CPU}, $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- torch $("$python" -c 'import torch; print(torch.__version__)') ($python), $(hyperfine --version)"
  echo "- git-model: \`$bin\` ($("$bin" --version 2>/dev/null | head -1 || echo 'version unknown'))"
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average at start $(cut -d' ' -f1-3 /proc/loadavg);"
  echo "  $runs runs per command after 1 warm-up; warm page cache"
}

# Benchmarks one checkpoint size; appends its markdown section to $section.
# d_model grows with the square root of the size, so every size has about the same number of
# tensors: what differs between sizes is tensor bytes only, which inspect must not depend on.
bench_size() {
  local gb=$1 d_model
  d_model=$("$python" -c "print(int(1024 * $gb ** 0.5) // 64 * 64)")
  local file=$bench_dir/big_${gb}gb_d${d_model}.pt
  if [[ ! -f $file ]]; then
    "$python" "$repo/bench/gen_big_checkpoint.py" "$file" --gb "$gb" --d-model "$d_model" >&2
  fi
  export GIT_MODEL_INSPECT_CMD="$bin inspect $file"
  export GIT_MODEL_HASHES_CMD="$bin inspect --hashes $file"
  export TORCH_LOAD_CMD="$python -c \"import torch; torch.load('$file', map_location='cpu')\""
  local json=$bench_dir/hyperfine_${gb}gb.json
  hyperfine --warmup 1 --runs "$runs" --export-json "$json" \
    --export-markdown "$bench_dir/hyperfine_${gb}gb.md" \
    -n "git-model inspect" "$GIT_MODEL_INSPECT_CMD" \
    -n "git-model inspect --hashes" "$GIT_MODEL_HASHES_CMD" \
    -n "torch.load" "$TORCH_LOAD_CMD" >&2
  local rss_inspect rss_hashes rss_torch
  rss_inspect=$(peak_rss_mib "$GIT_MODEL_INSPECT_CMD")
  rss_hashes=$(peak_rss_mib "$GIT_MODEL_HASHES_CMD")
  rss_torch=$(peak_rss_mib "$TORCH_LOAD_CMD")
  local median tensors
  median=$("$python" -c "import json; print(json.load(open('$json'))['results'][0]['median'])")
  tensors=$("$bin" inspect --json "$file" | "$python" -c "import json,sys; print(json.load(sys.stdin)['summary']['tensors'])")
  echo "$gb $median $rss_inspect $tensors" >>"$scaling"
  "$python" - "$json" "$file" "$rss_inspect" "$rss_hashes" "$rss_torch" >>"$section" <<'EOF'
import json, os, sys
path, file = sys.argv[1], sys.argv[2]
rss = [int(v) for v in sys.argv[3:6]]
results = json.load(open(path))["results"]
torch_median = results[2]["median"]
size = os.path.getsize(file) / 2**30
print("\n### %.2f GiB checkpoint (`%s`)\n" % (size, os.path.basename(file)))
print("| command | median | mean ± σ | min | torch.load / this | peak RSS |")
print("|---|---|---|---|---|---|")
def t(seconds):
    return "%.1f ms" % (seconds * 1e3) if seconds < 1 else "%.3f s" % seconds
for r, peak in zip(results, rss):
    print("| %s | %s | %s ± %s | %s | %.1f× | %d MiB |" % (
        r["command"], t(r["median"]), t(r["mean"]), t(r["stddev"] or 0.0), t(r["min"]),
        torch_median / r["median"], peak))
print("\nExact commands, in the table's order (hyperfine runs each in a fresh process):\n")
EOF
  {
    echo '```sh'
    echo "$GIT_MODEL_INSPECT_CMD"
    echo "$GIT_MODEL_HASHES_CMD"
    echo "$TORCH_LOAD_CMD"
    echo '```'
  } >>"$section"
}

section=$bench_dir/section.md
{
  echo "<!-- inspect-bench:begin (written by bench/run_inspect_bench.sh; do not edit by hand) -->"
  echo "## inspect vs torch.load"
  echo
  echo "Reproduce: \`BENCH_SIZES=\"$sizes\" RUNS=$runs bench/run_inspect_bench.sh $bin\`"
  echo "(checkpoints from \`bench/gen_big_checkpoint.py OUT --gb N --d-model D\`, D = 1024 x sqrt(N) so sizes differ in bytes, not tensor count: transformer-shaped state_dict,"
  echo "bf16 linear weights and fp32 embeddings/biases/norms, written by torch.save)."
  echo
  machine_summary
  echo
  echo "\`git-model inspect\` parses the zip directory and pickle and reports every tensor without"
  echo "reading tensor bytes; \`--hashes\` also reads and SHA-256-hashes every tensor; \`torch.load\`"
  echo "imports torch, unpickles and copies every storage into memory."
} >"$section"
scaling=$bench_dir/scaling.txt
: >"$scaling"
for gb in $sizes; do
  bench_size "$gb"
done
"$python" - "$scaling" >>"$section" <<'EOF'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
if len(rows) >= 2:
    (g0, t0, r0, n0), (g1, t1, r1, n1) = rows[0], rows[-1]
    print("\n### Scaling with tensor bytes\n")
    print("About the same tensor count (%s vs %s tensors), %gx the bytes: `git-model inspect` median "
          "%.1f ms -> %.1f ms (%.2fx), peak RSS %s -> %s MiB (%.2fx). Target: within 1.5x, RSS <= 64 MiB."
          % (n0, n1, float(g1) / float(g0), float(t0) * 1e3, float(t1) * 1e3, float(t1) / float(t0),
             r0, r1, float(r1) / float(r0)))
EOF
echo "<!-- inspect-bench:end -->" >>"$section"

# Replace the previous section (or append one) in $results.
"$python" - "$results" "$section" <<'EOF'
import re, sys
results, section = sys.argv[1], open(sys.argv[2]).read().rstrip("\n") + "\n"
try:
    text = open(results).read()
except FileNotFoundError:
    text = "# Benchmark results\n\nWritten by the scripts in bench/; each section says how to reproduce it.\n"
pattern = re.compile(r"<!-- inspect-bench:begin.*?<!-- inspect-bench:end -->\n?", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(results, "w").write(text)
EOF
echo "run_inspect_bench: wrote $results (raw hyperfine exports in $bench_dir)" >&2
