#!/usr/bin/python3
"""End-to-end tests of `git model log` through the real binary and real git, in a hermetic temp
repository: three commits change config.yaml's lr (0.1 -> 0.01 -> 0.001), a docs-only commit sits
between them, and runs are recorded with the real `git model run` (a Python child writing metric
lines to $GIT_MODEL_METRICS, one run failing, one writing a safetensors checkpoint).

    log_cli_test.py --git-model BIN
"""

import json
import re
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from e2e_support import OneLineErrors, parse_git_model_args, run_tests, workspace

ARGS = None

# argv: EXIT_CODE VAL_ACC... ; writes one metrics line per value, then out/model.safetensors when
# WRITE_CHECKPOINT is set.
TRAIN = r"""
import json, os, struct, sys
code, values = int(sys.argv[1]), [float(v) for v in sys.argv[2:]]
with open(os.environ["GIT_MODEL_METRICS"], "a") as f:
    for step, v in enumerate(values, 1):
        f.write(json.dumps({"step": step, "val_acc": v, "loss": round(1 - v, 6)}) + "\n")
if os.environ.get("WRITE_CHECKPOINT"):
    os.makedirs("out", exist_ok=True)
    header = json.dumps({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    with open("out/model.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + struct.pack("<f", values[-1]))
sys.exit(code)
"""


class Repo:
    def __init__(self, root):
        self.root = Path(root)
        self.work, self.env = workspace(self.root, ARGS.git_model)
        self.clock = 1_700_000_000
        self.ids = {}
        self.git("init", "-q", "-b", "main")
        self.write(".gitignore", "out/\n")

    def run(self, argv, check=None, env=None):
        r = subprocess.run(argv, cwd=self.work, env=env or self.env, capture_output=True, text=True, timeout=120)
        if check is not None:
            assert r.returncode == check, (argv, r.returncode, r.stdout[-3000:], r.stderr[-3000:])
        return r

    def git(self, *argv):
        return self.run(["git", *argv], check=0).stdout

    def gm(self, *argv, check=None):
        return self.run([ARGS.git_model, *argv], check=check)

    def write(self, path, text):
        (self.work / path).write_text(text)

    def commit(self, name, subject):
        self.clock += 3600
        env = dict(self.env, GIT_AUTHOR_DATE=f"@{self.clock} +0000", GIT_COMMITTER_DATE=f"@{self.clock} +0000")
        self.run(["git", "add", "-A"], check=0, env=env)
        self.run(["git", "commit", "-q", "-m", subject], check=0, env=env)
        self.ids[name] = self.git("rev-parse", "HEAD").strip()

    def train(self, exit_code, *val_acc, checkpoint=False):
        """Records one run at HEAD; returns its id."""
        env = dict(self.env, WRITE_CHECKPOINT="1") if checkpoint else self.env
        argv = [ARGS.git_model, "run", "--no-python", "--config", "config.yaml", "--watch", "out", "--",
                "/usr/bin/python3", "-c", TRAIN, str(exit_code), *map(str, val_acc)]
        r = self.run(argv, check=exit_code, env=env)
        return re.search(r"git-model: run (\S+) ", r.stderr).group(1)


def config(lr):
    return f"lr: {lr}\nbatch_size: 64\n"


class LogTest(OneLineErrors, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="gm-log-")
        repo = cls.repo = Repo(cls._tmp.name)
        cls.runs = {}
        repo.write("config.yaml", config("0.1"))
        repo.commit("c1", "start at lr 0.1")
        cls.runs["a"] = repo.train(0, 0.5, 0.6)
        repo.write("config.yaml", config("0.01"))
        repo.commit("c2", "lower lr")
        cls.runs["b"] = repo.train(0, 0.7, 0.8)
        time.sleep(1.1)  # run starts have one-second resolution: make "oldest first" observable
        cls.runs["c"] = repo.train(3, 0.75)
        repo.write("README.md", "notes\n")
        repo.commit("docs", "docs only")
        repo.write("config.yaml", config("0.001"))
        repo.commit("c3", "lower lr again")
        cls.runs["d"] = repo.train(0, 0.85, 0.9, checkpoint=True)
        cls.names = {v: k for k, v in repo.ids.items()}

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def log_json(self, *argv):
        return json.loads(self.repo.gm("log", "--json", *argv, check=0).stdout)

    def by_name(self, doc):
        return {self.names[c["id"]]: c for c in doc}

    def test_json_shows_every_commit_its_lr_change_and_its_runs(self):
        doc = self.log_json()
        self.assertEqual([self.names[c["id"]] for c in doc], ["c3", "docs", "c2", "c1"])
        commits = self.by_name(doc)
        lr = {name: [(ch["kind"], ch.get("old"), ch.get("new")) for f in c["params"] for ch in f["changes"]
                     if ch["key"] == "lr"] for name, c in commits.items()}
        self.assertEqual(lr, {"c1": [("added", None, 0.1)], "c2": [("changed", 0.1, 0.01)], "docs": [],
                              "c3": [("changed", 0.01, 0.001)]})
        self.assertEqual(commits["c2"]["params"][0]["path"], "config.yaml")
        runs = {name: [(r["id"], r["status"], r["metrics"]["val_acc"]["last"]) for r in c["runs"]]
                for name, c in commits.items()}
        self.assertEqual(runs, {"c1": [(self.runs["a"], "finished", 0.6)], "docs": [],
                                "c2": [(self.runs["b"], "finished", 0.8), (self.runs["c"], "failed", 0.75)],
                                "c3": [(self.runs["d"], "finished", 0.9)]})
        c2_runs = commits["c2"]["runs"]
        self.assertEqual(c2_runs[1]["exit_code"], 3)
        self.assertEqual(c2_runs[0]["metrics"]["val_acc"]["count"], 2)
        self.assertEqual(c2_runs[0]["metrics"]["val_acc"]["last_step"], 2)
        self.assertAlmostEqual(c2_runs[0]["metrics"]["loss"]["last"], 0.2)
        self.assertFalse(c2_runs[0]["dirty"])
        self.assertEqual(c2_runs[0]["commit"], self.repo.ids["c2"])
        self.assertEqual(commits["c3"]["author"], "Ada")
        self.assertEqual(commits["c3"]["date"], "2023-11-15T02:13:20+00:00")

    def test_checkpoints_of_runs(self):
        commits = self.by_name(self.log_json())
        checkpoints = commits["c3"]["runs"][0]["checkpoints"]
        self.assertEqual([c["path"] for c in checkpoints], ["out/model.safetensors"])
        self.assertRegex(checkpoints[0]["fingerprint"], r"^[0-9a-f]{64}$")
        self.assertRegex(checkpoints[0]["file_sha256"], r"^[0-9a-f]{64}$")
        self.assertEqual(commits["c2"]["runs"][0]["checkpoints"], [])

    def test_text_shows_commits_changes_runs_and_checkpoints(self):
        out = self.repo.gm("log", check=0).stdout
        self.assertTrue(out.endswith("\n"), out)
        blocks = [b + "\n" for b in out[:-1].split("\n\n")]
        self.assertEqual(len(blocks), 4, out)
        ids = self.repo.ids
        self.assertTrue(blocks[0].startswith(f"{ids['c3'][:7]} 2023-11-15 Ada  lower lr again\n"), blocks[0])
        self.assertIn("    lr: 0.01 -> 0.001\n", blocks[0])
        self.assertIn(f"    run {self.runs['d']}  finished  loss=0.1  val_acc=0.9\n", blocks[0])
        self.assertRegex(blocks[0], r"\n      checkpoint [0-9a-f]{12}  out/model\.safetensors\n")
        self.assertEqual(blocks[1], f"{ids['docs'][:7]} 2023-11-15 Ada  docs only\n")
        self.assertIn("    lr: 0.1 -> 0.01\n", blocks[2])
        self.assertIn(f"    run {self.runs['b']}  finished  loss=0.2  val_acc=0.8\n", blocks[2])
        self.assertIn(f"    run {self.runs['c']}  failed (exit 3)  loss=0.25  val_acc=0.75", blocks[2])
        self.assertLess(blocks[2].index(self.runs["b"]), blocks[2].index(self.runs["c"]))  # oldest first
        self.assertIn("    batch_size: (added) 64\n    lr:         (added) 0.1\n", blocks[3])  # keys aligned
        self.assertIn(f"    run {self.runs['a']}  finished  loss=0.4  val_acc=0.6", blocks[3])

    def test_metric_keeps_only_that_metric_and_every_commit(self):
        doc = self.log_json("--metric", "val_acc")
        self.assertEqual(len(doc), 4)
        for commit in doc:
            for run in commit["runs"]:
                self.assertEqual(list(run["metrics"]), ["val_acc"])
        self.assertEqual(self.by_name(doc)["c3"]["runs"][0]["metrics"]["val_acc"]["last"], 0.9)
        out = self.repo.gm("log", "--metric", "val_acc", check=0).stdout
        self.assertIn(f"    run {self.runs['d']}  finished  val_acc=0.9\n", out)
        self.assertNotIn("loss=", out)
        self.assertIn("docs only", out)
        none = self.log_json("--metric", "nope")
        self.assertEqual(sum(len(c["runs"]) for c in none), 4)
        self.assertTrue(all(r["metrics"] == {} for c in none for r in c["runs"]))

    def test_ranges_and_limits(self):
        ids = self.repo.ids
        doc = self.log_json(f"{ids['c1']}..{ids['docs']}")
        self.assertEqual([self.names[c["id"]] for c in doc], ["docs", "c2"])
        self.assertEqual(self.by_name(doc)["c2"]["params"][0]["changes"][0]["old"], 0.1)
        self.assertEqual([self.names[c["id"]] for c in self.log_json("-n", "2")], ["c3", "docs"])
        self.assertEqual([self.names[c["id"]] for c in self.log_json(ids["c2"])], ["c2", "c1"])
        self.assertEqual(self.log_json(f"{ids['c3']}..{ids['c3']}"), [])
        self.assertEqual(len(self.log_json("--first-parent")), 4)

    def test_errors_are_one_line(self):
        self.assertOneLineError(self.repo.gm("log", "nope"), "'nope'")
        self.assertOneLineError(self.repo.gm("log", "HEAD", "HEAD~1"), "more than one revision range")

    def test_without_an_index_commits_show_and_no_index_is_created(self):
        with tempfile.TemporaryDirectory(prefix="gm-log-empty-") as tmp:
            repo = Repo(tmp)
            repo.write("config.yaml", config("0.1"))
            repo.commit("x", "first")
            doc = json.loads(repo.gm("log", "--json", check=0).stdout)
            self.assertEqual([(c["subject"], c["runs"]) for c in doc], [("first", [])])
            self.assertFalse((repo.work / ".git" / "git-model" / "index.db").exists())
            self.assertRegex(repo.gm("log", check=0).stdout, r"\n    lr: +\(added\) 0\.1\n")

    def test_a_run_on_uncommitted_changes_is_marked_dirty(self):
        with tempfile.TemporaryDirectory(prefix="gm-log-dirty-") as tmp:
            repo = Repo(tmp)
            repo.write("config.yaml", config("0.1"))
            repo.commit("x", "first")
            repo.write("config.yaml", config("0.5"))
            run = repo.train(0, 0.3)
            doc = json.loads(repo.gm("log", "--json", check=0).stdout)
            self.assertEqual([(r["id"], r["dirty"]) for r in doc[0]["runs"]], [(run, True)])
            self.assertIn(f"    run {run}  finished [dirty]  loss=0.7  val_acc=0.3\n", repo.gm("log", check=0).stdout)


def main():
    global ARGS
    ARGS, rest = parse_git_model_args()
    run_tests(rest)


if __name__ == "__main__":
    main()
