#!/usr/bin/python3
"""End-to-end tests of git-model's model storage through real git in hermetic temp repositories
(temp HOME, GIT_CONFIG_NOSYSTEM=1, the build's git-model first on PATH): `git model track` and
`install`, the filter process under `git add`/`checkout`/`clone`, tensor-level dedup, `fsck`,
`gc`, `stats`, file:// and s3:// remotes with `push`/`pull`, the pre-push hook, and `kill -9`
in the middle of `git add` and `git model push`.

    storage_test.py --git-model BIN --corpus DIR --fixtures DIR

The S3 tests run when GITMODEL_S3_ENDPOINT is set (tests/s3/with_s3rver.sh sets it, with a real
s3rver on 127.0.0.1); CTest always runs this file through that script.
"""

import filecmp
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from e2e_support import OneLineErrors, hermetic_env, parse_git_model_args, run_tests

ARGS = None
TRACKED = ["*.pt", "*.pth", "*.jit", "*.ckpt", "*.safetensors", "*.pt2", "*.bin"]

# A small model saved twice by torch: the second time only the last layer changed.
TORCH_VERSIONS = r"""
import sys, torch
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(256, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512),
                            torch.nn.ReLU(), torch.nn.Linear(512, 10))
out = sys.argv[1]
torch.save(model.state_dict(), out + "/v1.pth")
with torch.no_grad():
    model[4].weight.add_(0.01)
torch.save(model.state_dict(), out + "/v2.pth")
big = {f"layer{i}.weight": torch.randn(1024, 1024) for i in range(5)}
torch.save(big, out + "/big.pth")
"""


def corpus_files():
    files = sorted(p for p in Path(ARGS.corpus).iterdir() if p.is_file() and p.name != "MANIFEST.tsv")
    files += sorted(p for p in Path(ARGS.fixtures).iterdir() if p.is_file() and p.suffix in (".pt", ".pth", ".ckpt", ".safetensors", ".pt2", ".pkl"))
    return files


class Repo:
    def __init__(self, root, name="work", init=True):
        self.root = Path(root)
        self.home = self.root / "home"
        self.home.mkdir(exist_ok=True)
        self.work = self.root / name
        self.env = hermetic_env(self.home, self.root, ARGS.git_model)
        for key in ("GITMODEL_S3_ENDPOINT", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                    "AWS_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            if key in os.environ:
                self.env[key] = os.environ[key]
        if init:
            self.work.mkdir()
            self.git("init", "-q", "-b", "main")
            self.gm("install")
            self.gm("track", *TRACKED)

    def run(self, argv, check=0, cwd=None):
        r = subprocess.run(argv, cwd=cwd or self.work, env=self.env, capture_output=True, timeout=600)
        r.stdout, r.stderr = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
        if check is not None:
            assert r.returncode == check, (argv, r.returncode, r.stdout[-3000:], r.stderr[-3000:])
        return r

    def git(self, *argv, check=0):
        return self.run(["git", *argv], check=check)

    def gm(self, *argv, check=0):
        return self.run([ARGS.git_model, *argv], check=check)

    def gm_json(self, *argv, check=0):
        return json.loads(self.gm(*argv, "--json", check=check).stdout)

    def commit_all(self, message):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def blob(self, rev_path):
        return self.git("cat-file", "-p", rev_path).stdout

    def objects(self):
        return sorted((self.work / ".git/git-model/objects").rglob("*"))


def same_bytes(a, b):
    return filecmp.cmp(a, b, shallow=False)


class StorageTest(unittest.TestCase, OneLineErrors):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="gm-storage-")
        self.tmp = Path(self._tmp.name)
        self.repo = Repo(self.tmp)

    def tearDown(self):
        self._tmp.cleanup()

    def torch_versions(self):
        out = self.tmp / "torch"
        out.mkdir(exist_ok=True)
        subprocess.run(["/usr/bin/python3", "-c", TORCH_VERSIONS, str(out)], check=True, timeout=300)
        return out

    def add_corpus(self):
        files = corpus_files()
        for f in files:
            shutil.copyfile(f, self.repo.work / f"{f.stem}{f.suffix or '.bin'}")
        return files

    def assert_work_tree_matches(self, repo, files):
        for f in files:
            self.assertTrue(same_bytes(repo.work / f"{f.stem}{f.suffix or '.bin'}", f), f.name)

    def test_round_trip_through_add_commit_checkout(self):
        files = self.add_corpus()
        self.repo.commit_all("corpus")
        pointer = self.repo.blob(f"HEAD:{files[0].stem}{files[0].suffix or '.bin'}")
        self.assertTrue(pointer.startswith("version https://git-model.dev/spec/pointer/v1\n"), pointer)
        self.assertLessEqual(len(pointer), 512)
        for p in self.repo.work.iterdir():
            if p.is_file():
                p.unlink()
        self.repo.git("checkout", "--", ".")
        self.assert_work_tree_matches(self.repo, files)
        self.assertEqual(self.repo.git("status", "--porcelain").stdout, "")
        # an old revision: the second commit replaces every file with another's bytes
        names = [f"{f.stem}{f.suffix or '.bin'}" for f in files]
        for name, other in zip(names, files[1:] + files[:1]):
            shutil.copyfile(other, self.repo.work / name)
        self.repo.commit_all("shuffled")
        self.repo.git("checkout", "-q", "HEAD~1")
        self.assert_work_tree_matches(self.repo, files)
        self.repo.git("checkout", "-q", "main")
        for name, other in zip(names, files[1:] + files[:1]):
            self.assertTrue(same_bytes(self.repo.work / name, other), name)
        fsck = self.repo.gm_json("fsck")
        self.assertTrue(fsck["clean"], fsck)

    def test_unchanged_tensors_cost_nothing(self):
        out = self.torch_versions()
        shutil.copyfile(out / "v1.pth", self.repo.work / "model.pth")
        self.repo.commit_all("v1")
        before = self.repo.gm_json("stats")
        shutil.copyfile(out / "v2.pth", self.repo.work / "model.pth")
        self.repo.commit_all("v2: last layer trained")
        after = self.repo.gm_json("stats")
        size = (out / "v2.pth").stat().st_size
        self.assertEqual(after["files"], 2)
        self.assertEqual(after["logical_bytes"], before["logical_bytes"] + size)
        # only the changed layer (512x10 floats), its zip neighbours and the pickle are new
        self.assertLess(after["stored_bytes"] - before["stored_bytes"], size / 20, (before, after))
        self.assertLess(after["stored_vs_full_copies"], 0.6)
        text = self.repo.gm("stats").stdout
        self.assertIn("what git-lfs would store", text)
        self.repo.git("checkout", "-q", "HEAD~1")
        self.assertTrue(same_bytes(self.repo.work / "model.pth", out / "v1.pth"))

    def test_diff_and_log_read_pointers(self):
        out = self.torch_versions()
        shutil.copyfile(out / "v1.pth", self.repo.work / "model.pth")
        self.repo.commit_all("v1")
        shutil.copyfile(out / "v2.pth", self.repo.work / "model.pth")
        self.repo.commit_all("v2")
        doc = self.repo.gm_json("diff", "HEAD~1:model.pth", "HEAD:model.pth")
        changed = {t["name"] for t in doc["tensors"] if t["status"] == "changed"}
        self.assertEqual(changed, {"4.weight"})
        log = self.repo.git("log", "-p", "-1").stdout
        self.assertIn("4.weight", log)
        self.assertNotIn("oid sha256:", log)

    def test_missing_objects_leave_the_pointer_with_a_warning(self):
        out = self.torch_versions()
        shutil.copyfile(out / "v1.pth", self.repo.work / "model.pth")
        self.repo.commit_all("v1")
        shutil.rmtree(self.repo.work / ".git/git-model/objects")
        (self.repo.work / "model.pth").unlink()
        r = self.repo.git("checkout", "--", "model.pth")
        self.assertIn("git-model: warning: model.pth:", r.stderr)
        self.assertIn("pointer is checked out instead", r.stderr)
        self.assertTrue((self.repo.work / "model.pth").read_text().startswith("version https://git-model.dev/"))
        fsck = self.repo.gm("fsck", check=1)
        self.assertIn("missing:", fsck.stdout)

    def test_fsck_finds_a_damaged_object(self):
        out = self.torch_versions()
        shutil.copyfile(out / "v1.pth", self.repo.work / "model.pth")
        self.repo.commit_all("v1")
        self.assertTrue(self.repo.gm_json("fsck")["clean"])
        victim = max((p for p in self.repo.objects() if p.is_file()), key=lambda p: p.stat().st_size)
        victim.chmod(0o644)
        data = bytearray(victim.read_bytes())
        data[len(data) // 2] ^= 0xFF
        victim.write_bytes(bytes(data))
        doc = self.repo.gm_json("fsck", check=1)
        self.assertFalse(doc["clean"])
        self.assertEqual([d["object"] for d in doc["damaged"]], [victim.name])

    def test_gc_keeps_what_history_needs(self):
        out = self.torch_versions()
        shutil.copyfile(out / "v1.pth", self.repo.work / "model.pth")
        self.repo.commit_all("v1")
        shutil.copyfile(out / "big.pth", self.repo.work / "scratch.pth")
        self.repo.git("add", "scratch.pth")  # stored, then abandoned: never committed
        self.repo.git("rm", "-q", "--cached", "scratch.pth")
        (self.repo.work / "scratch.pth").unlink()
        kept = self.repo.gm_json("gc")
        self.assertEqual(kept["removed"], 0)  # everything is younger than the grace period
        gone = self.repo.gm_json("gc", "--grace-days", "0")
        self.assertGreater(gone["removed"], 0)
        self.assertTrue(self.repo.gm_json("fsck")["clean"])
        (self.repo.work / "model.pth").unlink()
        self.repo.git("checkout", "--", "model.pth")
        self.assertTrue(same_bytes(self.repo.work / "model.pth", out / "v1.pth"))

    def push_and_clone(self, url, *remote_args):
        bare = self.tmp / "bare.git"
        self.repo.git("init", "-q", "--bare", str(bare))
        self.repo.git("remote", "add", "origin", str(bare))
        self.repo.gm("remote", "add", "origin", url, *remote_args)
        self.repo.gm("hooks", "install")
        r = self.repo.git("push", "-q", "origin", "main")
        self.assertIn("git-model: uploaded", r.stderr)
        clone = Repo(self.tmp, "clone", init=False)
        clone.run(["git", "clone", "-q", "-b", "main", str(bare), str(clone.work)], cwd=self.tmp)
        clone.gm("install")
        clone.gm("remote", "add", "origin", url, *remote_args)
        return clone

    def check_remote_round_trip(self, url, *remote_args):
        files = self.add_corpus()
        self.repo.commit_all("corpus")
        out = self.torch_versions()
        shutil.copyfile(out / "v1.pth", self.repo.work / "model.pth")
        self.repo.commit_all("v1")
        shutil.copyfile(out / "v2.pth", self.repo.work / "model.pth")
        self.repo.commit_all("v2")
        clone = self.push_and_clone(url, *remote_args)
        pulled = clone.gm_json("pull")
        self.assertGreater(pulled["downloaded"], 0)
        self.assertEqual(pulled["still_missing"], 0)
        self.assertTrue(same_bytes(clone.work / "model.pth", out / "v2.pth"))
        self.assert_work_tree_matches(clone, files)
        self.assertEqual(clone.git("status", "--porcelain").stdout, "")
        # older versions: checkout fetches what it lacks from the default remote
        clone.git("checkout", "-q", "HEAD~1")
        self.assertTrue(same_bytes(clone.work / "model.pth", out / "v1.pth"))
        self.assertTrue(clone.gm_json("fsck")["clean"])
        return clone

    def test_file_remote_push_clone_pull(self):
        remote_dir = self.tmp / "store-remote"
        clone = self.check_remote_round_trip(f"file://{remote_dir}")
        # a damaged object on the remote is detected when it is downloaded
        shutil.rmtree(clone.work / ".git/git-model/objects")
        victim = max((p for p in remote_dir.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
        victim.chmod(0o644)
        data = bytearray(victim.read_bytes())
        data[len(data) // 2] ^= 0xFF
        victim.write_bytes(bytes(data))
        r = clone.gm("fetch", check=2)
        self.assertIn(f"object {victim.name} from file://", r.stderr)
        self.assertIn("corrupt", r.stderr)
        self.assertFalse((clone.work / ".git/git-model/objects" / victim.name[:2] / victim.name[2:4] / victim.name).exists())

    @unittest.skipUnless(os.environ.get("GITMODEL_S3_ENDPOINT"), "needs tests/s3/with_s3rver.sh")
    def test_s3_remote_push_clone_pull(self):
        bucket = os.environ["GITMODEL_S3_BUCKET"]
        url = f"s3://{bucket}/team/models"
        clone = self.check_remote_round_trip(url, "--endpoint", os.environ["GITMODEL_S3_ENDPOINT"], "--path-style")
        shutil.rmtree(clone.work / ".git/git-model/objects")
        data_dir = Path(os.environ["GITMODEL_S3_DATA_DIR"])
        stored = [p for p in data_dir.rglob("*") if p.is_file() and "/objects/" in str(p) and "._S3rver_object" in p.name
                  and not p.name.endswith((".md5", "metadata.json"))]
        self.assertTrue(stored, list(data_dir.rglob("*"))[:20])
        victim = max(stored, key=lambda p: p.stat().st_size)
        data = bytearray(victim.read_bytes())
        data[len(data) // 2] ^= 0xFF
        victim.write_bytes(bytes(data))
        r = clone.gm("fetch", check=2)
        self.assertIn("corrupt", r.stderr)

    def test_kill_9_during_add_and_push_then_rerun(self):
        out = self.torch_versions()
        remote_dir = self.tmp / "store-remote"
        rng = random.Random(7)
        shutil.copyfile(out / "big.pth", self.repo.work / "big.pth")
        for delay in [rng.uniform(0.02, 0.6) for _ in range(4)]:
            p = subprocess.Popen(["git", "add", "big.pth"], cwd=self.repo.work, env=self.repo.env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            time.sleep(delay)
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            (self.repo.work / ".git/index.lock").unlink(missing_ok=True)
            fsck = self.repo.gm_json("fsck", check=None)
            self.assertEqual(fsck["damaged"], [], delay)
        self.repo.commit_all("big")
        self.assertTrue(self.repo.gm_json("fsck")["clean"])
        self.repo.gm("remote", "add", "origin", f"file://{remote_dir}")
        for delay in [rng.uniform(0.01, 0.3) for _ in range(3)]:
            p = subprocess.Popen([ARGS.git_model, "push"], cwd=self.repo.work, env=self.repo.env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            time.sleep(delay)
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        self.repo.gm("push")
        # every object on the remote is whole: a fresh store pulls and verifies all of them
        shutil.rmtree(self.repo.work / ".git/git-model/objects")
        (self.repo.work / "big.pth").unlink()
        fetched = self.repo.gm_json("fetch")
        self.assertEqual(fetched["still_missing"], 0)
        self.repo.git("checkout", "--", "big.pth")
        self.assertTrue(same_bytes(self.repo.work / "big.pth", out / "big.pth"))
        self.assertTrue(self.repo.gm_json("fsck")["clean"])

    def test_errors_are_one_line(self):
        r = self.repo.gm("push", check=2)
        self.assertOneLineError(r, "no default git-model remote")
        self.assertOneLineError(self.repo.gm("remote", "add", "x", "ftp://host/p", check=2), "ftp://host/p")
        self.assertOneLineError(self.repo.gm("remote", "add", "a/b", "file:///tmp/x", check=2), "a/b")
        self.repo.gm("remote", "add", "a", "file:///tmp/x")
        self.assertOneLineError(self.repo.gm("remote", "add", "a", "file:///tmp/y", check=2), "--replace")
        self.assertOneLineError(self.repo.gm("fetch", "nope", check=2), "no git-model remote 'nope'")
        outside = self.tmp / "outside"
        outside.mkdir()
        self.assertOneLineError(self.repo.run([ARGS.git_model, "fsck"], cwd=outside, check=2), "not in a git repository")

    def test_track_lists_and_is_idempotent(self):
        doc = self.repo.gm_json("track", "*.pth")
        self.assertEqual(doc["added"], [])
        self.assertEqual(doc["tracked"], TRACKED)
        self.assertTrue(doc["filter_installed"])
        attributes = (self.repo.work / ".gitattributes").read_text()
        self.assertIn("*.pth filter=git-model diff=git-model -text\n", attributes)
        self.assertEqual(self.repo.gm("remote").stdout, "")


def main():
    global ARGS
    ARGS, rest = parse_git_model_args("--corpus", "--fixtures")
    run_tests(rest)


if __name__ == "__main__":
    main()
