#!/usr/bin/env python3
"""Malformed-input test: every deliberately broken checkpoint must be refused cleanly.

Runs gen_malformed (seeded) to write the files and EXPECTED.tsv, then for every file runs
`git-model inspect FILE` and `git-model inspect --json --hashes --stats FILE` with a timeout and
requires: exit status exactly 2 (not a signal, not a sanitizer report), stderr exactly one line
`git-model: <FILE>: ...` containing the expected substring (alternatives separated by '|'), and
stdout empty or JSON lines. The valid controls the generator writes beside them must open (exit 0),
so each malformed file fails for the reason it was built for. See docs/fuzzing.md.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

MIN_FILES = 60


def run(cmd, timeout):
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, b"", b"", time.monotonic() - start
    return p.returncode, p.stdout, p.stderr, time.monotonic() - start


def check_error_run(rc, stdout, stderr, path, expected, json_mode):
    """Returns the problem with one run, or None."""
    if rc is None:
        return "timed out"
    if rc < 0:
        return f"killed by signal {-rc}"
    text = stderr.decode("utf-8", "replace")
    if rc != 2:
        return f"exit status {rc}, expected 2; stderr: {text[:1500]!r}"
    if not text.endswith("\n") or text.count("\n") != 1:
        return f"stderr is not exactly one line: {text[:2000]!r}"
    line = text[:-1]
    if not line.startswith("git-model: "):
        return f"stderr does not start with 'git-model: ': {line!r}"
    if f"{path}:" not in line:
        return f"stderr does not name the file: {line!r}"
    if not any(alt in line for alt in expected.split("|")):
        return f"stderr lacks {expected!r}: {line!r}"
    if json_mode:
        for out_line in stdout.decode("utf-8", "replace").splitlines():
            try:
                json.loads(out_line)
            except ValueError:
                return f"--json stdout is not JSON: {out_line[:200]!r}"
    elif stdout:
        return f"unexpected stdout: {stdout[:200]!r}"
    return None


def check_file(git_model, path, expected, timeout):
    """Runs both commands on one malformed file; returns (problems, message, seconds)."""
    problems, message, seconds = [], "", 0.0
    for extra in ([], ["--json", "--hashes", "--stats"]):
        rc, out, err, took = run([git_model, "inspect", *extra, path], timeout)
        seconds = max(seconds, took)
        problem = check_error_run(rc, out, err, path, expected, bool(extra))
        if problem:
            problems.append(f"inspect {' '.join(extra)}: {problem}".replace("  ", " "))
        elif not message:
            message = err.decode("utf-8", "replace").strip()
    return problems, message, seconds


def check_control(git_model, path, timeout):
    rc, _, err, _ = run([git_model, "inspect", "--json", "--hashes", "--stats", path], timeout)
    if rc != 0:
        return f"control {path} should open: exit {rc}: {err.decode('utf-8', 'replace')[-500:]!r}"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--git-model", required=True)
    ap.add_argument("--generator", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=int(os.environ.get("GITMODEL_MALFORMED_SEED", "20240229")))
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per git-model run")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 4)
    args = ap.parse_args()

    # Sanitizer reports must end the process abnormally (exit != 2) rather than be printed and ignored.
    os.environ.setdefault("ASAN_OPTIONS", "abort_on_error=1:detect_leaks=1")
    os.environ.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")

    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    gen = subprocess.run([args.generator, "--seed", str(args.seed), "--corpus", args.corpus, "--out", str(out)])
    if gen.returncode != 0:
        print(f"FAIL: generator exited {gen.returncode}")
        return 1

    rows = (out / "EXPECTED.tsv").read_text().splitlines()[1:]
    cases = [tuple(r.split("\t", 1)) for r in rows if r]
    failures = []
    if len(cases) < MIN_FILES:
        failures.append(f"only {len(cases)} malformed files; at least {MIN_FILES} required")

    controls = sorted((out / "controls").iterdir())
    if not controls:
        failures.append("the generator wrote no control files")
    for c in controls:
        problem = check_control(args.git_model, str(c), args.timeout)
        print(f"{'FAIL' if problem else 'ok  '} control {c.name}" + (f": {problem}" if problem else ""))
        if problem:
            failures.append(problem)

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(check_file, args.git_model, str(out / name), expected, args.timeout)
                   for name, expected in cases]
        for (name, expected), fut in zip(cases, futures):
            problems, message, seconds = fut.result()
            if problems:
                print(f"FAIL {name} ({seconds:.1f}s)")
                for p in problems:
                    print(f"       {p}")
                failures.append(name)
            else:
                print(f"ok   {name} ({seconds:.1f}s): {message[len('git-model: ') + len(str(out)) + 1:][:160]}")
    elapsed = time.monotonic() - start
    passed = len(cases) - sum(1 for f in failures if not f.startswith(("only ", "control ", "the generator")))
    print(f"malformed inputs: {passed}/{len(cases)} files refused correctly, {len(controls)} controls, "
          f"seed {args.seed}, {elapsed:.1f}s")
    if failures:
        print(f"FAIL: {len(failures)} problem(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
