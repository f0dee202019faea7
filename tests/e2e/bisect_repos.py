#!/usr/bin/python3
"""Scripted repositories for the `git model bisect` end-to-end tests (bisect_cli_test.py) and
for `git model report`: deterministic histories, made with real git, in which a metric regresses
at a known commit.

make_regression_repo(path, env, commits=12, regress_at=7, broken_at=None, noisy=False) writes a
repository of COMMITS commits on branch main. Its `eval.py` (standard library only, about 50 ms)
trains logistic regression on random tanh features of a seeded synthetic set (400 points, 250 to
train), configured by `config.json` (lr, width, epochs, seed, log_every) and `model.py`, and
appends `{"step": 1, "val_acc": V}` to the file named by GIT_MODEL_METRICS (the metrics protocol
of `git model run`; also printed). It writes nothing into the repository (no bytecode either;
`__pycache__/` is ignored all the same), so checkouts stay clean. Its `.git-model.toml` names
config.json as the hyperparameter file (for `git model params`, `bisect` and `report`).

- Commits 0 .. REGRESS_AT-1 give val_acc 0.88-0.90; REGRESS_AT and later 0.49, so the
  threshold `--min 0.8` separates them exactly at commit REGRESS_AT. The regression commit
  ("perf: cache the feature projection") changes model.py (its cache keeps the features of the
  first row for every row, so the model learns only the class balance) and config.json (epochs
  20 -> 15). The other commits are harmless, in turn: an lr change (the first of them, so lr
  changes before the regression), a README line, a comment in model.py, the unrelated config key
  log_every, a .gitignore line. Subjects are Conventional Commits (feat, chore, docs, refactor,
  fix, perf); authors alternate Ada <ada@example.com> (even commits) and Grace
  <grace@example.com> (odd); author and committer dates are one hour apart from
  2026-11-16T09:00:00Z. Same arguments, same commit ids.
- BROKEN_AT (not 0, not the last commit, not REGRESS_AT): that commit alone imports a module that
  was never committed; eval.py exits 3 with "eval: ImportError: No module named 'fastmath'" and
  logs nothing: a commit bisect must skip, not blame. The next commit removes the import (when
  that is the regression commit, it does both). BROKEN_AT = REGRESS_AT-1 leaves bisect unable to
  tell the two apart.
- NOISY: eval.py counts its invocations per commit (`git rev-parse HEAD`) in a JSON file outside
  the repository: $BISECT_NOISE_STATE, else bisect-noise-<dir name>-<hash of its path>.json in the
  system temp dir (TMPDIR: the hermetic environment's own). Invocations 1 and 4 of every 5 of a
  commit return an outlier on the wrong side of 0.8: 0.5 for a good commit, 0.95 for a bad one.
  So the first run of every commit is wrong: `--repeat 1` marks every tested commit the wrong way
  (bisect names commit 1 or HEAD, never REGRESS_AT; with HEAD's value checked first, it finds
  HEAD good). Any 5 consecutive runs of a commit hold exactly 2 outliers, so `--repeat 5 --agg
  median` is always right, whatever ran before; `--agg mean` is not (a good commit averages about
  0.74).

make_regression_repo returns {"good": commit 0, "bad": HEAD, "planted": commit REGRESS_AT,
"broken": commit BROKEN_AT or None, "commits": ids oldest first, "subjects": subjects oldest
first, "eval": ["/usr/bin/python3", "eval.py"]}.

record_runs_with(git_model, repo, env, commits, command, repeat=1) records history for offline
bisect: at each commit (detached checkout), `git model run -q -- COMMAND` REPEAT times, then back
to the branch it started on.

    bisect_repos.py [--git-model BIN]   self-check: builds each variant in a temp dir, runs eval.py
                                        at every commit and checks the values (with BIN, also
                                        record_runs_with)
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

PYTHON = "/usr/bin/python3"
THRESHOLD = 0.8
START = 1_794_819_600  # 2026-11-16T09:00:00Z
AUTHORS = [("Ada", "ada@example.com"), ("Grace", "grace@example.com")]
LR_STEPS = [0.3, 0.4, 0.5]  # the lr changes, in turn; commit 0 has 0.5
BASE_CONFIG = {"lr": 0.5, "width": 6, "epochs": 20, "seed": 2026, "log_every": 10}
README_NOTES = [  # (subject, line)
    ("say what eval.py logs", "`eval.py` logs val_acc through the metrics protocol of `git model run`."),
    ("state the quality bar", "A model is good when val_acc >= 0.8."),
    ("describe the data", "The data are 400 seeded points: 250 to train, 150 to validate."),
    ("how to run the evaluation", "Run it with `python3 eval.py`; it takes well under a second."),
]
IGNORED = ["*~", ".DS_Store", ".venv/", "*.swp", ".ipynb_checkpoints/"]
MODEL_NOTES = [
    "# sigmoid clamps large negative inputs: math.exp overflows past about 709",
    "# the projection is seeded so that every run sees the same features",
    "# train() is plain SGD, one row at a time, rows shuffled every epoch",
    "# accuracy() thresholds the logit at 0, the same as probability 0.5",
]

EVAL_PY = '''#!/usr/bin/python3
"""Trains the model of this commit on a seeded synthetic set and logs its validation accuracy:
appends {"step": 1, "val_acc": V} to $GIT_MODEL_METRICS (when set) and prints it."""
import json
import os
import sys

sys.dont_write_bytecode = True  # nothing may be written into the repository
HERE = os.path.dirname(os.path.abspath(__file__))
try:
    import model
except ImportError as e:
    print(f"eval: ImportError: {e}", file=sys.stderr)
    sys.exit(3)
@NOISE@

def log(line):
    print(line)
    path = os.environ.get("GIT_MODEL_METRICS")
    if path:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(fd, (line + "\\n").encode())
        os.close(fd)


with open(os.path.join(HERE, "config.json")) as f:
    config = json.load(f)
val_acc = model.evaluate(config["lr"], config["width"], config["epochs"], config["seed"])
log(json.dumps({"step": 1, "val_acc": round(@OUTLIER@, 4)}))
'''

NOISE_PY = '''
# Noisy on purpose (tests/e2e/bisect_repos.py): invocations 1 and 4 of every 5 at a commit give an
# outlier on the wrong side of 0.8. The count is kept outside the repository.
import hashlib
import subprocess
import tempfile


def noise_state_path():
    default = "bisect-noise-%s-%s.json" % (os.path.basename(HERE), hashlib.sha1(HERE.encode()).hexdigest()[:12])
    return os.environ.get("BISECT_NOISE_STATE") or os.path.join(tempfile.gettempdir(), default)


def invocation_at_this_commit():
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True).stdout.strip()
    path = noise_state_path()
    try:
        with open(path) as f:
            counts = json.load(f)
    except (OSError, ValueError):
        counts = {}
    counts[commit] = counts.get(commit, 0) + 1
    with open(path + ".tmp", "w") as f:
        json.dump(counts, f)
    os.replace(path + ".tmp", path)
    return counts[commit]


def maybe_outlier(value):
    if invocation_at_this_commit() % 5 in (1, 4):
        return 0.5 if value >= 0.8 else 0.95
    return value
'''

MODEL_PY = '''"""The model: logistic regression on the inputs and random tanh features of them."""
import math
import random
@IMPORT@

def sigmoid(z):
    if z < -30.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def dataset(seed, count):
    """COUNT points (x0, x1) with label x0 + x1/2 + noise > 0."""
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        x = (rng.gauss(0.0, 1.0), rng.gauss(0.0, 1.0))
        rows.append((x, 1 if x[0] + 0.5 * x[1] + rng.gauss(0.0, 0.3) > 0 else 0))
    return rows


def projection(width, seed):
    rng = random.Random(seed)
    return [(rng.gauss(0.0, 1.0), rng.gauss(0.0, 1.0), rng.uniform(-1.0, 1.0)) for _ in range(width)]

@FEATURES@

def train(rows, lr, epochs, seed):
    rng = random.Random(seed)
    weights, bias = [0.0] * len(rows[0][0]), 0.0
    order = list(range(len(rows)))
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            x, y = rows[i]
            g = sigmoid(sum(w * v for w, v in zip(weights, x)) + bias) - y
            weights = [w - lr * g * v for w, v in zip(weights, x)]
            bias -= lr * g
    return weights, bias


def accuracy(model, rows):
    weights, bias = model
    hits = sum((sum(w * v for w, v in zip(weights, x)) + bias > 0) == (y == 1) for x, y in rows)
    return hits / len(rows)


def evaluate(lr, width, epochs, seed):
    rows = [(features(x, width), y) for x, y in dataset(seed, 400)]
    return accuracy(train(rows[:250], lr, epochs, seed), rows[250:])
'''

FEATURES_GOOD = '''
def features(x, width, seed=7):
    """The inputs and WIDTH random tanh projections of them."""
    return list(x) + [math.tanh(a * x[0] + b * x[1] + c) for a, b, c in projection(width, seed)]
'''

# The regression: the cache meant for the projection keeps the first row's features.
FEATURES_REGRESSED = '''
_cache = {}


def features(x, width, seed=7):
    """The inputs and WIDTH random tanh projections of them, cached (they were 30% of eval)."""
    key = (width, seed)
    if key not in _cache:
        _cache[key] = list(x) + [math.tanh(a * x[0] + b * x[1] + c) for a, b, c in projection(width, seed)]
    return _cache[key]
'''


class History:
    """The files of the repository at one commit; each commit changes some of it."""

    def __init__(self, noisy):
        self.noisy = noisy
        self.config = dict(BASE_CONFIG)
        self.readme, self.model_notes, self.ignored = [], [], ["__pycache__/"]
        self.regressed = self.broken = False
        self.lr_changes = 0

    def files(self):
        features = FEATURES_REGRESSED if self.regressed else FEATURES_GOOD
        model = MODEL_PY.replace("@FEATURES@", features).replace(
            "@IMPORT@", "from fastmath import fast_tanh  # vendored next week\n" if self.broken else "")
        model += "".join("\n" + note for note in self.model_notes) + ("\n" if self.model_notes else "")
        eval_py = EVAL_PY.replace("@NOISE@", NOISE_PY if self.noisy else "").replace(
            "@OUTLIER@", "maybe_outlier(val_acc)" if self.noisy else "val_acc")
        readme = "# bisect demo\n\nA tiny model whose val_acc regresses somewhere in this history.\n"
        readme += "".join("\n" + note + "\n" for note in self.readme)
        return {".gitignore": "".join(p + "\n" for p in self.ignored), "README.md": readme, "eval.py": eval_py, "model.py": model,
                "config.json": json.dumps(self.config, indent=2) + "\n",
                ".git-model.toml": '[params]\nfiles = ["config.json"]\n'}

    def filler(self, index):
        """Makes the INDEX-th harmless change (0: an lr change); returns its subject."""
        kind = index % 5
        turn = index // 5
        if kind == 0:
            old = self.config["lr"]
            self.config["lr"] = LR_STEPS[self.lr_changes % len(LR_STEPS)]
            self.lr_changes += 1
            return f"chore: set lr to {self.config['lr']} (was {old})"
        if kind == 1:
            topic, line = README_NOTES[len(self.readme) % len(README_NOTES)]
            self.readme.append(line)
            return f"docs: {topic}" + (f" ({len(self.readme)})" if len(self.readme) > len(README_NOTES) else "")
        if kind == 2:
            self.model_notes.append(MODEL_NOTES[turn % len(MODEL_NOTES)])
            return f"refactor: comment {len(self.model_notes)} in model.py"
        if kind == 3:
            self.config["log_every"] = [20, 50, 10][turn % 3]
            return f"chore: log every {self.config['log_every']} steps"
        pattern = IGNORED[turn] if turn < len(IGNORED) else f"scratch{turn}/"
        self.ignored.append(pattern)
        return f"fix: ignore {pattern}"


def commit_plan(history, commits, regress_at, broken_at):
    """Yields (index, subject, body) after changing HISTORY for each commit in turn."""
    fillers = 0
    for n in range(commits):
        body = ""
        if n == 0:
            subject = "feat: logistic regression with eval.py"
        elif n == regress_at:
            if not history.lr_changes:
                raise ValueError("no commit between the first and the regression is free to change lr")
            history.regressed, history.broken = True, False
            history.config["epochs"] = 15
            subject = "perf: cache the feature projection"
            body = "The projection was 30% of eval. Fewer epochs (15) are enough now."
            if broken_at == n - 1:
                body += "\n\nAlso drops the fastmath import: the module is not vendored."
        elif n == broken_at:
            history.broken = True
            subject = "refactor: use fastmath's tanh"
        elif history.broken:  # the commit after BROKEN_AT
            history.broken = False
            subject = "fix: drop the fastmath import (the module is not vendored)"
        else:
            subject = history.filler(fillers)
            fillers += 1
        yield n, subject, body


def check_arguments(commits, regress_at, broken_at):
    if not 1 <= regress_at < commits:
        raise ValueError(f"regress_at must be from 1 to {commits - 1}")
    if broken_at is not None and (not 1 <= broken_at < commits - 1 or broken_at == regress_at):
        raise ValueError(f"broken_at must be from 1 to {commits - 2} and not regress_at")


def git(path, env, *argv):
    return subprocess.run(["git", *argv], cwd=path, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def commit_env(env, n):
    name, email = AUTHORS[n % 2]
    date = f"@{START + 3600 * n} +0000"
    return dict(env, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=name,
                GIT_COMMITTER_EMAIL=email, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)


def write_files(path, files):
    for name, text in files.items():
        with open(os.path.join(path, name), "w") as f:
            f.write(text)


def make_regression_repo(path, env, commits=12, regress_at=7, broken_at=None, noisy=False):
    """Writes the repository (module docstring) at PATH, which must not exist or be empty; ENV is
    the environment for git (e2e_support.hermetic_env). Returns its commits by role."""
    check_arguments(commits, regress_at, broken_at)
    os.makedirs(path, exist_ok=True)
    git(path, env, "init", "-q", "-b", "main")
    history = History(noisy)
    ids, subjects = [], []
    for n, subject, body in commit_plan(history, commits, regress_at, broken_at):
        write_files(path, history.files())
        git(path, env, "add", "-A")
        message = subject + ("\n\n" + body if body else "")
        git(path, commit_env(env, n), "commit", "-q", "-m", message)
        ids.append(git(path, env, "rev-parse", "HEAD"))
        subjects.append(subject)
    return {"good": ids[0], "bad": ids[-1], "planted": ids[regress_at],
            "broken": ids[broken_at] if broken_at is not None else None, "commits": ids,
            "subjects": subjects, "eval": [PYTHON, "eval.py"]}


def record_runs_with(git_model, repo, env, commits, command, repeat=1, run_options=()):
    """Runs `GIT_MODEL run -q [RUN_OPTIONS] -- COMMAND` REPEAT times at each of COMMITS (detached
    checkouts), then checks the starting branch out again. Returns [(commit, exit code)] in the
    order run; a broken commit's runs fail and are recorded as failed, which is the point."""
    branch = git(repo, env, "symbolic-ref", "--short", "HEAD")
    codes = []
    try:
        for commit in commits:
            git(repo, env, "checkout", "-q", "--detach", commit)
            for _ in range(repeat):
                r = subprocess.run([git_model, "run", "-q", *run_options, "--", *command], cwd=repo, env=env,
                                   capture_output=True, text=True, timeout=120)
                codes.append((commit, r.returncode))
    finally:
        git(repo, env, "checkout", "-q", branch)
    return codes


# ---- self-check -------------------------------------------------------------------------------

def eval_at(repo, env, commit, metrics):
    """(exit code, val_acc or None, seconds) of eval.py run directly at COMMIT."""
    git(repo, env, "checkout", "-q", "--detach", commit)
    open(metrics, "w").close()
    start = time.monotonic()
    r = subprocess.run([PYTHON, "eval.py"], cwd=repo, env=dict(env, GIT_MODEL_METRICS=metrics),
                       capture_output=True, text=True)
    seconds = time.monotonic() - start
    lines = [json.loads(line) for line in open(metrics) if line.strip()]
    assert r.returncode != 0 or len(lines) == 1, (r.returncode, lines, r.stderr)
    return r.returncode, (lines[0]["val_acc"] if lines else None), seconds, r.stderr.strip()


def self_check_variant(root, env, label, git_model, **kw):
    repo = os.path.join(root, label)
    made = make_regression_repo(repo, env, **kw)
    regress_at = kw.get("regress_at", 7)
    env = dict(env, BISECT_NOISE_STATE=os.path.join(root, label + "-noise.json"))
    metrics = os.path.join(root, label + "-metrics.jsonl")
    tries = 5 if kw.get("noisy") else 1
    print(f"\n{label}: {kw}; planted {made['planted']}")
    fooled = slowest = 0
    for n, (commit, subject) in enumerate(zip(made["commits"], made["subjects"])):
        results = [eval_at(repo, env, commit, metrics) for _ in range(tries)]
        values = [v for _, v, _, _ in results]
        slowest = max([slowest] + [s for _, _, s, _ in results])
        expect_good = n < regress_at
        author = git(repo, env, "log", "-1", "--format=%an %aI", commit)
        if commit == made["broken"]:
            assert all(code == 3 and v is None for code, v, _, _ in results), results
            shown = f"exit 3 ({results[0][3]})"
        else:
            assert all(code == 0 for code, _, _, _ in results), results
            verdict = statistics.median(values)
            assert (verdict >= THRESHOLD) == expect_good, (n, values)
            assert all(v >= 0.85 or v <= 0.7 for v in values), values
            if tries > 1:
                assert all((v >= THRESHOLD) != expect_good for v in values[0::3]), values  # runs 1 and 4
                fooled += 1
            shown = " ".join(f"{v:.4f}" for v in values) + (f"  median {verdict:.4f}" if tries > 1 else "")
        print(f"  {n:2d} {commit[:8]} {'good' if expect_good else 'BAD '} {author:32s} {subject[:52]:52s} {shown}")
    git(repo, env, "checkout", "-q", "main")
    assert git(repo, env, "status", "--porcelain", "--ignored") == "", "eval.py left files in the repository"
    print(f"  slowest eval.py: {slowest * 1000:.0f} ms" + (f"; single runs fooled on {fooled} commits, "
                                                         "the median of 5 on none" if tries > 1 else ""))
    assert slowest < 0.5, slowest
    self_check_git_bisect(root, repo, env, made, kw.get("noisy", False))
    if git_model:
        self_check_records(repo, env, git_model, made, kw.get("noisy", False))


# What `git model bisect` does online, as a `git bisect run` script: eval.py REPEAT times, the
# median against the threshold; exit 125 (skip) when a run fails or logs nothing.
BISECT_STEP = """
import json, os, statistics, subprocess, sys, tempfile
values = []
for _ in range(int(sys.argv[1])):
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as metrics:
        r = subprocess.run(%r, env=dict(os.environ, GIT_MODEL_METRICS=metrics.name), capture_output=True)
        lines = [json.loads(line) for line in metrics if line.strip()]
    if r.returncode != 0 or not lines:
        sys.exit(125)
    values.append(lines[-1]["val_acc"])
sys.exit(0 if statistics.median(values) >= %r else 1)
"""


def first_bad_by_git_bisect(root, repo, env, made, repeat):
    """The commits `git bisect run` names as first bad (one, or those it could not tell apart
    because of skips), with REPEAT evals a step."""
    step = os.path.join(root, "bisect_step.py")
    with open(step, "w") as f:
        f.write(BISECT_STEP % (made["eval"], THRESHOLD))
    git(repo, env, "bisect", "start", made["bad"], made["good"])
    try:
        r = subprocess.run(["git", "bisect", "run", PYTHON, step, str(repeat)], cwd=repo, env=env,
                           capture_output=True, text=True)
        named = [line.split()[0] for line in r.stdout.splitlines() if line.endswith("is the first bad commit")]
        candidates = r.stdout.partition("could be any of:")[2].split("We cannot")[0].split()
        return named or candidates
    finally:
        git(repo, env, "bisect", "reset")


def self_check_git_bisect(root, repo, env, made, noisy):
    found = first_bad_by_git_bisect(root, repo, env, made, 5 if noisy else 1)
    line = f"  git bisect run (eval.py, median of {5 if noisy else 1} against 0.8): "
    if made["broken"] == made["commits"][made["commits"].index(made["planted"]) - 1]:
        assert sorted(found) == sorted([made["broken"], made["planted"]]), found
        line += "any of the broken and the planted commit (skips leave them apart)"
    else:
        assert found == [made["planted"]], (found, made["planted"])
        line += f"{found[0][:8]}, the planted commit"
    if noisy:
        fooled = first_bad_by_git_bisect(root, repo, env, made, 1)
        assert fooled != [made["planted"]], fooled
        line += f"; one eval a step: {' '.join(c[:8] for c in fooled) or 'none'}"
    print(line)


def self_check_records(repo, env, git_model, made, noisy):
    """record_runs_with at the first, broken, planted and last commits: statuses and values."""
    chosen = [c for c in (made["good"], made["broken"], made["planted"], made["bad"]) if c]
    repeat = 5 if noisy else 1
    codes = record_runs_with(git_model, repo, env, chosen, made["eval"], repeat, ["--config", "config.json"])
    assert git(repo, env, "symbolic-ref", "--short", "HEAD") == "main"
    assert git(repo, env, "status", "--porcelain") == "", "recording left the tree changed"
    listed = json.loads(subprocess.run([git_model, "runs", "--limit", "0", "--json"], cwd=repo, env=env,
                                       check=True, capture_output=True, text=True).stdout)
    assert len(listed) == len(codes) == repeat * len(chosen), (len(listed), codes)
    for commit in chosen:
        runs = [r for r in listed if r["commit"] == commit]
        if commit == made["broken"]:
            assert all(r["status"] == "failed" and r["exit_code"] == 3 for r in runs), runs
            continue
        value = statistics.median(r["metrics"]["val_acc"]["last"] for r in runs)
        assert all(r["status"] == "finished" for r in runs) and (value >= THRESHOLD) == (commit == made["good"])
    print(f"  record_runs_with: {len(codes)} runs at {len(chosen)} commits, exit codes {[c for _, c in codes]}; "
          "`git model runs --json` has their statuses and values")


def self_check():
    from e2e_support import hermetic_env
    parser = argparse.ArgumentParser(description="builds each variant and checks eval.py's values")
    parser.add_argument("--git-model", help="also record runs with this binary (record_runs_with)")
    args = parser.parse_args()
    git_model = os.path.abspath(args.git_model) if args.git_model else None
    with tempfile.TemporaryDirectory() as root:
        for d in ("home", "tmp"):
            os.mkdir(os.path.join(root, d))
        env = hermetic_env(os.path.join(root, "home"), os.path.join(root, "tmp"), git_model or "/usr/bin/git")
        self_check_variant(root, env, "plain", git_model)
        self_check_variant(root, env, "broken-before", git_model, broken_at=3)
        self_check_variant(root, env, "broken-after", git_model, broken_at=9)
        self_check_variant(root, env, "noisy", git_model, noisy=True)
        self_check_variant(root, env, "long", None, commits=40, regress_at=29, broken_at=28)
    print("\nbisect_repos: all variants check out")


if __name__ == "__main__":
    self_check()
