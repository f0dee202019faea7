#!/usr/bin/python3
"""End-to-end tests of `git model report` through the real binary and real git, on a scripted
week of history: one older commit outside the period, then five commits (Nov 16-20, two authors,
Conventional Commits subjects) that lower lr, add an encoder layer to a tracked safetensors
checkpoint (stored by the git-model filter, so the report reads pointers back from the store),
fix training, document, and widen the head; a run recorded with the real `git model run` after
each commit (val_acc 0.80, 0.86, 0.85, 0.85, 0.78; one extra failing run; the container image
changes from pytorch:24.01 to pytorch:24.03 at the fourth). The HTML is rendered in real
headless Chromium with no network, and its screenshot checked and kept in --artifacts.

    report_cli_test.py --git-model BIN --artifacts DIR
"""

import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import chromium_support
from e2e_support import OneLineErrors, parse_git_model_args, run_tests, workspace

ARGS = None
PERIOD = ["--since", "2026-11-15 00:00 +0000", "--until", "2026-11-21 00:00 +0000"]

# argv: VAL_ACC [EXIT_CODE]: logs val_acc and loss, then exits.
LOG_METRIC = r"""
import json, os, sys
value = float(sys.argv[1])
with open(os.environ["GIT_MODEL_METRICS"], "a") as f:
    f.write(json.dumps({"step": 1, "val_acc": value, "loss": round(1 - value, 4)}) + "\n")
sys.exit(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
"""


def safetensors(tensors):
    """A float32 safetensors file of zero-filled tensors {name: shape}."""
    header, offset = {}, 0
    for name, shape in tensors.items():
        size = 4
        for d in shape:
            size *= d
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + bytes(offset)


MODEL_V1 = {"encoder.0.weight": [4, 4], "encoder.0.bias": [4], "head.weight": [2, 4]}
MODEL_V2 = dict(MODEL_V1, **{"encoder.1.weight": [4, 4], "encoder.1.bias": [4]})
MODEL_V3 = dict(MODEL_V2, **{"head.weight": [3, 4]})


class Week:
    """The scripted repository; ids[n] is commit n's full id."""

    def __init__(self, root):
        self.root = Path(root)
        self.work, self.env = workspace(self.root, ARGS.git_model)
        self.script = self.root / "log_metric.py"
        self.script.write_text(LOG_METRIC)
        self.ids = []
        self.git("init", "-q", "-b", "main")
        self.gm("install", check=0)
        self.gm("track", "*.safetensors", check=0)

    def run(self, argv, env=None, check=None):
        r = subprocess.run(argv, cwd=self.work, env=env or self.env, capture_output=True, text=True, timeout=300)
        if check is not None:
            assert r.returncode == check, (argv, r.returncode, r.stdout[-3000:], r.stderr[-3000:])
        return r

    def git(self, *argv, env=None):
        return self.run(["git", *argv], env=env, check=0).stdout

    def gm(self, *argv, check=None):
        return self.run([ARGS.git_model, *argv], check=check)

    def commit(self, date, author, subject, files):
        for name, content in files.items():
            path = self.work / name
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        self.git("add", "-A")
        email = f"{author.lower()}@example.com"
        env = dict(self.env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_AUTHOR_NAME=author,
                   GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=author, GIT_COMMITTER_EMAIL=email)
        self.git("commit", "-q", "-m", subject, env=env)
        self.ids.append(self.git("rev-parse", "HEAD").strip())

    def record(self, value, image, code=0):
        env = dict(self.env, GIT_MODEL_IMAGE=image)
        self.run([ARGS.git_model, "run", "-q", "--no-python", "--", sys.executable, str(self.script), str(value), str(code)],
                 env=env, check=code)

    def build(self):
        self.commit("2026-11-01T10:00:00Z", "Ada", "feat: initial model",
                    {"train.py": "print('train')\n", "config.yaml": "lr: 0.01\nbatch: 32\n",
                     "model.safetensors": safetensors(MODEL_V1), ".gitignore": "out/\n"})
        self.commit("2026-11-16T10:00:00Z", "Ada", "chore: lower lr to 0.001", {"config.yaml": "lr: 0.001\nbatch: 32\n"})
        self.record(0.80, "pytorch:24.01")
        self.commit("2026-11-17T10:00:00Z", "Grace", "feat(model)!: add a second encoder layer",
                    {"model.safetensors": safetensors(MODEL_V2), "train.py": "print('train 2 layers')\n"})
        self.record(0.86, "pytorch:24.01")
        self.commit("2026-11-18T10:00:00Z", "Grace", "fix: clip gradients", {"train.py": "print('train 2 layers, clipped')\n"})
        self.record(0.85, "pytorch:24.01")
        self.record(0.10, "pytorch:24.01", code=1)  # a crash: counted as failed, not as a value
        self.commit("2026-11-19T10:00:00Z", "Ada", "docs: explain the data", {"README.md": "# data\n"})
        self.record(0.85, "pytorch:24.03")
        self.commit("2026-11-20T10:00:00Z", "Ada", "perf: widen the head",
                    {"model.safetensors": safetensors(MODEL_V3), "train.py": "print('train, wide head')\n"})
        self.record(0.78, "pytorch:24.03")
        return self


class ReportTest(OneLineErrors, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.week = Week(cls.tmp.name).build()
        r = cls.week.gm("report", *PERIOD, "--format", "json", check=0)
        cls.report = json.loads(r.stdout)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def short(self, n):
        return self.week.ids[n][:7]

    def test_summary_counts_the_period_only(self):
        s = self.report["summary"]
        self.assertEqual(self.report["schema"], "git-model/report/v1")
        self.assertEqual(s["commits"], 5)  # the Nov 1 commit is outside the period
        self.assertEqual([(a["name"], a["commits"]) for a in s["authors"]], [("Ada", 3), ("Grace", 2)])
        self.assertEqual((s["runs"], s["failed_runs"]), (6, 1))
        self.assertTrue(s["since"].startswith("2026-11-15T00:00:00"))

    def test_features_grouped_by_type_with_their_commits(self):
        groups = {g["kind"]: [(i["commit"]["id"], i["description"], i["scope"], i["breaking"]) for i in g["items"]]
                  for g in self.report["features"]}
        ids = self.week.ids
        self.assertEqual(groups, {
            "chore": [(ids[1], "lower lr to 0.001", "", False)],
            "feat": [(ids[2], "add a second encoder layer", "model", True)],
            "fix": [(ids[3], "clip gradients", "", False)],
            "docs": [(ids[4], "explain the data", "", False)],
            "perf": [(ids[5], "widen the head", "", False)],
        })
        self.assertEqual([g["kind"] for g in self.report["features"]], ["feat", "fix", "perf", "docs", "chore"])

    def test_architecture_changes_of_the_tracked_checkpoint(self):
        arch = self.report["architecture"]
        self.assertEqual([(a["commit"]["id"], a["path"]) for a in arch],
                         [(self.week.ids[2], "model.safetensors"), (self.week.ids[5], "model.safetensors")])
        layer, head = arch
        self.assertIsNone(layer["error"])
        self.assertEqual(layer["modules_added"], ["encoder.1"])
        self.assertEqual(layer["parameters"], {"before": 28, "after": 48})
        self.assertEqual(layer["previous_commit"], self.week.ids[1])
        self.assertEqual(head["tensors_reshaped"], ["head.weight"])
        self.assertEqual(head["parameters"], {"before": 48, "after": 52})
        self.assertEqual((head["modules_added"], head["modules_removed"]), ([], []))

    def test_hyperparameter_changes_with_commit_ids(self):
        self.assertEqual([(h["commit"]["id"], h["file"], h["key"], h.get("old"), h.get("new"))
                          for h in self.report["hyperparams"]],
                         [(self.week.ids[1], "config.yaml", "lr", 0.01, 0.001)])

    def test_performance_first_last_best_and_biggest_moves(self):
        by_key = {p["key"]: p for p in self.report["performance"]}
        self.assertEqual(sorted(by_key), ["loss", "val_acc"])
        acc, loss = by_key["val_acc"], by_key["loss"]
        self.assertTrue(acc["higher_is_better"])
        self.assertFalse(loss["higher_is_better"])
        self.assertEqual([p["value"] for p in acc["points"]], [0.80, 0.86, 0.85, 0.85, 0.78])
        self.assertEqual((acc["first"]["commit"]["id"], acc["first"]["value"]), (self.week.ids[1], 0.80))
        self.assertEqual((acc["last"]["commit"]["id"], acc["last"]["value"]), (self.week.ids[5], 0.78))
        self.assertEqual((acc["best"]["commit"]["id"], acc["best"]["value"]), (self.week.ids[2], 0.86))
        self.assertEqual(loss["best"]["commit"]["id"], self.week.ids[2])  # the lowest loss
        moves = [(m["commit"]["id"], m["previous"]) for m in acc["biggest_moves"]]
        self.assertEqual(moves[:2], [(self.week.ids[5], self.week.ids[4]), (self.week.ids[2], self.week.ids[1])])

    def test_environment_change_names_where_the_new_image_appeared(self):
        changed = {c["field"]: c["values"] for c in self.report["environment"]["changed"]}
        self.assertEqual(list(changed), ["image"])
        self.assertEqual([(v["value"], v["commit"]["id"], v["runs"]) for v in changed["image"]],
                         [("pytorch:24.01", self.week.ids[1], 4), ("pytorch:24.03", self.week.ids[4], 2)])

    def test_file_churn_most_changed_first(self):
        churn = [(c["path"], c["commits"]) for c in self.report["churn"]]
        self.assertEqual(churn[:2], [("train.py", 3), ("model.safetensors", 2)])
        self.assertEqual(sorted(churn[2:]), [("README.md", 1), ("config.yaml", 1)])

    def test_markdown_has_every_section_and_the_numbers(self):
        md = self.week.gm("report", *PERIOD, check=0).stdout
        for heading in ("## Summary", "## Features", "## Architecture changes", "## Hyperparameter changes",
                        "## Performance", "## Environment", "## File churn"):
            self.assertIn(heading, md)
        self.assertIn("lr: 0.01 -> 0.001", md)
        self.assertIn("0.8 -> 0.78", md)
        self.assertIn("28 -> 48", md)
        self.assertIn(self.short(2), md)
        self.assertNotIn("initial model", md)

    def test_html_renders_in_headless_chromium_without_network(self):
        out = Path(self.tmp.name) / "report.html"
        r = self.week.gm("report", *PERIOD, "-o", str(out), check=0)
        self.assertIn("wrote", r.stderr)
        html = out.read_text()
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertIsNone(re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html))
        self.assertNotIn("<script", html)
        dom = chromium_support.dump_dom(out)
        for section in ("summary", "features", "architecture", "hyperparams", "performance", "environment", "churn"):
            self.assertRegex(dom, f'id="{section}"')
        charts = re.findall(r'<svg[^>]*class="metric-chart"[^>]*data-metric="([^"]+)"', dom)
        self.assertEqual(sorted(charts), ["loss", "val_acc"])
        acc_chart = dom[dom.index('data-metric="val_acc"'):]
        acc_chart = acc_chart[:acc_chart.index("</svg>")]
        self.assertEqual(acc_chart.count("<circle"), 5)
        png = Path(ARGS.artifacts) / "report.png"
        png.parent.mkdir(parents=True, exist_ok=True)
        chromium_support.screenshot(out, png)
        shutil.copy(out, png.with_suffix(".html"))
        summary = chromium_support.png_summary(png, colors=True)
        self.assertEqual((summary["width"], summary["height"]), (1200, 2400))
        self.assertGreater(summary["non_white"], 20_000)  # text, tables and two charts drew
        self.assertGreater(len(summary["colors"]), 20)

    def test_json_to_a_file_and_errors(self):
        out = Path(self.tmp.name) / "week.json"
        self.week.gm("report", *PERIOD, "-o", str(out), check=0)
        self.assertEqual(json.loads(out.read_text())["summary"]["commits"], 5)
        self.assertOneLineError(self.week.gm("report", "--format", "pdf"), "--format", "pdf")
        self.assertOneLineError(self.week.gm("report", "--since", "2026-11-20", "--until", "2026-11-10"), "--since")
        self.assertOneLineError(self.week.gm("report", "nope..HEAD"), "nope")
        empty = json.loads(self.week.gm("report", "--since", "2030-01-01", "--format", "json", check=0).stdout)
        self.assertEqual((empty["summary"]["commits"], empty["performance"], empty["churn"]), (0, [], []))
        self.assertIn("No commits in this period.", self.week.gm("report", "--since", "2030-01-01", check=0).stdout)

    def test_whole_history_by_default(self):
        full = json.loads(self.week.gm("report", "--format", "json", check=0).stdout)
        self.assertEqual(full["summary"]["commits"], 6)
        self.assertEqual(len(full["hyperparams"]), 3)  # lr and batch added at the first commit, then lr changed
        first = [a for a in full["architecture"] if a["commit"]["id"] == self.week.ids[0]]
        self.assertEqual(first[0]["previous_commit"], None)
        self.assertEqual(first[0]["parameters"]["after"], 28)


if __name__ == "__main__":
    ARGS, rest = parse_git_model_args("--artifacts")
    run_tests(rest)
