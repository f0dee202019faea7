#!/usr/bin/python3
"""End-to-end tests of recorded runs (issue 7) through the real binary, real git and Debian's
torch, in hermetic temp repositories: `git model run` of a small real training script across
commits that change its config; `runs`, `runs show`, `runs compare`; `git model show` naming the
run; sharing runs between two clones through a bare remote; four runs logging 10,000 metric lines
each at once; and children that crash, are killed by a signal, are sent SIGTERM through
git-model, or write garbage to the metrics file.

    runs_cli_test.py --git-model BIN
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from e2e_support import OneLineErrors, hermetic_env, parse_git_model_args, run_tests

ARGS = None
PYTHON = "/usr/bin/python3"  # Debian's, with torch
HELPER_DIR = str(Path(__file__).resolve().parents[2] / "python")

TRAIN = """
import json, os, sys
sys.path[:0] = os.environ["HELPER_DIR"].split(os.pathsep)
import torch, yaml_free_config as cfg
import git_model
lr = cfg.read("config.yaml")["lr"]
torch.manual_seed(0)
model = torch.nn.Linear(8, 1)
opt = torch.optim.SGD(model.parameters(), lr=lr)
x = torch.randn(64, 8)
y = x.sum(dim=1, keepdim=True)
for step in range(20):
    loss = torch.nn.functional.mse_loss(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
    git_model.log(step=step, loss=loss.item())
git_model.log(step=20, val_acc=float(1.0 / (1.0 + loss.item())))
os.makedirs("out", exist_ok=True)
torch.save(model.state_dict(), "out/model.pt")
print("final loss", loss.item())
"""

# The config reader of the training script: `key: value` lines (no PyYAML in Debian's minimal set).
CONFIG_READER = """
def read(path):
    out = {}
    for line in open(path):
        key, _, value = line.partition(":")
        out[key.strip()] = float(value)
    return out
"""


class Repo:
    def __init__(self, root, name="work"):
        self.root = Path(root)
        self.work = self.root / name
        self.env = hermetic_env(self.root / "home", self.root / "tmp", ARGS.git_model)
        self.env["HELPER_DIR"] = HELPER_DIR + os.pathsep + str(self.work)
        (self.root / "home").mkdir(exist_ok=True)
        (self.root / "tmp").mkdir(exist_ok=True)

    def run(self, argv, check=None, timeout=300, **kw):
        r = subprocess.run(argv, cwd=self.work, env=self.env, capture_output=True, text=True, timeout=timeout, **kw)
        if check is not None:
            assert r.returncode == check, (argv, r.returncode, r.stdout[-3000:], r.stderr[-3000:])
        return r

    def git(self, *argv):
        return self.run(["git", *argv], check=0).stdout

    def gm(self, *argv, check=0, **kw):
        return self.run([ARGS.git_model, *argv], check=check, **kw)

    def gm_json(self, *argv):
        return json.loads(self.gm(*argv, "--json").stdout)

    def write(self, path, text):
        p = self.work / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def new_repo(root):
    repo = Repo(root)
    repo.work.mkdir()
    repo.git("init", "-q", "-b", "main")
    repo.write("train.py", TRAIN)
    repo.write("yaml_free_config.py", CONFIG_READER)
    repo.write(".gitignore", "out/\n__pycache__/\n")
    return repo


class TrainingAcrossCommits(unittest.TestCase, OneLineErrors):
    """Three commits with lr 0.1, 0.01, 0.001; one recorded run of real torch training each."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.repo = repo = new_repo(cls.tmp.name)
        cls.runs = {}
        for lr in ("0.1", "0.01", "0.001"):
            repo.write("config.yaml", f"lr: {lr}\nbatch: 64\n")
            repo.git("add", "-A")
            repo.git("commit", "-q", "-m", f"lr {lr}")
            r = repo.gm("run", "--name", f"lr-{lr}", "--config", "config.yaml", "--watch", "out", "--tag",
                        "sweep=lr", "--no-python", "--", PYTHON, "train.py")
            self_id = [line for line in r.stderr.splitlines() if line.startswith("git-model: run ")][0].split()[2]
            cls.runs[lr] = self_id
            assert "final loss" in r.stdout, r.stdout

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_runs_lists_every_run_with_params_and_metrics(self):
        rows = self.repo.gm_json("runs")
        self.assertEqual([r["id"] for r in rows], [self.runs["0.001"], self.runs["0.01"], self.runs["0.1"]])
        for row in rows:
            self.assertEqual(row["status"], "finished")
            self.assertEqual(row["exit_code"], 0)
            self.assertEqual(row["metrics"]["loss"]["count"], 20)
            self.assertEqual(row["metrics"]["loss"]["last_step"], 19)
            self.assertEqual(row["metrics"]["val_acc"]["count"], 1)
        text = self.repo.gm("runs").stdout
        self.assertIn("lr-0.01", text)
        self.assertIn("val_acc", text.splitlines()[0])

    def test_where_and_sort(self):
        # Higher learning rates fit this problem in 20 steps: val_acc orders the runs by lr.
        best = self.repo.gm_json("runs", "--sort", "-val_acc", "--limit", "1")
        self.assertEqual(best[0]["id"], self.runs["0.1"])
        small = self.repo.gm_json("runs", "--where", "params.lr<0.05", "--sort", "params.lr")
        self.assertEqual([r["id"] for r in small], [self.runs["0.001"], self.runs["0.01"]])
        self.assertEqual(self.repo.gm_json("runs", "--where", "tags.sweep=other"), [])
        self.assertOneLineError(self.repo.gm("runs", "--where", "val_acc>high", check=2), "val_acc")

    def test_show_has_the_series_summary_params_and_checkpoint(self):
        record = self.repo.gm_json("runs", "show", self.runs["0.01"][:20])
        self.assertEqual(record["schema"], "git-model/run/v1")
        self.assertEqual(record["hyperparams"]["lr"], 0.01)
        self.assertEqual(record["hyperparams"]["batch"], 64)
        self.assertEqual(record["command"], [PYTHON, "train.py"])
        self.assertEqual(record["tags"], {"sweep": "lr"})
        self.assertFalse(record["git"]["dirty"])
        self.assertEqual(record["metrics"]["summary"]["loss"]["count"], 20)
        self.assertEqual(record["metrics"]["lines"], 21)
        [checkpoint] = record["checkpoints"]
        self.assertEqual(checkpoint["path"], "out/model.pt")
        self.assertIn("lr = 0.01", self.repo.gm("runs", "show", self.runs["0.01"]).stdout)

    def test_series_has_every_logged_point(self):
        series = self.repo.gm_json("runs", "show", self.runs["0.1"], "--series", "loss")
        self.assertEqual(series["key"], "loss")
        points = series["points"]
        self.assertEqual([p["step"] for p in points], list(range(20)))
        self.assertEqual([p["line"] for p in points], list(range(1, 21)))
        self.assertLess(points[-1]["value"], points[0]["value"])  # training lowered the loss
        self.assertTrue(all(p["time"] > 1.7e9 for p in points))  # git_model.log adds the time
        text = self.repo.gm("runs", "show", self.runs["0.1"], "--series", "loss").stdout.splitlines()
        self.assertEqual(text[0].split(), ["LINE", "STEP", "TIME", "VALUE"])
        self.assertEqual(len(text), 21)
        self.assertOneLineError(self.repo.gm("runs", "show", self.runs["0.1"], "--series", "nope", check=2), "nope")

    def test_show_of_the_checkpoint_names_its_run(self):
        # The last run wrote out/model.pt last: its stamp names that run and its final metrics.
        record = self.repo.gm_json("show", "out/model.pt")
        record = record.get("record", record)
        self.assertEqual(record["run"]["id"], self.runs["0.001"])
        self.assertIn("val_acc", record["metrics"])
        self.assertEqual(record["hyperparams"]["lr"], 0.001)
        self.assertIn(self.runs["0.001"], self.repo.gm("show", "out/model.pt").stdout)

    def test_compare_marks_the_differences_and_lists_code_changes(self):
        c = self.repo.gm_json("runs", "compare", self.runs["0.1"], self.runs["0.001"])
        params = {p["key"]: p for p in c["params"]}
        self.assertTrue(params["lr"]["differs"])
        self.assertEqual(params["lr"]["values"], ["0.1", "0.001"])
        self.assertFalse(params["batch"]["differs"])
        self.assertEqual([f["path"] for f in c["code"][0]["files"]], ["config.yaml"])
        metrics = {m["key"]: m for m in c["metrics"]}
        self.assertEqual(metrics["loss"]["values"][0]["count"], 20)
        text = self.repo.gm("runs", "compare", self.runs["0.1"], self.runs["0.001"]).stdout
        self.assertIn("* lr", text)
        self.assertIn("M config.yaml  +1 -1", text)

    def test_ambiguous_and_unknown_ids_are_one_line_errors(self):
        self.assertOneLineError(self.repo.gm("runs", "show", "2", check=2), "ambiguous")
        self.assertOneLineError(self.repo.gm("runs", "show", "nope", check=2), "nope")


class SharingThroughAGitRemote(unittest.TestCase):
    def test_two_clones_exchange_runs_and_agree_after_reindex(self):
        with tempfile.TemporaryDirectory() as tmp:
            a = new_repo(tmp)
            bare = Path(tmp) / "bare.git"
            subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True, env=a.env)
            a.write("config.yaml", "lr: 0.1\n")
            a.git("add", "-A")
            a.git("commit", "-q", "-m", "one")
            a.git("remote", "add", "origin", str(bare))
            a.git("push", "-q", "origin", "main")
            a.gm("run", "-q", "--no-python", "--", PYTHON, "-c", "print(1)")
            self.assertIn("pushed the run records to origin", a.gm("push").stdout)
            b = Repo(tmp, "clone")
            subprocess.run(["git", "clone", "-q", str(bare), str(b.work)], check=True, env=b.env)
            self.assertIn("1 run new or updated", b.gm("pull").stdout)
            # Both record a run at once, then exchange: each push merges what the other pushed.
            a.gm("run", "-q", "--no-python", "--name", "from-a", "--", PYTHON, "-c", "print(2)")
            b.gm("run", "-q", "--no-python", "--name", "from-b", "--", PYTHON, "-c", "print(3)")
            a.gm("push")
            b.gm("push")  # rejected at first (a pushed), merged, pushed again
            a.gm("pull")
            listed = {name: sorted(r["name"] for r in repo.gm_json("runs")) for name, repo in (("a", a), ("b", b))}
            self.assertEqual(listed["a"], ["", "from-a", "from-b"])
            self.assertEqual(listed["a"], listed["b"])
            for repo in (a, b):
                repo.gm("reindex")
            dumps = [json.dumps(r.gm_json("runs", "--limit", "0"), sort_keys=True) for r in (a, b)]
            self.assertEqual(dumps[0], dumps[1])


LOGGER = """
import json, os
with open(os.environ["GIT_MODEL_METRICS"], "a") as f:
    for step in range(10000):
        f.write(json.dumps({"step": step, "loss": 1.0 / (step + 1), "acc": step / 10000}) + "\\n")
        if step % 500 == 0:
            f.flush()
"""


class ConcurrentRuns(unittest.TestCase):
    def test_four_runs_logging_ten_thousand_lines_each_lose_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            repo = new_repo(tmp)
            repo.git("add", "-A")
            repo.git("commit", "-q", "-m", "one")
            procs = [subprocess.Popen([ARGS.git_model, "run", "-q", "--no-python", "--name", f"p{i}", "--",
                                       PYTHON, "-c", LOGGER], cwd=repo.work, env=repo.env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for i in range(4)]
            outputs = [p.communicate(timeout=300) for p in procs]
            for p, (out, err) in zip(procs, outputs):
                self.assertEqual(p.returncode, 0, err)
                self.assertNotIn("locked", err)
                self.assertNotIn("problem", err)
            rows = repo.gm_json("runs")
            self.assertEqual(len(rows), 4)
            for row in rows:
                self.assertEqual(row["metrics"]["loss"]["count"], 10000, row["name"])
                self.assertEqual(row["metrics"]["acc"]["count"], 10000)
                self.assertEqual(row["metrics"]["loss"]["last_step"], 9999)
            repo.gm("reindex")
            for row in repo.gm_json("runs"):
                self.assertEqual(row["metrics"]["loss"]["count"], 10000)


class TruthfulOutcomes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.repo = new_repo(cls.tmp.name)
        cls.repo.git("add", "-A")
        cls.repo.git("commit", "-q", "-m", "one")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def record(self, name):
        [row] = self.repo.gm_json("runs", "--where", f"name={name}")
        return self.repo.gm_json("runs", "show", row["id"])

    def test_a_crash_keeps_its_exit_code_and_partial_metrics(self):
        script = ("import json, os\nf = open(os.environ['GIT_MODEL_METRICS'], 'a')\n"
                  "f.write(json.dumps({'step': 0, 'loss': 2.5}) + '\\n'); f.flush()\n"
                  "f.write('{\"step\": 1, \"loss\": 1.2')\n"  # cut mid-line by the crash
                  "f.flush()\nraise SystemExit(3)\n")
        r = self.repo.gm("run", "--no-python", "--name", "crash", "--", PYTHON, "-c", script, check=3)
        self.assertIn("failed (exit 3)", r.stderr)
        record = self.record("crash")
        self.assertEqual(record["status"], "failed")
        self.assertEqual(record["exit_code"], 3)
        self.assertEqual(record["metrics"]["summary"]["loss"]["count"], 1)
        self.assertEqual(record["metrics"]["lines"], 2)
        self.assertTrue(any("line 2" in w for w in record["metrics"]["warnings"]), record["metrics"])

    def test_a_signal_is_recorded_as_such(self):
        r = self.repo.gm("run", "--no-python", "--name", "killed", "--", PYTHON, "-c",
                         "import os, signal; os.kill(os.getpid(), signal.SIGKILL)", check=128 + 9)
        self.assertIn("killed by signal 9", r.stderr)
        record = self.record("killed")
        self.assertEqual(record["status"], "killed")
        self.assertEqual(record["signal"], 9)
        self.assertNotIn("exit_code", record)

    def test_sigterm_to_git_model_reaches_the_command(self):
        script = ("import signal, sys, time\n"
                  "signal.signal(signal.SIGTERM, lambda *a: (print('got TERM', flush=True), sys.exit(5)))\n"
                  "print('ready', flush=True)\ntime.sleep(60)\n")
        p = subprocess.Popen([ARGS.git_model, "run", "--no-python", "--name", "term", "--", PYTHON, "-u", "-c", script],
                             cwd=self.repo.work, env=self.repo.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        self.assertEqual(p.stdout.readline().strip(), "ready")
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 5, err)
        self.assertIn("got TERM", out)
        record = self.record("term")
        self.assertEqual(record["exit_code"], 5)
        self.assertEqual(record["status"], "failed")

    def test_garbage_metrics_are_warnings_not_failures(self):
        script = ("import os\nf = open(os.environ['GIT_MODEL_METRICS'], 'a')\n"
                  "f.write('not json\\n{\"step\": 1, \"loss\": \"low\", \"acc\": 0.5}\\n[1, 2]\\n')\n"
                  "f.write('{\"step\": 2, \"loss\": NaN}\\n')\n")
        r = self.repo.gm("run", "--no-python", "--name", "garbage", "--", PYTHON, "-c", script)
        self.assertIn("not a JSON object", r.stderr)
        record = self.record("garbage")
        self.assertEqual(record["status"], "finished")
        summary = record["metrics"]["summary"]
        self.assertEqual(summary["acc"]["last"], 0.5)
        self.assertEqual(summary["loss"]["last"], "NaN")
        self.assertEqual(len(record["metrics"]["warnings"]), 3)

    def test_a_command_that_does_not_exist(self):
        r = self.repo.gm("run", "--no-python", "--name", "missing", "--", "no-such-program-xyz", check=127)
        self.assertIn("did not start", r.stderr)
        self.assertEqual(self.record("missing")["status"], "not-started")


if __name__ == "__main__":
    ARGS, rest = parse_git_model_args()
    run_tests(rest)
