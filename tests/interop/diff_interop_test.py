#!/usr/bin/python3
"""Interop test: `git-model diff --json` against the same statistics computed by torch in float64.

    diff_interop_test.py --git-model BIN [--work DIR]

With Debian's torch 1.13, writes pairs of checkpoints (A, B) into DIR (default: a temporary
folder, removed afterwards):
  training   torch.save zip {"model": state_dict, "optimizer": Adam state_dict, "epoch", "config"}:
             float32/16/64, bfloat16, int64/32/16/8, uint8, bool, a 0-dim and an empty tensor,
             zeros (rel and cosine edge cases), -0.0 vs +0.0, NaN and infinities, transposed
             views saved as views, a slice at a storage offset, a reshaped, an added and a
             removed tensor, float32 -> float16, and tensors over the 16 MiB split size (float32,
             bfloat16, float32 -> float16, a transposed view) that git-model spreads over threads;
             B is one more Adam step, epoch 3 -> 5, lr and config changed
  legacy     the same kinds of tensors through torch.save(_use_new_zipfile_serialization=False)
  safetensors  written byte by byte (scripts/fixture_writers.py): every integer and float dtype,
             bool, reshaped/added/removed/retyped tensors and a 5M-element float32 tensor
For every tensor, torch computes in float64 (D = B - A): l2, rel, max_abs, mean_abs, cosine,
norm_a, norm_b (relative tolerance 1e-6, absolute floor 1e-12; non-finite must be null), numel,
differ, not_close (exact), allclose, status and differs. Also checked: the order of the tensor
list (A's order, then B's added tensors), the summary, the module roll-up, the content diff,
--atol/--rtol against torch.isclose (the counts must change between settings), and --exit-code
(1 for differences beyond tolerance or in content, 0 for identical files and changes within
tolerance, 0 without the flag).
Prints one line per check (PASS/FAIL, details under failures) and exits 1 if any failed.
"""

import argparse
import copy
import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

import torch
from torch import nn

kRepo = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(kRepo / "scripts"))
sys.path.insert(0, str(kRepo / "tests" / "interop"))
import fixture_writers  # noqa: E402
import torch_reference  # noqa: E402

kRelTol = 1e-6
kAbsFloor = 1e-12
kFloatStats = ("frac_differ", "l2", "rel", "max_abs", "mean_abs", "cosine", "norm_a", "norm_b")
kExactStats = ("numel", "differ")                   # not_close depends on the tolerance
kDefaultTolerance = (1e-8, 1e-5)                    # (atol, rtol), torch.allclose's defaults
kOtherTolerances = ((1e-3, 0.0), (0.0, 1e-3), (2.0, 0.0))
kBig = 5_000_011                                # float32 elements: 20 MB, over the 16 MiB split
kBigBf16 = 8_600_005                            # bfloat16 elements: 17.2 MB (odd: a short last piece)
kModuleDepth = 2
kTimeout = 120
kSafetensorsCodes = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16",
                     torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32",
                     torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


class Pair(NamedTuple):
    title: str
    a: Path
    b: Path
    tensors_a: dict   # name -> tensor, in the file's order
    tensors_b: dict
    content: list     # expected content changes: (path, a text or None, b text or None)


class Failed(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Checkpoint pairs.
# ---------------------------------------------------------------------------------------------

def perturb(t, gen, fraction=0.5):
    """t plus noise of mixed magnitudes (1e-8 .. 1e-1 relative) on about `fraction` of the
    elements, so that each tolerance setting finds a different number of values not close."""
    flat = t.detach().double().reshape(-1)
    scale = 10.0 ** -torch.randint(1, 9, flat.shape, generator=gen).double()
    noise = torch.randn(flat.shape, generator=gen, dtype=torch.float64) * scale * (flat.abs() + 1e-3)
    mask = torch.rand(flat.shape, generator=gen) < fraction
    return (flat + noise * mask).to(t.dtype).reshape(t.shape)


def int_perturb(t, gen, low, high):
    """Integers: some elements moved by -3..3, kept in [low, high]."""
    step = torch.randint(-3, 4, t.shape, generator=gen) * (torch.rand(t.shape, generator=gen) < 0.3)
    return (t.to(torch.int64) + step).clamp(low, high).to(t.dtype)


def dtype_tensors(gen):
    """(name, A, B) for every dtype and edge case both pickled formats share."""
    base = torch.randn(6, 5, generator=gen)
    storage = torch.randn(40, generator=gen)
    f16 = torch.randn(33, generator=gen).half()
    bf16 = torch.randn(33, generator=gen).bfloat16()
    f64 = torch.randn(4, 4, generator=gen, dtype=torch.float64)
    i64 = torch.randint(-1000, 1000, (50,), generator=gen)
    i32 = torch.randint(-1000, 1000, (7, 3), generator=gen, dtype=torch.int32)
    i16 = torch.randint(-1000, 1000, (20,), generator=gen, dtype=torch.int16)
    i8 = torch.randint(-128, 128, (64,), generator=gen, dtype=torch.int8)
    u8 = torch.randint(0, 256, (64,), generator=gen, dtype=torch.uint8)
    flags = torch.rand(30, generator=gen) < 0.5
    same_t = torch.randn(3, 7, generator=gen)
    nonfinite = torch.tensor([1.0, math.nan, math.inf, -math.inf, 2.0])
    return [
        ("float32", base, perturb(base, gen)),
        ("float32_same", base * 2, base * 2),
        ("float16", f16, perturb(f16, gen)),
        ("bfloat16", bf16, perturb(bf16, gen)),
        ("float64", f64, perturb(f64, gen)),
        ("int64", i64, int_perturb(i64, gen, -2**40, 2**40)),
        ("int64_same", i64 * 7, i64 * 7),
        ("int32", i32, int_perturb(i32, gen, -2**31, 2**31 - 1)),
        ("int16", i16, int_perturb(i16, gen, -2**15, 2**15 - 1)),
        ("int8", i8, int_perturb(i8, gen, -128, 127)),
        ("uint8", u8, int_perturb(u8, gen, 0, 255)),
        ("bool", flags, flags ^ (torch.rand(30, generator=gen) < 0.2)),
        ("transposed", base.t(), perturb(base, gen).t()),                 # views, strides (1, 5)
        ("transposed_same", same_t.t(), same_t.t().contiguous()),         # same logical bytes
        ("slice", storage[10:30].view(4, 5), perturb(storage, gen)[10:30].view(4, 5)),
        ("retyped", base[0].clone(), base[0].clone().half()),             # float32 -> float16
        ("scalar", torch.tensor(3.0), torch.tensor(4.5)),
        ("empty", torch.zeros(0, 4), torch.zeros(0, 4)),
        ("zeros", torch.zeros(8), torch.zeros(8)),                       # rel 0, cosine null
        ("zeros_to_ones", torch.zeros(8), torch.ones(8)),                # rel inf (null)
        ("ones_to_zeros", torch.ones(8), torch.zeros(8)),                # rel 1, cosine null
        ("signed_zero", torch.tensor([0.0, -0.0, 1.0]), torch.tensor([-0.0, 0.0, 1.0])),
        ("nonfinite", nonfinite, torch.tensor([1.0, math.nan, math.inf, 5.0, 2.5])),
        ("reshaped", torch.randn(4, 5, generator=gen), torch.randn(5, 4, generator=gen)),
    ]


def big_tensors(gen):
    """Tensors over the split size: git-model compares them in pieces on several threads."""
    f32 = torch.randn(kBig, generator=gen)
    bf = torch.randn(kBigBf16, generator=gen).bfloat16()
    retyped = torch.randn(kBig, generator=gen)
    mat = torch.randn(2048, 2560, generator=gen)
    return [
        ("big_float32", f32, perturb(f32, gen, fraction=0.01)),
        ("big_bfloat16", bf, perturb(bf, gen, fraction=0.2)),
        ("big_retyped", retyped, retyped.half()),
        ("big_transposed", mat.t(), perturb(mat, gen, fraction=0.05).t()),
    ]


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def train_steps(net, opt, gen, steps):
    for _ in range(steps):
        opt.zero_grad()
        net(torch.randn(32, 8, generator=gen)).pow(2).mean().backward()
        opt.step()


def snapshot(net, opt):
    return {k: v.detach().clone() for k, v in net.state_dict().items()}, copy.deepcopy(opt.state_dict())


def training_pair(work, gen):
    torch.manual_seed(0)
    net = TinyNet()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    train_steps(net, opt, gen, 2)
    model_a, optim_a = snapshot(net, opt)
    for group in opt.param_groups:
        group["lr"] = 5e-4
    train_steps(net, opt, gen, 1)
    model_b, optim_b = snapshot(net, opt)
    for name, a, b in dtype_tensors(gen) + big_tensors(gen):
        model_a[name], model_b[name] = a, b
    model_a["old.weight"] = torch.randn(3, 3, generator=gen)              # removed module "model.old"
    model_b = insert_after(model_b, "fc2.bias", "head.weight", torch.randn(2, 4, generator=gen))
    ckpt_a = {"model": model_a, "optimizer": optim_a, "epoch": 3, "config": {"name": "run-a", "layers": 2}}
    ckpt_b = {"model": model_b, "optimizer": optim_b, "epoch": 5, "config": {"name": "run-b", "layers": 2},
              "note": "resumed"}
    content = [("config.name", "run-a", "run-b"), ("epoch", "3", "5"), ("note", None, "resumed"),
               ("optimizer.param_groups.0.lr", "0.001", "0.0005")]
    return save_pair("training (torch.save zip)", work, "train", ".pth", ckpt_a, ckpt_b, content, {})


def insert_after(d, key, new_key, value):
    out = {}
    for k, v in d.items():
        out[k] = v
        if k == key:
            out[new_key] = value
    return out


def legacy_pair(work, gen):
    a, b = {}, {}
    for name, ta, tb in dtype_tensors(gen):
        a[name], b[name] = ta, tb
    a["step"], b["step"] = 10, 11
    options = {"_use_new_zipfile_serialization": False}
    return save_pair("legacy torch.save", work, "legacy", ".pt", a, b, [("step", "10", "11")], options)


def save_pair(title, work, stem, suffix, obj_a, obj_b, content, options):
    path_a, path_b = work / (stem + "_a" + suffix), work / (stem + "_b" + suffix)
    torch.save(obj_a, path_a, **options)
    torch.save(obj_b, path_b, **options)
    return Pair(title, path_a, path_b, flatten(obj_a), flatten(obj_b), content)


def flatten(obj, path=()):
    """name -> tensor, names as git-model joins key paths, in pickle (insertion) order."""
    if isinstance(obj, torch.Tensor):
        return {".".join(path): obj}
    out = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flatten(v, path + (str(k),)))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            out.update(flatten(v, path + (str(i),)))
    return out


def safetensors_pair(work, gen):
    a, b = {}, {}
    for name, ta, tb in dtype_tensors(gen):
        if name in ("transposed", "slice", "transposed_same"):
            continue  # safetensors has no views
        a[name], b[name] = ta, tb
    a["big_float32"] = torch.randn(kBig, generator=gen)
    b["big_float32"] = perturb(a["big_float32"], gen, fraction=0.02)
    a["removed"] = torch.randn(5, generator=gen)
    b["added"] = torch.randint(0, 9, (3,), generator=gen)
    path_a, path_b = work / "st_a.safetensors", work / "st_b.safetensors"
    write_safetensors(path_a, a)
    write_safetensors(path_b, b)
    return Pair("safetensors", path_a, path_b, a, b, [])


def write_safetensors(path, tensors):
    fixture_writers.write_safetensors(
        path, [(name, kSafetensorsCodes[t.dtype], list(t.shape), torch_reference.logical_bytes(t))
               for name, t in tensors.items()], {"format": "pt"})


def small_pairs(work, gen):
    """Pairs for --exit-code: identical, within tolerance, content only."""
    w = torch.randn(100, generator=gen)
    within = (w.double() * (1 + 1e-6)).float()   # some bytes change, all within rtol 1e-5
    assert not torch.equal(w, within)
    files = {"same_a": {"w": w, "epoch": 1}, "same_b": {"w": w.clone(), "epoch": 1},
             "within_b": {"w": within, "epoch": 1}, "content_b": {"w": w.clone(), "epoch": 2}}
    paths = {}
    for stem, obj in files.items():
        paths[stem] = work / (stem + ".pth")
        torch.save(obj, paths[stem])
    return paths


# ---------------------------------------------------------------------------------------------
# The reference: torch in float64.
# ---------------------------------------------------------------------------------------------

def as_float64(t):
    return t.detach().reshape(-1).to(torch.float64)


def finite_or_none(v):
    return v if math.isfinite(v) else None


def reference_stats(ta, tb):
    """The tolerance-free statistics of B - A, as defined in git-model/diff/v1."""
    a, b = as_float64(ta), as_float64(tb)
    d = b - a
    n = a.numel()
    l2 = math.sqrt(float((d * d).sum()))
    norm_a, norm_b = math.sqrt(float((a * a).sum())), math.sqrt(float((b * b).sum()))
    if norm_a > 0:
        rel = l2 / norm_a
    else:
        rel = 0.0 if l2 == 0 else math.inf
    denominator = norm_a * norm_b
    differ = int((a != b).sum())
    return {"numel": n, "differ": differ, "frac_differ": differ / n if n else 0.0,
            "l2": l2, "rel": rel, "norm_a": norm_a, "norm_b": norm_b,
            "max_abs": float(d.abs().max()) if n else 0.0,
            "mean_abs": float(d.abs().sum()) / n if n else 0.0,
            "cosine": float((a * b).sum()) / denominator if denominator > 0 else math.nan}


def reference_not_close(ta, tb, atol, rtol):
    a, b = as_float64(ta), as_float64(tb)
    return int((~torch.isclose(b, a, rtol=rtol, atol=atol)).sum())


def reference_status(ta, tb):
    if ta is None:
        return "added"
    if tb is None:
        return "removed"
    if tuple(ta.shape) != tuple(tb.shape):
        return "shape-changed"
    if ta.dtype != tb.dtype:
        return "dtype-changed"
    same = torch_reference.logical_bytes(ta) == torch_reference.logical_bytes(tb)
    return "identical" if same else "changed"


class Reference:
    """Per-tensor expectations of one pair; statistics computed once, not_close per tolerance."""

    def __init__(self, pair):
        self.pair = pair
        self.names = list(pair.tensors_a) + [n for n in pair.tensors_b if n not in pair.tensors_a]
        self.status, self.stats = {}, {}
        for name in self.names:
            ta, tb = pair.tensors_a.get(name), pair.tensors_b.get(name)
            self.status[name] = reference_status(ta, tb)
            if self.status[name] in ("identical", "changed", "dtype-changed"):
                self.stats[name] = reference_stats(ta, tb)
        self._not_close = {}

    def not_close(self, name, tolerance):
        key = (name, tolerance)
        if key not in self._not_close:
            atol, rtol = tolerance
            self._not_close[key] = reference_not_close(self.pair.tensors_a[name], self.pair.tensors_b[name],
                                                       atol, rtol)
        return self._not_close[key]

    def differs(self, name, tolerance):
        status = self.status[name]
        if status == "identical":
            return False
        if status == "changed":
            return self.not_close(name, tolerance) > 0
        return True


# ---------------------------------------------------------------------------------------------
# Running git-model.
# ---------------------------------------------------------------------------------------------

def run(binary, args, expect_rc=0):
    cmd = [str(binary)] + [str(a) for a in args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=kTimeout)
    except subprocess.TimeoutExpired:
        raise Failed("`%s` timed out after %ds" % (" ".join(cmd), kTimeout))
    except OSError as e:  # e.g. the binary is being relinked right now
        raise Failed("`%s` could not run: %s" % (" ".join(cmd), e))
    if proc.returncode != expect_rc:
        raise Failed("`%s` exited %d, expected %d: %s" % (" ".join(cmd), proc.returncode, expect_rc,
                                                          proc.stderr.strip()[:300]))
    return proc.stdout


def diff_json(binary, pair, tolerance=None):
    args = ["diff", "--json"]
    if tolerance is not None:
        args += ["--atol", repr(tolerance[0]), "--rtol", repr(tolerance[1])]
    doc = json.loads(run(binary, args + [pair.a, pair.b]))
    if doc.get("schema") != "git-model/diff/v1":
        raise Failed("schema is %r" % doc.get("schema"))
    return doc


def inspect_names(binary, path):
    return [t["name"] for t in json.loads(run(binary, ["inspect", "--json", path]))["tensors"]]


# ---------------------------------------------------------------------------------------------
# Comparison.
# ---------------------------------------------------------------------------------------------

def float_problem(field, ours, want):
    if want is None or not math.isfinite(want):
        return None if ours is None else "%s is %r, torch gives %r (expected null)" % (field, ours, want)
    if ours is None or abs(ours - want) > max(kRelTol * abs(want), kAbsFloor):
        return "%s is %r, torch gives %r" % (field, ours, want)
    return None


def side_of(t):
    if t is None:
        return None
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "numel": t.numel()}


def section_of(name):
    return "optimizer" if "optim" in name.split(".")[0].lower() else "model"


def tensor_problems(ref, entry, tolerance):
    name = entry["name"]
    problems = []
    want_status = ref.status[name]
    if entry.get("status") != want_status:
        problems.append("status is %r, expected %r" % (entry.get("status"), want_status))
    for side, tensors in (("a", ref.pair.tensors_a), ("b", ref.pair.tensors_b)):
        if entry.get(side) != side_of(tensors.get(name)):
            problems.append("%s is %s, torch says %s" % (side, entry.get(side), side_of(tensors.get(name))))
    if entry.get("section") != section_of(name):
        problems.append("section is %r" % entry.get("section"))
    if "error" in entry:
        problems.append("error: %s" % entry["error"])
    problems += stats_problems(ref, name, entry.get("stats"), tolerance)
    if entry.get("differs") != ref.differs(name, tolerance):
        problems.append("differs is %r, expected %r" % (entry.get("differs"), ref.differs(name, tolerance)))
    return ["%s: %s" % (name, p) for p in problems]


def stats_problems(ref, name, stats, tolerance):
    want = ref.stats.get(name)
    if want is None:
        return [] if stats is None else ["stats present for a %s tensor" % ref.status[name]]
    if stats is None:
        return ["no stats"]
    problems = []
    for field in kExactStats:
        if stats.get(field) != want[field]:
            problems.append("%s is %r, torch gives %r" % (field, stats.get(field), want[field]))
    not_close = ref.not_close(name, tolerance)
    if stats.get("not_close") != not_close or stats.get("allclose") != (not_close == 0):
        problems.append("not_close/allclose are %r/%r, torch.isclose gives %d"
                        % (stats.get("not_close"), stats.get("allclose"), not_close))
    for field in kFloatStats:
        problem = float_problem(field, stats.get(field), want[field])
        if problem:
            problems.append(problem)
    return problems


def check_tensors(binary, ref, doc, tolerance):
    problems = []
    entries = doc.get("tensors", [])
    want_order = inspect_names(binary, ref.pair.a)
    names_b = inspect_names(binary, ref.pair.b)
    want_order += [n for n in names_b if n not in set(want_order)]
    got_order = [e.get("name") for e in entries]
    if got_order != want_order:
        problems.append("tensor order %s, expected A's order then B's added: %s" % (got_order, want_order))
    if sorted(got_order) != sorted(ref.names):
        problems.append("tensors %s, torch has %s" % (sorted(got_order), sorted(ref.names)))
    for entry in entries:
        if entry.get("name") in ref.status:
            problems += tensor_problems(ref, entry, tolerance)
    return problems


def module_key(name, depth):
    parent = name.rpartition(".")[0]
    return ".".join(parent.split(".")[:depth]) if parent else ""


def reference_modules(ref):
    modules = {}
    for name in ref.names:
        key = (section_of(name) == "optimizer", module_key(name, kModuleDepth))
        m = modules.setdefault(key, {"tensors": 0, "changed": 0, "added": 0, "removed": 0,
                                     "params_a": 0, "params_b": 0, "compared": 0, "sq_diff": 0.0,
                                     "sq_a": 0.0})
        status = ref.status[name]
        m["tensors"] += 1
        m["changed"] += status != "identical"
        m["added"] += status == "added"
        m["removed"] += status == "removed"
        m["params_a"] += ref.pair.tensors_a[name].numel() if name in ref.pair.tensors_a else 0
        m["params_b"] += ref.pair.tensors_b[name].numel() if name in ref.pair.tensors_b else 0
        if name in ref.stats:
            m["compared"] += 1
            m["sq_diff"] += ref.stats[name]["l2"] ** 2
            m["sq_a"] += ref.stats[name]["norm_a"] ** 2
    return [(key, modules[key]) for key in sorted(modules)]


def check_modules(ref, doc):
    got = doc.get("modules", [])
    want = reference_modules(ref)
    if [(m.get("section") == "optimizer", m.get("name")) for m in got] != [k for k, _ in want]:
        return ["modules %s, expected %s" % ([m.get("name") for m in got], [k[1] for k, _ in want])]
    problems = []
    for m, (key, w) in zip(got, want):
        for field in ("tensors", "changed", "added", "removed", "params_a", "params_b", "compared"):
            if m.get(field) != w[field]:
                problems.append("module %r: %s is %r, expected %r" % (key[1], field, m.get(field), w[field]))
        l2 = math.sqrt(w["sq_diff"])
        rel = l2 / math.sqrt(w["sq_a"]) if w["sq_a"] > 0 else (0.0 if l2 == 0 else math.inf)
        if w["compared"] == 0:
            rel = math.nan  # no tensor compared: no relative change (JSON null)
        for field, value in (("l2", l2), ("rel", rel)):
            problem = float_problem(field, m.get(field), value)
            if problem:
                problems.append("module %r: %s" % (key[1], problem))
    return problems


def ancestors(name):
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def topmost_missing(mine, other):
    return sorted(m for m in mine if m not in other and (m.rpartition(".")[0] in other or "." not in m))


def reference_summary(ref):
    counts = {s: 0 for s in ("identical", "changed", "dtype-changed", "shape-changed", "added", "removed")}
    params = {"params_a": 0, "params_b": 0, "params_changed": 0}
    modules_a, modules_b = set(), set()
    for name in ref.names:
        counts[ref.status[name]] += 1
        if section_of(name) != "model":
            continue
        ta, tb = ref.pair.tensors_a.get(name), ref.pair.tensors_b.get(name)
        params["params_a"] += ta.numel() if ta is not None else 0
        params["params_b"] += tb.numel() if tb is not None else 0
        if ref.status[name] != "identical":
            params["params_changed"] += (tb if tb is not None else ta).numel()
        modules_a |= ancestors(name) if ta is not None else set()
        modules_b |= ancestors(name) if tb is not None else set()
    summary = {k.replace("-", "_"): v for k, v in counts.items()}
    summary.update(params, errors=0, added_modules=topmost_missing(modules_b, modules_a),
                   removed_modules=topmost_missing(modules_a, modules_b))
    return summary


def check_summary(ref, doc, tolerance):
    problems = []
    want = reference_summary(ref)
    got = doc.get("summary", {})
    for field, value in want.items():
        if got.get(field) != value:
            problems.append("summary.%s is %r, expected %r" % (field, got.get(field), value))
    for side, tensors, params in (("a", ref.pair.tensors_a, want["params_a"]),
                                  ("b", ref.pair.tensors_b, want["params_b"])):
        top = doc.get(side, {})
        if top.get("tensors") != len(tensors) or top.get("parameters") != params:
            problems.append("%s: tensors/parameters are %r/%r, expected %d/%d"
                            % (side, top.get("tensors"), top.get("parameters"), len(tensors), params))
    if doc.get("tolerance") != {"atol": tolerance[0], "rtol": tolerance[1]}:
        problems.append("tolerance is %r" % doc.get("tolerance"))
    differs = bool(ref.pair.content) or any(ref.differs(n, tolerance) for n in ref.names)
    if doc.get("differs") != differs:
        problems.append("differs is %r, expected %r" % (doc.get("differs"), differs))
    return problems


def check_content(ref, doc):
    got = [(c.get("path"), c.get("a"), c.get("b")) for c in doc.get("content", [])]
    want = sorted(ref.pair.content)
    return [] if got == want else ["content %s, expected %s" % (got, want)]


# ---------------------------------------------------------------------------------------------
# Checks.
# ---------------------------------------------------------------------------------------------

def check_pair(binary, ref):
    doc = diff_json(binary, ref.pair)
    problems = check_tensors(binary, ref, doc, kDefaultTolerance)
    problems += check_summary(ref, doc, kDefaultTolerance)
    problems += check_modules(ref, doc)
    problems += check_content(ref, doc)
    return problems


def check_tolerances(binary, ref):
    """--atol/--rtol: not_close, allclose and differs follow torch.isclose for each setting."""
    problems, totals = [], []
    for tolerance in kOtherTolerances:
        doc = diff_json(binary, ref.pair, tolerance)
        total = 0
        for entry in doc.get("tensors", []):
            name = entry.get("name")
            if name not in ref.stats:
                continue
            problems += ["--atol %g --rtol %g: %s" % (tolerance + (p,))
                         for p in stats_problems(ref, name, entry.get("stats"), tolerance)]
            if entry.get("differs") != ref.differs(name, tolerance):
                problems.append("--atol %g --rtol %g: %s: differs is %r"
                                % (tolerance + (name, entry.get("differs"))))
            total += (entry.get("stats") or {}).get("not_close", 0)
        problems += check_summary(ref, doc, tolerance)
        totals.append(total)
    default_total = sum(ref.not_close(n, kDefaultTolerance) for n in ref.stats)
    if len(set(totals + [default_total])) != len(totals) + 1:
        problems.append("the tolerances do not separate the values: not_close totals %s (default %d)"
                        % (totals, default_total))
    return problems


def check_exit_codes(binary, training, small):
    problems = []
    cases = [(["--exit-code", training.a, training.b], 1, "differing pair"),
             ([training.a, training.b], 0, "differing pair without --exit-code"),
             (["--exit-code", small["same_a"], small["same_b"]], 0, "identical files"),
             (["--exit-code", small["same_a"], small["within_b"]], 0, "changes within tolerance"),
             (["--exit-code", "--atol", "0", "--rtol", "0", small["same_a"], small["within_b"]], 1,
              "the same with --atol 0 --rtol 0"),
             (["--exit-code", small["same_a"], small["content_b"]], 1, "content only (epoch 1 -> 2)")]
    for args, rc, what in cases:
        try:
            run(binary, ["diff"] + args, expect_rc=rc)
        except Failed as e:
            problems.append("%s: %s" % (what, e))
    doc = json.loads(run(binary, ["diff", "--json", small["same_a"], small["within_b"]]))
    w = doc["tensors"][0] if doc.get("tensors") else {}
    if w.get("status") != "changed" or w.get("differs") is not False or doc.get("differs") is not False:
        problems.append("within tolerance: status %r, differs %r, top-level differs %r"
                        % (w.get("status"), w.get("differs"), doc.get("differs")))
    return problems


def check_text(binary, training):
    """The human output carries the same content changes."""
    text = run(binary, ["diff", training.a, training.b])
    wanted = ["epoch: 3 -> 5", "config.name:", "optimizer.param_groups.0.lr: 0.001 -> 0.0005"]
    return ["text output lacks %r" % w for w in wanted if w not in text]


def run_check(title, fn, *args):
    try:
        problems = fn(*args)
    except Failed as e:
        problems = [str(e)]
    print("%s %s" % ("FAIL" if problems else "PASS", title))
    for line in problems[:40]:
        print("       " + line)
    if len(problems) > 40:
        print("       ... and %d more" % (len(problems) - 40))
    return not problems


def run_all(binary, work):
    gen = torch.Generator().manual_seed(1234)
    training = Reference(training_pair(work, gen))
    legacy = Reference(legacy_pair(work, gen))
    safetensors = Reference(safetensors_pair(work, gen))
    small = small_pairs(work, gen)
    results = []
    for ref in (training, legacy, safetensors):
        results.append(run_check("%s: %d tensors vs torch float64" % (ref.pair.title, len(ref.names)),
                                 check_pair, binary, ref))
    for ref in (training, safetensors):
        results.append(run_check("%s: --atol/--rtol vs torch.isclose" % ref.pair.title,
                                 check_tolerances, binary, ref))
    results.append(run_check("--exit-code", check_exit_codes, binary, training.pair, small))
    results.append(run_check("text output: content changes", check_text, binary, training.pair))
    print("diff_interop: %d of %d checks passed" % (sum(results), len(results)))
    return 0 if all(results) else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--git-model", required=True, type=Path)
    parser.add_argument("--work", type=Path, help="folder for the checkpoints (emptied first, kept)")
    args = parser.parse_args()
    binary = args.git_model.resolve()
    if args.work:
        shutil.rmtree(args.work, ignore_errors=True)
        args.work.mkdir(parents=True)
        return run_all(binary, args.work)
    with tempfile.TemporaryDirectory(prefix="diff-interop-") as work:
        return run_all(binary, Path(work))


if __name__ == "__main__":
    sys.exit(main())
