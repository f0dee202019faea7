"""git_model: metrics and stamps for runs recorded by `git model run`. Standard library only
(Python 3.7+); copy this file next to a training script or put its folder on PYTHONPATH.

    import git_model
    for step, batch in enumerate(loader):
        loss = train_step(batch)
        git_model.log(step=step, loss=loss, lr=scheduler.get_last_lr()[0])
    git_model.log(**{"val/acc": accuracy})    # keys that are not Python names
    torch.save(model.state_dict(), "ckpt.pt")
    git_model.stamp("ckpt.pt", config="train.yaml", params={"seed": 1})

Outside `git model run` (GIT_MODEL_METRICS unset) `log` does nothing, so a script runs unchanged.

The metrics protocol
--------------------
`git model run` names a file in the environment variable GIT_MODEL_METRICS (and the run's id in
GIT_MODEL_RUN_ID). The child process appends lines to it; each line is one JSON object:

    {"step": 120, "loss": 0.4132, "lr": 0.0003, "time": 1732871437.52}

- "step" (optional): an integer from 0 to 2**53. git-model also accepts a float with an integral
  value (3.0); anything else leaves the line's metrics without a step (with a warning).
- "time" (optional): unix seconds when the values were logged, a finite number. Not a metric.
- Every other key is a metric whose value is a JSON number. Non-finite values are written as the
  strings "NaN", "Infinity", "-Infinity" (what `log` writes) or as the barewords NaN, Infinity,
  -Infinity (what json.dumps writes by default); git-model reads both. A metric whose value is
  not a number (another string, true/false, null, an array, an object) is skipped with a warning
  that names the line number and the key; the other metrics of the line are kept.
- A line that is not a JSON object is skipped with a warning; blank lines are ignored.
- Limits (a line breaking one is skipped with a warning): 65536 bytes per line (without the
  newline), 1024 keys per line, keys of 1 to 256 bytes of UTF-8 without control characters.
- A last line without its newline is read when the child has exited; a line cut in the middle
  is skipped with a warning.

Any language can write the file. Write each line with one write(2) on a file descriptor opened
with O_APPEND, as `log` does: then lines from several processes (DataLoader workers, ranks of a
distributed job) never interleave on a local file system. (NFS does not keep O_APPEND atomic.)
"""

import json
import math
import operator
import os
import shutil
import subprocess
import time

__all__ = ["log", "stamp", "run_id"]

METRICS_ENV = "GIT_MODEL_METRICS"
RUN_ID_ENV = "GIT_MODEL_RUN_ID"
MAX_LINE_BYTES = 64 * 1024
MAX_KEYS = 1024
MAX_KEY_BYTES = 256
MAX_STEP = 2 ** 53
RESERVED_KEYS = ("step", "time")


def log(step=None, **metrics):
    """Appends one line {"step": step, <metrics>, "time": time.time()} to $GIT_MODEL_METRICS.

    step: None (no step) or an integer from 0 to 2**53 (int, numpy or torch integer scalars).
    metrics: name=value; a value is an int or float, or anything with .item() (torch and numpy
    scalars, one-element tensors) or __float__ (Decimal, Fraction). NaN and infinities are
    written as "NaN", "Infinity", "-Infinity".

    Does nothing, without looking at the arguments, when GIT_MODEL_METRICS is unset or empty.
    Raises TypeError for a value that is not a number (bool included) or a step that is not an
    integer, ValueError for a reserved, empty, too long or control-character key, a step out of
    range or a line over the protocol's limits, and OSError when the file cannot be written.
    """
    path = os.environ.get(METRICS_ENV)
    if not path:
        return
    _append(path, _metrics_line(step, metrics, time.time()))


def _metrics_line(step, metrics, now):
    """The bytes `log` writes (one JSON object and a newline); `metrics` is a dict."""
    if len(metrics) + 2 > MAX_KEYS:
        raise ValueError("git_model.log: more than %d metrics in one line" % (MAX_KEYS - 2))
    record = {}
    if step is not None:
        record["step"] = _step(step)
    for key, value in metrics.items():
        _check_key(key)
        record[key] = _number(key, value)
    record["time"] = now
    text = json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n"
    data = text.encode("utf-8")
    if len(data) - 1 > MAX_LINE_BYTES:
        raise ValueError("git_model.log: the line is longer than %d bytes" % MAX_LINE_BYTES)
    return data


def _step(step):
    if isinstance(step, bool):
        raise TypeError("git_model.log: step must be an integer, not bool")
    try:
        value = operator.index(step)
    except TypeError:
        raise TypeError("git_model.log: step must be an integer, not %s" % type(step).__name__) from None
    if not 0 <= value <= MAX_STEP:
        raise ValueError("git_model.log: step must be from 0 to 2**53, not %d" % value)
    return value


def _check_key(key):
    if not isinstance(key, str) or not key:
        raise ValueError("git_model.log: metric names must be non-empty strings, not %r" % (key,))
    if key in RESERVED_KEYS:
        raise ValueError("git_model.log: %r is reserved; it cannot name a metric" % key)
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        raise ValueError("git_model.log: metric name %r is not valid Unicode text" % key) from None
    if size > MAX_KEY_BYTES:
        raise ValueError("git_model.log: metric name %r is longer than %d bytes" % (key, MAX_KEY_BYTES))
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in key):
        raise ValueError("git_model.log: metric name %r contains control characters" % key)


def _number(key, value):
    """`value` as an int or float for JSON, non-finite floats as the protocol's strings."""
    kind = type(value).__name__
    item = getattr(value, "item", None)
    if not isinstance(value, (int, float)) and callable(item):
        try:
            value = item()
        except (TypeError, ValueError, RuntimeError) as error:
            raise TypeError("git_model.log: metric %r: %s.item() failed: %s" % (key, kind, error)) from None
    if isinstance(value, bool):
        raise TypeError("git_model.log: metric %r must be a number, not bool" % key)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) or (hasattr(type(value), "__float__") and not isinstance(value, (str, bytes))):
        try:
            return _finite_or_text(float(value))
        except (TypeError, ValueError, OverflowError):
            pass
    raise TypeError("git_model.log: metric %r must be a number, not %s" % (key, kind))


def _finite_or_text(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _append(path, data):
    # One write on an O_APPEND descriptor: the kernel appends it whole, so concurrent writers'
    # lines never interleave.
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o666)
    try:
        written = os.write(fd, data)
    finally:
        os.close(fd)
    if written != len(data):
        raise OSError("git_model.log: short write to %s (%d of %d bytes)" % (path, written, len(data)))


def stamp(path, config=None, params=None):
    """Runs `git model stamp PATH [--config F]... [--param k=v]...`; returns nothing.

    config: None, a path, or a list of paths. params: a dict; values are bool, None, int, float,
    str, or a list/tuple of those (git-model types a str value as the command line does: "12"
    becomes an integer). Under `git model run`, GIT_MODEL_RUN_ID reaches git-model through the
    environment. Raises FileNotFoundError when git-model is not installed, ValueError or
    TypeError for a parameter it cannot pass, and subprocess.CalledProcessError when stamping
    fails (git-model's message is on stderr).
    """
    exe = shutil.which("git-model")
    if exe is None:
        raise FileNotFoundError("git_model.stamp: git-model is not installed (no git-model on PATH)")
    args = [exe, "stamp"]
    args += ["--config=" + os.fspath(c) for c in _paths(config)]
    args += ["--param=%s=%s" % (_param_key(k), _param_text(k, v)) for k, v in (params or {}).items()]
    subprocess.run(args + ["--", os.fspath(path)], check=True)


def run_id():
    """The id of the `git model run` this process belongs to, or None outside one."""
    return os.environ.get(RUN_ID_ENV)


def _paths(config):
    if config is None:
        return []
    if isinstance(config, (str, bytes, os.PathLike)):
        return [config]
    return list(config)


def _param_key(key):
    if not isinstance(key, str) or not key or "=" in key:
        raise ValueError("git_model.stamp: parameter names must be non-empty strings without '=', not %r" % (key,))
    return key


def _param_text(key, value):
    """`value` as `git model stamp --param` types it back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))  # nan, inf and -inf are what --param reads as floats
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(v is None or isinstance(v, (bool, int, float, str)) for v in value):
        try:
            return json.dumps(list(value), allow_nan=False)
        except ValueError:
            raise ValueError("git_model.stamp: parameter %r holds NaN or infinity in a list" % key) from None
    raise TypeError("git_model.stamp: parameter %r must be a bool, None, number, str or list of those, not %s"
                    % (key, type(value).__name__))
