#!/usr/bin/python3
"""Interop test: `git-model inspect` against real PyTorch, tensor by tensor.

    interop_test.py --git-model BIN --files DIR_OR_FILE... [--manifest TSV]... [--jobs N]

Files come from the arguments. A directory holding FIXTURES.tsv (scripts/gen_fixtures.py) or
MANIFEST.tsv (the real-world corpus) contributes the files its manifest lists; another directory
contributes every file under it. --manifest adds a manifest explicitly (paths relative to it).

For every file:
  1. `BIN inspect --json FILE` must exit 0 and print one JSON document whose "format" matches
     the manifest's, except for files FIXTURES.tsv marks `error`, which must be rejected (exit > 0).
  2. When a reference exists, `BIN inspect --json --hashes FILE` is compared with it:
       torch.load / torch.jit.load   tests/interop/torch_reference.py in a subprocess (timeout)
       safetensors / index           torch_reference.py's independent Python reader
       none (fixtures)               the generator's expected/FILE.json
     Names, dtype, shape, strides, storage_offset and sha256 must agree; tensors that share a
     storage in torch must share one in git-model and vice versa. torch.load files: the name
     sets must be equal. TorchScript: every state_dict tensor must be present (git-model may list
     more: constants, plain tensor attributes).
  Corpus MANIFEST.tsv: torch_load_result "torch.load OK..." / "torch.jit.load OK..." selects the
  torch reference, "safetensors header ok..." the safetensors reader; anything else is open-only.

Prints one line per file (PASS/FAIL), the differences under each failure, and exits 1 if any
file failed, 2 on usage errors.
"""

import argparse
import concurrent.futures
import csv
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple, Optional

kHere = Path(__file__).resolve().parent
kReference = kHere / "torch_reference.py"
kCompared = ("dtype", "shape", "strides", "storage_offset", "sha256")
kMaxLinesPerFile = 40
kManifestSearchDepth = 3  # parent folders searched for the manifest of a file named on its own
kCorpusFormats = {"zip": "torch-zip", "legacy": "torch-legacy", "jit": "torchscript",
                  "jit-legacy": "torchscript-legacy", "safetensors": "safetensors"}


class Entry(NamedTuple):
    path: Path
    loader: str                  # torch.load torch.jit.load safetensors index auto expected open error
    format: Optional[str]        # expected "format" field, None when unknown
    expected: Optional[Path]     # expected/FILE.json for loader "expected"


class Outcome(NamedTuple):
    passed: bool
    line: str
    details: list


# ---------------------------------------------------------------------------------------------
# Which files, and what to compare them with.
# ---------------------------------------------------------------------------------------------

def fixture_entries(tsv):
    base = tsv.parent
    entries = []
    for row in read_tsv(tsv):
        loader = row["loader"]
        expected = base / "expected" / (row["file"] + ".json")
        if loader == "none":
            loader = "expected" if expected.exists() else "open"
        fmt = row.get("format") or None
        entries.append(Entry(base / row["file"], loader, None if fmt == "-" else fmt,
                             expected if loader == "expected" else None))
    return entries


def corpus_entries(tsv):
    entries = []
    for row in read_tsv(tsv):
        result = row["torch_load_result"]
        if result.startswith("torch.load OK"):
            loader = "torch.load"
        elif result.startswith("torch.jit.load OK"):
            loader = "torch.jit.load"
        elif result.startswith("safetensors header ok"):
            loader = "safetensors"
        else:
            loader = "open"
        fmt = kCorpusFormats.get(row["format"].split(" ")[0])
        entries.append(Entry(tsv.parent / row["file"], loader, fmt, None))
    return entries


def read_tsv(tsv):
    with open(tsv, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def manifest_entries(tsv):
    header = tsv.read_text().split("\n", 1)[0].split("\t")
    if "torch_load_result" in header:
        return corpus_entries(tsv)
    if "loader" in header:
        return fixture_entries(tsv)
    raise SystemExit("interop_test: %s is neither a FIXTURES.tsv nor a MANIFEST.tsv" % tsv)


def discover(files, manifests):
    known = {}
    for tsv in manifests:
        for entry in manifest_entries(tsv):
            known.setdefault(entry.path.resolve(), entry)
    selected = {}
    for arg in files:
        for entry in entries_for_arg(Path(arg), known):
            selected.setdefault(entry.path.resolve(), entry)
    if not files:
        selected = dict(known)
    return list(selected.values())


def entries_for_arg(path, known):
    if path.is_dir():
        for name in ("FIXTURES.tsv", "MANIFEST.tsv"):
            if (path / name).exists():
                return manifest_entries(path / name)
        return [entry_for_file(p, known) for p in sorted(path.rglob("*")) if p.is_file()]
    if not path.exists():
        raise SystemExit("interop_test: no such file: %s" % path)
    return [entry_for_file(path, known)]


def entry_for_file(path, known):
    """A file named on its own still gets its manifest entry, from a manifest in a parent folder."""
    resolved = path.resolve()
    if resolved not in known:
        for folder in list(resolved.parents)[:kManifestSearchDepth]:
            for name in ("FIXTURES.tsv", "MANIFEST.tsv"):
                if (folder / name).exists():
                    for entry in manifest_entries(folder / name):
                        known.setdefault(entry.path.resolve(), entry)
    return known.get(resolved) or Entry(path, "auto", None, None)


# ---------------------------------------------------------------------------------------------
# Running git-model and the reference.
# ---------------------------------------------------------------------------------------------

def run_inspect(binary, path, hashes, timeout):
    """Returns (problem or None, parsed document or None, stderr text)."""
    cmd = [binary, "inspect", "--json"] + (["--hashes"] if hashes else []) + [str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "`%s` timed out after %ss" % (" ".join(cmd), timeout), None, ""
    except OSError as e:  # e.g. the binary is being relinked right now
        return "`%s` could not run: %s" % (" ".join(cmd), e), None, ""
    stderr = proc.stderr.strip()
    if proc.returncode < 0:
        return "`%s` killed by signal %d" % (" ".join(cmd), -proc.returncode), None, stderr
    if proc.returncode != 0:
        return "`%s` exited %d: %s" % (" ".join(cmd), proc.returncode, first_line(stderr)), None, stderr
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if len(lines) != 1:
        return "`%s` printed %d JSON lines, expected 1" % (" ".join(cmd), len(lines)), None, stderr
    try:
        return None, json.loads(lines[0]), stderr
    except json.JSONDecodeError as e:
        return "`%s` printed invalid JSON: %s" % (" ".join(cmd), e), None, stderr


def first_line(text):
    return text.splitlines()[0] if text else "(no stderr)"


def run_reference(python, entry, timeout):
    """Returns (reference document or None, problem or None)."""
    if entry.loader == "expected":
        return json.loads(entry.expected.read_text()), None
    cmd = [python, str(kReference), "--loader", entry.loader, str(entry.path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "reference timed out after %ss" % timeout
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        return None, "reference (%s) failed: %s" % (entry.loader, lines[-1] if lines else "?")
    return json.loads(proc.stdout), None


# ---------------------------------------------------------------------------------------------
# Comparison.
# ---------------------------------------------------------------------------------------------

def compare(ref, ours):
    """Returns (problems, notes) for git-model's tensor list against the reference's."""
    problems, notes = [], []
    by_name = index_ours(ours.get("tensors", []), problems)
    matched = match_groups(ref["tensors"], by_name, problems, notes)
    leftover = [t for name, t in by_name.items() if name not in matched]
    check_extras(ref, leftover, problems, notes)
    if ref.get("storage_check", True):
        check_storage_partition(matched, problems)
    return problems, notes


def index_ours(tensors, problems):
    by_name = {}
    for t in tensors:
        if t.get("name") in by_name:
            problems.append("git-model lists %r twice" % t.get("name"))
        by_name[t.get("name")] = t
    return by_name


def match_groups(ref_tensors, by_name, problems, notes):
    """Match each reference tensor (with its aliases) to git-model's entries.

    torch's flattening reaches one tensor object through every path that refers to it, but
    git-model lists each pickled tensor object once, under its first path in pickle order (the
    later paths are memo references to the same object). So a reference entry is satisfied by
    any of its names. That is only sound because all of them denote the same object, hence the
    same storage and view; the storage-partition check below still holds git-model to it.
    Returns {our name: (reference entry, our entry)}.
    """
    matched = {}
    for r in ref_tensors:
        names = [r["name"]] + r.get("aliases", [])
        present = [n for n in names if n in by_name]
        if not present:
            problems.append("missing %r (%s %s)" % (r["name"], r["dtype"], r["shape"]))
            continue
        if present[0] != r["name"]:
            notes.append("%r listed under its alias %r" % (r["name"], present[0]))
        for name in present:
            matched[name] = (r, by_name[name])
            problems.extend(field_diffs(name, r, by_name[name]))
    return matched


def field_diffs(name, r, t):
    diffs = []
    for field in kCompared:
        want, got = r.get(field), t.get(field)
        if want is None:
            continue
        if field == "sha256" and got is None:
            diffs.append("%r: no sha256 in git-model's output" % name)
        elif got != want:
            diffs.append("%r: %s is %s, torch says %s" % (name, field, json.dumps(got), json.dumps(want)))
    if "requires_grad" in t and "requires_grad" in r and t["requires_grad"] != r["requires_grad"]:
        diffs.append("%r: requires_grad is %s, torch says %s" % (name, t["requires_grad"], r["requires_grad"]))
    return diffs


def check_extras(ref, leftover, problems, notes):
    """Tensors only git-model lists: fine if optional (numpy arrays, qparams) or in subset mode."""
    optional = {(o.get("dtype"), tuple(o.get("shape", [])), o.get("sha256")): o
                for o in ref.get("optional", [])}
    for t in leftover:
        key = (t.get("dtype"), tuple(t.get("shape", [])), t.get("sha256"))
        if key in optional:
            notes.append("%r matches the reference's optional %s %r"
                         % (t.get("name"), optional[key].get("kind"), optional[key].get("name")))
        elif ref.get("names") == "subset":
            notes.append("extra %r (%s %s)" % (t.get("name"), t.get("dtype"), t.get("shape")))
        else:
            problems.append("unexpected %r (%s %s): torch has no tensor of that name"
                            % (t.get("name"), t.get("dtype"), t.get("shape")))


def check_storage_partition(matched, problems):
    """Tensors share a storage in git-model exactly when they share one in torch."""
    ours_for_ref, ref_for_ours = {}, {}
    for name, (r, t) in matched.items():
        if "storage" not in t or "storage" not in r:
            continue
        ours_for_ref.setdefault(r["storage"], {}).setdefault(t["storage"], []).append(name)
        ref_for_ours.setdefault(t["storage"], {}).setdefault(r["storage"], []).append(name)
    for groups in ours_for_ref.values():
        if len(groups) > 1:
            problems.append("torch shares one storage among %s, git-model splits it: %s"
                            % (sorted(sum(groups.values(), [])), json.dumps(sorted(groups))))
    for storage, groups in ref_for_ours.items():
        if len(groups) > 1:
            problems.append("git-model storage %r holds tensors torch keeps apart: %s"
                            % (storage, sorted(sorted(g) for g in groups.values())))


def check_document(entry, doc):
    problems = []
    if entry.format and doc.get("format") != entry.format:
        problems.append("format is %r, expected %r" % (doc.get("format"), entry.format))
    tensors = doc.get("tensors")
    if not isinstance(tensors, list):
        return problems + ["no \"tensors\" list in the JSON"]
    count = (doc.get("summary") or {}).get("tensors")
    if count is not None and count != len(tensors):
        problems.append("summary.tensors is %s but %d tensors are listed" % (count, len(tensors)))
    return problems


# ---------------------------------------------------------------------------------------------
# One file.
# ---------------------------------------------------------------------------------------------

def check_file(entry, args):
    plain_problem, plain, stderr = run_inspect(args.git_model, entry.path, False, args.timeout)
    if entry.loader == "error":
        return check_rejected(entry, plain_problem, stderr)
    if plain_problem:
        return Outcome(False, "does not open", [plain_problem] + stderr.splitlines()[:5])
    problems = check_document(entry, plain)
    if entry.loader == "open":
        return finish(problems, [], "opened (no reference: open-only)", plain)
    ref, ref_problem = run_reference(args.python, entry, args.reference_timeout)
    if ref_problem and entry.loader == "auto":
        return finish(problems, [ref_problem], "opened (torch cannot read it: open-only)", plain)
    if ref_problem:
        return Outcome(False, "reference failed", problems + [ref_problem])
    hashed_problem, hashed, _ = run_inspect(args.git_model, entry.path, True, args.timeout)
    if hashed_problem:
        return Outcome(False, "--hashes failed", problems + [hashed_problem])
    if [t.get("name") for t in plain["tensors"]] != [t.get("name") for t in hashed.get("tensors", [])]:
        problems.append("--hashes lists different tensors than plain --json")
    diffs, notes = compare(ref, hashed)
    summary = "%d tensors vs %s" % (len(ref["tensors"]), ref.get("loader", entry.loader))
    return finish(problems + diffs, notes, summary, hashed)


def check_rejected(entry, problem, stderr):
    if problem is None:
        return Outcome(False, "opened a file that must be rejected", [])
    if "killed by signal" in problem or "timed out" in problem:
        return Outcome(False, "did not reject cleanly", [problem])
    return Outcome(True, "rejected as expected: %s" % first_line(stderr)[:100], [])


def finish(problems, notes, summary, doc):
    label = "%s, format %s" % (summary, doc.get("format"))
    if problems:
        return Outcome(False, "%s: %d problem(s)" % (label, len(problems)), problems + notes)
    return Outcome(True, label, notes)


def report(entry, outcome, verbose):
    status = "PASS" if outcome.passed else "FAIL"
    print("%s %-15s %s  %s" % (status, entry.loader, entry.path, outcome.line))
    if outcome.passed and not verbose:
        return
    details = outcome.details
    for line in details[:kMaxLinesPerFile]:
        print("       " + line)
    if len(details) > kMaxLinesPerFile:
        print("       ... and %d more" % (len(details) - kMaxLinesPerFile))


def default_python():
    if importlib.util.find_spec("torch") is not None:
        return sys.executable
    return "/usr/bin/python3"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--git-model", required=True, help="path to the git-model binary")
    parser.add_argument("--files", nargs="*", default=[], help="files or directories")
    parser.add_argument("--manifest", action="append", default=[], type=Path,
                        help="FIXTURES.tsv or MANIFEST.tsv (repeatable)")
    parser.add_argument("--python", default=default_python(), help="python with torch 1.13")
    parser.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 2))
    parser.add_argument("--timeout", type=float, default=120, help="seconds per git-model run")
    parser.add_argument("--reference-timeout", type=float, default=300)
    parser.add_argument("-v", "--verbose", action="store_true", help="print notes for passes too")
    args = parser.parse_args(argv)
    if not os.access(args.git_model, os.X_OK):
        parser.error("not an executable: %s" % args.git_model)
    entries = discover(args.files, args.manifest)
    if not entries:
        parser.error("no files to test (give --files or --manifest)")
    outcomes = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for entry, outcome in zip(entries, pool.map(lambda e: check_file(e, args), entries)):
            report(entry, outcome, args.verbose)   # in input order, as results arrive
            outcomes.append(outcome)
    failed = sum(not o.passed for o in outcomes)
    print("interop: %d files, %d passed, %d failed" % (len(outcomes), len(outcomes) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
