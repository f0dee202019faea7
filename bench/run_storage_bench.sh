#!/usr/bin/env bash
# Model storage against Debian's git-lfs, same checkpoints, same commits: bytes in the local store
# and on a file:// remote, `git add` time and checkout time. Updates the storage section of
# bench/RESULTS.md.
#
#   bench/run_storage_bench.sh [GIT_MODEL_BINARY]
#
# Scenarios (bench/gen_train_checkpoints.py, Debian's torch on the CPU):
#   A  10 checkpoints of a ~500 MB bfloat16 model saved during real training: every layer trains
#   B  10 checkpoints where only the last two layers train
# Environment:
#   GIT_MODEL   the binary, when not given as the argument (default: build/git-model)
#   BENCH_DIR   where checkpoints, repositories and raw timings go (default: a new
#               /tmp/git-model-bench.*); existing checkpoints there are reused
#   SCENARIOS   the scenarios to run, default "A B"; NAME@N runs scenario NAME with
#               `git config git-model.maxDeltaDepth N` (e.g. "A@9"). The report covers every
#               scenario whose raw timings are in BENCH_DIR (so one scenario can be rerun alone)
#   RESULTS     the markdown file to update (default: bench/RESULTS.md)
#
# Each `git add` and each checkout is timed once per checkpoint (10 samples per tool and scenario;
# medians are quoted). The two tools alternate checkpoint by checkpoint, so both see the same
# machine load. The page cache is warm: the checkpoint was just read or written.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${GIT_MODEL:-$repo/build/git-model}}
results=${RESULTS:-$repo/bench/RESULTS.md}
bench_dir=${BENCH_DIR:-$(mktemp -d /tmp/git-model-bench.XXXXXX)}
scenarios=${SCENARIOS:-A B}

die() { echo "run_storage_bench: $*" >&2; exit 2; }
[[ -x $bin ]] || die "git-model binary not found or not executable: $bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
command -v git-lfs >/dev/null || die "git-lfs is not installed (scripts/install-deps.sh)"
mkdir -p "$bench_dir/bin"
ln -sf "$bin" "$bench_dir/bin/git-model"
export PATH="$bench_dir/bin:$PATH" HOME=$bench_dir/home GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"
git lfs install --skip-repo >/dev/null

now() { date +%s.%N; }
seconds_since() { echo "$(now) - $1" | bc; }
bytes_under() { du -sb "$1" 2>/dev/null | cut -f1; }

setup_repo() {  # TOOL DIR [MAX_DELTA_DEPTH]
  rm -rf "$2"
  git init -q -b main "$2"
  if [[ $1 == git-model ]]; then
    (cd "$2" && git model install >/dev/null && git model track "*.pt" >/dev/null)
    [[ -z ${3:-} ]] || git -C "$2" config git-model.maxDeltaDepth "$3"
  else
    (cd "$2" && git lfs install --local >/dev/null && git lfs track "*.pt" >/dev/null)
  fi
  git -C "$2" add .gitattributes
  git -C "$2" commit -q -m attributes
}

run_scenario() {  # NAME[@MAX_DELTA_DEPTH]
  local name=$1 letter=${1%%@*} depth=
  [[ $name == *@* ]] && depth=${name#*@}
  local ckpts=$bench_dir/ckpt-$letter raw=$bench_dir/raw-$name.tsv
  local scenario=all
  [[ $letter == B ]] && scenario=last2
  if [[ ! -e $ckpts/ckpt_09.pt ]]; then
    /usr/bin/python3 "$repo/bench/gen_train_checkpoints.py" "$ckpts" --scenario "$scenario"
  fi
  local gm=$bench_dir/repo-gm-$name lfs=$bench_dir/repo-lfs-$name
  setup_repo git-model "$gm" "$depth"
  setup_repo git-lfs "$lfs"
  echo -e "tool\tstep\tcheckpoint\tseconds" >"$raw"
  for n in $(seq 0 9); do
    local i
    i=$(printf %02d "$n")
    for tool in git-model git-lfs; do
      local dir=$gm
      [[ $tool == git-lfs ]] && dir=$lfs
      cp "$ckpts/ckpt_$i.pt" "$dir/model.pt"
      local t0
      t0=$(now)
      git -C "$dir" add model.pt
      echo -e "$tool\tadd\t$n\t$(seconds_since "$t0")" >>"$raw"
      git -C "$dir" commit -q -m "checkpoint $i"
    done
  done
  # Remotes: git-model's file:// remote; git-lfs's objects travel with a push to a local bare
  # repository (git-lfs's standalone file transfer).
  rm -rf "$bench_dir/remote-gm-$name" "$bench_dir/bare-lfs-$name.git"
  (cd "$gm" && git model remote add origin "file://$bench_dir/remote-gm-$name" >/dev/null && git model push --all >/dev/null)
  git init -q --bare "$bench_dir/bare-lfs-$name.git"
  git -C "$lfs" remote add origin "$bench_dir/bare-lfs-$name.git"
  git -C "$lfs" push -q origin main 2>/dev/null
  # Checkout of every version, newest to oldest, with the file removed first.
  for rev in $(seq 0 9); do
    for tool in git-model git-lfs; do
      local dir=$gm
      [[ $tool == git-lfs ]] && dir=$lfs
      rm -f "$dir/model.pt"
      local t0
      t0=$(now)
      git -C "$dir" checkout -q "HEAD~$rev" -- model.pt
      echo -e "$tool\tcheckout\t$((9 - rev))\t$(seconds_since "$t0")" >>"$raw"
      cmp -s "$dir/model.pt" "$ckpts/ckpt_$(printf %02d $((9 - rev))).pt" || die "$tool checkout of version $((9 - rev)) differs"
    done
  done
  git -C "$gm" checkout -q HEAD -- model.pt
  git -C "$lfs" checkout -q HEAD -- model.pt
  (cd "$gm" && git model fsck >/dev/null) || die "git model fsck failed after scenario $name"
  echo -e "bytes\tlocal\t$(bytes_under "$gm/.git/git-model/objects")\t$(bytes_under "$lfs/.git/lfs/objects")" >>"$raw"
  echo -e "bytes\tremote\t$(bytes_under "$bench_dir/remote-gm-$name/objects")\t$(bytes_under "$bench_dir/bare-lfs-$name.git/lfs/objects")" >>"$raw"
  echo -e "bytes\tcheckpoints\t$(du -cb "$ckpts"/ckpt_*.pt | tail -1 | cut -f1)\t0" >>"$raw"
  (cd "$gm" && git model stats --json) >"$bench_dir/stats-$name.json"
  rm -rf "$gm" "$lfs" "$bench_dir/remote-gm-$name" "$bench_dir/bare-lfs-$name.git"  # about 14 GB a scenario
}

for s in $scenarios; do  # SCENARIOS="" only rewrites the report from BENCH_DIR
  echo "== scenario $s" >&2
  run_scenario "$s"
done

section=$bench_dir/storage-section.md
/usr/bin/python3 - "$bench_dir" "$section" "$bin" <<'PY'
import json, os, statistics, sys, datetime
bench_dir, section, binary = sys.argv[1], sys.argv[2], sys.argv[3]
def scenario_order(name):  # A, B, then A@N, B@N by depth
    letter, _, depth = name.partition("@")
    return (int(depth) if depth else 0, letter)
scenarios = sorted((f[4:-4] for f in os.listdir(bench_dir) if f.startswith("raw-") and f.endswith(".tsv")),
                   key=scenario_order)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
out = ["<!-- storage-bench:begin (written by bench/run_storage_bench.sh; do not edit by hand) -->",
       "## Model storage vs git-lfs", f"Reproduce: `SCENARIOS=\"{' '.join(scenarios)}\" bench/run_storage_bench.sh {binary}`", "",
       f"- Machine: {cpu}, {os.cpu_count()} CPUs; {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; "
       f"load average at end {os.getloadavg()[0]:.2f}; git-lfs {os.popen('git lfs version').read().split()[0].split('/')[1]}",
       "- Checkpoints: bench/gen_train_checkpoints.py (8 x Linear(5632, 5632), 254M parameters, torch.save of the bfloat16 "
       "state_dict, 508 MB each; Adam lr 1e-4 on float32 master weights, 5 steps between checkpoints). A: every layer "
       "trains. B: only the last two layers train.", ""]
targets = {"A": 0.35, "B": 0.10}
for s in scenarios:
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(bench_dir, f"raw-{s}.tsv"))][1:]
    t = lambda tool, step: [float(r[3]) for r in rows if r[0] == tool and r[1] == step]
    b = {r[1]: (int(r[2]), int(r[3])) for r in rows if r[0] == "bytes"}
    stats = json.load(open(os.path.join(bench_dir, f"stats-{s}.json")))
    letter, _, depth = s.partition("@")
    title = f"Scenario {letter}" + (f" with `git config git-model.maxDeltaDepth {depth}`" if depth else
                                    " (default settings: delta chains of at most 4)")
    add_gm, add_lfs = statistics.median(t("git-model", "add")), statistics.median(t("git-lfs", "add"))
    co_gm, co_lfs = statistics.median(t("git-model", "checkout")), statistics.median(t("git-lfs", "checkout"))
    local_ratio, remote_ratio = b["local"][0] / b["local"][1], b["remote"][0] / b["remote"][1]
    verdict = lambda ok: "met" if ok else "missed"
    out += [f"### {title}", "",
            "| | git-model | git-lfs | ratio |", "|---|---|---|---|",
            f"| local store bytes | {b['local'][0]:,} | {b['local'][1]:,} | {local_ratio:.3f}x |",
            f"| remote bytes | {b['remote'][0]:,} | {b['remote'][1]:,} | {remote_ratio:.3f}x |",
            f"| `git add`, median of 10 | {add_gm:.2f} s | {add_lfs:.2f} s | {add_gm / add_lfs:.2f}x |",
            f"| `git add`, max | {max(t('git-model', 'add')):.2f} s | {max(t('git-lfs', 'add')):.2f} s | |",
            f"| checkout, median of 10 versions | {co_gm:.2f} s | {co_lfs:.2f} s | {co_gm / co_lfs:.2f}x |",
            f"| checkout, max | {max(t('git-model', 'checkout')):.2f} s | {max(t('git-lfs', 'checkout')):.2f} s | |", "",
            f"git-model's own account (`git model stats`): {stats['objects']} objects, {stats['delta_objects']} of them "
            f"deltas; dedup {stats['dedup_ratio']:.2f}x, compression {stats['compression_ratio']:.2f}x.", "",
            f"Targets (issue 6): bytes <= {targets[letter]}x git-lfs **{verdict(max(local_ratio, remote_ratio) <= targets[letter])}**; "
            f"`git add` no slower than git-lfs **{verdict(add_gm <= add_lfs)}**; checkout within 1.5x of git-lfs "
            f"**{verdict(co_gm <= 1.5 * co_lfs)}**.", "",
            "Per-checkpoint timings (seconds):", "", "| step | tool | " + " | ".join(str(i) for i in range(10)) + " |",
            "|---|---|" + "---|" * 10]
    for step in ("add", "checkout"):
        for tool in ("git-model", "git-lfs"):
            by = {int(r[2]): float(r[3]) for r in rows if r[0] == tool and r[1] == step}
            out.append(f"| {step} | {tool} | " + " | ".join(f"{by[i]:.2f}" for i in range(10)) + " |")
    out.append("")
out += ["Exact commands, per checkpoint i and for each tool in turn: `cp ckpt_i.pt model.pt; git add model.pt; "
        "git commit -m ...` (timed: the `git add`), in repositories set up with `git model install; git model track "
        "\"*.pt\"` or `git lfs install --local; git lfs track \"*.pt\"`. Remote bytes: `git model push --all` to a "
        "file:// remote vs `git push` to a local bare repository (git-lfs's standalone file transfer). Checkout: "
        "`rm model.pt; git checkout HEAD~k -- model.pt` for k = 0..9 (timed), the result compared with `cmp`.", "",
        "What limits these numbers (measured with perf and an entropy count on these checkpoints):", "",
        "- **Bytes.** A whole bfloat16 version compresses to 0.68 of its size (the order-0 entropy of its byte "
        "planes is 0.655). Adam moves every weight by several ulps between checkpoints, so a difference delta "
        "(zigzag of the integer difference, format version 2) is 0.29-0.33 of the raw bytes, where the order-0 "
        "entropy of those bytes is 0.28-0.31: a better entropy coder has little left to gain (a XOR delta was "
        "0.33-0.36). With chains of at most 4, two of the ten versions are stored whole: (2 x 0.68 + 8 x 0.30) / 10 "
        "= 0.375x. Only a single whole version gets under 0.35x (`maxDeltaDepth 9`: 0.336x), and that costs "
        "checkout time (below). In scenario B the two trained layers are a quarter of this 8-layer model, so even "
        "one whole version leaves (0.68 + 9 x 0.25 x 0.30) / 10 = 0.135x: the 0.10x target needs the trained "
        "layers to hold less than about 11% of the bytes (as the last 2 of 24 layers would).",
        "- **Checkout.** git reads a filter's whole output before it writes the file, so git-model's decoding adds "
        "to git-lfs's copy instead of overlapping it. Every chunk is decoded (zstd, about 1 GB/s a core here) and "
        "its SHA-256 verified (1.5 GB/s with SHA-NI) on both cores; each level of a delta chain adds one more "
        "decode of every changed chunk. Versions stored whole check out within 1.1-1.4x of git-lfs, versions "
        "four deltas deep at about 2x; scenario B's changed chunks are a quarter of the file, so its chains cost "
        "little.",
        "- **`git add`** hashes and encodes every chunk and reads each delta base back (its chain decoded and "
        "verified), where git-lfs hashes and copies the file.", "",
        "Next steps: keep the newest version whole and store older ones as reverse deltas (the version users "
        "check out most would cost one decode, and chains could be longer); decode a chunk's chain levels "
        "in parallel.",
        "<!-- storage-bench:end -->"]
open(section, "w").write("\n".join(out) + "\n")
PY

/usr/bin/python3 - "$results" "$section" <<'PY'
import re, sys
results, section = sys.argv[1], open(sys.argv[2]).read()
text = open(results).read()
pattern = re.compile(r"<!-- storage-bench:begin.*?<!-- storage-bench:end -->\n?", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(results, "w").write(text)
PY
echo "run_storage_bench: wrote $results (raw timings in $bench_dir)" >&2
