#!/usr/bin/python3
"""End-to-end tests of git's own diff on checkpoints: `git model install`, the textconv driver
(`git diff`, `git log -p`, `git show`), the external diff (`git model git-diff`) and
`git model diff` with REV:PATH, through the real binary, real git and Debian's torch, in hermetic
temp repositories (temp HOME, GIT_CONFIG_NOSYSTEM=1, the build's git-model first on PATH).

    diff_git_test.py --git-model BIN
"""

import json
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from e2e_support import OneLineErrors, hermetic_env, parse_git_model_args, run_tests

ARGS = None
GEN = None  # checkpoints made once by torch: GEN / "<n>" / "ckpt.pth"

# Four versions of one checkpoint: 2 changes the first layer's weight, 3 changes the last bias,
# adds a layer and bumps the epoch, 4 (never committed) changes the last weight.
MAKE_CHECKPOINTS = r'''
import sys, torch
from pathlib import Path
out = Path(sys.argv[1])
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
sd = {k: v.clone() for k, v in model.state_dict().items()}
def save(n, sd, epoch):
    (out / str(n)).mkdir(parents=True)
    torch.save({"model": sd, "epoch": epoch, "lr": 0.05}, out / str(n) / "ckpt.pth")
save(1, sd, 1)
sd["0.weight"] = sd["0.weight"] + 0.01
save(2, sd, 2)
sd["2.bias"] = sd["2.bias"] - 0.5
sd["4.weight"] = torch.randn(3, 1)
sd["4.bias"] = torch.zeros(3)
save(3, sd, 3)
sd["2.weight"] = sd["2.weight"] * 2
save(4, sd, 3)
'''


def make_checkpoints(dest):
    r = subprocess.run(["/usr/bin/python3", "-c", MAKE_CHECKPOINTS, str(dest)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr


class Repo:
    """A hermetic repository with ckpt.pth committed three times, and its own HOME and TMPDIR."""

    def __init__(self, root):
        self.root = Path(root)
        self.home, self.work, self.tmp = self.root / "home", self.root / "work", self.root / "tmp"
        for d in (self.home, self.work, self.tmp):
            d.mkdir()
        self.env = hermetic_env(self.home, self.tmp, ARGS.git_model)
        self.git("init", "-q", "-b", "main")

    def run(self, argv, cwd=None, env=None, check=None):
        r = subprocess.run(argv, cwd=cwd or self.work, env=env or self.env, capture_output=True, text=True, timeout=120)
        if check is not None:
            assert r.returncode == check, (argv, r.returncode, r.stdout[-3000:], r.stderr[-3000:])
        return r

    def git(self, *argv, env=None):
        return self.run(["git", *argv], env=env, check=0).stdout

    def gm(self, *argv, check=None, cwd=None):
        return self.run([ARGS.git_model, *argv], cwd=cwd, check=check)

    def put(self, version):
        shutil.copyfile(GEN / str(version) / "ckpt.pth", self.work / "ckpt.pth")

    def commit_history(self):
        self.gm("install", "--attributes", check=0)
        self.git("add", ".gitattributes")
        for version in (1, 2, 3):
            self.put(version)
            self.git("add", "ckpt.pth")
            self.git("commit", "-q", "-m", f"version {version}")


def changed_lines(patch, sign):
    return [line[1:] for line in patch.splitlines() if line.startswith(sign) and not line.startswith(sign * 3)]


class RepoTest(OneLineErrors, unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="gm-diff-git-")
        self.repo = Repo(self._tmp.name)
        self.repo.commit_history()

    def tearDown(self):
        leftovers = list(self.repo.tmp.iterdir())
        self._tmp.cleanup()
        self.assertEqual(leftovers, [], "temporary files left behind")


class Install(RepoTest):
    def test_sets_the_driver_and_attributes_once(self):
        repo = self.repo
        cfg = lambda key: repo.git("config", "--local", "--get", key).strip()
        self.assertEqual(cfg("diff.git-model.textconv"), "git-model textconv")
        self.assertEqual(cfg("diff.git-model.cachetextconv"), "true")
        attributes = (repo.work / ".gitattributes").read_text()
        for ext in ("pt", "pth", "ckpt", "safetensors"):
            self.assertEqual(attributes.count(f"*.{ext} diff=git-model\n"), 1)
        self.assertEqual(repo.git("check-attr", "diff", "--", "sub/m.safetensors"), "sub/m.safetensors: diff: git-model\n")

        again = repo.gm("install", "--attributes", check=0)
        self.assertIn("already set", again.stdout)
        self.assertNotIn("(set)", again.stdout)
        self.assertEqual((repo.work / ".gitattributes").read_text(), attributes)

        doc = json.loads(repo.gm("install", "--external", "--json", check=0).stdout)
        entries = {e["key"]: e for e in doc["diff_driver"]["entries"]}
        self.assertTrue(entries["diff.git-model.command"]["changed"])
        self.assertFalse(entries["diff.git-model.textconv"]["changed"])
        self.assertTrue(doc["git_model_on_path"])
        self.assertEqual(cfg("diff.git-model.command"), "git-model git-diff")

    def test_global_writes_the_home_gitconfig_and_warns_when_not_on_path(self):
        repo = self.repo
        env = dict(repo.env, PATH="/usr/bin:/bin")
        r = repo.run([ARGS.git_model, "install", "--global"], env=env, check=0)
        self.assertIn("not on PATH", r.stderr)
        self.assertIn(str(repo.home / ".gitconfig"), r.stdout)
        self.assertEqual(repo.git("config", "--global", "--get", "diff.git-model.textconv").strip(), "git-model textconv")

    def test_outside_a_repository(self):
        outside = self.repo.root / "outside"
        outside.mkdir()
        self.assertOneLineError(self.repo.gm("install", cwd=outside), "not in a git repository")


class TextconvInGit(RepoTest):
    def test_log_p_names_the_changed_tensors(self):
        log = self.repo.git("log", "-p", "--", "ckpt.pth")
        self.assertNotIn("Binary files", log)
        v3, v2, v1 = re.split(r"^commit ", log, flags=re.M)[1:]
        # version 2: only the first layer's weight changed, and the epoch
        minus, plus = changed_lines(v2, "-"), changed_lines(v2, "+")
        self.assertEqual([l.split("  ")[0] for l in minus], ["model.0.weight", "epoch = 1"], v2)
        self.assertEqual([l.split("  ")[0] for l in plus], ["model.0.weight", "epoch = 2"], v2)
        self.assertRegex(plus[0], r"^model\.0\.weight  float32  \[8, 4\]  sha256:[0-9a-f]{16}  mean \S+  std \S+$")
        self.assertNotEqual(minus[0], plus[0])
        # version 3: the changed bias, the added layer, the new totals
        plus = changed_lines(v3, "+")
        self.assertIn("git-model textconv v1: torch-zip, 6 tensors, 55 parameters", plus)
        for name in ("model.2.bias  float32  [1]", "model.4.bias  float32  [3]", "model.4.weight  float32  [3, 1]"):
            self.assertTrue(any(l.startswith(name + "  sha256:") for l in plus), (name, v3))
        self.assertFalse(any(l.startswith("model.0.") for l in plus), v3)
        # version 1 was added: every line is new
        self.assertEqual(changed_lines(v1, "-"), [])
        self.assertIn("git-model textconv v1: torch-zip, 4 tensors, 49 parameters", changed_lines(v1, "+"))
        self.assertIn("lr = 0.05", changed_lines(v1, "+"))

    def test_show_and_an_uncommitted_change(self):
        repo = self.repo
        show = repo.git("show", "HEAD", "--", "ckpt.pth")
        self.assertIn("+git-model textconv v1: torch-zip, 6 tensors, 55 parameters", show)
        self.assertIn("-git-model textconv v1: torch-zip, 4 tensors, 49 parameters", show)
        repo.put(4)
        diff = repo.git("diff")
        minus, plus = changed_lines(diff, "-"), changed_lines(diff, "+")
        self.assertEqual([l.split("  ")[0] for l in minus], ["model.2.weight"], diff)
        self.assertEqual([l.split("  ")[0] for l in plus], ["model.2.weight"], diff)
        self.assertRegex(plus[0], r"^model\.2\.weight  float32  \[1, 8\]  sha256:[0-9a-f]{16}  mean \S+  std \S+$")

    def test_textconv_reads_files_of_any_name(self):
        repo = self.repo
        shutil.copyfile(repo.work / "ckpt.pth", repo.tmp / "Xy12ab_blob")
        try:
            out = repo.gm("textconv", str(repo.tmp / "Xy12ab_blob"), check=0).stdout
        finally:
            (repo.tmp / "Xy12ab_blob").unlink()
        self.assertEqual(out, repo.gm("textconv", "ckpt.pth", check=0).stdout)
        self.assertTrue(out.startswith("git-model textconv v1: torch-zip, 6 tensors"))

    def test_textconv_describes_files_that_are_not_checkpoints(self):
        repo = self.repo
        (repo.work / "notes.txt").write_text("not a model\n")
        (repo.work / "empty.pt").write_bytes(b"")
        (repo.work / "cut.pth").write_bytes((repo.work / "ckpt.pth").read_bytes()[:1000])
        r = repo.gm("textconv", "notes.txt", check=0)
        self.assertRegex(r.stdout, r"^git-model textconv v1: not a checkpoint \(unrecognised format [^\n]*\), "
                                   r"12 bytes, sha256:[0-9a-f]{16}\n$")
        self.assertEqual(r.stderr, "")
        self.assertEqual(repo.gm("textconv", "empty.pt", check=0).stdout,
                         "git-model textconv v1: not a checkpoint (empty file), 0 bytes, sha256:e3b0c44298fc1c14\n")
        cut = repo.gm("textconv", "cut.pth", check=0).stdout
        self.assertRegex(cut, r"^git-model textconv v1: not a checkpoint \([^\n]+\), 1000 bytes, sha256:[0-9a-f]{16}\n$")
        # the text depends on the bytes only, not on the (temporary) name git gives the file
        (repo.tmp / "git-blob-x").mkdir()
        shutil.copyfile(repo.work / "cut.pth", repo.tmp / "git-blob-x" / "other.pt")
        try:
            self.assertEqual(repo.gm("textconv", str(repo.tmp / "git-blob-x" / "other.pt"), check=0).stdout, cut)
        finally:
            shutil.rmtree(repo.tmp / "git-blob-x")

    def test_textconv_errors_are_about_the_invocation(self):
        repo = self.repo
        self.assertOneLineError(repo.gm("textconv", "nope.pth"), "nope.pth")
        self.assertOneLineError(repo.gm("textconv"), "takes one file")
        self.assertOneLineError(repo.gm("textconv", "ckpt.pth", "ckpt.pth"), "takes one file")
        (repo.work / "sub").mkdir()
        self.assertOneLineError(repo.gm("textconv", "sub"), "sub", "directory")

    def test_junk_under_a_checkpoint_pattern_does_not_stop_git(self):
        repo = self.repo
        for name, content in (("notes.pth", b"not a model\n"), ("empty.pt", b""),
                              ("cut.pth", (repo.work / "ckpt.pth").read_bytes()[:1000])):
            (repo.work / name).write_bytes(content)
        repo.git("add", ".")
        repo.git("commit", "-q", "-m", "junk")
        (repo.work / "notes.pth").write_bytes(b"still not a model\n")
        repo.git("commit", "-q", "-a", "-m", "more junk")
        log = repo.git("log", "-p")
        self.assertEqual(log.count("+git-model textconv v1: not a checkpoint ("), 4, log)  # 3 added, 1 changed
        self.assertEqual(log.count("-git-model textconv v1: not a checkpoint ("), 1, log)
        self.assertIn("+git-model textconv v1: not a checkpoint (empty file), 0 bytes", log)
        self.assertIn("+git-model textconv v1: torch-zip, 4 tensors, 49 parameters", log)  # older commits too
        show = repo.git("show", "HEAD")
        self.assertIn("-git-model textconv v1: not a checkpoint (unrecognised format", show)
        self.assertIn("18 bytes, sha256:", show)
        (repo.work / "cut.pth").write_bytes((repo.work / "ckpt.pth").read_bytes()[:2000])
        diff = repo.git("diff")
        self.assertIn("-git-model textconv v1: not a checkpoint (", diff)
        self.assertIn("), 2000 bytes, sha256:", diff)
        self.assertIn("), 1000 bytes, sha256:", diff)

    def test_paths_that_start_with_a_dash(self):
        repo = self.repo
        shutil.copyfile(GEN / "1" / "ckpt.pth", repo.work / "-odd.pth")
        repo.git("add", "--", "-odd.pth")
        repo.git("commit", "-q", "-m", "odd")
        shutil.copyfile(GEN / "2" / "ckpt.pth", repo.work / "-odd.pth")
        diff = repo.git("diff")  # git passes the work-tree side to textconv as `-odd.pth`
        self.assertIn("diff --git a/-odd.pth b/-odd.pth", diff)
        self.assertEqual([l.split("  ")[0] for l in changed_lines(diff, "+")], ["model.0.weight", "epoch = 2"], diff)
        # `-h` is help only when no such file exists
        self.assertIn("textconv", repo.gm("textconv", "-h", check=0).stdout)
        (repo.work / "-h").write_text("junk\n")
        self.assertTrue(repo.gm("textconv", "-h", check=0).stdout.startswith("git-model textconv v1: not a checkpoint"))


class ExternalDiff(RepoTest):
    def test_install_external_makes_git_diff_numeric(self):
        repo = self.repo
        repo.gm("install", "--external", check=0)
        repo.put(4)
        diff = repo.git("diff")
        self.assertTrue(diff.startswith("diff --git-model a/ckpt.pth b/ckpt.pth\n"), diff)
        self.assertIn("model.2.weight", diff)
        self.assertIn("1 changed", diff)
        # log -p and show keep the text form unless asked for the external diff
        self.assertIn("+model.4.weight  float32", repo.git("log", "-p", "--", "ckpt.pth"))
        log = repo.git("log", "-p", "--ext-diff", "--", "ckpt.pth")
        self.assertEqual(log.count("diff --git-model a/ckpt.pth b/ckpt.pth"), 3, log)
        self.assertIn("new checkpoint (torch-zip): 4 tensors, 49 parameters", log)
        self.assertIn("2 added", log)

    def test_git_external_diff_environment(self):
        repo = self.repo
        repo.put(4)
        env = dict(repo.env, GIT_EXTERNAL_DIFF="git-model git-diff")
        diff = repo.git("diff", env=env)
        self.assertTrue(diff.startswith("diff --git-model a/ckpt.pth b/ckpt.pth\n"), diff)
        self.assertIn("model.2.weight", diff)
        log = repo.git("log", "-p", "--ext-diff", "-1", "--", "ckpt.pth", env=env)
        self.assertIn("model.4.weight", log)

    def test_deleted_checkpoint_and_wrong_arguments(self):
        repo = self.repo
        repo.gm("install", "--external", check=0)
        (repo.work / "ckpt.pth").unlink()
        self.assertIn("deleted checkpoint (torch-zip): 6 tensors, 55 parameters", repo.git("diff"))
        r = repo.gm("git-diff", "ckpt.pth", "a", "b")
        self.assertEqual(r.returncode, 2)
        self.assertIn("git-model: ", r.stderr)
        self.assertOneLineError(repo.gm("git-diff"), "7 or 9 arguments", "not 0")

    def test_paths_that_start_with_a_dash(self):
        repo = self.repo
        shutil.copyfile(GEN / "1" / "ckpt.pth", repo.work / "-odd.pth")
        repo.git("add", "--", "-odd.pth")
        repo.git("commit", "-q", "-m", "odd")
        shutil.copyfile(GEN / "2" / "ckpt.pth", repo.work / "-odd.pth")
        env = dict(repo.env, GIT_EXTERNAL_DIFF="git-model git-diff")
        diff = repo.git("diff", env=env)  # git runs `git-model git-diff -odd.pth <tmp>/-odd.pth ... -odd.pth ...`
        self.assertTrue(diff.startswith("diff --git-model a/-odd.pth b/-odd.pth\n"), diff)
        self.assertIn("1 changed", diff)
        self.assertIn("model.0.weight", diff)
        self.assertIn("git-diff", repo.gm("git-diff", "--help", check=0).stdout)
        # text files: git passes the work-tree side as `-notes.txt` or `--`, and neither git-model nor
        # diff may take it for an option
        for name in ("-notes.txt", "--"):
            (repo.work / name).write_text("alpha\nbeta\n")
            repo.git("add", "--", name)
        repo.git("commit", "-q", "-m", "notes")
        for name in ("-notes.txt", "--"):
            (repo.work / name).write_text("alpha\ngamma\n")
        ours = repo.git("diff", "--", "./-notes.txt", "./--", env=env)
        gits = repo.git("diff", "--no-ext-diff", "--", "./-notes.txt", "./--")
        without_index = lambda text: [l for l in text.splitlines() if not l.startswith("index ")]
        self.assertEqual(without_index(ours), without_index(gits), ours)
        self.assertEqual(ours.count("+gamma"), 2, ours)

    def test_files_that_are_not_checkpoints_get_gits_own_text_diff(self):
        repo = self.repo
        (repo.work / "train.py").write_text("".join(f"line {i}\n" for i in range(30)))
        (repo.work / "gone.txt").write_text("bye\n")
        (repo.work / "blob.bin").write_bytes(b"\x00\x01\x02 binary")
        (repo.work / "moved.txt").write_text("".join(f"row {i}\n" for i in range(20)))
        repo.git("add", ".")
        repo.git("commit", "-q", "-m", "sources")
        (repo.work / "train.py").write_text("".join(f"line {i}\n" for i in range(30)).replace("line 7\n", "line seven\n"))
        (repo.work / "gone.txt").unlink()
        (repo.work / "blob.bin").write_bytes(b"\x00\x01\x03 binary")
        (repo.work / "new.txt").write_text("hello\nno newline at the end")
        repo.git("mv", "moved.txt", "renamed.txt")
        (repo.work / "renamed.txt").write_text("".join(f"row {i}\n" for i in range(20)).replace("row 3\n", "row three\n"))
        shutil.copyfile(GEN / "4" / "ckpt.pth", repo.work / "ckpt.pth")
        repo.git("add", "-A")
        env = dict(repo.env, GIT_EXTERNAL_DIFF="git-model git-diff")
        paths = ["train.py", "gone.txt", "blob.bin", "new.txt", "moved.txt", "renamed.txt"]
        ours = repo.git("diff", "--cached", "-M", "--", *paths, env=env)
        gits = repo.git("diff", "--cached", "-M", "--no-ext-diff", "--", *paths)
        # git's own, but for the `index` lines: the external diff is not given hashes of work-tree files
        without_index = lambda text: [l for l in text.splitlines() if not l.startswith("index ")]
        self.assertEqual(without_index(ours), without_index(gits), ours)
        self.assertIn("+line seven", ours)
        self.assertIn("rename from moved.txt", ours)
        self.assertIn("Binary files a/blob.bin and b/blob.bin differ", ours)
        # the checkpoint in the same run still gets the numeric diff
        everything = repo.git("diff", "--cached", "-M", env=env)
        self.assertIn("diff --git-model a/ckpt.pth b/ckpt.pth\n", everything)
        self.assertIn("diff --git a/train.py b/train.py\n", everything)

    def test_a_checkpoint_replaced_by_something_else(self):
        repo = self.repo
        env = dict(repo.env, GIT_EXTERNAL_DIFF="git-model git-diff")
        (repo.work / "ckpt.pth").write_text("not a model any more\n")
        (repo.work / "empty.pt").write_bytes(b"")
        repo.git("add", "-N", "empty.pt")
        diff = repo.git("diff", env=env)
        self.assertIn("diff --git a/ckpt.pth b/ckpt.pth\nBinary files a/ckpt.pth and b/ckpt.pth differ\n", diff)
        self.assertIn("diff --git a/empty.pt b/empty.pt\nnew file mode 100644\n", diff)
        old = repo.tmp / "old"
        old.mkdir()
        try:
            (old / "a.pt").write_text("one\n")
            (old / "b.pt").write_text("two\n")
            r = repo.gm("git-diff", "x.pt", str(old / "a.pt"), "1" * 40, "100644", str(old / "b.pt"), "0" * 40, "100644",
                        check=0)
        finally:
            shutil.rmtree(old)
        self.assertEqual(r.stdout, "diff --git a/x.pt b/x.pt\n--- a/x.pt\n+++ b/x.pt\n@@ -1 +1 @@\n-one\n+two\n")
        self.assertEqual(r.stderr, "")


class ModelDiffRevisions(RepoTest):
    def test_revision_paths(self):
        repo = self.repo
        repo.put(4)
        r = repo.gm("diff", "HEAD~2:ckpt.pth", "ckpt.pth", check=0)
        for name in ("model.0.weight", "model.2.bias", "model.2.weight", "model.4.weight", "model.4.bias"):
            self.assertIn(name, r.stdout)
        self.assertNotIn("model.0.bias ", r.stdout)  # unchanged since version 1
        repo.gm("diff", "--exit-code", "HEAD:ckpt.pth", "HEAD:ckpt.pth", check=0)
        repo.gm("diff", "--exit-code", "HEAD~1:ckpt.pth", "ckpt.pth", check=1)
        sub = repo.work / "sub"
        sub.mkdir()
        repo.gm("diff", "--exit-code", "HEAD:../ckpt.pth", "../ckpt.pth", cwd=sub, check=1)
        repo.gm("diff", "--exit-code", "HEAD:./../ckpt.pth", "HEAD:ckpt.pth", cwd=sub, check=0)

    def test_bad_inputs_are_one_line_errors(self):
        repo = self.repo
        (repo.work / "notes.txt").write_text("not a model\n")
        self.assertOneLineError(repo.gm("diff", "missing.pth", "ckpt.pth"), "missing.pth")
        self.assertOneLineError(repo.gm("diff", "notes.txt", "ckpt.pth"), "notes.txt", "not a checkpoint")
        self.assertOneLineError(repo.gm("diff", "nosuchrev:ckpt.pth", "ckpt.pth"), "unknown revision 'nosuchrev'")
        self.assertOneLineError(repo.gm("diff", "HEAD:absent.pth", "ckpt.pth"),
                                "path 'absent.pth' does not exist in 'HEAD'")
        self.assertOneLineError(repo.gm("diff", "HEAD:.gitattributes", "ckpt.pth"), "not a checkpoint")
        outside = repo.root / "outside"
        outside.mkdir()
        self.assertOneLineError(repo.gm("diff", "HEAD:ckpt.pth", str(repo.work / "ckpt.pth"), cwd=outside),
                                "not in a git repository")


def main():
    global ARGS, GEN
    ARGS, rest = parse_git_model_args()
    with tempfile.TemporaryDirectory(prefix="gm-diff-git-ckpts-") as gen:
        GEN = Path(gen)
        make_checkpoints(GEN)
        run_tests(rest)


if __name__ == "__main__":
    main()
