#!/usr/bin/python3
"""End-to-end tests of git-model's git hooks through real `git commit` and `git push` in hermetic
temp repositories (temp HOME, GIT_CONFIG_NOSYSTEM=1, the build's git-model first on PATH):
`git model hooks install|uninstall`, pre-commit's refusals, commit-msg's Hyperparams trailer,
chaining to a user's own hook, core.hooksPath, --no-verify.

    hooks_test.py --git-model BIN
"""

import json
import os
import stat
import subprocess
import tempfile
import unittest
from pathlib import Path

from e2e_support import hermetic_env, parse_git_model_args, run_tests

ARGS = None
USER_HOOK = b"#!/bin/sh\n# the user's own hook\necho user-hook-ran >&2\n[ -e \"$(git rev-parse --show-toplevel)/block\" ] && exit 7\nexit 0\n"


class Repo:
    def __init__(self, root):
        self.root = Path(root)
        self.home, self.work = self.root / "home", self.root / "work"
        self.home.mkdir()
        self.work.mkdir()
        self.env = hermetic_env(self.home, self.root, ARGS.git_model)
        self.git("init", "-q", "-b", "main")

    def run(self, argv, check=None, env=None):
        r = subprocess.run(argv, cwd=self.work, env=env or self.env, capture_output=True, text=True, timeout=300)
        if check is not None:
            assert r.returncode == check, (argv, r.returncode, r.stdout[-3000:], r.stderr[-3000:])
        return r

    def git(self, *argv, check=0, env=None):
        return self.run(["git", *argv], check=check, env=env)

    def gm(self, *argv, check=0):
        return self.run([ARGS.git_model, *argv], check=check)

    def write(self, name, data):
        path = self.work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return path

    def commit_all(self, message, *extra, check=0):
        self.git("add", "-A")
        return self.git("commit", "-m", message, *extra, check=check)

    def count(self):
        r = self.git("rev-list", "--count", "HEAD", check=None)
        return int(r.stdout) if r.returncode == 0 else 0

    def message(self, rev="HEAD"):
        return self.git("log", "-1", "--format=%B", rev).stdout


class HooksTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="gm-hooks-")
        self.repo = Repo(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def install(self):
        out = json.loads(self.repo.gm("hooks", "install", "--json").stdout)
        self.assertTrue(out["git_model_on_path"])
        return out

    def test_large_checkpoint_refused_with_the_fix(self):
        r = self.repo
        self.install()
        r.commit_all("init", "--allow-empty")
        r.write("model.pth", os.urandom(20 * 1024 * 1024))
        c = r.commit_all("add model", check=None)
        self.assertNotEqual(c.returncode, 0)
        self.assertEqual(r.count(), 1)
        self.assertIn("model.pth: 20.0 MiB (20,971,520 bytes), above the limit of 10,000,000 bytes", c.stderr)
        self.assertIn("a checkpoint (matches *.pth) not stored through git-model's filter", c.stderr)
        self.assertIn("git rm --cached model.pth", c.stderr)
        self.assertIn("filter=git-model", c.stderr)
        # The printed fix works, and --no-verify bypasses as usual.
        r.git("rm", "-q", "--cached", "model.pth")
        r.git("commit", "-q", "--allow-empty", "-m", "fixed")
        r.git("add", "model.pth")
        r.git("commit", "-q", "--no-verify", "-m", "forced")
        self.assertEqual(r.count(), 3)

    def test_small_checkpoint_through_the_filter_attribute_passes(self):
        r = self.repo
        self.install()
        r.write("tiny.pt", b"x" * 100)
        self.assertIn("tiny.pt", r.commit_all("tiny", check=None).stderr)
        r.write(".gitattributes", "*.pt filter=git-model\n")
        r.commit_all("tiny through the filter")
        self.assertEqual(r.count(), 1)

    def test_broken_yaml_refused_with_line_and_column(self):
        r = self.repo
        self.install()
        r.write("config.yaml", "lr: 0.01\nmodel: {depth: 3\nbatch: 4\n")
        c = r.commit_all("broken", check=None)
        self.assertNotEqual(c.returncode, 0)
        self.assertRegex(c.stderr, r"config does not parse: config\.yaml:\d+:\d+: ")
        self.assertEqual(r.count(), 0)

    def test_lr_change_gets_the_trailer_once(self):
        r = self.repo
        self.install()
        r.write("params.yaml", "lr: 0.01\nbatch_size: 64\nwd: 1e-3\n")
        r.commit_all("base")
        self.assertIn("Hyperparams: batch_size (added) 64, lr (added) 0.01, wd (added) 0.001\n", r.message())
        r.write("params.yaml", "lr: 0.001\nbatch_size: 128\nwd: 0.001\n")  # 1e-3 == 0.001: no change
        r.commit_all("tune")
        self.assertEqual(r.message(), "tune\n\nHyperparams: batch_size 64 -> 128, lr 0.01 -> 0.001\n\n")
        r.git("commit", "--amend", "--no-edit")
        self.assertEqual(r.message().count("Hyperparams:"), 1)
        r.git("commit", "--amend", "-m", "tune\n\nHyperparams: batch_size 64 -> 128, lr 0.01 -> 0.001")
        self.assertEqual(r.message().count("Hyperparams:"), 1)
        # Turned off by the environment or by .git-model.toml.
        r.write("params.yaml", "lr: 0.002\nbatch_size: 128\nwd: 0.001\n")
        r.git("add", "-A")
        r.git("commit", "-q", "-m", "quiet", env={**r.env, "GIT_MODEL_NO_TRAILER": "1"})
        self.assertEqual(r.message(), "quiet\n\n")
        r.write(".git-model.toml", "[hooks]\ntrailer = false\n")
        r.write("params.yaml", "lr: 0.003\nbatch_size: 128\nwd: 0.001\n")
        r.commit_all("quiet too")
        self.assertEqual(r.message(), "quiet too\n\n")

    def test_existing_hook_still_runs_and_uninstall_restores_it(self):
        r = self.repo
        hook = r.work / ".git" / "hooks" / "pre-commit"
        hook.parent.mkdir(parents=True, exist_ok=True)
        hook.write_bytes(USER_HOOK)
        hook.chmod(0o750)
        out = self.install()
        self.assertEqual(out["hooks"][0]["action"], "installed, chaining the existing hook")
        self.install()  # idempotent
        c = r.commit_all("first", "--allow-empty")
        self.assertIn("user-hook-ran", c.stderr)
        r.write("block", "")
        c = r.commit_all("blocked by the user's hook", check=None)
        self.assertNotEqual(c.returncode, 0)
        self.assertIn("user-hook-ran", c.stderr)
        self.assertEqual(r.count(), 1)
        (r.work / "block").unlink()
        r.gm("hooks", "uninstall")
        self.assertEqual(hook.read_bytes(), USER_HOOK)
        self.assertEqual(stat.S_IMODE(hook.stat().st_mode), 0o750)
        self.assertFalse((hook.parent / "pre-commit.pre-git-model").exists())
        self.assertFalse((hook.parent / "commit-msg").exists())
        r.write("model.pth", b"\0" * 1000)
        r.commit_all("no git-model hook any more")  # the user's hook alone accepts it
        self.assertEqual(r.count(), 2)

    def test_core_hooks_path_respected(self):
        r = self.repo
        r.git("config", "core.hooksPath", "ci/hooks")
        out = self.install()
        self.assertEqual(out["hooks_dir"], str((r.work / "ci" / "hooks").resolve()))
        self.assertTrue((r.work / "ci" / "hooks" / "pre-commit").exists())
        self.assertFalse((r.work / ".git" / "hooks" / "pre-commit").exists())
        r.write("ckpt.safetensors", b"{}")
        self.assertNotEqual(r.commit_all("refused", check=None).returncode, 0)
        # From a subdirectory too: git runs hooks at the top of the working tree.
        sub = r.work / "src"
        sub.mkdir()
        c = subprocess.run([ARGS.git_model, "hooks", "install", "--json"], cwd=sub, env=r.env, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(json.loads(c.stdout)["hooks_dir"], out["hooks_dir"])

    def test_pre_push_reads_the_refs_and_lets_the_push_go(self):
        r = self.repo
        self.install()
        r.commit_all("one", "--allow-empty")
        remote = r.root / "remote.git"
        r.git("init", "-q", "--bare", str(remote))
        r.git("remote", "add", "origin", str(remote))
        r.git("push", "-q", "origin", "main")
        r.commit_all("two", "--allow-empty")
        r.git("push", "-q", "origin", "main")
        self.assertEqual(r.git("--git-dir", str(remote), "rev-list", "--count", "main").stdout.strip(), "2")

    def test_required_checks_from_the_project_config(self):
        r = self.repo
        self.install()
        r.write(".git-model.toml", '[hooks]\ncommands = ["test -e ok || { echo missing-ok-file; exit 3; }"]\n')
        c = r.commit_all("needs ok", check=None)
        self.assertNotEqual(c.returncode, 0)
        self.assertIn("missing-ok-file", c.stderr)
        r.write("ok", "")
        r.commit_all("has ok")
        self.assertEqual(r.count(), 1)


def main():
    global ARGS
    ARGS, rest = parse_git_model_args()
    run_tests(rest)


if __name__ == "__main__":
    main()
