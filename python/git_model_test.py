"""Tests of git_model.py: /usr/bin/python3 python/git_model_test.py

The stamp test against the real binary runs when git-model is on PATH or GIT_MODEL_EXE names it
(e.g. GIT_MODEL_EXE=build/git-model); it is skipped otherwise.
"""

import decimal
import fractions
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import textwrap
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import git_model  # noqa: E402

NOW = 1700000000.25


class Scalar:
    """Like a torch or numpy scalar: .item() gives the Python number."""

    def __init__(self, value):
        self.value = value

    def item(self):
        return self.value


class FloatLike:
    def __float__(self):
        return 0.75


class TempMetricsFile(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="git_model_test")
        self.path = os.path.join(self.dir, "metrics.jsonl")
        patcher = mock.patch.dict(os.environ, {git_model.METRICS_ENV: self.path})
        patcher.start()
        self.addCleanup(patcher.stop)
        self.addCleanup(shutil.rmtree, self.dir)

    def lines(self):
        with open(self.path, "rb") as f:
            return f.read().decode("utf-8").splitlines(keepends=True)


class LogTest(TempMetricsFile):
    def log(self, *args, **kwargs):
        with mock.patch.object(git_model.time, "time", return_value=NOW):
            git_model.log(*args, **kwargs)

    def test_writes_one_json_line_per_call(self):
        self.log(step=3, loss=0.5, acc=1)
        self.log(7, **{"val/acc": 0.125, "\u635f\u5931": 2e-05})
        self.log()
        self.assertEqual(self.lines(), [
            '{"step": 3, "loss": 0.5, "acc": 1, "time": 1700000000.25}\n',
            '{"step": 7, "val/acc": 0.125, "\u635f\u5931": 2e-05, "time": 1700000000.25}\n',
            '{"time": 1700000000.25}\n',
        ])

    def test_non_finite_values_are_strings(self):
        self.log(step=0, a=float("nan"), b=float("inf"), c=float("-inf"), d=Scalar(float("nan")))
        self.assertEqual(self.lines(), [
            '{"step": 0, "a": "NaN", "b": "Infinity", "c": "-Infinity", "d": "NaN", "time": 1700000000.25}\n'])

    def test_scalars_and_float_likes(self):
        self.log(step=Scalar(2).item(), a=Scalar(2.5), b=Scalar(4), c=FloatLike(), d=decimal.Decimal("0.1"),
                 e=fractions.Fraction(1, 4), f=True + 1)
        self.assertEqual(json.loads(self.lines()[0]),
                         {"step": 2, "a": 2.5, "b": 4, "c": 0.75, "d": 0.1, "e": 0.25, "f": 2, "time": NOW})

    def test_step_accepts_integer_like_objects(self):
        class Index:
            def __index__(self):
                return 11
        self.log(step=Index(), x=1)
        self.log(step=2 ** 53, x=1)
        self.assertEqual([json.loads(line)["step"] for line in self.lines()], [11, 2 ** 53])

    def test_non_numeric_values_raise_type_error_naming_the_key(self):
        for value in ["0.5", b"1", None, True, [1.0], {"a": 1}, complex(1, 2), Scalar(False), Scalar("x"), object()]:
            with self.subTest(value=value):
                with self.assertRaisesRegex(TypeError, "metric 'loss'"):
                    self.log(step=1, loss=value)
        self.assertFalse(os.path.exists(self.path))  # nothing written

    def test_bad_steps(self):
        for step in ["3", 1.5, 3.0, True, [1]]:
            with self.subTest(step=step):
                with self.assertRaisesRegex(TypeError, "step must be an integer"):
                    self.log(step=step, x=1)
        for step in [-1, 2 ** 53 + 1]:
            with self.subTest(step=step):
                with self.assertRaisesRegex(ValueError, "step must be from 0 to 2\\*\\*53"):
                    self.log(step=step, x=1)

    def test_bad_keys(self):
        cases = {"time": "reserved", "": "non-empty", "a\x01": "control", "a\x85": "control",
                 "k" * 257: "longer than 256", "\ud800": "not valid Unicode"}
        for key, message in cases.items():
            with self.subTest(key=key):
                with self.assertRaisesRegex(ValueError, message):
                    self.log(**{key: 1})
        self.log(**{"k" * 256: 1, "\u00e9" * 128: 2})  # 256 bytes each: allowed
        self.assertEqual(len(self.lines()), 1)

    def test_protocol_limits(self):
        with self.assertRaisesRegex(ValueError, "more than 1022 metrics"):
            self.log(**{"k%d" % i: i for i in range(1023)})
        self.log(**{"k%d" % i: i for i in range(1022)})
        with self.assertRaisesRegex(ValueError, "longer than 65536 bytes"):
            self.log(**{("k%d-" % i).ljust(200, "x"): 1.0 for i in range(400)})
        self.assertEqual(len(self.lines()), 1)

    def test_unset_variable_is_a_no_op(self):
        for unset in ({}, {git_model.METRICS_ENV: ""}):
            with self.subTest(env=unset), mock.patch.dict(os.environ, unset):
                if not unset:
                    del os.environ[git_model.METRICS_ENV]
                self.assertIsNone(git_model.log(step=-5, loss="not checked"))
        self.assertFalse(os.path.exists(self.path))

    def test_concurrent_processes_never_interleave(self):
        writer = textwrap.dedent("""
            import sys
            sys.path.insert(0, sys.argv[1])
            import git_model
            rank = int(sys.argv[2])
            metrics = {"rank": rank}
            metrics.update({"m%03d" % i: i + 0.5 for i in range(100)})  # ~1.5 KB lines
            for step in range(2000):
                git_model.log(step=step, **metrics)
        """)
        procs = [subprocess.Popen([sys.executable, "-c", writer, HERE, str(rank)]) for rank in range(4)]
        self.assertEqual([p.wait() for p in procs], [0, 0, 0, 0])
        lines = self.lines()
        self.assertEqual(len(lines), 8000)
        steps = {rank: [] for rank in range(4)}
        for line in lines:
            self.assertTrue(line.endswith("}\n"), line[:80])
            record = json.loads(line)
            self.assertEqual(len(record), 103)
            steps[record["rank"]].append(record["step"])
        for rank in range(4):
            self.assertEqual(steps[rank], list(range(2000)))


class RunIdTest(unittest.TestCase):
    def test_run_id(self):
        with mock.patch.dict(os.environ, {git_model.RUN_ID_ENV: "20261129-abc"}):
            self.assertEqual(git_model.run_id(), "20261129-abc")
            del os.environ[git_model.RUN_ID_ENV]
            self.assertIsNone(git_model.run_id())


class StampTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="git_model_test")
        self.addCleanup(shutil.rmtree, self.dir)

    def fake_git_model(self, exit_code=0):
        """A git-model on PATH that records its arguments and GIT_MODEL_RUN_ID."""
        bin_dir = os.path.join(self.dir, "bin")
        os.mkdir(bin_dir)
        script = os.path.join(bin_dir, "git-model")
        with open(script, "w") as f:
            f.write("#!/bin/sh\nprintf '%%s\\n' \"$GIT_MODEL_RUN_ID\" \"$@\" > '%s/args'\nexit %d\n"
                    % (self.dir, exit_code))
        os.chmod(script, 0o755)
        return mock.patch.dict(os.environ, {"PATH": bin_dir, git_model.RUN_ID_ENV: "r1"})

    def test_passes_path_configs_and_params(self):
        with self.fake_git_model():
            result = git_model.stamp("ckpt.pt", config="train.yaml",
                                     params={"lr": 0.001, "amp": True, "resume": None, "layers": [64, 128],
                                             "name": "resnet", "epochs": 10, "patience": float("inf")})
        self.assertIsNone(result)
        with open(os.path.join(self.dir, "args")) as f:
            self.assertEqual(f.read().splitlines(), [
                "r1", "stamp", "--config=train.yaml", "--param=lr=0.001", "--param=amp=true",
                "--param=resume=null", "--param=layers=[64, 128]", "--param=name=resnet", "--param=epochs=10",
                "--param=patience=inf", "--", "ckpt.pt"])

    def test_several_configs_and_no_params(self):
        with self.fake_git_model():
            git_model.stamp("-odd.pt", config=["a.yaml", "b.toml"])
        with open(os.path.join(self.dir, "args")) as f:
            self.assertEqual(f.read().splitlines(), ["r1", "stamp", "--config=a.yaml", "--config=b.toml", "--", "-odd.pt"])

    def test_failure_raises(self):
        with self.fake_git_model(exit_code=2):
            with self.assertRaises(subprocess.CalledProcessError):
                git_model.stamp("ckpt.pt")

    def test_missing_git_model(self):
        with mock.patch.dict(os.environ, {"PATH": self.dir}):
            with self.assertRaisesRegex(FileNotFoundError, "git-model is not installed"):
                git_model.stamp("ckpt.pt")

    def test_bad_params(self):
        with self.fake_git_model():
            with self.assertRaisesRegex(ValueError, "without '='"):
                git_model.stamp("ckpt.pt", params={"a=b": 1})
            with self.assertRaisesRegex(TypeError, "parameter 'opt'"):
                git_model.stamp("ckpt.pt", params={"opt": {"lr": 1}})
            with self.assertRaisesRegex(ValueError, "NaN or infinity"):
                git_model.stamp("ckpt.pt", params={"xs": [float("nan")]})

    def test_real_git_model(self):
        exe = os.environ.get("GIT_MODEL_EXE") or shutil.which("git-model")
        if not exe:
            self.skipTest("git-model not built (set GIT_MODEL_EXE)")
        exe = os.path.abspath(exe)
        bin_dir = os.path.join(self.dir, "bin")
        os.mkdir(bin_dir)
        os.symlink(exe, os.path.join(bin_dir, "git-model"))
        header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
        ckpt = os.path.join(self.dir, "m.safetensors")
        with open(ckpt, "wb") as f:
            f.write(struct.pack("<Q", len(header)) + header + bytes(8))
        config = os.path.join(self.dir, "train.yaml")
        with open(config, "w") as f:
            f.write("lr: 0.1\n")
        env = {"PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "HOME": self.dir,
               "GIT_CEILING_DIRECTORIES": os.path.dirname(self.dir)}
        # Outside any repository (stamp would record and index the current one).
        cwd = os.getcwd()
        os.chdir(self.dir)
        try:
            with mock.patch.dict(os.environ, env):
                git_model.stamp(ckpt, config=config, params={"seed": 7, "tags": ["a", "b"], "amp": False})
                shown = subprocess.run([exe, "show", "--json", ckpt], check=True, stdout=subprocess.PIPE).stdout
        finally:
            os.chdir(cwd)
        record = json.loads(shown)["record"]
        self.assertEqual(record["git"], {"in_repo": False})
        hyperparams = record["hyperparams"]
        self.assertEqual(hyperparams, {"lr": 0.1, "seed": 7, "tags": ["a", "b"], "amp": False})


if __name__ == "__main__":
    unittest.main()
