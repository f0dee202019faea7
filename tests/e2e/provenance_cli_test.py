#!/usr/bin/python3
"""End-to-end tests of provenance: `git model stamp/show/verify/env/data` through the real binary,
real git and Debian's torch, in hermetic temp repositories (temp HOME, GIT_CONFIG_NOSYSTEM=1).

    provenance_cli_test.py --git-model BIN [--big-patch]
"""

import argparse
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

import torch

ARGS = None
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

TRAIN_PY = '''\
import argparse, torch
import yaml_free_config as cfg
parser = argparse.ArgumentParser()
parser.add_argument("--out", default="ckpt.pth")
args = parser.parse_args()
torch.manual_seed(cfg.SEED)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=cfg.LR)
x = torch.randn(64, 4)
y = x.sum(dim=1, keepdim=True)
for step in range(cfg.STEPS):
    loss = torch.nn.functional.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
torch.save(model.state_dict(), args.out)
print(f"final loss {loss.item():.4f}")
'''

CONFIG_PY = "SEED = 0\nLR = 0.05\nSTEPS = 20\n"
TRAIN_YAML = "optimizer:\n  name: sgd\n  lr: 0.05\nbatch_size: 64\nlayers: [4, 8, 1]\nseed: 0\n"


def run_git_model(*argv, cwd=None, env=None, check=None):
    r = subprocess.run([ARGS.git_model, *argv], cwd=cwd, env=env, capture_output=True, timeout=600)
    if check is not None:
        assert r.returncode == check, (argv, r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    return r


class Repo:
    """A hermetic git repository with its own HOME."""

    def __init__(self, root):
        self.root = Path(root)
        self.home = self.root / "home"
        self.work = self.root / "work"
        self.home.mkdir()
        self.work.mkdir()
        self.env = {
            "HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1", "PATH": os.environ["PATH"],
            "GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.com",
            "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.com",
            "LC_ALL": "C.UTF-8",
        }
        self.git("init", "-q", "-b", "main")

    def git(self, *argv, cwd=None):
        r = subprocess.run(["git", *argv], cwd=cwd or self.work, env=self.env, capture_output=True, text=True)
        assert r.returncode == 0, (argv, r.stderr)
        return r.stdout.strip()

    def gm(self, *argv, check=None):
        return run_git_model(*argv, cwd=self.work, env=self.env, check=check)

    def gm_json(self, *argv):
        r = self.gm(*argv, "--json", check=0)
        return [json.loads(line) for line in r.stdout.decode().splitlines()]

    def write(self, rel, data):
        p = self.work / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode())
        return p

    def train(self, out="ckpt.pth"):
        r = subprocess.run(["/usr/bin/python3", "train.py", "--out", out], cwd=self.work, env=self.env,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return self.work / out

    def commit_training_project(self):
        self.write("train.py", TRAIN_PY)
        self.write("yaml_free_config.py", CONFIG_PY)
        self.write("config/train.yaml", TRAIN_YAML)
        self.write(".gitignore", "*.pth\n*.pt\n*.safetensors\n__pycache__/\n*.git-model.json\n")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "training project")
        return self.git("rev-parse", "HEAD")


def tree_snapshot(root, skip=(".git",)):
    """Every file under root (not ignored names) -> (bytes, executable bit)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip and d != "__pycache__"]
        for name in filenames:
            if name in skip:  # a linked worktree's .git is a file
                continue
            p = Path(dirpath) / name
            if p.suffix in (".pth", ".pt", ".safetensors") or name.endswith(".git-model.json"):
                continue
            out[str(p.relative_to(root))] = (p.read_bytes(), bool(p.stat().st_mode & stat.S_IXUSR))
    return out


def state_dict_bytes(path):
    sd = torch.load(path, map_location="cpu")
    return {k: (str(v.dtype), tuple(v.shape), v.contiguous().view(torch.uint8).numpy().tobytes()
                if v.dim() else v.reshape(1).view(torch.uint8).numpy().tobytes()) for k, v in sd.items()}


def sha256_file(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class RepoTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="gm-prov-")
        self.repo = Repo(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()


class StampAndShow(RepoTest):
    def test_clean_then_dirty_and_patch_reproduces_the_tree(self):
        repo = self.repo
        head = repo.commit_training_project()
        ckpt = repo.train()
        unstamped = state_dict_bytes(ckpt)
        [stamped] = repo.gm_json("stamp", "ckpt.pth", "--config", "config/train.yaml", "--no-python")
        self.assertEqual(stamped["where"], "ckpt/git-model/provenance.json")  # torch names the prefix after the file
        self.assertEqual(state_dict_bytes(ckpt), unstamped)  # torch.load still gives identical tensors

        [shown] = repo.gm_json("show", "ckpt.pth")
        rec = shown["record"]
        self.assertEqual(rec["schema"], "git-model/provenance/v1")
        self.assertEqual(rec["git"]["commit"], head)
        self.assertEqual(rec["git"]["branch"], "main")
        self.assertIs(rec["git"]["dirty"], False)
        self.assertEqual(rec["hyperparams"]["optimizer.lr"], 0.05)
        self.assertEqual(rec["hyperparams"]["batch_size"], 64)
        self.assertEqual(rec["hyperparams"]["layers"], [4, 8, 1])
        self.assertEqual(rec["config"][0]["path"], "config/train.yaml")
        self.assertEqual(rec["config"][0]["blob"], repo.git("hash-object", "config/train.yaml"))
        text = repo.gm("show", "ckpt.pth", check=0).stdout.decode()
        for needle in (head, "branch main", "dirty", "optimizer.lr", "0.05"):
            self.assertIn(needle, text)

        # Uncommitted work: a tracked edit, an untracked text file, an untracked binary file in a
        # new directory, a deletion and an executable bit.
        repo.write("train.py", TRAIN_PY.replace("STEPS", "STEPS + 1"))
        repo.write("notes/todo.txt", "try a bigger lr\n")
        repo.write("notes/blob.bin", bytes(range(256)) * 64 + b"\x00\xff")
        (repo.work / "yaml_free_config.py").chmod(0o755)
        repo.git("rm", "-q", "--cached", "config/train.yaml")
        repo.write("config/train.yaml", TRAIN_YAML + "extra: 1\n")
        ckpt = repo.train()
        repo.gm("stamp", "ckpt.pth", "--config", "config/train.yaml", "--no-python", check=0)
        [shown] = repo.gm_json("show", "ckpt.pth")
        git = shown["record"]["git"]
        self.assertIs(git["dirty"], True)
        self.assertIn("notes/todo.txt", git["untracked"])
        self.assertIn("train.py", git["changed"])

        patch = repo.gm("show", "--patch", "ckpt.pth", check=0).stdout
        self.assertGreater(len(patch), 0)
        clean = Path(self.tmp.name) / "clean"
        repo.git("worktree", "add", "-q", "--detach", str(clean), git["commit"])
        r = subprocess.run(["git", "apply", "--binary", "-"], input=patch, cwd=clean, env=repo.env,
                           capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(tree_snapshot(clean, skip=(".git",)), tree_snapshot(repo.work, skip=(".git",)))

        code = repo.gm("show", "--code", "ckpt.pth", check=0).stdout.decode()
        self.assertIn(f"commit {head}", code)
        self.assertIn("training project", code)
        self.assertIn("notes/todo.txt", code)

    def test_restamp_replaces_the_record_and_json_keeps_one(self):
        repo = self.repo
        repo.commit_training_project()
        repo.train()
        repo.gm("stamp", "ckpt.pth", "--param", "lr=0.1", "--no-python", check=0)
        # Options may come before the files: each --param/--metric takes exactly one value.
        repo.gm("stamp", "--param", "lr=0.2", "--metric", "val_acc=0.91", "ckpt.pth", "--no-python", check=0)
        import zipfile
        with zipfile.ZipFile(repo.work / "ckpt.pth") as z:
            names = [n for n in z.namelist() if n.endswith("git-model/provenance.json")]
            self.assertEqual(len(names), 1)
            self.assertIsNone(z.testzip())
        [shown] = repo.gm_json("show", "ckpt.pth")
        self.assertEqual(shown["record"]["hyperparams"]["lr"], 0.2)
        self.assertEqual(shown["record"]["metrics"]["val_acc"], 0.91)

    def test_training_script_metadata_is_shown(self):
        repo = self.repo
        repo.commit_training_project()
        path = repo.work / "legacy_style.pth"
        import argparse as ap
        torch.save({"model": {"w": torch.ones(2)}, "git": {"commit": "abc123", "branch": "dev", "dirty": False},
                    "hyperparams": {"lr": 0.001, "layers": [1, 2]}, "pytorch_version": torch.__version__,
                    "cuda_available": False, "epoch": 3, "loss": 0.25,
                    "args": ap.Namespace(lr=0.1, name="x")}, path)
        r = repo.gm("show", "legacy_style.pth", check=0)
        text = r.stdout.decode()
        for needle in ("abc123", "dev", "epoch", "0.25", torch.__version__, "lr"):
            self.assertIn(needle, text)
        [doc] = repo.gm_json("show", "legacy_style.pth")
        self.assertIsNone(doc["record"])
        self.assertEqual(doc["checkpoint"]["git"]["commit"], "abc123")

    def test_outside_a_repository_and_commit_override(self):
        outside = Path(self.tmp.name) / "outside"
        outside.mkdir()
        torch.save({"w": torch.arange(6.0)}, outside / "m.pth")
        r = run_git_model("stamp", "m.pth", "--no-python", "--commit-id", "0123456789abcdef", "--json",
                          cwd=outside, env=self.repo.env, check=0)
        rec = json.loads(r.stdout)["record"]
        self.assertIs(rec["git"]["in_repo"], False)

    def test_detached_head_and_commit_override_in_ci(self):
        repo = self.repo
        head = repo.commit_training_project()
        repo.git("checkout", "-q", "--detach", head)
        repo.train()
        [s] = repo.gm_json("stamp", "ckpt.pth", "--no-python")
        self.assertIs(s["record"]["git"]["detached"], True)
        self.assertNotIn("branch", s["record"]["git"])
        [s] = repo.gm_json("stamp", "ckpt.pth", "--no-python", "--commit-id", head[:10])
        self.assertEqual(s["record"]["git"]["commit"], head)
        self.assertIs(s["record"]["git"]["commit_overridden"], True)


class ArtifactsAreNotCode(RepoTest):
    def test_stamped_files_stay_out_of_the_patch(self):
        repo = self.repo
        repo.commit_training_project()
        (repo.work / "out").mkdir()
        torch.save({"w": torch.ones(1000)}, repo.work / "out" / "model.ckpt")  # not ignored
        repo.write("note.txt", "untracked\n")
        [s] = repo.gm_json("stamp", "out/model.ckpt", "--no-python")
        git = s["record"]["git"]
        self.assertEqual(git["untracked"], ["note.txt"])
        self.assertNotIn("model.ckpt", git["patch"]["text"])


class Credentials(RepoTest):
    def test_remote_token_is_never_stored(self):
        repo = self.repo
        repo.commit_training_project()
        repo.git("remote", "add", "origin", "https://ada:s3cr3t-t0ken@git.example.com/team/model.git")
        repo.train()
        [s] = repo.gm_json("stamp", "ckpt.pth", "--no-python")
        self.assertEqual(s["record"]["git"]["remote"], "https://git.example.com/team/model.git")
        self.assertNotIn(b"s3cr3t-t0ken", (repo.work / "ckpt.pth").read_bytes())


class Fingerprints(RepoTest):
    def test_pth_equals_safetensors_and_a_flipped_byte_is_named(self):
        sys.path.insert(0, str(SCRIPTS))
        from fixture_writers import write_safetensors
        repo = self.repo
        repo.commit_training_project()
        torch.manual_seed(1)
        sd = {"enc.weight": torch.randn(16, 8), "enc.bias": torch.randn(16), "head.weight": torch.randn(2, 16)}
        torch.save(sd, repo.work / "m.pth")
        write_safetensors(repo.work / "m.safetensors",
                          [(k, "F32", list(v.shape), v.numpy().tobytes()) for k, v in sd.items()])
        [a] = repo.gm_json("stamp", "m.pth", "--no-python")
        [b] = repo.gm_json("stamp", "m.safetensors", "--no-python")
        self.assertEqual(a["record"]["artifact"]["fingerprint"], b["record"]["artifact"]["fingerprint"])
        self.assertEqual(repo.gm("verify", "m.pth", "--no-python").returncode, 0)
        self.assertEqual(repo.gm("verify", "m.safetensors", "--no-python").returncode, 0)

        # Flip one byte inside head.weight's data in the stamped .pth.
        raw = bytearray((repo.work / "m.pth").read_bytes())
        needle = sd["head.weight"].numpy().tobytes()
        at = bytes(raw).find(needle)
        self.assertGreater(at, 0)
        raw[at + 5] ^= 0x40
        (repo.work / "m.pth").write_bytes(bytes(raw))
        r = repo.gm("verify", "m.pth", "--no-python")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(b"head.weight", r.stdout)
        self.assertNotIn(b"enc.weight", r.stdout)
        [doc] = [json.loads(x) for x in repo.gm("verify", "m.pth", "--no-python", "--json").stdout.splitlines()]
        self.assertEqual(doc["tensors"], [{"name": "head.weight", "change": "changed"}])

    def test_torchscript_and_legacy_sidecar(self):
        repo = self.repo
        repo.commit_training_project()
        module = torch.jit.script(torch.nn.Linear(3, 2))
        module.save(str(repo.work / "m.jit.pt"))
        before = [p.detach().clone() for p in torch.jit.load(str(repo.work / "m.jit.pt")).parameters()]
        [s] = repo.gm_json("stamp", "m.jit.pt", "--no-python")
        self.assertTrue(s["where"].endswith("/git-model/provenance.json"))
        after = list(torch.jit.load(str(repo.work / "m.jit.pt")).parameters())
        for x, y in zip(before, after):
            self.assertTrue(torch.equal(x.view(torch.uint8) if x.dim() else x, y.view(torch.uint8) if y.dim() else y))

        torch.save({"w": torch.arange(4.0)}, repo.work / "old.pt", _use_new_zipfile_serialization=False)
        original = sha256_file(repo.work / "old.pt")
        [s] = repo.gm_json("stamp", "old.pt", "--no-python")
        self.assertEqual(sha256_file(repo.work / "old.pt"), original)
        self.assertTrue((repo.work / "old.pt.git-model.json").exists())
        # A renamed copy without its sidecar is still recognised through the index.
        shutil.copy(repo.work / "old.pt", repo.work / "renamed.pt")
        [doc] = repo.gm_json("show", "renamed.pt")
        self.assertIsNotNone(doc["record"])
        self.assertIn("index", doc["origin"])


class EnvAndData(RepoTest):
    def test_env_json_and_diff(self):
        repo = self.repo
        [env] = repo.gm_json("env")
        for key in ("os", "kernel", "cpu", "cpu_cores", "memory_bytes", "hostname", "python"):
            self.assertIn(key, env)
        repo.commit_training_project()
        torch.save({"w": torch.ones(1)}, repo.work / "a.pth")
        torch.save({"w": torch.ones(1)}, repo.work / "b.pth")
        repo.gm("stamp", "a.pth", "--no-python", check=0)
        env2 = dict(repo.env, GIT_MODEL_IMAGE="registry.example.com/train:1.2")
        run_git_model("stamp", "b.pth", "--no-python", cwd=repo.work, env=env2, check=0)
        [d] = repo.gm_json("env", "--diff", "a.pth", "b.pth")
        keys = [x["key"] for x in d["differences"]]
        self.assertIn("container.image", keys)
        self.assertEqual(repo.gm("env", "--diff", "a.pth", "b.pth", "--exit-code").returncode, 1)

    def test_data_hash_and_verify(self):
        repo = self.repo
        repo.commit_training_project()
        repo.write("data/train/a.csv", "1,2\n")
        repo.write("data/train/b.csv", "3,4\n")
        [h] = repo.gm_json("data", "hash", "data")
        self.assertEqual(h["files"], 2)
        self.assertEqual(len(h["tree_hash"]), 64)
        torch.save({"w": torch.ones(1)}, repo.work / "m.pth")
        repo.gm("stamp", "m.pth", "--data", "data", "--no-python", check=0)
        self.assertEqual(repo.gm("data", "verify", "m.pth").returncode, 0)
        repo.write("data/train/b.csv", "3,5\n")
        r = repo.gm("data", "verify", "m.pth")
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"changed", r.stdout)


class BadInput(RepoTest):
    def assert_error(self, r, *needles):
        self.assertEqual(r.returncode, 2, (r.stdout, r.stderr))
        err = r.stderr.decode()
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertTrue(err.startswith("git-model: "), err)
        for n in needles:
            self.assertIn(n, err)

    def test_bad_inputs_exit_two_and_leave_files_untouched(self):
        repo = self.repo
        repo.commit_training_project()
        self.assert_error(repo.gm("stamp", "missing.pth", "--no-python"), "missing.pth")
        repo.write("notes.txt", "just text\n")
        self.assert_error(repo.gm("stamp", "notes.txt", "--no-python"), "notes.txt")
        self.assertEqual((repo.work / "notes.txt").read_text(), "just text\n")
        self.assert_error(repo.gm("stamp", "config", "--no-python"), "config")  # a directory

        torch.save({"w": torch.ones(3)}, repo.work / "old.pt", _use_new_zipfile_serialization=False)
        repo.gm("stamp", "old.pt", "--no-python", check=0)
        (repo.work / "old.pt.git-model.json").write_text("{not json")
        self.assert_error(repo.gm("show", "old.pt"), "old.pt")
        self.assert_error(repo.gm("verify", "old.pt", "--no-python"), "old.pt")
        (repo.work / "old.pt.git-model.json").write_text('{"schema": "git-model/provenance/v9"}')
        self.assert_error(repo.gm("show", "old.pt"), "v9")

        self.assert_error(repo.gm("stamp", "x.pth", "--config", "nope.yaml", "--no-python"), "nope.yaml")
        repo.write("bad.yaml", "a: [1, 2\n")
        torch.save({"w": torch.ones(3)}, repo.work / "x.pth")
        before = sha256_file(repo.work / "x.pth")
        self.assert_error(repo.gm("stamp", "x.pth", "--config", "bad.yaml", "--no-python"), "bad.yaml")
        self.assert_error(repo.gm("stamp", "x.pth", "--param", "novalue", "--no-python"), "novalue")
        self.assertEqual(sha256_file(repo.work / "x.pth"), before)

    def test_unwritable_directory(self):
        repo = self.repo
        repo.commit_training_project()
        locked = repo.work / "locked"
        locked.mkdir()
        torch.save({"w": torch.ones(3)}, locked / "m.pth")
        before = sha256_file(locked / "m.pth")
        if os.geteuid() == 0:
            # root ignores permission bits; the immutable attribute stops even root.
            if subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode != 0:
                self.skipTest("chattr +i not supported here")
            undo = ["chattr", "-i", str(locked)]
        else:
            locked.chmod(0o555)
            undo = ["chmod", "755", str(locked)]
        try:
            self.assert_error(repo.gm("stamp", "locked/m.pth", "--no-python"), "locked")
        finally:
            subprocess.run(undo, check=True)
        self.assertEqual(sha256_file(locked / "m.pth"), before)
        self.assertEqual(sorted(os.listdir(locked)), ["m.pth"])


class BigPatch(RepoTest):
    """A 200 MB uncommitted change is captured within seconds, spilled to the store, complete."""

    def test_200_mb_change(self):
        if not ARGS.big_patch:
            self.skipTest("run with --big-patch (release build only)")
        repo = self.repo
        repo.commit_training_project()
        rng = torch.Generator().manual_seed(0)
        blob = torch.randint(0, 256, (200 * 1000 * 1000,), dtype=torch.uint8, generator=rng).numpy().tobytes()
        repo.write("assets/big.bin", blob)
        torch.save({"w": torch.ones(1)}, repo.work / "m.pth")
        start = time.monotonic()
        [s] = repo.gm_json("stamp", "m.pth", "--no-python")
        elapsed = time.monotonic() - start
        patch = s["record"]["git"]["patch"]
        self.assertIs(patch.get("stored"), True)
        self.assertGreater(patch["bytes"], 200 * 1000 * 1000)
        print(f"\n200 MB change stamped in {elapsed:.1f} s (patch {patch['bytes'] / 1e6:.0f} MB)", file=sys.stderr)
        self.assertLess(elapsed, 30)
        out = repo.gm("show", "--patch", "m.pth", check=0).stdout
        self.assertEqual(len(out), patch["bytes"])
        self.assertEqual(hashlib.sha256(out).hexdigest(), patch["sha256"])
        clean = Path(self.tmp.name) / "clean"
        repo.git("worktree", "add", "-q", "--detach", str(clean), s["record"]["git"]["commit"])
        r = subprocess.run(["git", "apply", "--binary", "-"], input=out, cwd=clean, env=repo.env, capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual((clean / "assets/big.bin").read_bytes(), blob)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--git-model", required=True)
    parser.add_argument("--big-patch", action="store_true")
    ARGS, rest = parser.parse_known_args()
    ARGS.git_model = os.path.abspath(ARGS.git_model)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
