#!/usr/bin/python3
"""End-to-end tests of `git model bisect` through the real binary, real `git bisect` and real
recorded runs, on the scripted repositories of bisect_repos.py: twelve commits, a deterministic
evaluation (eval.py) whose val_acc drops from about 0.9 to 0.49 at a planted commit that changes
code and a hyperparameter; variants with a commit that cannot run and with a noisy metric.

    bisect_cli_test.py --git-model BIN
"""

import json
import subprocess
import tempfile
import unittest
from pathlib import Path

import bisect_repos
from e2e_support import OneLineErrors, hermetic_env, parse_git_model_args, run_tests

ARGS = None
RULE = ["--metric", "val_acc", "--min", "0.8"]


class BisectCase(OneLineErrors, unittest.TestCase):
    """Each test builds its repository in a temp dir of its own (so the noise counters of
    bisect_repos.py, kept in $TMPDIR, start afresh)."""

    def make(self, **kw):
        self.tearDown()
        self.tmp = tempfile.TemporaryDirectory()
        root = Path(self.tmp.name)
        (root / "home").mkdir()
        self.env = dict(hermetic_env(root / "home", root, ARGS.git_model), TZ="UTC")
        self.repo = root / "repo"
        self.made = bisect_repos.make_regression_repo(self.repo, self.env, **kw)
        self.index = {c: i for i, c in enumerate(self.made["commits"])}
        return self.made

    def tearDown(self):
        if hasattr(self, "tmp"):
            self.tmp.cleanup()

    def gm(self, *argv, check=None):
        r = subprocess.run([ARGS.git_model, *argv], cwd=self.repo, env=self.env, capture_output=True, text=True,
                           timeout=600)
        if check is not None:
            self.assertEqual(r.returncode, check, (argv, r.stdout[-3000:], r.stderr[-3000:]))
        return r

    def git(self, *argv):
        return subprocess.run(["git", *argv], cwd=self.repo, env=self.env, capture_output=True, text=True,
                              check=True).stdout

    def bisect_json(self, *extra, check=0):
        r = self.gm("bisect", "--good", self.made["good"], "--bad", self.made["bad"], *RULE, "--json", *extra,
                    check=check)
        return json.loads(r.stdout), r

    def record(self, commits, repeat=1):
        bisect_repos.record_runs_with(ARGS.git_model, self.repo, self.env, commits, self.made["eval"], repeat=repeat)

    def run_count(self):
        return len(json.loads(self.gm("runs", "--limit", "0", "--json", check=0).stdout))

    def assertLeftAsItWas(self, head_before):
        self.assertEqual(self.git("symbolic-ref", "--short", "HEAD").strip(), "main")
        self.assertEqual(self.git("rev-parse", "HEAD").strip(), head_before)
        self.assertEqual(self.git("status", "--porcelain"), "")
        self.assertFalse((self.repo / ".git" / "BISECT_START").exists())
        self.assertEqual(self.git("for-each-ref", "refs/bisect"), "")

    def assertNamesPlanted(self, answer):
        self.assertTrue(answer["found"], answer)
        self.assertEqual(answer["first_bad"]["id"], self.made["planted"], answer)


class OnlineBisect(BisectCase):
    def test_names_the_planted_commit_and_what_it_changed(self):
        self.make()
        head = self.git("rev-parse", "HEAD").strip()
        answer, r = self.bisect_json("--", *self.made["eval"])
        self.assertNamesPlanted(answer)
        self.assertEqual(answer["mode"], "online")
        self.assertEqual(answer["first_bad"]["author"], "Grace")
        self.assertIn({"key": "epochs", "kind": "changed", "old": 20, "new": 15},
                      [c for f in answer["params"] for c in f["changes"]])
        self.assertEqual(sorted(f["path"] for f in answer["files"]), ["config.json", "model.py"])
        planted_row = next(c for c in answer["commits"] if c["id"] == self.made["planted"])
        self.assertEqual(planted_row["verdict"], "bad")
        self.assertLess(planted_row["value"], 0.8)
        self.assertTrue(any(c["verdict"] == "good" and c["value"] >= 0.8 for c in answer["commits"]))
        self.assertIn("is the first bad commit", r.stderr)  # git bisect's own output, on stderr
        self.assertLeftAsItWas(head)
        # Every step was a recorded run, at the commit git checked out.
        runs = json.loads(self.gm("runs", "--limit", "0", "--json", check=0).stdout)
        self.assertEqual({run["commit"] for run in runs}, {c["id"] for c in answer["commits"] if c["runs"]})

    def test_text_output_names_the_commit_its_author_and_the_values_around_it(self):
        self.make()
        r = self.gm("bisect", "--good", self.made["good"], "--bad", "HEAD", *RULE, "--", *self.made["eval"], check=0)
        first = r.stdout.splitlines()[0]
        self.assertIn(self.made["planted"][:7], first)
        self.assertIn("perf: cache the feature projection", first)
        self.assertIn("author: Grace <grace@example.com>", r.stdout)
        self.assertIn("epochs: 20 -> 15", r.stdout)
        self.assertIn("<- first bad", r.stdout)
        self.assertIn("M model.py", r.stdout)

    def test_a_commit_that_cannot_run_is_skipped_not_blamed(self):
        self.make(broken_at=5, regress_at=8)
        answer, _ = self.bisect_json("--", *self.made["eval"])
        self.assertNamesPlanted(answer)
        broken = [c for c in answer["commits"] if c["id"] == self.made["broken"]]
        self.assertEqual([c["verdict"] for c in broken], ["skip"], answer["commits"])  # git tested it first
        self.assertEqual(broken[0]["runs_without_value"], 1)  # one failure: not tried again

    def test_noisy_metric_needs_repeat(self):
        self.make(noisy=True)
        fooled, _ = self.bisect_json("--", *self.made["eval"], check=None)
        self.assertNotEqual((fooled.get("first_bad") or {}).get("id"), self.made["planted"])
        self.make(noisy=True)
        answer, _ = self.bisect_json("--repeat", "5", "--agg", "median", "--", *self.made["eval"])
        self.assertNamesPlanted(answer)
        self.assertTrue(all(c["runs"] == 5 for c in answer["commits"] if c["verdict"] in ("good", "bad")))

    def test_refuses_a_dirty_tree_and_leaves_it_alone(self):
        self.make()
        (self.repo / "model.py").write_text("# edited\n")
        r = self.gm("bisect", "--good", self.made["good"], "--bad", "HEAD", *RULE, "--", *self.made["eval"])
        self.assertOneLineError(r, "uncommitted changes", "model.py")
        self.assertEqual((self.repo / "model.py").read_text(), "# edited\n")
        self.assertEqual(self.run_count(), 0)

    def test_refuses_a_bisect_in_progress(self):
        self.make()
        self.git("bisect", "start")
        r = self.gm("bisect", "--good", self.made["good"], "--bad", "HEAD", *RULE, "--", *self.made["eval"])
        self.assertOneLineError(r, "git bisect is in progress")
        self.git("bisect", "reset")


class OfflineBisect(BisectCase):
    def test_names_the_planted_commit_from_recorded_runs_without_running_anything(self):
        self.make(broken_at=3)
        self.record(self.made["commits"])
        before = self.run_count()
        head = self.git("rev-parse", "HEAD").strip()
        answer, _ = self.bisect_json("--offline")
        self.assertNamesPlanted(answer)
        self.assertEqual(answer["mode"], "offline")
        self.assertEqual(answer["counts"], {"commits": 11, "tested": 10, "skipped": 1, "untested": 0})
        self.assertEqual(self.run_count(), before)
        self.assertLeftAsItWas(head)

    def test_noisy_recorded_runs_with_median_of_five(self):
        self.make(noisy=True)
        self.record(self.made["commits"], repeat=5)
        answer, _ = self.bisect_json("--offline")
        self.assertNamesPlanted(answer)
        mean, _ = self.bisect_json("--offline", "--agg", "mean", check=None)
        self.assertNotEqual((mean.get("first_bad") or {}).get("id"), self.made["planted"])

    def test_commits_without_runs_are_the_uncertainty_and_fill_runs_only_those_needed(self):
        made = self.make()
        self.record([made["commits"][i] for i in (2, 10)])
        answer, r = self.bisect_json("--offline", check=1)
        self.assertFalse(answer["found"])
        candidates = [c["id"] for c in answer["candidates"]]
        self.assertEqual(candidates, made["commits"][3:11])  # after the last good, up to the first bad
        self.assertEqual(answer["counts"]["untested"], 9)
        text = self.gm("bisect", "--offline", "--good", made["good"], "--bad", "HEAD", *RULE, check=1).stdout
        self.assertIn("could be any of 8 commits", text)
        self.assertIn("--fill", text)

        before = self.run_count()
        (self.repo / "notes.txt").write_text("untracked, not ignored: the runs --fill makes are dirty\n")
        filled, _ = self.bisect_json("--offline", "--fill", "--", *made["eval"])
        self.assertNamesPlanted(filled)
        self.assertEqual(filled["mode"], "offline+fill")
        self.assertLessEqual(self.run_count() - before, 4)  # a binary search over 8, not every commit
        (self.repo / "notes.txt").unlink()

    def test_dirty_runs_do_not_count(self):
        made = self.make()
        self.git("checkout", "-q", "--detach", made["commits"][9])
        (self.repo / "README.md").write_text("uncommitted\n")
        self.gm("run", "-q", "--", *made["eval"], check=0)
        self.git("checkout", "-q", "--", "README.md")
        self.git("checkout", "-q", "main")
        answer, _ = self.bisect_json("--offline", check=1)
        self.assertEqual(answer["counts"]["tested"], 0)


class BisectArguments(BisectCase):
    def test_errors_are_one_line(self):
        made = self.make()
        base = ["bisect", "--good", made["good"], "--bad", "HEAD", "--metric", "val_acc"]
        self.assertOneLineError(self.gm(*base, "--offline"), "--min", "--max")
        self.assertOneLineError(self.gm(*base, "--min", "0.8", "--max", "0.9", "--offline"), "exactly one")
        self.assertOneLineError(self.gm(*base, "--min", "0.8"), "command")
        self.assertOneLineError(self.gm(*base, "--min", "0.8", "--fill", "--", "true"), "--fill", "--offline")
        self.assertOneLineError(self.gm(*base, "--min", "0.8", "--agg", "mode", "--offline"), "--agg")
        self.assertOneLineError(self.gm("bisect", "--good", "HEAD", "--bad", made["good"], *RULE, "--offline"),
                                "not an ancestor")
        self.assertOneLineError(self.gm("bisect", "--good", "nope", "--bad", "HEAD", *RULE, "--offline"), "nope")


if __name__ == "__main__":
    ARGS, rest = parse_git_model_args()
    run_tests(rest)
