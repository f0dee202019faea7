"""What the end-to-end tests share: the --git-model argument, the hermetic environment every
temp repository runs in, and the check of git-model's one-line error form."""

import argparse
import os
import sys
import unittest
from pathlib import Path


def parse_git_model_args(*required):
    """(args, rest): args.git_model made absolute, plus each of `required` ("--corpus", ...);
    rest goes on to unittest."""
    parser = argparse.ArgumentParser()
    for option in ("--git-model", *required):
        parser.add_argument(option, required=True)
    args, rest = parser.parse_known_args()
    args.git_model = os.path.abspath(args.git_model)
    return args, rest


def run_tests(rest):
    """Runs the calling module's tests; exits 0 when all pass, 1 otherwise."""
    program = unittest.main(module="__main__", argv=[sys.argv[0], *rest], verbosity=2, exit=False)
    sys.exit(0 if program.result.wasSuccessful() else 1)


def hermetic_env(home, tmp, git_model):
    """No user or system git config, a fixed author, the build's git-model first on PATH."""
    return {
        "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "TMPDIR": str(tmp),
        "PATH": str(Path(git_model).parent) + os.pathsep + os.environ["PATH"], "LC_ALL": "C.UTF-8",
        "GIT_PAGER": "cat", "GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.com",
    }


def workspace(root, git_model):
    """(work, env) under ROOT: an empty work directory ROOT/work, a HOME of its own (ROOT/home),
    ROOT as TMPDIR, and hermetic_env's settings with TZ=UTC (dates in output are then fixed)."""
    root = Path(root)
    (root / "work").mkdir()
    (root / "home").mkdir()
    return root / "work", dict(hermetic_env(root / "home", root, git_model), TZ="UTC")


class OneLineErrors:
    """A unittest.TestCase mixin for git-model's error contract: exit 2, nothing on stdout, one
    line on stderr starting 'git-model: ' and naming every needle."""

    def assertOneLineError(self, r, *needles):
        self.assertEqual(r.returncode, 2, (r.stdout, r.stderr))
        self.assertEqual(r.stdout, "")
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("git-model: "), lines[0])
        for needle in needles:
            self.assertIn(needle, lines[0])
