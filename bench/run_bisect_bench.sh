#!/usr/bin/env bash
# `git model bisect --offline` over 10,000 commits with a recorded run each and a val_acc
# regression planted at one of them, against `git log --oneline` and `git rev-list --count HEAD`
# (what users would otherwise run to walk the history) on the same repository; checks once that
# bisect names the planted commit, then updates the bisect section of bench/RESULTS.md.
#
#   bench/run_bisect_bench.sh [GIT_MODEL_BINARY]
#
# Environment:
#   GIT_MODEL      the binary, when not given as the argument (default: build/git-model)
#   BENCH_DIR      where the repository and raw results go (default: a new /tmp/git-model-bench.*);
#                  an existing bisect-repo there is reused, whatever COMMITS and REGRESSION_AT say
#   COMMITS        commits (and runs: one a commit) of a new repository (default: 10000)
#   REGRESSION_AT  the commit, counted from 0 = the oldest, where val_acc drops (default: 6173)
#   RUNS           hyperfine runs per command (default: 20), after WARMUP warm-up runs (default: 3)
#   RESULTS        the markdown file to update (default: bench/RESULTS.md)
#
# The repository and its run index are written by `bench/gen_runs_repo.py --regression-at`
# (4 metrics of 4 points a run; about 7 seconds): val_acc is about 0.90 before the planted commit
# and about 0.70 from it on; about 1 commit in 5 has no finished clean run and must be skipped.
# Commands run as users type them, `git model ...` through git's dispatch to the git-model on PATH;
# hyperfine -N (no shell) discards their output. The page cache is warm.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/bench/lib_results.sh"
commits=${COMMITS:-10000}
regression_at=${REGRESSION_AT:-6173}
runs=${RUNS:-20}
warmup=${WARMUP:-3}
results=${RESULTS:-$repo/bench/RESULTS.md}
target_ms=100

die() { echo "run_bisect_bench: $*" >&2; exit 2; }
bench_environment run_bisect_bench "${1:-${GIT_MODEL:-$repo/build/git-model}}"

work=$bench_dir/bisect-repo
if [[ ! -e $work/.git/git-model/index.db ]]; then
  [[ ! -e $work ]] || die "$work exists without an index (a generation that did not finish?): remove it"
  /usr/bin/python3 "$repo/bench/gen_runs_repo.py" "$work" --commits "$commits" --runs "$commits" --metrics 4 \
    --points 4 --regression-at "$regression_at" || { rm -rf "$work"; die "generating $work failed"; }
fi
cd "$work"
[[ -s .git/bench-regression ]] || die "$work has no .git/bench-regression: not made with --regression-at; remove it"
planted=$(cat .git/bench-regression)
root=$(git rev-list --max-parents=0 HEAD)
bisect=(git model bisect --offline --good "$root" --bad HEAD --metric val_acc --min 0.8)

# The answer must be the planted commit before any timing means anything.
answer=$("${bisect[@]}" --json) || die "$(printf '%q ' "${bisect[@]}")--json failed"
named=$(/usr/bin/python3 -c 'import json, sys; print(json.loads(sys.stdin.read())["first_bad"]["id"])' <<<"$answer") ||
  die "bisect --json printed no first_bad.id: ${answer:0:300}"
[[ $named == "$planted" ]] || die "bisect named $named, the regression was planted at $planted"

counts=$(/usr/bin/python3 - "$planted" <<'PY'
import sqlite3, subprocess, sys
db = sqlite3.connect("file:.git/git-model/index.db?mode=ro", uri=True)
q = lambda sql: db.execute(sql).fetchone()[0]
order = subprocess.run(["git", "rev-list", "--reverse", "HEAD"], capture_output=True, text=True, check=True).stdout.split()
print(q("SELECT count(*) FROM runs"),
      q("SELECT count(DISTINCT commit_id) FROM runs WHERE status = 'finished' AND dirty = 0 AND EXISTS "
        "(SELECT 1 FROM run_metrics m WHERE m.run_id = runs.id AND m.key = 'val_acc')"),
      len(order), order.index(sys.argv[1]))
PY
)
read -r run_count measured_commits commit_count planted_index <<<"$counts"

# name|command (no shell: hyperfine -N); the git log row is the reference.
rows=(
  "git log --oneline|git log --oneline"
  "git rev-list --count HEAD|git rev-list --count HEAD"
  "git model bisect --offline --good ROOT --bad HEAD --metric val_acc --min 0.8|${bisect[*]}"
  "git model bisect --offline --good ROOT --bad HEAD --metric val_acc --min 0.8 --json|${bisect[*]} --json"
)
args=()
commands=()
for row in "${rows[@]}"; do
  args+=(-n "${row%%|*}" "${row#*|}")
  commands+=("${row#*|}")
done
json=$bench_dir/hyperfine_bisect.json
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$json" "${args[@]}" >&2

section=$bench_dir/bisect-section.md
/usr/bin/python3 - "$json" "$section" "$bin" "$runs" "$warmup" "$target_ms" "$run_count" "$measured_commits" \
  "$commit_count" "$planted_index" "$planted" "$root" "${commands[@]}" <<'PY'
import json, os, sys, time
(path, section, binary, runs, warmup, target_ms, run_count, measured, commits, planted_index, planted,
 root) = sys.argv[1:13]
commands = sys.argv[13:]
target_ms, commits, measured = float(target_ms), int(commits), int(measured)
results = json.load(open(path))["results"]
ms = lambda seconds: seconds * 1000
reference = results[0]["median"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
hyperfine = os.popen("hyperfine --version").read().split()[-1]
version = os.popen(f"'{binary}' --version").read().strip()
out = ["<!-- bisect-bench:begin (written by bench/run_bisect_bench.sh; do not edit by hand) -->",
       f"## Offline bisect over {commits:,} recorded commits", "",
       f"Reproduce: `COMMITS={commits} REGRESSION_AT={planted_index} RUNS={runs} WARMUP={warmup} "
       f"bench/run_bisect_bench.sh {binary}`", "",
       f"- Machine: {cpu}, {os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
       f"load average at end {open('/proc/loadavg').read().split()[0]}; hyperfine {hyperfine}; {version}",
       f"- Repository (`bench/gen_runs_repo.py --regression-at {planted_index}`): {commits:,} commits, "
       f"{int(run_count):,} runs (one a commit, 4 metrics of 4 points each); val_acc about 0.90 before commit "
       f"{planted_index} and about 0.70 from it on. {measured:,} commits have a finished clean run, so a value; "
       f"bisect must skip the other {commits - measured:,}. Checked before timing: bisect names the planted "
       f"commit {planted}.",
       f"- Warm page cache; {runs} runs per command after {warmup} warm-up runs; output discarded by hyperfine. "
       "The machine is shared: when the median is well above the CPU time, other work was running", "",
       f"| command | median | min | max | CPU (user + sys, mean) | vs git log --oneline | target <= {target_ms:.0f} ms |",
       "|---|---|---|---|---|---|---|"]
for r in results:
    verdict = "-" if not r["command"].startswith("git model") else \
        ("**met**" if ms(r["median"]) <= target_ms else "**missed**")
    out.append(f"| `{r['command']}` | {ms(r['median']):.1f} ms | {ms(r['min']):.1f} ms | {ms(r['max']):.1f} ms | "
               f"{ms(r['user'] + r['system']):.1f} ms | {r['median'] / reference:.1f}x | {verdict} |")
out += ["", f"ROOT is the oldest commit, {root}. Exact commands, in the table's order, run in the generated "
        f"repository (`hyperfine -N --warmup {warmup} --runs {runs}`; `git model` is git's dispatch to the "
        "git-model on PATH):", "", "```sh"]
out += commands
out += ["```", "",
        "What each row does: `git log --oneline` and `git rev-list --count HEAD` walk every commit of the "
        "history, the floor of any tool that reads it from the object database; `git model bisect --offline` "
        "finds the first commit whose val_acc (the median of the last val_acc of each finished, clean run "
        "recorded at that commit) is below 0.8, using only the run index, skipping commits without a value.",
        "<!-- bisect-bench:end -->", ""]
open(section, "w").write("\n".join(out))
PY

replace_results_section bisect-bench "$section" "$results"
echo "run_bisect_bench: wrote $results (raw hyperfine export in $json)" >&2
