#!/usr/bin/python3
"""`git model diff A B` done with torch: the baseline that bench/run_diff_bench.sh times.

    bench/diff_torch.py A B [--atol 1e-8] [--rtol 1e-5] [--top 20]

Loads both checkpoints whole with torch.load (map_location="cpu"), names tensors by key path
(nested dicts, lists and tuples joined with '.', as git-model does) and, for every name on both
sides with the same shape, computes in float64 what git-model reports for it (D = B - A):
l2 = ||D||, rel = l2 / ||A||, max_abs, mean_abs, cosine = <A, B> / (||A|| ||B||), frac_differ =
share of elements where a != b, allclose = torch.allclose(B, A, rtol, atol). Prints the --top
changed tensors by rel and a one-line summary. Only for trusted files: torch.load runs pickles.
"""

import argparse
import math
import sys

import torch


def flatten(obj, path=()):
    """name -> tensor, in insertion order."""
    if isinstance(obj, torch.Tensor):
        return {".".join(path) or "tensor": obj}
    out = {}
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, (list, tuple)) else ()
    for key, value in items:
        out.update(flatten(value, path + (str(key),)))
    return out


def tensor_stats(a, b, atol, rtol):
    a, b = a.detach().reshape(-1).double(), b.detach().reshape(-1).double()
    d = b - a
    l2, norm_a, norm_b = float(d.norm()), float(a.norm()), float(b.norm())
    n = a.numel()
    return {"l2": l2,
            "rel": l2 / norm_a if norm_a > 0 else (0.0 if l2 == 0 else math.inf),
            "max_abs": float(d.abs().max()) if n else 0.0,
            "mean_abs": float(d.abs().mean()) if n else 0.0,
            "cosine": float(a.dot(b)) / (norm_a * norm_b) if norm_a * norm_b > 0 else math.nan,
            "frac_differ": int((a != b).sum()) / n if n else 0.0,
            "allclose": bool(torch.allclose(b, a, rtol=rtol, atol=atol))}


def compare(tensors_a, tensors_b, atol, rtol):
    """(name, status, stats or None) for every name, A's order then B's added."""
    rows = []
    for name, a in tensors_a.items():
        b = tensors_b.get(name)
        if b is None:
            rows.append((name, "removed", None))
        elif a.shape != b.shape:
            rows.append((name, "shape-changed", None))
        else:
            stats = tensor_stats(a, b, atol, rtol)
            same = a.dtype == b.dtype and torch.equal(a, b)
            rows.append((name, "identical" if same else "changed" if a.dtype == b.dtype else "dtype-changed", stats))
    rows += [(name, "added", None) for name in tensors_b if name not in tensors_a]
    return rows


def report(rows, top):
    changed = sorted((r for r in rows if r[1] != "identical" and r[2]), key=lambda r: -r[2]["rel"])
    print("%-40s %-14s %10s %10s %10s %10s %9s %7s %s" % (
        "NAME", "STATUS", "REL", "L2", "MAX|D|", "MEAN|D|", "COSINE", "DIFFER", "CLOSE"))
    for name, status, s in changed[:top]:
        print("%-40s %-14s %10.4g %10.4g %10.4g %10.4g %9.6f %6.1f%% %s" % (
            name, status, s["rel"], s["l2"], s["max_abs"], s["mean_abs"], s["cosine"],
            100 * s["frac_differ"], "yes" if s["allclose"] else "no"))
    counts = {}
    for _, status, _ in rows:
        counts[status] = counts.get(status, 0) + 1
    not_close = sum(1 for r in rows if r[2] and not r[2]["allclose"])
    print("%d tensors: %s; %d not allclose" % (
        len(rows), ", ".join("%d %s" % (n, s) for s, n in sorted(counts.items())), not_close))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--atol", type=float, default=1e-8)
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    tensors_a = flatten(torch.load(args.a, map_location="cpu"))
    tensors_b = flatten(torch.load(args.b, map_location="cpu"))
    report(compare(tensors_a, tensors_b, args.atol, args.rtol), args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
