#!/usr/bin/python3
"""Print, as one JSON document, the tensors the reference reader sees in a checkpoint.

    torch_reference.py [--loader torch.load|torch.jit.load|safetensors|index|auto] FILE

The reference reader is real PyTorch (torch.load / torch.jit.load) for pickled checkpoints, and a
small independent reader (json + hashlib, never git-model code) for safetensors files and Hugging
Face `*.index.json` shard indexes. Meant to run in a subprocess: torch.load executes pickled code,
so only point it at trusted files (the corpus and our own fixtures).

Output schema (interop_test.py compares it with `git-model inspect --json --hashes`):
  {"file": str, "loader": str,
   "names": "exact" | "subset",   # exact: git-model's names must equal ours; subset: it may have more
   "tensors": [{"name", "aliases": [...], "dtype", "shape", "strides", "storage_offset",
                "storage": "s0", "sha256", "requires_grad"}],
   "optional": [{"kind", "name", "dtype", "shape", "sha256"}],  # git-model may list these or not
   "storage_check": bool}          # false: storage labels are not comparable (safetensors, shards)

Naming follows git-model's rule: the key path joined with '.', dict keys as text (ints in decimal),
list/tuple items by index, object attributes by name (argparse.Namespace, dataclasses, whole pickled
nn.Modules via their `_parameters`/`_buffers`/`_modules` dicts). A tensor object reachable by several
paths is listed once under its first path in pickle order, its other paths in `aliases`. A tensor
that is the whole pickle (empty key path) is named "tensor", as git-model names it.
`storage` labels are equal exactly when torch shares the storage, so the grouping can be compared.

SHA-256 covers the tensor's logical bytes: row-major, contiguous, little-endian, as
`t.contiguous()` holds them (quantized tensors: `t.int_repr()`, which for the packed quint4x2 and
quint2x4 types is the packed byte array; bool: one byte; complex: interleaved real, imag).
"""

import argparse
import enum
import hashlib
import json
import mmap
import os
import sys
import types

kMaxDepth = 400
kRootTensorName = "tensor"  # git-model's name for a tensor at the empty key path

# Safetensors dtype codes -> torch dtype names (also for dtypes torch 1.13 lacks) and item sizes.
kSafetensorsDtypes = {
    "F64": ("float64", 8), "F32": ("float32", 4), "F16": ("float16", 2), "BF16": ("bfloat16", 2),
    "I64": ("int64", 8), "I32": ("int32", 4), "I16": ("int16", 2), "I8": ("int8", 1),
    "U64": ("uint64", 8), "U32": ("uint32", 4), "U16": ("uint16", 2), "U8": ("uint8", 1),
    "BOOL": ("bool", 1), "C64": ("complex64", 8),
    "F8_E4M3": ("float8_e4m3fn", 1), "F8_E5M2": ("float8_e5m2", 1),
    "F8_E4M3FNUZ": ("float8_e4m3fnuz", 1), "F8_E5M2FNUZ": ("float8_e5m2fnuz", 1),
    "F8_E8M0": ("float8_e8m0fnu", 1),
}


def contiguous_strides(shape):
    """Row-major strides as torch computes them (a zero-length dim counts as 1)."""
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return list(reversed(strides))


def logical_bytes(t):
    """The bytes SHA-256 is defined over (see module docstring). Works for 0-dim and empty tensors."""
    import torch
    t = t.detach()
    if t.is_quantized:
        t = t.int_repr()
    flat = t.contiguous().view(-1)
    if flat.dtype != torch.uint8:
        flat = flat.view(torch.uint8)
    return flat.numpy().tobytes()


def dtype_name(t):
    return str(t.dtype).replace("torch.", "")


def describe_tensor(t, name):
    try:
        digest = hashlib.sha256(logical_bytes(t)).hexdigest()
    except Exception as e:  # sparse or other layouts: no bytes contract
        digest = None
        print("torch_reference: no sha256 for %s: %s" % (name, e), file=sys.stderr)
    return {"name": name, "aliases": [], "dtype": dtype_name(t), "shape": list(t.shape),
            "strides": list(t.stride()), "storage_offset": t.storage_offset(),
            "sha256": digest, "requires_grad": bool(t.requires_grad)}


def key_text(key):
    """Dict keys become path components: str as is, ints (and anything else) as str()."""
    return key if isinstance(key, str) else str(key)


class Collector:
    """Walks a loaded object in pickle order (dict insertion order, depth first)."""

    def __init__(self):
        self.tensors = []        # described tensors, first path order
        self.optional = []       # numpy arrays, per-channel qparams
        self._by_id = {}         # id(tensor object) -> its entry (aliases by identity)
        self._storage_ids = {}   # storage impl pointer -> "sN"
        self._seen = set()       # ids of containers being walked (cycle guard)
        self._keep = []          # keep walked objects alive so ids stay unique

    def storage_label(self, t):
        try:
            key = t.storage()._cdata
        except Exception:
            key = ("no-storage", id(t))
        return self._storage_ids.setdefault(key, "s%d" % len(self._storage_ids))

    def add_tensor(self, t, path):
        name = ".".join(path) if path else kRootTensorName
        entry = self._by_id.get(id(t))
        if entry is not None:
            entry["aliases"].append(name)
            return
        entry = describe_tensor(t, name)
        entry["storage"] = self.storage_label(t)
        self._by_id[id(t)] = entry
        self._keep.append(t)
        self.tensors.append(entry)
        if t.is_quantized and t.qscheme() in _per_channel_schemes():
            for kind, q in (("q_per_channel_scales", t.q_per_channel_scales()),
                            ("q_per_channel_zero_points", t.q_per_channel_zero_points())):
                self.add_optional(kind, name, q)

    def add_optional(self, kind, name, t):
        entry = describe_tensor(t, name)
        entry["kind"] = kind
        self.optional.append(entry)

    def add_numpy(self, arr, path):
        import numpy as np
        data = np.ascontiguousarray(arr)
        self.optional.append({"kind": "numpy", "name": ".".join(path), "dtype": str(arr.dtype),
                              "shape": list(arr.shape),
                              "sha256": hashlib.sha256(data.tobytes()).hexdigest()})

    def visit(self, obj, path, depth=0):
        import numpy as np
        import torch
        if depth > kMaxDepth:
            raise RecursionError("object nesting deeper than %d at %s" % (kMaxDepth, ".".join(path)))
        if isinstance(obj, torch.Tensor):
            return self.add_tensor(obj, path)
        if isinstance(obj, np.ndarray):
            return self.add_numpy(obj, path)
        if _is_leaf(obj):
            return
        if id(obj) in self._seen:
            return
        self._seen.add(id(obj))
        self._keep.append(obj)
        for key, child in _children(obj):
            self.visit(child, path + [key], depth + 1)


def _per_channel_schemes():
    import torch
    return (torch.per_channel_affine, torch.per_channel_symmetric,
            torch.per_channel_affine_float_qparams)


def _is_leaf(obj):
    import numpy as np
    import torch
    leaf_types = (str, bytes, bytearray, int, float, complex, bool, type(None), set, frozenset,
                  enum.Enum, type, types.FunctionType, types.BuiltinFunctionType, types.ModuleType,
                  torch.dtype, torch.device, torch.Size, torch.qscheme, np.generic)
    return isinstance(obj, leaf_types)


def _children(obj):
    """(path component, child) pairs in the order pickle writes them."""
    if isinstance(obj, dict):
        return [(key_text(k), v) for k, v in obj.items()]
    if isinstance(obj, (list, tuple)):
        return [(str(i), v) for i, v in enumerate(obj)]
    state = getattr(obj, "__dict__", None)
    if isinstance(state, dict):
        return list(state.items())
    return []


def describe_object(obj):
    """Flatten an in-memory object (what torch.load returned, or what a generator is about to save)."""
    collector = Collector()
    collector.visit(obj, [])
    return {"names": "exact", "tensors": collector.tensors, "optional": collector.optional}


def describe_torch_load(path):
    import torch
    obj = torch.load(path, map_location="cpu", weights_only=False)
    return describe_object(obj)


def describe_jit(path):
    """TorchScript: state_dict names plus named buffers; git-model may list more (constants...).

    Tied entries are found by view, not object identity: two names that denote the same view of
    the same storage are reported as aliases. keep_vars=True keeps requires_grad of parameters.
    """
    import torch
    module = torch.jit.load(path, map_location="cpu")
    named = list(module.state_dict(keep_vars=True).items())
    known = {name for name, _ in named}
    named += [(n, b) for n, b in module.named_buffers() if n not in known]
    collector = Collector()
    by_view = {}
    for name, t in named:
        view = (t.storage()._cdata, t.storage_offset(), tuple(t.shape), t.stride(), t.dtype)
        if view in by_view:
            by_view[view]["aliases"].append(name)
            continue
        collector.add_tensor(t, [name])
        by_view[view] = collector.tensors[-1]
    return {"names": "subset", "tensors": collector.tensors, "optional": collector.optional}


def read_safetensors_header(path):
    with open(path, "rb") as f:
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size).decode("utf-8"))
    return 8 + size, header


def describe_safetensors(path, storage_prefix=""):
    base, header = read_safetensors_header(path)
    tensors = []
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for name, info in header.items():
            if name == "__metadata__":
                continue
            dtype, _ = kSafetensorsDtypes[info["dtype"]]
            begin, end = info["data_offsets"]
            tensors.append({
                "name": name, "aliases": [], "dtype": dtype, "shape": list(info["shape"]),
                "strides": contiguous_strides(info["shape"]), "storage_offset": 0,
                "storage": storage_prefix + name, "requires_grad": False,
                "sha256": hashlib.sha256(data[base + begin:base + end]).hexdigest()})
    # Every safetensors tensor is its own byte range: no storage sharing to compare.
    return {"names": "exact", "tensors": tensors, "optional": [], "storage_check": False}


def describe_index(path):
    """Hugging Face shard index: the union of the shards' tensors (shards in weight_map order)."""
    with open(path) as f:
        weight_map = json.load(f)["weight_map"]
    shards = list(dict.fromkeys(weight_map.values()))
    # Storage labels are only unique within a shard, so sharing is not compared across the union.
    result = {"names": "exact", "tensors": [], "optional": [], "storage_check": False}
    for shard in shards:
        shard_path = os.path.join(os.path.dirname(path), shard)
        if shard.endswith(".safetensors"):
            part = describe_safetensors(shard_path, storage_prefix=shard + ":")
        else:
            part = describe_torch_load(shard_path)
            for t in part["tensors"]:
                t["storage"] = shard + ":" + t["storage"]
        result["tensors"] += part["tensors"]
        result["optional"] += part["optional"]
    return result


def guess_loader(path):
    if path.endswith(".index.json"):
        return "index"
    if path.endswith(".safetensors"):
        return "safetensors"
    import zipfile
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            if any(n.endswith("/constants.pkl") for n in z.namelist()):
                return "torch.jit.load"
    return "torch.load"


kLoaders = {"torch.load": describe_torch_load, "torch.jit.load": describe_jit,
            "safetensors": describe_safetensors, "index": describe_index}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loader", default="auto", choices=["auto"] + sorted(kLoaders))
    parser.add_argument("file")
    args = parser.parse_args(argv)
    loader = guess_loader(args.file) if args.loader == "auto" else args.loader
    result = {"file": args.file, "loader": loader}
    result.update(kLoaders[loader](args.file))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # fixture_types
    sys.exit(main(sys.argv[1:]))
