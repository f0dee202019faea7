#!/usr/bin/env bash
# Short smoke run of every fuzz target (docs/fuzzing.md): builds seed corpora from
# tests/corpus/real and builder-made files (make_seeds) into fuzz/corpus-<target>/ (regenerated
# each run, gitignored), then runs each target for a bounded time. Fails on any crash, sanitizer
# report, leak, timeout or out-of-memory; the input that did it is left in BUILD_DIR/fuzz-artifacts/.
#
#   fuzz/smoke.sh BUILD_DIR          (after scripts/build.sh fuzz: BUILD_DIR = build-fuzz)
#   FUZZ_SECONDS=300 fuzz/smoke.sh BUILD_DIR   longer runs
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?usage: fuzz/smoke.sh BUILD_DIR}"
seconds="${FUZZ_SECONDS:-20}"
max_seed_bytes=$((256 * 1024))  # larger real files slow every execution down
targets=(fuzz_zip fuzz_pickle fuzz_torch fuzz_safetensors fuzz_config fuzz_record fuzz_diff fuzz_param_cache fuzz_filter_protocol fuzz_pointer fuzz_manifest fuzz_object fuzz_metrics_line fuzz_run_record fuzz_trusted_keys fuzz_scan)
real=tests/corpus/real
artifacts="$build/fuzz-artifacts"

for t in "${targets[@]}" make_seeds; do
  [ -x "$build/fuzz/$t" ] || { echo "smoke.sh: $build/fuzz/$t not built (scripts/build.sh fuzz)" >&2; exit 2; }
done

small_real_files() {  # real corpus files of at most max_seed_bytes, optionally by name pattern
  find "$real" -maxdepth 1 -type f -name "${1:-*}" ! -name MANIFEST.tsv -size -"$((max_seed_bytes + 1))"c
}

make_corpora() {
  local made
  made="$(mktemp -d)"
  "$build/fuzz/make_seeds" "$made"
  for t in "${targets[@]}"; do rm -rf "fuzz/corpus-$t" && mkdir -p "fuzz/corpus-$t"; done
  # zip: every real zip (torch.save, TorchScript, legacy TorchScript) and the builder's variants.
  for f in $(small_real_files) "$made"/*.pt; do
    if [ "$(head -c 2 "$f")" = "PK" ]; then cp "$f" fuzz/corpus-fuzz_zip/; fi
  done
  # pickle: the pickles inside the real zips, the legacy files (stacked pickles) as they are.
  python3 - "$real" fuzz/corpus-fuzz_pickle "$max_seed_bytes" <<'PY'
import os, sys, zipfile
src, dst, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
for name in sorted(os.listdir(src)):
    path = os.path.join(src, name)
    if name == "MANIFEST.tsv" or os.path.getsize(path) > limit:
        continue
    if not zipfile.is_zipfile(path):
        open(os.path.join(dst, name), "wb").write(open(path, "rb").read())
        continue
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if info.filename.endswith(".pkl") and info.file_size <= limit:
                out = f"{name}--{info.filename.replace('/', '_')}"
                open(os.path.join(dst, out), "wb").write(z.read(info))
PY
  cp "$made"/*.pkl fuzz/corpus-fuzz_pickle/
  # whole pipeline: everything small.
  cp $(small_real_files) "$made"/* fuzz/corpus-fuzz_torch/
  cp $(small_real_files '*.safetensors') "$made"/*.safetensors fuzz/corpus-fuzz_safetensors/
  cp "$made"/*.cache fuzz/corpus-fuzz_param_cache/
  cp "$made"/*.pointer fuzz/corpus-fuzz_pointer/
  cp "$made"/*.manifest fuzz/corpus-fuzz_manifest/
  cp "$made"/*.gmob fuzz/corpus-fuzz_object/
  # scan: the malicious corpus (pickles, zips, 7z, npy; never unpickled) and the small real files.
  find tests/corpus/malicious -type f ! -name MANIFEST.tsv -size -"$((max_seed_bytes + 1))"c \
    -exec cp {} fuzz/corpus-fuzz_scan/ \;
  cp $(small_real_files) fuzz/corpus-fuzz_scan/
  # trusted keys (docs/provenance.md, "Signing"): a commented file with two keys, a bare key line.
  printf '# keys\ned25519 AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE= Ada <a@b>\n\ned25519 AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=\n' \
    > fuzz/corpus-fuzz_trusted_keys/keys
  # metrics lines (src/runs/metrics_line.h): what git_model.log and json.dumps write, edge cases.
  printf '%s\n' '{"step": 120, "loss": 0.4132, "lr": 0.0003, "time": 1732871437.52}' \
    '{"step": 1, "a": NaN, "b": -Infinity, "c": "Infinity", "d": 1e400, "e": [NaN]}' \
    '{"step": 3.0, "x": "s", "y": true, "z": null, "time": "now"}' 'not json' '' '{"a": 1, "a": 2}' \
    > fuzz/corpus-fuzz_metrics_line/lines
  # diff: pairs of those (a file with itself and with its neighbour), as u32 LE length + A + B.
  python3 - fuzz/corpus-fuzz_torch fuzz/corpus-fuzz_diff <<'PY'
import os, struct, sys
src, dst = sys.argv[1], sys.argv[2]
files = sorted(os.path.join(src, f) for f in os.listdir(src))
files = [f for f in files if os.path.getsize(f) <= 64 * 1024][:40]
for i, a in enumerate(files):
    for j, b in ((0, a), (1, files[(i + 1) % len(files)])):
        da, db = open(a, "rb").read(), open(b, "rb").read()
        open(os.path.join(dst, f"pair-{i}-{j}"), "wb").write(struct.pack("<I", len(da)) + da + db)
PY
  rm -rf "$made"
  # regressions: every input that once crashed a target is replayed by it (fuzz/regressions/TARGET/).
  for t in "${targets[@]}"; do
    if [ -d "fuzz/regressions/$t" ]; then cp fuzz/regressions/"$t"/* "fuzz/corpus-$t/"; fi
  done
  # config: one seed per format and feature; the first byte picks the format (fuzz/fuzz_config.cc).
  python3 - fuzz/corpus-fuzz_config <<'PY'
import os, sys
seeds = {
    "yaml_nested": (0, "model:\n  name: resnet  # c\n  layers: [64, 128]\nlr: 1e-3\nflag: true\nnone: ~\nq: '42'\n"),
    "yaml_anchors": (0, "base: &b {lr: 0.1, wd: .inf}\ntrain:\n  <<: *b\n  steps: &s [1, 2]\n  again: *s\n---\n"),
    "yaml_block": (0, "text: |\n  line one\n  line two\nlist:\n  - {a: 1}\n  - !!str 0x1F\n  - ? k\n    : v\n"),
    "json": (1, '{"lr": 0.001, "opt": {"betas": [0.9, 0.999]}, "tags": ["a", "\\u00e9"], "n": null, "big": 1e400}'),
    "toml": (2, 'title = "run"\nlr = 3e-4\nwhen = 1979-05-27T07:32:00Z\n[optimizer]\nbetas = [0.9, 0.999]\n'
                '[[stage]]\nsteps = 1\n'),
    "python": (3, "import os\nlr = 3e-4  # c\nlayers = [64, 128,]\nopt = dict(name='adam', betas=(0.9, 0.999))\n"
                  "name: str = r'x\\d' \"y\" '''z'''\nA = B = -1\nd = {1: None, 'k': {1, 2}}\n"
                  "def f():\n    return 1\nx = f'{lr}'\nlr *= 2\ny = float('inf'); z = 0x_1F\n"),
}
for name, (fmt, text) in seeds.items():
    open(os.path.join(sys.argv[1], name), "wb").write(bytes([fmt]) + text.encode())
PY
  # record: provenance records as stamp writes them (docs/provenance.md), minimal and full.
  python3 - fuzz/corpus-fuzz_record <<'PY'
import json, os, sys
full = {"schema": "git-model/provenance/v1", "created": "2026-11-29T09:20:37Z", "tool": "git-model 0.1.0",
        "artifact": {"path": "ckpt.pth", "format": "torch-zip", "bytes": 3757, "tensors": 2, "parameters": 12,
                     "fingerprint": "a" * 64, "tensor_digests": {"fc.weight": "0123456789abcdef"}},
        "git": {"in_repo": True, "commit": "c" * 40, "branch": "main", "dirty": True, "describe": "v1-2-gabc",
                "remote": "https://h/x", "changed": ["train.py"], "untracked": ["n.txt"],
                "patch": {"sha256": "d" * 64, "bytes": 10, "text": "diff --git"}},
        "hyperparams": {"lr": 0.001, "layers": [64, 128], "name": "x", "flag": True, "none": None},
        "hyperparam_sources": {"lr": "config:train.yaml"},
        "config": [{"path": "train.yaml", "format": "yaml", "blob": "b" * 40, "sha256": "e" * 64}],
        "env": {"os": "Debian", "cpu_cores": 2, "gpus": [{"name": "A100", "memory_bytes": 85899345920}],
                "container": {"runtime": "docker", "image": "x:1"}},
        "data": [{"path": "data", "tree_hash": "f" * 64, "files": 3, "bytes": 300, "format": "git-model/data-tree/v1"}],
        "metrics": {"val_acc": 0.91}, "run": {"id": "r1", "command": "python train.py", "exit_code": 0}}
seeds = {"full": full, "minimal": {"schema": "git-model/provenance/v1"},
         "outside_repo": {"schema": "git-model/provenance/v1", "git": {"in_repo": False}}}
for name, record in seeds.items():
    open(os.path.join(sys.argv[1], name), "w").write(json.dumps(record, indent=2))
PY
  # run records (docs/runs.md): a finished run with every field, a killed one, a minimal one.
  python3 - fuzz/corpus-fuzz_run_record <<'PY'
import json, os, sys
full = {"schema": "git-model/run/v1", "id": "20261129-194708-f26935", "name": "first", "tags": {"team": "vision"},
        "command": ["python3", "train.py"], "cwd": ".", "status": "finished", "start": "2026-11-29T19:47:08Z",
        "end": "2026-11-29T19:47:09Z", "wall_seconds": 1.3, "exit_code": 0, "peak_rss_kb": 239616,
        "user_seconds": 1.1, "system_seconds": 0.2,
        "metrics": {"lines": 5, "summary": {"loss": {"last": 0.2, "min": 0.2, "max": 1, "count": 5, "last_step": 4},
                                            "bad": {"last": "NaN", "count": 1}},
                    "warnings": ["line 3: not a JSON object: x"], "warnings_dropped": 2},
        "checkpoints": [{"path": "out/model.pt", "fingerprint": "a" * 64, "file_sha256": "b" * 64}],
        "git": {"in_repo": True, "commit": "c" * 40, "branch": "main", "dirty": False},
        "hyperparams": {"lr": 0.1, "batch": 32}, "hyperparam_sources": {"lr": "config:config.yaml"},
        "config": [{"path": "config.yaml", "format": "yaml", "blob": "d" * 40, "sha256": "e" * 64}],
        "env": {"os": "Debian", "cpu_cores": 2}, "data": []}
killed = dict(full, status="killed", signal=9, core_dumped=True)
del killed["exit_code"]
seeds = {"full": full, "killed": killed, "minimal": {"schema": "git-model/run/v1", "id": "x"}}
for name, record in seeds.items():
    open(os.path.join(sys.argv[1], name), "w").write(json.dumps(record, indent=2))
PY
  # filter protocol: what git sends a long-running filter (handshake, requests, content).
  python3 - fuzz/corpus-fuzz_filter_protocol <<'PY'
import os, sys
def pkt(data):
    data = data.encode() if isinstance(data, str) else data
    return b"%04x" % (len(data) + 4) + data
def text(*lines): return b"".join(pkt(l + "\n") for l in lines) + b"0000"
def content(data): return b"".join(pkt(data[i:i + 65516]) for i in range(0, len(data), 65516)) + b"0000"
handshake = text("git-filter-client", "version=2") + text("capability=clean", "capability=smudge", "capability=delay")
def request(command, path, data, *extra): return text("command=" + command, "pathname=" + path, *extra) + content(data)
seeds = {
    "session": handshake + request("clean", "model.pt", b"PK\x03\x04weights")
               + request("smudge", "model.pt", b"version https://git-model.dev/spec/pointer/v1\noid sha256:" + b"a" * 64 + b"\n",
                         "ref=refs/heads/main", "treeish=" + "c" * 40, "blob=" + "b" * 40),
    "three_requests": handshake + request("clean", "a.pt", b"one") + request("clean", "b.pt", b"two")
                      + request("smudge", "c.pt", b"three") + request("clean", "d.pt", b""),
    "multi_packet": handshake + request("clean", "big.pt", bytes(range(256)) * 300),
    "unknown_command": handshake + request("frobnicate", "x.pt", b"data") + request("clean", "y.pt", b"ok"),
    "handshake_only": handshake,
    "cut_in_content": handshake + text("command=clean", "pathname=m.pt") + pkt(b"partial"),
}
for name, data in seeds.items():
    open(os.path.join(sys.argv[1], name), "wb").write(data)
PY
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"  # the fuzz build recovers otherwise
start=$SECONDS
make_corpora
mkdir -p "$artifacts"
failed=()
for t in "${targets[@]}"; do
  log="$build/fuzz-$t.log"
  echo "== $t: $(ls "fuzz/corpus-$t" | wc -l) seeds, ${seconds}s"
  if "$build/fuzz/$t" "fuzz/corpus-$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
       -artifact_prefix="$artifacts/$t-" -print_final_stats=1 >"$log" 2>&1; then
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$log" | tr '\n' ' '
    echo
  else
    echo "FAIL $t (log: $log):"
    grep -E "ERROR|SUMMARY|runtime error|Test unit written|deadly signal|timeout" "$log" | head -20
    failed+=("$t")
  fi
done
echo "fuzz smoke: ${#targets[@]} targets in $((SECONDS - start))s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz smoke FAILED: ${failed[*]}; reproduce with $build/fuzz/<target> <artifact>" >&2
  exit 1
fi
