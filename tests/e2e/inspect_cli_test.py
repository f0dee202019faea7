#!/usr/bin/python3
"""End-to-end tests of `git-model inspect` through the real binary (and through `git model`).

    inspect_cli_test.py --git-model BIN --corpus DIR --fixtures DIR
"""

import argparse
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ARGS = None


def run(*argv, env=None):
    return subprocess.run([ARGS.git_model, *argv], capture_output=True, text=True, timeout=120, env=env)


def inspect_json(*argv):
    r = run("inspect", "--json", *argv)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def corpus(name):
    return str(Path(ARGS.corpus) / name)


def fixture(name):
    return str(Path(ARGS.fixtures) / name)


class HelpAndUsage(unittest.TestCase):
    def test_help_lists_inspect_and_exits_zero(self):
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("inspect", r.stdout)

    def test_help_command_matches_dash_dash_help(self):
        a, b = run("help", "inspect"), run("inspect", "--help")
        self.assertEqual(a.returncode, 0)
        self.assertEqual(a.stdout, b.stdout)
        for flag in ("--tensors", "--tree", "--stats", "--hashes", "--json"):
            self.assertIn(flag, a.stdout)

    def test_usage_errors_exit_two(self):
        self.assertEqual(run("no-such-command").returncode, 2)
        self.assertEqual(run("inspect").returncode, 2)  # FILE is required
        self.assertEqual(run("inspect", "--no-such-flag", corpus("facenet_pnet.pt")).returncode, 2)
        self.assertEqual(run("help", "no-such-command").returncode, 2)

    def test_version(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"git-model \d+\.\d+\.\d+")

    def test_works_as_git_subcommand(self):
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, HOME=home, GIT_CONFIG_NOSYSTEM="1",
                       PATH=f"{Path(ARGS.git_model).parent}:{os.environ['PATH']}")
            r = subprocess.run(["git", "model", "inspect", corpus("pyribs_mnist_classifier.pth")],
                               capture_output=True, text=True, env=env, timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("torch-zip", r.stdout)


class Summary(unittest.TestCase):
    def test_training_checkpoint_summary_shows_values(self):
        r = run("inspect", fixture("training_checkpoint.pth"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("format      torch-zip", r.stdout)
        self.assertRegex(r.stdout, r"epoch: \d+")
        self.assertRegex(r.stdout, r"hyperparams\.lr: [0-9.e-]+")
        self.assertIn("git.commit:", r.stdout)
        self.assertIn("model_state_dict:", r.stdout)  # tensor group

    def test_tensor_table_and_tree(self):
        r = run("inspect", "--tensors", "--tree", corpus("candle_fortran_tensor_3d.pth"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"tensor_fortran\s+int64\s+\[2, 3, 4\]\s+\[1, 2, 6\]")
        self.assertIn("tensor_fortran: tensor int64 [2, 3, 4]", r.stdout)

    def test_stats_and_hashes_columns(self):
        r = run("inspect", "--stats", "--hashes", corpus("pyribs_mnist_classifier.pth"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("SHA256", r.stdout)
        self.assertIn("MEAN", r.stdout)
        self.assertRegex(r.stdout, r"0\.weight\s+float32\s+.*[0-9a-f]{64}")


class JsonDocument(unittest.TestCase):
    def test_required_members_and_tensor_fields(self):
        [doc] = inspect_json(fixture("training_checkpoint.pth"))
        for key in ("file", "format", "details", "summary", "tensors", "tree", "notes"):
            self.assertIn(key, doc)
        t = doc["tensors"][0]
        for key in ("name", "dtype", "shape", "strides", "storage_offset", "nbytes", "storage", "device"):
            self.assertIn(key, t)
        self.assertNotIn("sha256", t)
        self.assertNotIn("stats", t)
        self.assertTrue(all(t["name"].startswith(("model_state_dict.", "optimizer_state_dict."))
                            for t in doc["tensors"]))

    def test_tree_refers_to_tensors_by_name(self):
        [doc] = inspect_json(fixture("training_checkpoint.pth"))
        names = {t["name"] for t in doc["tensors"]}
        refs = []

        def walk(v):
            if isinstance(v, dict):
                if set(v) == {"tensor"}:
                    refs.append(v["tensor"])
                for x in v.values():
                    walk(x)
            elif isinstance(v, list):
                for x in v:
                    walk(x)
        walk(doc["tree"])
        self.assertTrue(refs)
        self.assertTrue(set(refs) <= names)
        self.assertIsInstance(doc["tree"]["epoch"], int)
        self.assertIsInstance(doc["tree"]["hyperparams"]["lr"], float)

    def test_namespace_device_numpy_enum_in_tree(self):
        [light] = inspect_json(fixture("lightning.ckpt"))
        text = json.dumps(light["tree"]["hyper_parameters"])
        self.assertIn('"class": "argparse.Namespace"', text)
        self.assertIn('"device":', text)
        self.assertIn('"dtype":', text)
        [enums] = inspect_json(fixture("enums.pt"))
        self.assertIn('"enum":', json.dumps(enums["tree"]))

    def test_hashes_and_stats(self):
        [doc] = inspect_json("--hashes", "--stats", corpus("pyribs_mnist_classifier.pth"))
        for t in doc["tensors"]:
            self.assertRegex(t["sha256"], r"^[0-9a-f]{64}$")
            for key in ("count", "nan", "inf", "min", "max", "mean", "std"):
                self.assertIn(key, t["stats"])
            self.assertLessEqual(t["stats"]["min"], t["stats"]["mean"])
            self.assertLessEqual(t["stats"]["mean"], t["stats"]["max"])

    def test_one_document_per_file_per_line(self):
        docs = inspect_json(corpus("facenet_pnet.pt"), corpus("silero_vad_16k.safetensors"))
        self.assertEqual([d["format"] for d in docs], ["torch-legacy", "safetensors"])

    def test_summary_counts_tied_weights_once(self):
        [doc] = inspect_json(fixture("tied_module_state_dict.pt"))  # two Parameters, one storage
        s = doc["summary"]
        self.assertGreater(s["shared"], 0)
        distinct = sum(t["nbytes"] for t in doc["tensors"])
        self.assertLess(s["bytes"], distinct)


def fingerprint_of(doc):
    """The weights fingerprint as docs/formats.md specifies it, from --json --hashes output."""
    import hashlib
    import struct
    h = hashlib.sha256(b"git-model/weights-fingerprint/v1\n" + struct.pack("<I", len(doc["tensors"])))
    for t in sorted(doc["tensors"], key=lambda t: t["name"].encode()):
        name, dtype = t["name"].encode(), t["dtype"].encode()
        h.update(struct.pack("<I", len(name)) + name + struct.pack("<I", len(dtype)) + dtype)
        h.update(struct.pack("<I", len(t["shape"])) + b"".join(struct.pack("<q", d) for d in t["shape"]))
        h.update(bytes.fromhex(t["sha256"]))
    return h.hexdigest()


class Fingerprint(unittest.TestCase):
    def test_matches_an_independent_implementation(self):
        for path in (corpus("pyribs_mnist_classifier.pth"), corpus("silero_vad_16k.safetensors"),
                     fixture("layouts.pt"), fixture("dtypes_legacy.pt")):
            [doc] = inspect_json("--hashes", path)
            self.assertEqual(doc["fingerprint"], fingerprint_of(doc), path)

    def test_same_weights_in_pth_and_safetensors_and_one_flipped_byte(self):
        sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
        from fixture_writers import write_safetensors
        import torch
        torch.manual_seed(0)
        sd = {"fc.weight": torch.randn(4, 3), "fc.bias": torch.randn(4), "steps": torch.tensor(5)}
        codes = {torch.float32: "F32", torch.int64: "I64"}
        with tempfile.TemporaryDirectory() as tmp:
            pth, st = Path(tmp) / "m.pth", Path(tmp) / "m.safetensors"
            torch.save(sd, pth)
            write_safetensors(st, [(k, codes[v.dtype], list(v.shape), v.contiguous().numpy().tobytes())
                                   for k, v in sd.items()])
            [a], [b] = inspect_json("--hashes", str(pth)), inspect_json("--hashes", str(st))
            self.assertEqual(a["fingerprint"], b["fingerprint"])
            data = bytearray(st.read_bytes())
            data[-1] ^= 1
            st.write_bytes(bytes(data))
            [c] = inspect_json("--hashes", str(st))
            self.assertNotEqual(a["fingerprint"], c["fingerprint"])

    def test_no_fingerprint_without_hashes(self):
        [doc] = inspect_json(corpus("pyribs_mnist_classifier.pth"))
        self.assertNotIn("fingerprint", doc)


class Errors(unittest.TestCase):
    def assert_one_line_error(self, r, path):
        self.assertEqual(r.returncode, 2)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("git-model: "), lines[0])
        self.assertIn(path, lines[0])

    def test_missing_file(self):
        self.assert_one_line_error(run("inspect", "/no/such/file.pth"), "/no/such/file.pth")

    def test_truncated_storage_message(self):
        path = fixture("error_truncated_storage.pt")
        r = run("inspect", path)
        self.assert_one_line_error(r, path)
        self.assertIn("truncated storage data/0: record has 100 bytes", r.stderr)

    def test_bad_file_among_good_ones_still_prints_the_good(self):
        r = run("inspect", "--json", corpus("facenet_pnet.pt"), "/no/such.pt", corpus("pyribs_mnist_classifier.pth"))
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stdout.splitlines()), 2)

    def test_not_a_checkpoint(self):
        path = corpus("MANIFEST.tsv")
        r = run("inspect", path)
        self.assert_one_line_error(r, path)
        self.assertIn("not a checkpoint", r.stderr)


class NeverRunsPickledCode(unittest.TestCase):
    def test_reduce_payload_is_not_executed(self):
        with tempfile.TemporaryDirectory() as tmp:
            marker = Path(tmp) / "pwned"

            class Payload:
                def __reduce__(self):
                    return (os.system, (f"touch {marker}",))
            path = Path(tmp) / "evil.pkl"
            path.write_bytes(pickle.dumps({"model": Payload()}, protocol=2))
            r = run("inspect", "--json", str(path))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertFalse(marker.exists())
            doc = json.loads(r.stdout)
            self.assertEqual(doc["tree"]["model"]["class"], "posix.system")
            self.assertIn("touch", json.dumps(doc["tree"]["model"]["args"]))


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--git-model", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--fixtures", required=True)
    ARGS, rest = parser.parse_known_args()
    ARGS.git_model = str(Path(ARGS.git_model).resolve())
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
