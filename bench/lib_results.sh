# What the bench scripts share for bench/RESULTS.md. Source it (bash); it needs /usr/bin/python3.
#
# A script's section in RESULTS.md runs from a line starting `<!-- NAME:begin` to the line
# `<!-- NAME:end -->`; the script owns it and rewrites it whole on every run.

# replace_results_section NAME SECTION RESULTS: puts the file SECTION (the whole section, markers
# included) in place of section NAME of the file RESULTS, or at its end when it has none yet.
replace_results_section() {
  /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import re, sys
name, section, results = sys.argv[1], open(sys.argv[2]).read().rstrip("\n") + "\n", sys.argv[3]
text = open(results).read()
pattern = re.compile(r"<!-- " + re.escape(name) + r":begin.*?<!-- " + re.escape(name) + r":end -->\n?", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(results, "w").write(text)
PY
}

# bench_environment SCRIPT_NAME BINARY: checks the git-model binary and hyperfine, then puts the
# binary on PATH as `git-model` (so `git model ...` reaches it) with a HOME of its own under
# $BENCH_DIR (a new /tmp/git-model-bench.* when unset). Sets `bin` (made absolute) and
# `bench_dir`; exits 2 with a message naming SCRIPT_NAME when something is missing.
bench_environment() {
  local name=$1
  bin=$2
  [[ -x $bin ]] || { echo "$name: git-model binary not found or not executable: $bin" >&2; exit 2; }
  bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
  command -v hyperfine >/dev/null || { echo "$name: hyperfine is not installed" >&2; exit 2; }
  bench_dir=${BENCH_DIR:-$(mktemp -d /tmp/git-model-bench.XXXXXX)}
  mkdir -p "$bench_dir/bin" "$bench_dir/home"
  ln -sf "$bin" "$bench_dir/bin/git-model"
  export PATH="$bench_dir/bin:$PATH" HOME=$bench_dir/home GIT_CONFIG_NOSYSTEM=1
}
