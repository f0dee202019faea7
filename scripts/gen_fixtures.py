#!/usr/bin/python3
"""Generate checkpoint fixtures for git-model's interop tests with real PyTorch 1.13.

    scripts/gen_fixtures.py OUTDIR

Writes every fixture in the FIXTURES table below into OUTDIR, plus:
  OUTDIR/FIXTURES.tsv      file, loader, description, format (one row per fixture)
  OUTDIR/expected/F.json   for fixtures torch 1.13 cannot load (loader `none`): the tensors
                           git-model must report, in tests/interop/torch_reference.py's schema
  OUTDIR/examples/         small realistic checkpoints for the README demo

Loader column: `torch.load` / `torch.jit.load` (tests/interop/interop_test.py compares git-model with
what torch sees), `none` (torch 1.13 cannot read it; compared with expected/F.json), `error`
(a deliberately broken file: `git-model inspect` must exit non-zero).

Deterministic: every fixture seeds torch, numpy and random from its own name, so adding a fixture
changes no other. Output is byte-identical between runs with the same torch build (legacy files
have their address-derived storage keys renumbered, see fixture_writers.normalize_legacy_keys).
Needs Debian's python3-torch (1.13) and python3-numpy; run it with /usr/bin/python3.
"""

import argparse
import collections
import hashlib
import io
import json
import os
import pickle
import random
import sys
import warnings
import zlib
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np
import torch
from torch import nn

kRepo = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(kRepo / "tests" / "interop"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixture_objects as obj  # noqa: E402
import fixture_types as ft  # noqa: E402  (pickled by reference: module must stay importable)
import fixture_writers as fw  # noqa: E402
import torch_reference  # noqa: E402

class Fixture(NamedTuple):
    file: str          # path relative to OUTDIR
    loader: str        # torch.load | torch.jit.load | none | error
    format: str        # what `git-model inspect --json` should report as "format" ("-": none)
    description: str
    build: Callable    # build(path) -> None, or the expected description for loader `none`
    seed_key: str = ""  # seeds the RNGs (default: file); zip/legacy twins share it, so same values


# ---------------------------------------------------------------------------------------------
# Writers shared by fixtures.
# ---------------------------------------------------------------------------------------------

def saved(builder, legacy=False, protocol=2, file_object=False):
    """A fixture build function that torch.saves builder()'s object."""
    def build(path):
        obj = builder()
        if legacy:
            buf = io.BytesIO()
            torch.save(obj, buf, pickle_protocol=protocol, _use_new_zipfile_serialization=False)
            Path(path).write_bytes(fw.normalize_legacy_keys(buf.getvalue()))
        elif file_object:  # as Lightning/fsspec do: the record prefix becomes "archive"
            with open(path, "wb") as f:
                torch.save(obj, f, pickle_protocol=protocol)
        else:
            torch.save(obj, path, pickle_protocol=protocol)
    return build


def serialization_id(records):
    """40 decimal digits, like torch 2.1+'s .data/serialization_id (here a hash of the names)."""
    digest = zlib.crc32("".join(name for name, _ in records).encode())
    return ("%040d" % (digest * 982451653 % 10**40)).encode()


def torch2x_records(prefix, pickle_bytes, storages, version_record="version"):
    """Records in torch 2.7's write order; storages: list of raw bytes for data/0, data/1, ...

    torch's writer names the version record `.data/version` from format version 6 on (TorchScript)
    and `version` below; readers look for `.data/version` first.
    """
    records = [("data.pkl", pickle_bytes), (".format_version", b"1"), (".storage_alignment", b"64"),
               ("byteorder", b"little")]
    records += [("data/%d" % i, raw) for i, raw in enumerate(storages)]
    records += [(version_record, b"3\n")]
    records += [(".data/serialization_id", serialization_id(records))]
    return [(prefix + "/" + name, data) for name, data in records]


def expected_entry(name, dtype, itemsize, storage, key, offset, shape, strides=None):
    """Expected description of a view over raw storage bytes (for files torch cannot load)."""
    strides = torch_reference.contiguous_strides(shape) if strides is None else strides
    logical = fw.strided_bytes(storage, itemsize, offset, shape, strides)
    return {"name": name, "aliases": [], "dtype": dtype, "shape": list(shape), "strides": list(strides),
            "storage_offset": offset, "storage": key, "requires_grad": False,
            "sha256": hashlib.sha256(logical).hexdigest()}


def described(value, names="exact"):
    """What torch_reference sees in an in-memory object (the expected file for loader `none`)."""
    result = torch_reference.describe_object(value)
    result["names"] = names
    return result


def st_dtype(t):
    return {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
            torch.bool: "BOOL", torch.uint8: "U8", torch.float64: "F64", torch.int32: "I32"}[t.dtype]


def write_state_dict_safetensors(path, state_dict, metadata):
    tensors = [(k, st_dtype(v), tuple(v.shape), torch_reference.logical_bytes(v))
               for k, v in state_dict.items()]
    fw.write_safetensors(path, tensors, metadata)
    return safetensors_expected(tensors)


def safetensors_expected(tensors):
    """tensors: (name, dtype code, shape, raw). Each safetensors tensor is its own storage."""
    entries = []
    for name, code, shape, raw in tensors:
        dtype, itemsize = torch_reference.kSafetensorsDtypes[code]
        entries.append(expected_entry(name, dtype, itemsize, raw, name, 0, list(shape)))
    return {"names": "exact", "tensors": entries, "optional": [], "storage_check": False}


# ---------------------------------------------------------------------------------------------
# Fixtures that are more than one torch.save call.
# ---------------------------------------------------------------------------------------------

def fx_jit_scripted(path):
    with warnings.catch_warnings():  # the tracer warns that the tensor literal becomes a constant
        warnings.simplefilter("ignore")
        module = torch.jit.script(ft.TinyScripted())
    module.save(path)


def fx_jit_traced(path):
    model = ft.SmallCNN().eval()
    torch.jit.trace(model, torch.randn(1, 3, 8, 8)).save(path)


def rewrite_as_torch2x(path, value, version_record="version"):
    """torch.save value, then rewrite the zip with torch 2.7's extra records and order."""
    buf = io.BytesIO()
    torch.save(value, buf)
    records = dict((name.split("/", 1)[1], data) for name, data in fw.zip_records(buf.getvalue()))
    keys = sorted((n for n in records if n.startswith("data/")), key=lambda n: int(n[5:]))
    fw.write_aligned_zip(path, torch2x_records(Path(path).stem, records["data.pkl"],
                                               [records[k] for k in keys], version_record))


def fx_torch2x_records(path):
    rewrite_as_torch2x(path, obj.layout_tensors())


def fx_torch2x_data_version(path):
    rewrite_as_torch2x(path, obj.cnn_state_dict(), version_record=".data/version")


def v3_storages():
    """Raw storages for the torch 2.x dtypes torch 1.13 lacks."""
    rng = np.random.default_rng(obj.kSeed)
    values = rng.standard_normal(8) * 2
    return [
        fw.to_float8_e4m3fn(values).tobytes(),                                    # 0: float8_e4m3fn 2x4
        fw.to_float8_e5m2(values[::-1]).tobytes(),                                # 1: float8_e5m2 8
        np.array([0, 1, 255, 256, 40000, 65535], dtype="<u2").tobytes(),          # 2: uint16 3x2
        np.arange(6, dtype="<u4").tobytes(),                                      # 3: uint32 6
        np.array([2**64 - 1, 12345678901234], dtype="<u8").tobytes(),             # 4: uint64 2
        np.array([1, -1, 0.5, 2, -0.25, 0], dtype="<f2").tobytes(),               # 5: complex32 3
        torch_reference.logical_bytes(torch.randn(2, 2).bfloat16()),              # 6: bfloat16 2x2
        torch_reference.logical_bytes(torch.randn(3)),                            # 7: float32 3
    ]


# (name, storage key, dtype, itemsize, offset, shape, strides or None); keys index v3_storages().
kV3Tensors = [
    ("fp8_e4m3fn", 0, "float8_e4m3fn", 1, 0, (2, 4), None),
    ("fp8_e4m3fn_t", 0, "float8_e4m3fn", 1, 0, (4, 2), (1, 4)),
    ("fp8_e5m2", 1, "float8_e5m2", 1, 0, (8,), None),
    ("uint16", 2, "uint16", 2, 0, (3, 2), None),
    ("uint32_offset", 3, "uint32", 4, 2, (4,), None),
    ("uint64", 4, "uint64", 8, 0, (2,), None),
    ("complex32", 5, "complex32", 4, 0, (3,), None),
    ("scalar_fp8", 1, "float8_e5m2", 1, 7, (), None),
]
kV2Tensors = [("bfloat16_v2", 6, "BFloat16Storage", "bfloat16", 2, (2, 2)),
              ("float32_v2", 7, "FloatStorage", "float32", 4, (3,))]


def build_torch2x_v3(path, storage_module):
    """Hand-written torch 2.x pickle: _rebuild_tensor_v3 over UntypedStorage, byte-counted."""
    storages = v3_storages()
    writer, entries = fw.PickleWriter(), []
    writer.begin_dict()
    for name, key, dtype, itemsize, offset, shape, strides in kV3Tensors:
        strides = strides or torch_reference.contiguous_strides(shape)
        writer.str_(name)
        writer.tensor_v3(storage_module, str(key), len(storages[key]), offset, shape, strides, dtype)
        entries.append(expected_entry(name, dtype, itemsize, storages[key], "s%d" % key, offset,
                                      shape, strides))
    for name, key, storage_class, dtype, itemsize, shape in kV2Tensors:
        strides = torch_reference.contiguous_strides(shape)
        writer.str_(name)
        writer.tensor_v2(storage_class, str(key), len(storages[key]) // itemsize, 0, shape, strides)
        entries.append(expected_entry(name, dtype, itemsize, storages[key], "s%d" % key, 0, shape))
    writer.end_dict()
    fw.write_aligned_zip(path, torch2x_records(Path(path).stem, writer.finish(), storages))
    return {"names": "exact", "tensors": entries, "optional": []}


def fx_torch2x_v3(path):
    return build_torch2x_v3(path, "torch.storage")


def fx_torch2x_v3_torch_untyped(path):
    return build_torch2x_v3(path, "torch")


def fx_pt2(path):
    """A .pt2-style zip: archive/serialized_state_dict.pt holds the bytes of a torch.save zip.

    git-model reads each nested torch.save member as a dict entry named by the member's stem, so
    tensors are named `serialized_state_dict.weight`, `serialized_example_inputs.0.0`, ...
    """
    members = collections.OrderedDict([
        ("serialized_state_dict", collections.OrderedDict(
            (k, nn.Parameter(v)) for k, v in nn.Linear(4, 3).state_dict().items())),
        ("serialized_constants", {"_tensor_constant0": torch.tensor([1.0, -1.0])}),
        ("serialized_example_inputs", ((torch.randn(2, 4),), {})),
    ])
    program = {"schema_version": {"major": 5, "minor": 1}, "graph_module": {"signature": {
        "input_specs": [{"parameter": {"arg": {"name": "p_weight"}, "parameter_name": "weight"}},
                        {"parameter": {"arg": {"name": "p_bias"}, "parameter_name": "bias"}}]}}}
    records = [("archive/serialized_exported_program.json", json.dumps(program).encode())]
    for stem, member in members.items():
        buf = io.BytesIO()
        torch.save(member, buf)
        records.append(("archive/%s.pt" % stem, buf.getvalue()))
    records.append(("archive/version", b"5.1"))
    fw.write_aligned_zip(path, records)
    return described(members)


def fx_safetensors(path):
    t = {"f32": torch.randn(2, 3), "f16": torch.randn(4).half(), "bf16": torch.randn(2, 2).bfloat16(),
         "i64": torch.arange(5) - 2, "bool": torch.tensor([True, False, True]),
         "u8": torch.arange(6, dtype=torch.uint8).reshape(2, 3), "scalar": torch.tensor(2.5),
         "empty": torch.zeros(0), "empty_2x0": torch.zeros(2, 0, dtype=torch.float16)}
    tensors = [(k, st_dtype(v), tuple(v.shape), torch_reference.logical_bytes(v)) for k, v in t.items()]
    values = np.linspace(-3, 3, 6)
    tensors += [("f8_e4m3", "F8_E4M3", (3, 2), fw.to_float8_e4m3fn(values).tobytes()),
                ("f8_e5m2", "F8_E5M2", (6,), fw.to_float8_e5m2(values).tobytes())]
    fw.write_safetensors(path, tensors, {"format": "pt", "source": "git-model fixtures"})
    return safetensors_expected(tensors)


def shard_part(index, count=2):
    items = list(obj.mlp_state_dict().items())
    return collections.OrderedDict(items[index::count])


def shard_name(stem, index, ext, count=2):
    return "%s-%05d-of-%05d.%s" % (stem, index + 1, count, ext)


def fx_st_shard(index):
    def build(path):
        return write_state_dict_safetensors(path, shard_part(index), {"format": "pt"})
    return build


def fx_bin_shard(index):
    def build(path):
        torch.save(shard_part(index), path)
    return build


def write_index(path, stem, ext):
    weight_map, total = {}, 0
    for index in range(2):
        for name, t in shard_part(index).items():
            weight_map[name] = shard_name(stem, index, ext)
            total += t.numel() * t.element_size()
    with open(path, "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))},
                  f, indent=2)
    parts = [shard_part(i) for i in range(2)]
    expected = described(collections.OrderedDict(list(parts[0].items()) + list(parts[1].items())))
    expected["storage_check"] = False  # storage names repeat between shards
    return expected


def fx_st_index(path):
    return write_index(path, "model", "safetensors")


def fx_bin_index(path):
    return write_index(path, "pytorch_model", "bin")


def fx_plain_pickle(path):
    Path(path).write_bytes(pickle.dumps({"epoch": 3, "lr": 0.1, "tags": ["a", "b"]}, protocol=4))
    return {"names": "exact", "tensors": [], "optional": []}


def fx_error_truncated_storage(path):
    """data/0 shorter than the persistent id's numel (the CVE-2026-24747 out-of-bounds read)."""
    buf = io.BytesIO()
    torch.save({"w": torch.randn(16, 16)}, buf)
    records = [(name, data[:100] if name.endswith("/data/0") else data)
               for name, data in fw.zip_records(buf.getvalue())]
    fw.write_aligned_zip(path, records)


def fx_error_truncated_zip(path):
    buf = io.BytesIO()
    torch.save({"w": torch.randn(64, 64)}, buf)
    Path(path).write_bytes(buf.getvalue()[:len(buf.getvalue()) // 2])


def fx_error_truncated_legacy(path):
    buf = io.BytesIO()
    torch.save({"w": torch.randn(64, 64)}, buf, _use_new_zipfile_serialization=False)
    data = fw.normalize_legacy_keys(buf.getvalue())
    Path(path).write_bytes(data[:len(data) - 1000])


def fx_error_safetensors_overlap(path):
    header = {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
              "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}
    text = json.dumps(header).encode()
    text += b" " * ((-len(text)) % 8)
    Path(path).write_bytes(len(text).to_bytes(8, "little") + text + bytes(24))


def fx_example_safetensors(path):
    model, _, _ = obj.trained_small_cnn()
    return write_state_dict_safetensors(path, model.state_dict(), {"format": "pt"})


# ---------------------------------------------------------------------------------------------
# The table. Rows are generated in order; each row seeds from its own file name.
# ---------------------------------------------------------------------------------------------

def _zip(file, description, builder, **kw):
    return Fixture(file, "torch.load", "torch-zip", description, saved(builder, **kw),
                   builder.__name__)


def _legacy(file, description, builder, **kw):
    return Fixture(file, "torch.load", "torch-legacy", description + " (legacy format)",
                   saved(builder, legacy=True, **kw), builder.__name__)


FIXTURES = [
    _zip("dtypes.pt", "every dtype torch 1.13 saves, with nan/inf/-0.0/subnormal and integer extremes",
         obj.dtype_tensors),
    _zip("quantized.pt", "qint8/quint8/qint32 per-tensor, per-channel (axis 0 and 1), quint4x2, "
         "quint2x4 (packed), a transposed qint8", obj.quantized_tensors),
    _zip("layouts.pt", "non-contiguous views: transpose, permute, stepped slices, offsets, expand "
         "(stride 0), Fortran order, channels_last, overlapping unfold", obj.layout_tensors),
    _zip("tied.pt", "shared storages: one tensor under two keys, views of one storage with offsets",
         obj.tied_tensors),
    _zip("tied_module_state_dict.pt", "state_dict of a module with tied weights (two objects, "
         "one storage)", obj.tied_module_state_dict),
    _zip("scalars_empty.pt", "0-dim scalars of several dtypes and empty tensors (0,), (3,0), (2,0,3)",
         obj.scalar_empty_tensors),
    _zip("nested.pt", "nested dicts/lists/tuples, int and non-ASCII keys, non-tensor leaves",
         obj.nested_object),
    _zip("cnn_state_dict.pt", "nn.Module state_dict (OrderedDict with _metadata) of a CNN with "
         "BatchNorm (int64 num_batches_tracked scalars)", obj.cnn_state_dict),
    _zip("whole_module.pt", "a whole nn.Module pickled (fixture_types.SmallCNN, Parameters in "
         "_parameters)", obj.whole_module),
    _zip("training_checkpoint.pth", "hand-written training checkpoint: model/optimizer (Adam after "
         "one step) state dicts, epoch, loss, hyperparams, git, TorchVersion", obj.training_checkpoint),
    _zip("lightning.ckpt", "Lightning-style checkpoint (archive/ prefix): Namespace, device, dtype in "
         "hyper_parameters, tensor shared between callback entries", obj.lightning_checkpoint,
         file_object=True),
    _zip("namespace_numpy.pt", "argparse.Namespace with a tensor attribute, numpy scalars and arrays",
         obj.namespace_numpy_object),
    _zip("rng_state.pth", "HF Trainer-style rng_state: python/numpy RNG state tuples, torch RNG uint8",
         obj.rng_state_object),
    _zip("enums.pt", "enum.Enum/IntEnum/Flag values (fixture_types, pickled via getattr)", obj.enum_object),
    _zip("training_args.bin", "HF-style training_args.bin: a dataclass with enum fields and a tensor",
         obj.training_args),
    _zip("bare_tensor.pt", "a bare tensor as the top-level object (name is the empty path)",
         obj.bare_tensor),
    _zip("parameter.pt", "a bare nn.Parameter (requires_grad)", obj.bare_parameter),
    _zip("parameters.pt", "Parameters with requires_grad True/False and a leaf tensor requiring grad",
         obj.parameters_object),
    _zip("protocol2.pt", "pickle protocol 2 (torch's default)", obj.protocol_object, protocol=2),
    _zip("protocol3.pt", "pickle protocol 3 (BINBYTES)", obj.protocol_object, protocol=3),
    _zip("protocol4.pt", "pickle protocol 4 (FRAME, STACK_GLOBAL, MEMOIZE)", obj.protocol_object, protocol=4),
    _zip("protocol5.pt", "pickle protocol 5 (BYTEARRAY8)", obj.protocol_object, protocol=5),
    _legacy("dtypes_legacy.pt", "every dtype", obj.dtype_tensors),
    _legacy("quantized_legacy.pt", "quantized tensors", obj.quantized_tensors),
    _legacy("layouts_legacy.pt", "non-contiguous views and offsets", obj.layout_tensors),
    _legacy("tied_legacy.pt", "shared storages", obj.tied_tensors),
    _legacy("scalars_empty_legacy.pt", "scalars and empty tensors", obj.scalar_empty_tensors),
    _legacy("cnn_state_dict_legacy.pt", "CNN state_dict with _metadata", obj.cnn_state_dict),
    _legacy("training_checkpoint_legacy.pth", "hand-written training checkpoint", obj.training_checkpoint),
    _legacy("parameters_legacy.pt", "Parameters and requires_grad", obj.parameters_object),
    _legacy("protocol4_legacy.pt", "pickle protocol 4", obj.protocol_object, protocol=4),
    Fixture("jit_scripted.pt", "torch.jit.load", "torchscript", "scripted module: parameter, buffer, "
            "plain tensor attribute, traced child whose tensor literal is in constants.pkl",
            fx_jit_scripted),
    Fixture("jit_traced.pt", "torch.jit.load", "torchscript", "traced CNN with BatchNorm (eval)",
            fx_jit_traced),
    Fixture("torch2x_records.pt", "torch.load", "torch-zip", "torch 2.7 layout emulated: "
            ".format_version, .storage_alignment, byteorder, .data/serialization_id", fx_torch2x_records,
            "layout_tensors"),
    Fixture("torch2x_data_version.pt", "torch.load", "torch-zip", "as torch2x_records.pt, but the "
            "version record is `.data/version` (no plain `version`)", fx_torch2x_data_version),
    Fixture("torch2x_v3.pt", "none", "torch-zip", "torch 2.x _rebuild_tensor_v3 on `torch.storage "
            "UntypedStorage` (byte counts): float8_e4m3fn/e5m2, uint16/32/64, complex32, views",
            fx_torch2x_v3),
    Fixture("torch2x_v3_torch_untyped.pt", "none", "torch-zip", "as torch2x_v3.pt with `torch "
            "UntypedStorage` globals", fx_torch2x_v3_torch_untyped),
    Fixture("exported.pt2", "none", "pt2", ".pt2-style zip: archive/serialized_state_dict.pt is a "
            "stored torch.save zip; constants and example inputs beside it", fx_pt2),
    Fixture("dtypes.safetensors", "none", "safetensors", "hand-written safetensors: F32 F16 BF16 I64 "
            "BOOL U8 F8_E4M3 F8_E5M2, a scalar, empty tensors, __metadata__", fx_safetensors),
    Fixture("sharded_safetensors/" + shard_name("model", 0, "safetensors"), "none", "safetensors",
            "safetensors shard 1 of 2", fx_st_shard(0)),
    Fixture("sharded_safetensors/" + shard_name("model", 1, "safetensors"), "none", "safetensors",
            "safetensors shard 2 of 2", fx_st_shard(1)),
    Fixture("sharded_safetensors/model.safetensors.index.json", "none", "sharded-index",
            "Hugging Face safetensors shard index (union of 2 shards)", fx_st_index),
    Fixture("sharded_bin/" + shard_name("pytorch_model", 0, "bin"), "torch.load", "torch-zip",
            "torch.save shard 1 of 2", fx_bin_shard(0)),
    Fixture("sharded_bin/" + shard_name("pytorch_model", 1, "bin"), "torch.load", "torch-zip",
            "torch.save shard 2 of 2", fx_bin_shard(1)),
    Fixture("sharded_bin/pytorch_model.bin.index.json", "none", "sharded-index",
            "Hugging Face pytorch_model.bin shard index (union of 2 shards)", fx_bin_index),
    Fixture("plain.pkl", "none", "pickle", "a plain Python pickle (protocol 4), no tensors",
            fx_plain_pickle),
    Fixture("error_truncated_storage.pt", "error", "-", "data/0 holds 100 of the 1024 bytes the "
            "pickle claims", fx_error_truncated_storage),
    Fixture("error_truncated_zip.pt", "error", "-", "torch.save zip cut in half (no central "
            "directory)", fx_error_truncated_zip),
    Fixture("error_truncated_legacy.pt", "error", "-", "legacy file missing the end of its storage "
            "data", fx_error_truncated_legacy),
    Fixture("error_safetensors_overlap.safetensors", "error", "-", "safetensors tensors overlapping "
            "in the data buffer", fx_error_safetensors_overlap),
    Fixture("examples/model_best.pth", "torch.load", "torch-zip", "README example: small CNN "
            "training checkpoint", saved(obj.example_model_best), "example_model_best"),
    Fixture("examples/model_best.safetensors", "none", "safetensors", "README example: the same "
            "weights exported to safetensors (same fingerprint)", fx_example_safetensors,
            "example_model_best"),
    Fixture("examples/last.ckpt", "torch.load", "torch-zip", "README example: Lightning-style "
            "checkpoint", saved(obj.lightning_checkpoint, file_object=True)),
]


def seed_everything(name):
    seed = (obj.kSeed + zlib.crc32(name.encode())) % 2**31
    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def generate(outdir):
    rows = ["file\tloader\tdescription\tformat"]
    for fx in FIXTURES:
        path = outdir / fx.file
        path.parent.mkdir(parents=True, exist_ok=True)
        seed_everything(fx.seed_key or fx.file)
        expected = fx.build(str(path))
        if fx.loader == "none":
            write_expected(outdir, fx, expected)
        if fx.format in ("torch-zip", "pt2") and fx.loader != "torch.load":
            fw.check_alignment(path)
        rows.append("\t".join((fx.file, fx.loader, fx.description, fx.format)))
        print("wrote %-55s %s" % (fx.file, fx.loader))
    (outdir / "FIXTURES.tsv").write_text("\n".join(rows) + "\n")


def write_expected(outdir, fx, expected):
    if expected is None:
        raise RuntimeError("%s: loader none needs an expected description" % fx.file)
    path = outdir / "expected" / (fx.file + ".json")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"file": fx.file, "loader": "expected", "format": fx.format}
    doc.update(expected)
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


def main(argv):
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript's writer iterates Python sets of names (e.g. `Final` constants): fix the
        # string hash seed so jit archives come out byte-identical too.
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # reductions in training steps stay bit-identical between runs
    generate(args.outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
