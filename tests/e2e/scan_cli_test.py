#!/usr/bin/python3
"""End-to-end tests of `git-model scan` against the shared corpus of malicious and real files.

    scan_cli_test.py --git-model BIN --corpus DIR

DIR holds malicious/MANIFEST.tsv (each row's last column says "Expected: FLAG ..." or "Expected:
NOT flagged ...") and real/MANIFEST.tsv. Files are only read by git-model: nothing here unpickles.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import OneLineErrors, parse_git_model_args, run_tests  # noqa: E402

ARGS = None


def run(*argv):
    return subprocess.run([ARGS.git_model, *argv], capture_output=True, text=True, timeout=300)


def scan_json(*paths):
    r = run("scan", "--json", *paths)
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    return r, docs


def manifest(name):
    path = Path(ARGS.corpus) / name / "MANIFEST.tsv"
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def expectation(row):
    last = row["torch_load_result"]
    if "Expected: FLAG" in last:
        return "flag"
    if "Expected: NOT flagged" in last:
        return "clean"
    return None


def criticals(doc):
    return [f for f in doc["findings"] if f["severity"] == "critical"]


class MaliciousCorpus(unittest.TestCase):
    def test_every_flag_row_is_critical_and_every_control_is_not(self):
        rows = manifest("malicious")
        flagged = clean = 0
        for row in rows:
            want = expectation(row)
            self.assertIsNotNone(want, row["file"])
            path = str(Path(ARGS.corpus) / "malicious" / row["file"])
            with self.subTest(file=row["file"]):
                r, docs = scan_json(path)
                self.assertEqual(len(docs), 1, r.stderr)
                if want == "flag":
                    self.assertEqual(r.returncode, 1, (row["file"], docs))
                    self.assertTrue(criticals(docs[0]), (row["file"], docs))
                    flagged += 1
                else:
                    self.assertEqual(r.returncode, 0, (row["file"], docs))
                    self.assertFalse(criticals(docs[0]), (row["file"], criticals(docs[0])))
                    clean += 1
        print(f"\nMANIFEST tally: {flagged} FLAG rows flagged critical, {clean} controls not flagged", file=sys.stderr)
        self.assertEqual(flagged + clean, len(rows))

    def test_findings_name_the_import_and_offset(self):
        path = str(Path(ARGS.corpus) / "malicious/picklescan/tests/data/malicious2_v4.pkl")
        r, docs = scan_json(path)
        found = criticals(docs[0])
        self.assertTrue(any(f["import"] == "posix.system" and isinstance(f["offset"], int) for f in found), found)

    def test_text_output_groups_by_file_with_a_summary(self):
        path = str(Path(ARGS.corpus) / "malicious/modelscan/unsafe_zip_pytorch.pt")
        r = run("scan", path)
        self.assertEqual(r.returncode, 1)
        self.assertIn("critical", r.stdout)
        self.assertIn("posix.system", r.stdout)
        self.assertIn("1 file scanned: 1 with critical findings", r.stdout.splitlines()[-1])


class RealCorpus(unittest.TestCase):
    def test_no_real_file_is_critical(self):
        rows = manifest("real")
        paths = [str(Path(ARGS.corpus) / "real" / row["file"]) for row in rows]
        r, docs = scan_json(*paths)
        self.assertEqual(len(docs), len(rows), r.stderr)
        for doc in docs:
            with self.subTest(file=doc["path"]):
                self.assertFalse(criticals(doc), criticals(doc))
        self.assertEqual(r.returncode, 0, r.stdout)
        print(f"\nreal files not critical: {len(docs)}", file=sys.stderr)

    def test_torchscript_is_reported_as_code(self):
        r, docs = scan_json(str(Path(ARGS.corpus) / "real/silero_vad.jit"))
        code = [f for f in docs[0]["findings"] if f["severity"] == "code"]
        self.assertEqual(len(code), 1, docs)
        self.assertIn("contains TorchScript code, which runs when loaded", code[0]["message"])
        self.assertIn("code/__torch__/", code[0]["message"])


class Options(unittest.TestCase, OneLineErrors):
    def write(self, name, data):
        path = Path(self.tmp.name) / name
        path.write_bytes(data)
        return str(path)

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_allow_silences_unknown_classes_but_never_critical_ones(self):
        unknown = self.write("u.pkl", b"\x80\x02cmypkg.models\nNet\n)\x81.")
        r, docs = scan_json(unknown)
        self.assertEqual(r.returncode, 0)
        self.assertEqual([f["import"] for f in docs[0]["findings"] if f["severity"] == "unknown"], ["mypkg.models.Net"])
        r, docs = scan_json("--allow", "mypkg.models.Net", unknown)
        self.assertEqual(docs[0]["findings"], [])
        evil = self.write("e.pkl", b"\x80\x02cos\nsystem\nX\x02\x00\x00\x00id\x85R.")
        r, docs = scan_json("--allow", "os.system", evil)
        self.assertEqual(r.returncode, 1)

    def test_unreadable_file_is_a_one_line_error(self):
        r = run("scan", str(Path(self.tmp.name) / "missing.pt"))
        self.assertOneLineError(r, "missing.pt")


if __name__ == "__main__":
    ARGS, rest = parse_git_model_args("--corpus")
    run_tests(rest)
