#!/usr/bin/python3
"""End-to-end tests of `git model params` and `git model blame` through the real binary and real
git, in hermetic temp repositories (temp HOME, GIT_CONFIG_NOSYSTEM=1) built by script: linear
history, a merge, a renamed config, a key deleted then re-added, a commit with invalid YAML, a
Python config, and numeric equivalence (1e-3 -> 0.001 is not a change).

    params_cli_test.py --git-model BIN
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from e2e_support import OneLineErrors, parse_git_model_args, run_tests

ARGS = None

# Enough keys that git's rename detection sees the renamed file as similar.
FILLER = "".join(f"  k{i}: {i}\n" for i in range(12))


def yaml(lr, batch, epochs=None, dropout=None):
    text = f"optimizer:\n  name: adam\n  lr: {lr}\nbatch_size: {batch}\n"
    if epochs is not None:
        text += f"epochs: {epochs}\n"
    if dropout is not None:
        text += f"dropout: {dropout}\n"
    return text + "filler:\n" + FILLER


class Repo:
    def __init__(self, root):
        self.root = Path(root)
        self.home, self.work = self.root / "home", self.root / "work"
        self.home.mkdir()
        self.work.mkdir()
        self.env = {"HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1", "PATH": os.environ["PATH"],
                    "LC_ALL": "C.UTF-8", "GIT_PAGER": "cat", "TZ": "UTC"}
        self.clock = 1_700_000_000
        self.ids = {}
        self.git("init", "-q", "-b", "main")

    def run(self, argv, check=None, cwd=None, env=None):
        r = subprocess.run(argv, cwd=cwd or self.work, env=env or self.env, capture_output=True, text=True,
                           timeout=120)
        if check is not None:
            assert r.returncode == check, (argv, r.returncode, r.stdout[-3000:], r.stderr[-3000:])
        return r

    def git(self, *argv):
        return self.run(["git", *argv], check=0).stdout

    def gm(self, *argv, check=None, cwd=None):
        return self.run([ARGS.git_model, *argv], check=check, cwd=cwd)

    def write(self, path, text):
        p = self.work / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)

    def commit(self, name, subject, author="Ada"):
        self.clock += 3600
        env = dict(self.env, GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL=f"{author.lower()}@example.com",
                   GIT_COMMITTER_NAME=author, GIT_COMMITTER_EMAIL=f"{author.lower()}@example.com",
                   GIT_AUTHOR_DATE=f"@{self.clock} +0000", GIT_COMMITTER_DATE=f"@{self.clock} +0000")
        self.run(["git", "add", "-A"], check=0, env=env)
        self.run(["git", "commit", "-q", "--allow-empty", "-m", subject], check=0, env=env)
        self.ids[name] = self.git("rev-parse", "HEAD").strip()

    def merge(self, name, branch, subject):
        self.clock += 3600
        env = dict(self.env, GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="ada@example.com", GIT_COMMITTER_NAME="Ada",
                   GIT_COMMITTER_EMAIL="ada@example.com", GIT_AUTHOR_DATE=f"@{self.clock} +0000",
                   GIT_COMMITTER_DATE=f"@{self.clock} +0000")
        self.run(["git", "merge", "-q", "--no-ff", "-m", subject, branch], check=0, env=env)
        self.ids[name] = self.git("rev-parse", "HEAD").strip()

    def build_history(self):
        self.write("config.yaml", yaml("0.01", 64, epochs=10))
        self.write("README.md", "hello\n")
        self.commit("c1", "initial config")
        self.write("README.md", "hello again\n")
        self.commit("c2", "docs only")
        self.write("config.yaml", yaml("0.001", 64, epochs=10))
        self.commit("c3", "lower lr", author="Bob")
        self.write("config.yaml", yaml("1e-3", 64, epochs=10))
        self.commit("c4", "write lr in scientific notation")
        self.write("config.yaml", yaml("0.001", 64, epochs=10) + "oops: [unclosed\n")
        self.commit("c5", "break the config")
        self.write("config.yaml", yaml("0.001", 128, epochs=10))
        self.commit("c6", "fix config, bigger batch")
        self.write("config.yaml", yaml("0.001", 128))
        self.commit("c7", "drop epochs")
        self.write("config.yaml", yaml("0.001", 128, epochs=20))
        self.commit("c8", "epochs back")
        self.git("checkout", "-q", "-b", "feature")
        self.write("config.yaml", yaml("0.001", 128, epochs=20, dropout=0.1))
        self.commit("f1", "add dropout", author="Cy")
        self.git("checkout", "-q", "main")
        self.write("config.py", "import os\nSEED = 1\nLAYERS = (64, 64)\nname = os.getenv('X')\n")
        self.commit("m1", "add python config")
        self.merge("merge", "feature", "merge feature")
        (self.work / "config").mkdir()
        self.git("mv", "config.yaml", "config/train.yaml")
        self.write("config/train.yaml", yaml("0.002", 128, epochs=20, dropout=0.1))
        self.commit("c9", "move config, lr 0.002")
        self.write("config.py", "import os\nSEED = 2\nLAYERS = (64, 64)\nname = os.getenv('X')\n")
        self.commit("c10", "seed 2")


class ParamsTest(OneLineErrors, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="gm-params-")
        cls.repo = Repo(cls._tmp.name)
        cls.repo.build_history()
        cls.names = {v: k for k, v in cls.repo.ids.items()}

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def params_json(self, *argv):
        r = self.repo.gm("params", *argv, "--json", check=0)
        return json.loads(r.stdout)

    def commit_names(self, doc):
        return [self.names[c["id"]] for c in doc["commits"]]

    def changes(self, doc, name):
        commit = next(c for c in doc["commits"] if self.names[c["id"]] == name)
        return {(f["path"], ch["key"]): (ch.get("old"), ch.get("new")) for f in commit["files"] for ch in f["changes"]}

    def test_full_history_lists_exactly_the_commits_that_changed_values(self):
        doc = self.params_json()
        self.assertEqual(self.commit_names(doc), ["c10", "c9", "m1", "f1", "c8", "c7", "c6", "c5", "c3", "c1"])
        self.assertEqual(self.changes(doc, "c10"), {("config.py", "SEED"): (1, 2)})
        self.assertEqual(self.changes(doc, "c9"), {("config/train.yaml", "optimizer.lr"): (0.001, 0.002)})
        c9 = next(c for c in doc["commits"] if self.names[c["id"]] == "c9")
        self.assertEqual(c9["files"][0]["old_path"], "config.yaml")
        self.assertEqual(self.changes(doc, "f1"), {("config.yaml", "dropout"): (None, 0.1)})
        self.assertEqual(self.changes(doc, "c8"), {("config.yaml", "epochs"): (None, 20)})
        self.assertEqual(self.changes(doc, "c7"), {("config.yaml", "epochs"): (10, None)})
        self.assertEqual(self.changes(doc, "c6"), {("config.yaml", "batch_size"): (64, 128)})
        self.assertEqual(self.changes(doc, "c3"), {("config.yaml", "optimizer.lr"): (0.01, 0.001)})
        self.assertEqual(self.changes(doc, "m1")[("config.py", "name")], (None, "os.getenv('X')"))  # source text
        self.assertEqual(self.changes(doc, "m1")[("config.py", "LAYERS")], (None, [64, 64]))
        c5 = next(c for c in doc["commits"] if self.names[c["id"]] == "c5")
        self.assertRegex(c5["files"][0]["error"], r"^config\.yaml:\d+:\d+: ")
        c1 = next(c for c in doc["commits"] if self.names[c["id"]] == "c1")
        self.assertEqual(c1["author"], "Ada")
        self.assertEqual(c1["subject"], "initial config")

    def test_first_parent_shows_what_the_merge_brought(self):
        doc = self.params_json("--first-parent")
        self.assertEqual(self.commit_names(doc), ["c10", "c9", "merge", "m1", "c8", "c7", "c6", "c5", "c3", "c1"])
        self.assertEqual(self.changes(doc, "merge"), {("config.yaml", "dropout"): (None, 0.1)})

    def test_key_globs_and_ranges(self):
        doc = self.params_json("optimizer.*")
        self.assertEqual(self.commit_names(doc), ["c9", "c5", "c3", "c1"])  # c5: parse errors always show
        ids = self.repo.ids
        doc = self.params_json("*epochs*", f"{ids['c3']}..{ids['c8']}")
        self.assertEqual(self.commit_names(doc), ["c8", "c7", "c5"])
        doc = self.params_json("batch_size", "--file", "config.yaml", ids["c6"])
        self.assertEqual(self.commit_names(doc), ["c6", "c5", "c1"])

    def test_cache_gives_the_uncached_answer(self):
        cache = self.repo.work / ".git" / "git-model" / "params-cache"
        shutil.rmtree(cache, ignore_errors=True)
        for argv in ([], ["optimizer.*"], ["--first-parent"], ["--file", "config.yaml", self.repo.ids["c6"]]):
            plain = self.repo.gm("params", *argv, "--json", "--no-cache", check=0).stdout
            cold = self.repo.gm("params", *argv, "--json", check=0).stdout
            warm = self.repo.gm("params", *argv, "--json", check=0).stdout
            self.assertEqual(cold, plain, argv)
            self.assertEqual(warm, plain, argv)
        self.assertEqual(len(os.listdir(cache)), 3)  # all files, first parent, --file config.yaml

    def test_human_output(self):
        r = self.repo.gm("params", "optimizer.lr", check=0)
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"^[0-9a-f]{7} \d{4}-\d\d-\d\d Ada  move config, lr 0\.002$")
        self.assertIn("    config.yaml -> config/train.yaml (renamed)", lines)
        self.assertIn("    optimizer.lr: 0.001 -> 0.002", lines)
        self.assertIn("    optimizer.lr: 0.01 -> 0.001", lines)
        self.assertTrue(any(l.startswith("    error: config.yaml:") for l in lines), r.stdout)

    def test_values_at_a_revision_and_diff(self):
        doc = self.params_json("--at", self.repo.ids["c3"])
        self.assertEqual(doc["files"][0]["path"], "config.yaml")
        self.assertEqual(doc["files"][0]["params"]["optimizer.lr"], 0.001)
        self.assertEqual(doc["files"][0]["params"]["epochs"], 10)
        r = self.repo.gm("params", "--at", "HEAD", "SEED", check=0)
        self.assertEqual(r.stdout.split(), ["config.py", "SEED", "2"])  # files without a selected key are left out
        ids = self.repo.ids
        doc = self.params_json("diff", ids["c1"], "HEAD")
        got = {(f["path"], ch["key"]): (ch.get("old"), ch.get("new")) for f in doc["files"] for ch in f["changes"]}
        self.assertEqual(got[("config/train.yaml", "optimizer.lr")], (0.01, 0.002))
        self.assertEqual(got[("config/train.yaml", "epochs")], (10, 20))
        self.assertEqual(got[("config/train.yaml", "batch_size")], (64, 128))
        self.assertEqual(got[("config.py", "SEED")], (None, 2))
        self.assertEqual(doc["files"][0]["old_path"] if doc["files"][0]["path"] == "config/train.yaml"
                         else doc["files"][1]["old_path"], "config.yaml")
        doc = self.params_json("diff", ids["c3"], ids["c4"])
        self.assertEqual(doc["files"], [])  # 0.001 == 1e-3

    def blame(self, *argv):
        return json.loads(self.repo.gm("blame", *argv, "--json", check=0).stdout)

    def test_blame(self):
        names = lambda doc: [self.names[s["commit"]["id"] if "commit" in s else s["id"]] for s in doc["steps"]]
        doc = self.blame("optimizer.lr")
        self.assertEqual((doc["path"], doc["value"]), ("config/train.yaml", 0.002))
        self.assertEqual(names(doc), ["c9"])
        self.assertEqual(names(self.blame("optimizer.lr", "--all")), ["c9", "c3", "c1"])
        self.assertEqual(names(self.blame("batch_size", "--all")), ["c6", "c1"])
        self.assertEqual(names(self.blame("epochs", "--all")), ["c8"])
        self.assertEqual(names(self.blame("dropout")), ["f1"])
        self.assertEqual(names(self.blame("SEED", "--all")), ["c10", "m1"])
        step = self.blame("optimizer.lr", "--all")["steps"][1]
        self.assertEqual(step["change"], {"key": "optimizer.lr", "kind": "changed", "old": 0.01, "new": 0.001})
        self.assertEqual(step["author"], "Bob")
        r = self.repo.gm("blame", "optimizer.lr", check=0)
        self.assertEqual(r.stdout.splitlines()[0], "optimizer.lr = 0.002  (config/train.yaml)")
        self.assertIn("    optimizer.lr: 0.001 -> 0.002", r.stdout.splitlines())

    def test_bad_inputs_exit_2(self):
        repo = self.repo
        self.assertOneLineError(repo.gm("blame", "no.such.key"), "no.such.key")
        self.assertOneLineError(repo.gm("blame", "lr"), "did you mean optimizer.lr?")
        self.assertOneLineError(repo.gm("params", "nosuchrev..HEAD"), "nosuchrev")
        self.assertOneLineError(repo.gm("params", "--at", "nosuchrev"), "nosuchrev")
        self.assertOneLineError(repo.gm("params", "diff", "HEAD"), "two revisions")
        self.assertOneLineError(repo.gm("params", "HEAD~1", "HEAD~2"), "more than one")
        outside = repo.root / "outside"
        outside.mkdir(exist_ok=True)
        self.assertOneLineError(repo.gm("params", cwd=outside), "not in a git repository")


class ProjectConfigTest(unittest.TestCase):
    def test_globs_from_git_model_toml_and_errors(self):
        with tempfile.TemporaryDirectory(prefix="gm-params-cfg-") as tmp:
            repo = Repo(tmp)
            repo.write("settings/a.json", '{"lr": 0.1, "nested": {"x": true}}')
            repo.write("params.yaml", "ignored: 1\n")
            repo.write(".git-model.toml", '[params]\nfiles = ["settings/*.json"]\n')
            repo.commit("a", "first")
            repo.write("settings/a.json", '{"lr": 0.2, "nested": {"x": true}}')
            repo.commit("b", "second")
            doc = json.loads(repo.gm("params", "--json", check=0).stdout)
            self.assertEqual([c["subject"] for c in doc["commits"]], ["second", "first"])
            self.assertEqual({f["path"] for c in doc["commits"] for f in c["files"]}, {"settings/a.json"})
            repo.write(".git-model.toml", '[params]\nfiles = "x"\n')
            r = repo.gm("params")
            self.assertEqual(r.returncode, 2)
            self.assertIn("[params] files", r.stderr)
            repo.write(".git-model.toml", '[params\n')
            r = repo.gm("params")
            self.assertEqual(r.returncode, 2)
            self.assertRegex(r.stderr, r"\.git-model\.toml:1:\d+: ")


def main():
    global ARGS
    ARGS, rest = parse_git_model_args()
    run_tests(rest)


if __name__ == "__main__":
    main()
