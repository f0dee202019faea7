#!/usr/bin/python3
"""Writes the repository for the runs benchmark: a git repository of COMMITS commits (default
1,000) and a run index of RUNS recorded runs (default 10,000) with METRICS metrics (default 100)
of POINTS points each (default 20), as `git model run` would have left them.

    gen_runs_repo.py REPO [--commits N] [--runs N] [--metrics N] [--points N] [--regression-at K]

The repository (git fast-import): every commit edits train.py; every 10th also changes lr or
batch in config.yaml (so `git model log` has hyperparameter changes to show). The runs are spread
evenly over the commits (branch main, some dirty), their start times after their commit's.

The index is <REPO>/.git/git-model/index.db, written directly with Python's sqlite3 in the schema
of src/provenance/index_db.cc (schema version 2, WAL) and with run records shaped as
src/runs/run_record.cc's SerializeRunRecord writes them (keys sorted, 2-space indent). Each run
has rows in runs, run_params (its hyperparameters), run_tags, run_metrics (one summary a metric),
metric_points (every point: a line of the metrics file logs all metrics at one step) and, when it
finished, run_checkpoints. The records ref (refs/git-model/records) is not written: listing and
`git model log` read only the index. Deterministic (seeded): the same arguments give the same
commits, ids and values.

--regression-at K plants a regression for `git model bisect --offline` at commit K (0 is the
oldest; 1 <= K < COMMITS; needs RUNS >= COMMITS so that every commit has a run): every run logs
val_acc (it replaces the last metric when METRICS leaves it out), climbing to 0.90 at its last
point in runs at commits older than K and to 0.70 at K and newer (each point with seeded uniform
noise of at most 0.01), so `--good <oldest> --bad HEAD --metric val_acc --min 0.8` names K. The
runs at the oldest commit, K-1, K and HEAD all finish clean (no dirty tree), so those commits have
a value whatever the draws; elsewhere about 1 commit in 5 has none (its runs failed, were killed
or dirty) and bisect must skip it. The full id of commit K goes to stderr and to
<REPO>/.git/bench-regression (written before the index, so a complete index implies the file).
Without the option the output is byte for byte what it was before the option existed.
"""

import argparse
import datetime
import hashlib
import json
import math
import os
import random
import sqlite3
import subprocess
import sys

# Migrations 1 and 2 of src/provenance/index_db.cc, verbatim.
SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  path TEXT NOT NULL,
  created TEXT NOT NULL,
  record TEXT NOT NULL,
  UNIQUE (file_sha256, created)
);
CREATE INDEX IF NOT EXISTS records_by_fingerprint ON records (fingerprint);
CREATE INDEX IF NOT EXISTS records_by_file ON records (file_sha256);
"""
SCHEMA_V2 = """
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  commit_id TEXT NOT NULL,
  branch TEXT NOT NULL,
  dirty INTEGER NOT NULL,
  start TEXT NOT NULL,
  end TEXT,
  wall_seconds REAL,
  exit_code INTEGER,
  signal INTEGER,
  peak_rss_kb INTEGER,
  command TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX runs_by_start ON runs (start);
CREATE INDEX runs_by_commit ON runs (commit_id);
CREATE TABLE run_params (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, number REAL,
  PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE TABLE run_tags (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE TABLE metric_points (
  run_id TEXT NOT NULL, key TEXT NOT NULL, line INTEGER NOT NULL, step INTEGER, time REAL, value REAL,
  PRIMARY KEY (run_id, key, line)) WITHOUT ROWID;
CREATE TABLE run_metrics (
  run_id TEXT NOT NULL, key TEXT NOT NULL, last REAL, min REAL, max REAL, count INTEGER NOT NULL,
  last_step INTEGER, last_line INTEGER NOT NULL,
  PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE INDEX run_metrics_by_key ON run_metrics (key, last);
CREATE TABLE run_checkpoints (
  run_id TEXT NOT NULL, path TEXT NOT NULL, fingerprint TEXT NOT NULL, file_sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, path)) WITHOUT ROWID;
CREATE INDEX run_checkpoints_by_fingerprint ON run_checkpoints (fingerprint);
"""
SCHEMA_VERSION = 2

EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z
COMMIT_SPACING = 6 * 3600  # seconds between commits
NAMED_METRICS = ["loss", "val_loss", "val_acc", "acc", "lr", "grad_norm"]
STEPS_PER_LINE = 100

LRS = [0.0001, 0.0003, 0.0005, 0.001, 0.002, 0.003]
BATCHES = [32, 64, 128, 256, 512]
HOSTS = [f"gpu-node-{n:02d}" for n in range(1, 5)]


def metric_keys(count, regression=None):
    keys = NAMED_METRICS[:count]
    keys += [f"m{i:03d}" for i in range(len(keys), count)]
    if regression and "val_acc" not in keys:
        keys[-1] = "val_acc"
    return keys


class Regression:
    """The planted regression: val_acc's level at each commit, and the commits whose runs must all
    count for offline bisect (finished, clean) for the answer to be exactly commit AT."""
    GOOD, BAD, RAMP, NOISE = 0.90, 0.70, 0.05, 0.01

    def __init__(self, at, commits):
        self.at = at
        self.measured = {0, at - 1, at, commits - 1}

    def val_acc_level(self, n):
        return self.GOOD if n < self.at else self.BAD

    def val_acc_series(self, n, points, rng):
        """Climbs by RAMP to the level of commit N at the last point, with seeded noise."""
        level = self.val_acc_level(n)
        return [level - self.RAMP * (1 - (i + 1) / points) + rng.uniform(-self.NOISE, self.NOISE)
                for i in range(points)]


def rfc3339(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def git_blob_id(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def hex_digest(*parts):
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()


# ---- the git repository ----------------------------------------------------------------------

def config_text(params):
    return (f"# training configuration\nmodel: resnet50\noptimizer: {params['optimizer']}\n"
            f"lr: {params['lr']}\nbatch: {params['batch']}\nepochs: {params['epochs']}\n"
            f"weight_decay: {params['weight_decay']}\nwarmup_steps: {params['warmup_steps']}\n")


def config_history(commits, rng):
    """The hyperparameters in config.yaml at each commit: lr or batch changes every 10th commit."""
    params = {"optimizer": "adamw", "lr": 0.001, "batch": 64, "epochs": 90, "weight_decay": 0.05,
              "warmup_steps": 500}
    history = []
    for n in range(commits):
        if n and n % 10 == 0:
            params = dict(params)
            if (n // 10) % 2:
                params["lr"] = rng.choice([v for v in LRS if v != params["lr"]])
            else:
                params["batch"] = rng.choice([v for v in BATCHES if v != params["batch"]])
        history.append(params)
    return history


def data_block(out, data):
    out.append(b"data %d\n" % len(data))
    out.append(data)
    out.append(b"\n")


def fast_import_stream(history):
    out = []
    for n, params in enumerate(history):
        when = EPOCH + n * COMMIT_SPACING
        changed = n == 0 or history[n - 1] != params
        out.append(b"commit refs/heads/main\nmark :%d\n" % (n + 1))
        out.append(b"author Ada <ada@example.com> %d +0000\n" % when)
        out.append(b"committer Ada <ada@example.com> %d +0000\n" % when)
        subject = f"commit {n}: " + ("tune " + ", ".join(k for k in ("lr", "batch") if n == 0 or
                                                           history[n - 1][k] != params[k]) if changed else "refactor")
        data_block(out, subject.encode())
        out.append(b"M 100644 inline train.py\n")
        data_block(out, f"# training script\nREVISION = {n}\n".encode())
        if changed:
            out.append(b"M 100644 inline config.yaml\n")
            data_block(out, config_text(params).encode())
        out.append(b"\n")
    return b"".join(out)


def make_repo(repo, history):
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    marks = os.path.join(repo, ".git", "bench-marks")
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet", f"--export-marks={marks}"],
                   input=fast_import_stream(history), check=True)
    subprocess.run(["git", "-C", repo, "reset", "-q", "--hard", "main"], check=True)
    subprocess.run(["git", "-C", repo, "repack", "-adq"], check=True)
    ids = {}
    with open(marks) as f:
        for line in f:
            mark, sha = line.split()
            ids[int(mark[1:])] = sha
    os.remove(marks)
    return [ids[n + 1] for n in range(len(history))]


# ---- the runs --------------------------------------------------------------------------------

def env_section(rng):
    host = rng.choice(HOSTS)
    gpus = [{"memory_bytes": 85_899_345_920, "name": "NVIDIA A100-SXM4-80GB",
             "uuid": "GPU-" + hex_digest(host, g)[:8] + "-" + hex_digest(host, g)[8:12] + "-4c1e-9a7d-"
                     + hex_digest(host, g)[12:24]} for g in range(8)]
    return {"arch": "x86_64",
            "container": {"image": "nvcr.io/nvidia/pytorch:24.01-py3", "runtime": "docker"},
            "cpu": "AMD EPYC 7763 64-Core Processor", "cpu_cores": 256, "cuda": "12.2",
            "cuda_toolkit": "12.3.107", "cudnn": "8.9.7", "driver": "535.161.08", "gpus": gpus,
            "hostname": host, "kernel": "5.15.0-105-generic", "memory_bytes": 2_164_203_204_608,
            "os": "Ubuntu 22.04.3 LTS", "python": "3.10.12", "torch": "2.2.0a0+81ea7a4",
            "torch_cuda": "12.3", "torch_cudnn": "8.9.7", "torch_source": "probe"}


def series(key, k, quality, points, rng):
    """POINTS values of metric KEY (index K) for a run of QUALITY in [0, 1]."""
    out = []
    for i in range(points):
        progress = (i + 1) / points
        if key in ("loss", "val_loss"):
            value = 0.15 + (1 - quality) * 0.6 + 2.2 * math.exp(-5 * progress) + rng.gauss(0, 0.01)
        elif key in ("val_acc", "acc"):
            value = min(0.999, (0.60 + 0.37 * quality) * (1 - math.exp(-6 * progress)) + rng.gauss(0, 0.003))
        elif key == "lr":
            value = 1e-6 + 0.001 * 0.5 * (1 + math.cos(math.pi * progress))
        elif key == "grad_norm":
            value = abs(1.5 * math.exp(-2 * progress) + rng.gauss(0, 0.05))
        else:
            value = (k % 7 + 1) * (1 + 0.2 * math.sin(k + 6 * progress)) + rng.gauss(0, 0.01)
        out.append(value)
    return out


def summary(values, step_of_last):
    return {"count": len(values), "last": values[-1], "last_step": step_of_last, "max": max(values), "min": min(values)}


class RunWriter:
    def __init__(self, db, keys, points, regression=None):
        self.db, self.keys, self.points, self.regression = db, keys, points, regression
        self.rng = random.Random(7)
        self.seen_ids = set()

    def run_id(self, start):
        while True:
            rid = datetime.datetime.fromtimestamp(start, datetime.timezone.utc).strftime("%Y%m%d-%H%M%S-") + \
                  f"{self.rng.getrandbits(24):06x}"
            if rid not in self.seen_ids:
                self.seen_ids.add(rid)
                return rid

    def outcome(self):
        draw = self.rng.random()
        if draw < 0.85:
            return "finished", 0, None, self.points
        if draw < 0.95:
            return "failed", 1, None, self.rng.randint(3, self.points - 1)
        return "killed", None, self.rng.choice([9, 15]), self.rng.randint(3, self.points - 1)

    def write(self, n, commit, params, config_bytes, start):
        rng = self.rng
        seed = rng.randint(0, 9999)
        rid = self.run_id(start)
        status, exit_code, signal, lines = self.outcome()
        quality = rng.random()
        wall = lines * rng.uniform(60, 120)
        dirty = rng.random() < 0.05
        regression = self.regression
        if regression and n in regression.measured:  # drawn above all the same: the other runs keep their draws
            status, exit_code, signal, lines, dirty = "finished", 0, None, self.points, False
            wall = lines * 90.0
        argv = ["python3", "train.py", "--config", "config.yaml", "--seed", str(seed)]
        hyperparams = dict(params, seed=seed)
        sources = {k: "config:config.yaml" for k in params}
        sources["seed"] = "param"
        times = [start + wall * (i + 1) / lines for i in range(lines)]
        steps = [STEPS_PER_LINE * (i + 1) for i in range(lines)]
        summaries, point_rows, metric_rows = {}, [], []
        for k, key in enumerate(self.keys):
            if regression and key == "val_acc":
                values = regression.val_acc_series(n, lines, rng)
            else:
                values = series(key, k, quality, lines, rng)
            s = summary(values, steps[-1])
            summaries[key] = s
            metric_rows.append((rid, key, s["last"], s["min"], s["max"], s["count"], s["last_step"], lines))
            point_rows.extend((rid, key, i + 1, steps[i], times[i], values[i]) for i in range(lines))
        git = {"branch": "main", "commit": commit, "describe": commit[:7], "dirty": dirty, "in_repo": True}
        if dirty:
            patch = f"diff --git a/train.py b/train.py\n--- a/train.py\n+++ b/train.py\n@@ -1,2 +1,2 @@\n" \
                    f"-REVISION = {n}\n+REVISION = {n}  # try {seed}\n"
            git["changed"] = ["train.py"]
            git["patch"] = {"bytes": len(patch), "sha256": hashlib.sha256(patch.encode()).hexdigest(), "text": patch}
        checkpoints = []
        if status == "finished":
            checkpoints.append({"file_sha256": hex_digest(rid, "file"), "fingerprint": hex_digest(rid, "weights"),
                                "path": "out/model.pt"})
        end = start + wall
        record = {
            "checkpoints": checkpoints, "command": argv,
            "config": [{"blob": git_blob_id(config_bytes), "format": "yaml", "path": "config.yaml",
                        "sha256": hashlib.sha256(config_bytes).hexdigest()}],
            "cwd": ".",
            "data": [{"bytes": 146_900_000_000, "files": 1_281_167, "format": "git-model/data-tree/v1",
                      "path": "/data/imagenet/train", "tree_hash": hex_digest("imagenet", "train")}],
            "end": rfc3339(end), "env": env_section(rng), "git": git, "hyperparam_sources": sources,
            "hyperparams": hyperparams, "id": rid,
            "metrics": {"lines": lines, "summary": summaries},
            "name": f"resnet50-{seed}" if rng.random() < 0.5 else "",
            "peak_rss_kb": rng.randint(8_000_000, 30_000_000), "schema": "git-model/run/v1",
            "start": rfc3339(start), "status": status, "system_seconds": round(wall * 0.05, 3),
            "tags": {"seed": str(seed), "team": rng.choice(["vision", "research"])},
            "user_seconds": round(wall * 7.5, 3), "wall_seconds": wall,
        }
        if exit_code is not None:
            record["exit_code"] = exit_code
        if signal is not None:
            record["signal"] = signal
        text = json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        command = " ".join(argv)
        db = self.db
        db.execute("INSERT INTO runs (id, name, status, commit_id, branch, dirty, start, end, wall_seconds, exit_code, "
                   "signal, peak_rss_kb, command, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (rid, record["name"], status, commit, "main", int(dirty), record["start"], record["end"], wall,
                    exit_code, signal, record["peak_rss_kb"], command, text))
        db.executemany("INSERT INTO run_params (run_id, key, value, number) VALUES (?, ?, ?, ?)",
                       [(rid, k, json.dumps(v), v if isinstance(v, (int, float)) else None)
                        for k, v in sorted(hyperparams.items())])
        db.executemany("INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)",
                       [(rid, k, v) for k, v in sorted(record["tags"].items())])
        db.executemany("INSERT INTO run_checkpoints (run_id, path, fingerprint, file_sha256) VALUES (?, ?, ?, ?)",
                       [(rid, c["path"], c["fingerprint"], c["file_sha256"]) for c in checkpoints])
        db.executemany("INSERT INTO run_metrics (run_id, key, last, min, max, count, last_step, last_line) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", metric_rows)
        db.executemany("INSERT INTO metric_points (run_id, key, line, step, time, value) VALUES (?, ?, ?, ?, ?, ?)",
                       point_rows)


def make_index(path, commit_ids, history, runs, keys, points, regression=None):
    if os.path.exists(path):
        sys.exit(f"gen_runs_repo: {path} exists")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = path + ".partial"  # renamed when complete: an interrupted run leaves no index.db
    if os.path.exists(partial):
        os.remove(partial)
    db = sqlite3.connect(partial, isolation_level=None)
    # Bulk load without a journal; the file is switched to WAL (what git-model uses) at the end.
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    for statement in (SCHEMA_V1 + SCHEMA_V2).split(";"):
        if statement.strip():
            db.execute(statement)
    writer = RunWriter(db, keys, points, regression)
    per_commit = runs / len(commit_ids)
    config_bytes = [config_text(p).encode() for p in history]
    for r in range(runs):
        n = min(int(r / per_commit), len(commit_ids) - 1)
        first_of_commit = math.ceil(n * per_commit)
        spacing = COMMIT_SPACING / max(1, math.ceil(per_commit))
        start = EPOCH + n * COMMIT_SPACING + 60 + (r - first_of_commit) * spacing + writer.rng.randint(0, 59)
        writer.write(n, commit_ids[n], history[n], config_bytes[n], start)
        if (r + 1) % 1000 == 0:
            print(f"gen_runs_repo: {r + 1} runs", file=sys.stderr)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.execute("COMMIT")
    mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if mode != "wal":
        sys.exit(f"gen_runs_repo: {path}: could not switch to WAL ({mode})")
    db.close()
    os.rename(partial, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo")
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--metrics", type=int, default=100)
    parser.add_argument("--points", type=int, default=20)
    parser.add_argument("--regression-at", type=int, metavar="K",
                        help="plant a val_acc regression at commit K (0 = the oldest) for offline bisect")
    args = parser.parse_args()
    if args.commits < 1 or args.runs < 0 or args.metrics < 1 or args.points < 4:
        parser.error("need at least 1 commit, 1 metric and 4 points")
    regression = None
    if args.regression_at is not None:
        if not 1 <= args.regression_at < args.commits:
            parser.error(f"--regression-at must be from 1 to {args.commits - 1} (the commits less one)")
        if args.runs < args.commits:
            parser.error("--regression-at needs at least one run per commit (--runs >= --commits)")
        regression = Regression(args.regression_at, args.commits)
    if os.path.exists(args.repo) and os.listdir(args.repo):
        sys.exit(f"gen_runs_repo: {args.repo} exists and is not empty")
    args.repo = os.path.abspath(args.repo)  # git -C REPO reads --export-marks relative to REPO
    history = config_history(args.commits, random.Random(3))
    commit_ids = make_repo(args.repo, history)
    if regression:
        planted = commit_ids[regression.at]
        with open(os.path.join(args.repo, ".git", "bench-regression"), "w") as f:
            f.write(planted + "\n")
        print(f"gen_runs_repo: val_acc regression planted at commit {regression.at}: {planted}", file=sys.stderr)
    make_index(os.path.join(args.repo, ".git", "git-model", "index.db"), commit_ids, history, args.runs,
               metric_keys(args.metrics, regression), args.points, regression)


if __name__ == "__main__":
    main()
