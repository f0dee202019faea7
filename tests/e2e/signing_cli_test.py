#!/usr/bin/python3
"""End-to-end tests of signed provenance: `git model keygen`, `stamp --sign`, `verify` against
`.git-model/trusted_keys`, and `attest`, through the real binary, real git and Debian's torch, in
hermetic temp repositories (temp HOME, GIT_CONFIG_NOSYSTEM=1).

    signing_cli_test.py --git-model BIN
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import torch

ARGS = None
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
PUBLIC_KEY_LINE = re.compile(r"^ed25519 [A-Za-z0-9+/]{43}= (.*)\n$")
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


class Repo:
    """A hermetic git repository with its own HOME, one commit, and a small state dict."""

    def __init__(self, root):
        self.root = Path(root)
        self.home = self.root / "home"
        self.work = self.root / "work"
        self.home.mkdir()
        self.work.mkdir()
        self.env = {
            "HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1", "PATH": os.environ["PATH"],
            "GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.com",
            "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.com", "LC_ALL": "C.UTF-8",
        }
        self.git("init", "-q", "-b", "main")
        self.write(".gitignore", "*.pth\n*.safetensors\n*.git-model.json\n")
        self.write("train.yaml", "optimizer:\n  lr: 0.05\nbatch_size: 64\n")
        self.write("data/train/a.txt", "alpha\n")
        self.git("add", ".")
        self.git("commit", "-q", "-m", "project")
        torch.manual_seed(3)
        self.state = {"enc.weight": torch.randn(16, 8), "enc.bias": torch.randn(16), "head.weight": torch.randn(2, 16)}

    def git(self, *argv):
        r = subprocess.run(["git", *argv], cwd=self.work, env=self.env, capture_output=True, text=True)
        assert r.returncode == 0, (argv, r.stderr)
        return r.stdout.strip()

    def gm(self, *argv, check=None):
        r = subprocess.run([ARGS.git_model, *argv], cwd=self.work, env=self.env, capture_output=True, timeout=600)
        if check is not None:
            assert r.returncode == check, (argv, r.returncode, r.stdout[-2000:], r.stderr[-2000:])
        return r

    def gm_json(self, *argv):
        return [json.loads(line) for line in self.gm(*argv, "--json", check=0).stdout.splitlines()]

    def write(self, rel, text):
        path = self.work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def save_pth(self, name="m.pth"):
        torch.save(self.state, self.work / name)
        return self.work / name

    def save_safetensors(self, name="m.safetensors"):
        sys.path.insert(0, str(SCRIPTS))
        from fixture_writers import write_safetensors
        write_safetensors(self.work / name,
                          [(k, "F32", list(v.shape), v.numpy().tobytes()) for k, v in self.state.items()])
        return self.work / name

    def keygen(self, *argv):
        return self.gm("keygen", "--name", "Ada <ada@example.com>", *argv, check=0)

    def trust(self, pub_path):
        (self.work / ".git-model").mkdir(exist_ok=True)
        with open(self.work / ".git-model" / "trusted_keys", "a") as f:
            f.write(Path(pub_path).read_text())

    def default_key(self):
        return self.home / ".config" / "git-model" / "signing_key"

    def verify_doc(self, name, *argv):
        r = self.gm("verify", name, "--no-python", "--json", *argv)
        [doc] = [json.loads(x) for x in r.stdout.splitlines()]
        return r.returncode, doc


def flip(path, at, mask=0x01):
    raw = bytearray(path.read_bytes())
    raw[at] ^= mask
    path.write_bytes(bytes(raw))


def tensor_offset(path, tensor):
    at = path.read_bytes().find(tensor.numpy().tobytes())
    assert at > 0, "tensor bytes not found in the file"
    return at


def record_value_offset(path):
    """The offset of a digit inside the record's "tool" value ("git-model 0.1.0"): changing it keeps
    the record valid JSON, so only the signature can catch it."""
    raw = path.read_bytes()
    tool = raw.find(b"tool")
    assert tool > 0, "no record in the file"
    version = raw.find(b"git-model ", tool) + len(b"git-model ")
    assert raw[version:version + 1].isdigit(), raw[tool:tool + 40]
    return version


class SigningTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gm-signing-")
        self.repo = Repo(self.tmp)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


class Keygen(SigningTest):
    def test_writes_a_private_key_only_its_owner_reads_and_a_public_key_line(self):
        r = self.repo.keygen()
        key = self.repo.default_key()
        self.assertEqual(stat.S_IMODE(key.stat().st_mode), 0o600)
        self.assertTrue(key.read_text().startswith("-----BEGIN PRIVATE KEY-----\n"))
        pub = Path(str(key) + ".pub").read_text()
        self.assertEqual(PUBLIC_KEY_LINE.match(pub).group(1), "Ada <ada@example.com>")
        self.assertIn(pub.strip().encode(), r.stdout)  # printed for trusted_keys

        again = self.repo.gm("keygen")
        self.assertEqual(again.returncode, 2)
        self.assertIn(b"--force", again.stderr)
        self.assertEqual(Path(str(key) + ".pub").read_text(), pub)  # untouched
        self.repo.gm("keygen", "--force", check=0)
        self.assertNotEqual(Path(str(key) + ".pub").read_text(), pub)

    def test_garbage_key_file_is_a_one_line_error(self):
        (self.repo.work / "bad.key").write_text("not a key\n")
        self.repo.save_pth()
        r = self.repo.gm("stamp", "m.pth", "--no-python", "--key", "bad.key")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr.count(b"\n"), 1, r.stderr)
        self.assertIn(b"bad.key", r.stderr)

    def test_missing_key_says_how_to_make_one(self):
        self.repo.save_pth()
        r = self.repo.gm("stamp", "m.pth", "--no-python", "--sign")
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"git model keygen", r.stderr)


class SignAndVerify(SigningTest):
    def stamp_signed(self, name, *argv):
        [s] = self.repo.gm_json("stamp", name, "--no-python", "--sign", *argv)
        sig = s["record"]["signature"]
        self.assertEqual(sig["algorithm"], "ed25519")
        self.assertEqual(sig["scheme"], "git-model/signature/v1")
        return s

    def test_signed_pth_passes_and_a_flipped_tensor_byte_fails(self):
        repo = self.repo
        repo.keygen()
        path = repo.save_pth()
        self.stamp_signed("m.pth")

        code, doc = repo.verify_doc("m.pth")  # no trusted_keys yet: the signer cannot be checked
        self.assertEqual(code, 1)
        self.assertEqual(doc["signature"]["state"], "no-trusted-keys")
        self.assertIn(b"no trusted keys file", repo.gm("verify", "m.pth", "--no-python").stdout)

        repo.trust(str(repo.default_key()) + ".pub")
        code, doc = repo.verify_doc("m.pth")
        self.assertEqual(code, 0, doc)
        self.assertEqual(doc["signature"]["state"], "valid")
        self.assertEqual(doc["signature"]["signer"], "Ada <ada@example.com>")
        self.assertTrue(doc["passed"])

        flip(path, tensor_offset(path, repo.state["head.weight"]) + 5, 0x40)
        code, doc = repo.verify_doc("m.pth")
        self.assertEqual(code, 1)
        self.assertFalse(doc["weights_match"])
        self.assertEqual(doc["tensors"], [{"name": "head.weight", "change": "changed"}])

    def test_a_flipped_record_byte_fails(self):
        repo = self.repo
        repo.keygen()
        repo.trust(str(repo.default_key()) + ".pub")
        for name, save in (("m.safetensors", repo.save_safetensors), ("m.pth", repo.save_pth)):
            with self.subTest(name):
                path = save()
                self.stamp_signed(name)
                repo.gm("verify", name, "--no-python", check=0)
                flip(path, record_value_offset(path))
                r = repo.gm("verify", name, "--no-python")
                self.assertNotEqual(r.returncode, 0, r.stdout)
                if name.endswith(".safetensors"):  # still a readable record: the signature catches it
                    self.assertEqual(r.returncode, 1, r.stderr)
                    self.assertIn(b"BAD SIGNATURE", r.stdout)

    def test_signed_safetensors_and_a_flipped_tensor_byte_fails(self):
        repo = self.repo
        repo.keygen()
        repo.trust(str(repo.default_key()) + ".pub")
        path = repo.save_safetensors()
        self.stamp_signed("m.safetensors")
        repo.gm("verify", "m.safetensors", "--no-python", check=0)
        flip(path, tensor_offset(path, repo.state["enc.bias"]) + 2)
        code, doc = repo.verify_doc("m.safetensors")
        self.assertEqual(code, 1)
        self.assertEqual(doc["tensors"], [{"name": "enc.bias", "change": "changed"}])

    def test_unknown_signer_fails_and_the_trusted_one_passes(self):
        repo = self.repo
        repo.keygen()
        repo.gm("keygen", "--out", str(repo.home / "mallory"), "--name", "Mallory <m@example.com>", check=0)
        repo.trust(str(repo.default_key()) + ".pub")
        repo.save_pth("a.pth")
        repo.save_pth("b.pth")
        self.stamp_signed("a.pth", "--key", str(repo.home / "mallory"))
        code, doc = repo.verify_doc("a.pth")
        self.assertEqual(code, 1)
        self.assertEqual(doc["signature"]["state"], "untrusted-signer")
        self.assertTrue(doc["weights_match"])
        self.assertIn(b"UNTRUSTED SIGNER", repo.gm("verify", "a.pth", "--no-python").stdout)

        self.stamp_signed("b.pth")
        repo.gm("verify", "b.pth", "--no-python", check=0)
        # --trusted-keys overrides the repository's file.
        other = repo.work / "other_keys"
        other.write_text("# only Mallory\n" + Path(str(repo.home / "mallory") + ".pub").read_text())
        repo.gm("verify", "a.pth", "--no-python", "--trusted-keys", str(other), check=0)
        repo.gm("verify", "b.pth", "--no-python", "--trusted-keys", str(other), check=1)

    def test_signing_key_from_git_config(self):
        repo = self.repo
        repo.gm("keygen", "--out", str(repo.home / "ci_key"), "--name", "CI", check=0)
        repo.trust(str(repo.home / "ci_key") + ".pub")
        repo.git("config", "git-model.signingKey", str(repo.home / "ci_key"))
        repo.save_pth()
        s = self.stamp_signed("m.pth")
        self.assertEqual(s["record"]["signature"]["signer"], "CI")
        code, doc = repo.verify_doc("m.pth")
        self.assertEqual((code, doc["signature"]["signer"]), (0, "CI"))

    def test_unsigned_records_pass_unless_a_signature_is_required(self):
        repo = self.repo
        repo.save_pth()
        repo.gm("stamp", "m.pth", "--no-python", check=0)
        code, doc = repo.verify_doc("m.pth")
        self.assertEqual((code, doc["signature"]["state"]), (0, "unsigned"))
        code, doc = repo.verify_doc("m.pth", "--require-signature")
        self.assertEqual(code, 1)
        self.assertFalse(doc["signature"]["ok"])

    def test_malformed_trusted_keys_is_an_error_naming_the_line(self):
        repo = self.repo
        repo.keygen()
        repo.save_pth()
        self.stamp_signed("m.pth")
        repo.write(".git-model/trusted_keys", "# keys\nssh-rsa AAAA bob\n")
        r = repo.gm("verify", "m.pth", "--no-python")
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"trusted_keys:2", r.stderr)


class Attest(SigningTest):
    def test_statement_is_in_toto_v1_with_slsa_provenance(self):
        repo = self.repo
        path = repo.save_pth()
        [s] = repo.gm_json("stamp", "m.pth", "--no-python", "--config", "train.yaml", "--data", "data/train")
        r = repo.gm("attest", "m.pth", check=0)
        st = json.loads(r.stdout)
        self.assertEqual(st["_type"], "https://in-toto.io/Statement/v1")
        self.assertEqual(st["predicateType"], "https://slsa.dev/provenance/v1")
        [subject] = st["subject"]
        self.assertEqual(subject["name"], "m.pth")
        self.assertEqual(subject["digest"]["sha256"], hashlib.sha256(path.read_bytes()).hexdigest())
        self.assertEqual(subject["digest"]["gitmodel_fingerprint"], s["record"]["artifact"]["fingerprint"])

        build = st["predicate"]["buildDefinition"]
        self.assertTrue(build["buildType"].startswith("https://"))
        self.assertEqual(build["externalParameters"]["hyperparameters"]["optimizer.lr"], 0.05)
        deps = build["resolvedDependencies"]
        self.assertEqual(deps[0]["digest"]["gitCommit"], repo.git("rev-parse", "HEAD"))
        by_name = {d.get("name"): d for d in deps}
        self.assertEqual(by_name["train.yaml"]["digest"]["sha256"],
                         hashlib.sha256((repo.work / "train.yaml").read_bytes()).hexdigest())
        self.assertEqual(by_name["data/train"]["digest"]["gitmodel_tree"], s["record"]["data"][0]["tree_hash"])
        for d in [subject] + deps:  # DigestSet: standard names, or lowercase custom ones; hex values
            self.assertTrue(d.get("uri") or d.get("name"))
            for alg, value in d["digest"].items():
                self.assertTrue(alg in ("gitCommit", "gitBlob") or alg == alg.lower(), alg)
                self.assertRegex(value, r"^[0-9a-f]+$")

        run = st["predicate"]["runDetails"]
        self.assertTrue(run["builder"]["id"].startswith("https://"))
        self.assertRegex(run["metadata"]["finishedOn"], RFC3339)

        out = repo.work / "m.intoto.json"
        repo.gm("attest", "m.pth", "-o", str(out), check=0)
        self.assertEqual(json.loads(out.read_text()), st)

        flip(path, tensor_offset(path, repo.state["enc.weight"]) + 9)
        r = repo.gm("attest", "m.pth")
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"weights changed", r.stderr)

    def test_unstamped_file_is_an_error(self):
        self.repo.save_pth()
        self.assertEqual(self.repo.gm("attest", "m.pth").returncode, 2)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--git-model", required=True)
    ARGS, rest = parser.parse_known_args()
    ARGS.git_model = os.path.abspath(ARGS.git_model)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
