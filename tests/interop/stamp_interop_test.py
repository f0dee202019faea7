#!/usr/bin/python3
"""Interop test: provenance records embedded by git-model, read back by real PyTorch.

    stamp_interop_test.py --embed-record BIN --git-model BIN --work DIR [--corpus DIR] [--fixtures DIR]
                          [--jobs N]

With Debian's torch 1.13, writes a state_dict (.pth, several dtypes, shared and non-contiguous
views, prefixes "model" and "archive"), a scripted nn.Module (torch.jit.save, with an extra file),
a safetensors file (scripts/fixture_writers.py) and a legacy torch.save file, then for each:
  1. stamps it with `embed_record write` (WriteEmbeddedRecord) and reads it back (`read`);
  2. zip files: zipfile.testzip() is None, the record is the entry `<prefix>/git-model/provenance.json`,
     last, stored, with its data on a 64-byte offset, every other entry's data still 64-aligned;
     torch.load / torch.jit.load give bit-identical tensors (dtype, shape, strides, offset, bytes,
     shared storages) and the scripted module computes the same output;
  3. safetensors: the header parsed with json holds the record in __metadata__, keeps the other
     metadata and every tensor entry, is padded to 8 bytes, and the data bytes are unchanged;
  4. legacy files get a sidecar FILE.git-model.json and stay byte-identical;
  5. re-stamping replaces the record (one entry, the new text);
  6. `git-model inspect --json` lists the same tensors as before stamping.
With --fixtures, every fixture of scripts/gen_fixtures.py (but the broken ones) is stamped twice:
torch_reference.py (torch.load, torch.jit.load, or the independent safetensors reader) and
`git-model inspect --hashes` must see the same tensors, layouts and SHA-256s before and after.
Prints one line per check group (PASS/FAIL) and exits 1 if any failed.
"""

import argparse
import collections
import concurrent.futures
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np
import torch
from torch import nn

kRepo = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(kRepo / "scripts"))
sys.path.insert(0, str(kRepo / "tests" / "interop"))  # torch_reference, and fixture_types for it
import fixture_writers  # noqa: E402
import torch_reference  # noqa: E402

kRecord1 = json.dumps({"schema": "git-model/provenance/v1", "run": 1, "note": "caf\u00e9 \"quoted\" }{",
                       "nested": {"lr": 0.001, "tags": ["a", "b"]}}, ensure_ascii=False)
kRecord2 = json.dumps({"schema": "git-model/provenance/v1", "run": 2})
kAlignment = 64


class Failed(Exception):
    pass


# Cases run in threads; torch's loaders (TorchScript's global type registry above all) are not
# meant to run concurrently, so every load holds this lock.
kTorchLock = threading.Lock()


def torch_load(path):
    with kTorchLock:
        return torch.load(path)


def jit_load(path, extra_files=None):
    with kTorchLock:
        return torch.jit.load(str(path), _extra_files=extra_files if extra_files is not None else {})


def check(condition, message):
    if not condition:
        raise Failed(message)


# ---------------------------------------------------------------------------------------------
# Files to stamp.
# ---------------------------------------------------------------------------------------------

def state_dict():
    g = torch.Generator().manual_seed(7)
    base = torch.randn(6, 8, generator=g)
    sd = collections.OrderedDict()
    sd["f32"] = torch.randn(3, 4, generator=g)
    sd["f64"] = torch.randn(5, generator=g, dtype=torch.float64)
    sd["f16"] = torch.randn(7, generator=g).half()
    sd["bf16"] = torch.randn(2, 3, generator=g).to(torch.bfloat16)
    sd["i8"] = torch.randint(-128, 127, (9,), generator=g, dtype=torch.int8)
    sd["u8"] = torch.randint(0, 255, (4,), generator=g, dtype=torch.uint8)
    sd["i64"] = torch.arange(6)
    sd["bool"] = torch.tensor([True, False, True, True])
    sd["base"] = base
    sd["transposed"] = base.t()            # non-contiguous, shares base's storage
    sd["strided"] = base[1:, ::2]          # offset and strides
    sd["scalar"] = torch.tensor(3.5)
    sd["empty"] = torch.empty(0, 3)
    sd["big"] = torch.randn(1 << 20, generator=g)  # 4 MiB: more than a page or two to copy
    return sd


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(16, 2)
        self.register_buffer("mask", torch.tensor([True, False]))
        self.register_buffer("scale16", torch.randn(3).half())

    def forward(self, x):
        y = torch.relu(self.conv(x)).flatten(1)
        return self.fc(y[:, :16])


def write_inputs(work):
    torch.manual_seed(0)
    files = {}
    files["model.pth"] = work / "model.pth"                  # prefix "model"
    torch.save(state_dict(), files["model.pth"])
    buffer = io.BytesIO()
    torch.save({"epoch": 3, "state_dict": state_dict()}, buffer)  # prefix "archive"
    files["archive.ckpt"] = work / "archive.ckpt"
    files["archive.ckpt"].write_bytes(buffer.getvalue())
    files["net.jit"] = work / "net.jit"
    torch.jit.save(torch.jit.script(Net()), str(files["net.jit"]), _extra_files={"meta.txt": "hello"})
    files["legacy.pt"] = work / "legacy.pt"
    torch.save(state_dict(), files["legacy.pt"], _use_new_zipfile_serialization=False)
    files["model.safetensors"] = work / "model.safetensors"
    fixture_writers.write_safetensors(files["model.safetensors"], [
        ("w", "F32", (2, 3), np.arange(6, dtype="<f4").tobytes()),
        ("b", "F16", (3,), np.array([1, -2, 3], dtype="<f2").tobytes()),
        ("ids", "I64", (2,), np.array([5, -6], dtype="<i8").tobytes()),
        ("flags", "BOOL", (3,), bytes([1, 0, 1])),
    ], metadata={"format": "pt"})
    return files


# ---------------------------------------------------------------------------------------------
# Tools.
# ---------------------------------------------------------------------------------------------

class Tools:
    def __init__(self, embed_record, git_model, work):
        self.embed_record, self.git_model, self.work = embed_record, git_model, work

    def run(self, *args):
        proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300)
        check(proc.returncode == 0, "%s exited %d: %s" % (args[:2], proc.returncode, proc.stderr.strip()))
        return proc.stdout

    def stamp(self, path, record):
        """Stamps `path` with kRecord1 or kRecord2 (files written once: cases run in threads)."""
        record_file = self.work / ("record-%d.json" % (kRecord1, kRecord2).index(record))
        return json.loads(self.run(self.embed_record, "write", path, record_file))

    def read(self, path):
        return json.loads(self.run(self.embed_record, "read", path))

    def inspect_tensors(self, path):
        doc = json.loads(self.run(self.git_model, "inspect", "--json", "--tensors", "--hashes", path))
        return {t["name"]: (t["dtype"], t["shape"], t["strides"], t["storage_offset"], t.get("sha256"))
                for t in doc["tensors"]}


# ---------------------------------------------------------------------------------------------
# Checks.
# ---------------------------------------------------------------------------------------------

def tensor_bytes(t):
    return t.detach().contiguous().reshape(-1).view(torch.uint8) if t.numel() else torch.empty(0, dtype=torch.uint8)


def expect_same_tensor(name, a, b):
    check(a.dtype == b.dtype, "%s: dtype %s != %s" % (name, a.dtype, b.dtype))
    check(a.shape == b.shape and a.stride() == b.stride() and a.storage_offset() == b.storage_offset(),
          "%s: layout differs" % name)
    check(torch.equal(tensor_bytes(a), tensor_bytes(b)), "%s: bytes differ" % name)


def tensors_of(obj, prefix=""):
    if isinstance(obj, torch.Tensor):
        return {prefix: obj}
    out = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(tensors_of(v, "%s.%s" % (prefix, k) if prefix else str(k)))
    return out


def expect_same_state(before, after):
    check(before.keys() == after.keys(), "tensor names differ: %s" % (before.keys() ^ after.keys()))
    for name in before:
        expect_same_tensor(name, before[name], after[name])


def data_offset(f, info):
    f.seek(info.header_offset + 26)
    name_len, extra_len = struct.unpack("<HH", f.read(4))
    return info.header_offset + 30 + name_len + extra_len


def check_zip_record(path, record, prefix):
    """The record is the last, stored, 64-aligned entry; everything else is still aligned."""
    with zipfile.ZipFile(path) as zf, open(path, "rb") as f:
        check(zf.testzip() is None, "testzip found a bad CRC")
        infos = zf.infolist()
        name = prefix + "/git-model/provenance.json"
        records = [i for i in infos if "git-model/" in i.filename]
        check([i.filename for i in records] == [name], "record entries: %s" % [i.filename for i in records])
        last = max(infos, key=lambda i: i.header_offset)
        check(last.filename == name and infos[-1].filename == name, "record is not the last entry")
        check(last.compress_type == zipfile.ZIP_STORED, "record is compressed")
        check(zf.read(name).decode("utf-8") == record, "record text differs")
        for info in infos:
            if info.file_size:
                check(data_offset(f, info) % kAlignment == 0, "%s: data not 64-byte aligned" % info.filename)


def zip_prefix(path):
    with zipfile.ZipFile(path) as zf:
        return zf.infolist()[0].filename.split("/")[0]


def check_torch_zip(tools, path):
    before = tensors_of(torch_load(path))
    inspected = tools.inspect_tensors(path)
    prefix = zip_prefix(path)
    out = tools.stamp(path, kRecord1)
    check(out == {"location": "zip-record", "where": prefix + "/git-model/provenance.json"}, "stamp said %s" % out)
    check_zip_record(path, kRecord1, prefix)
    loaded = torch_load(path)
    expect_same_state(before, tensors_of(loaded))
    state = loaded["state_dict"] if "state_dict" in loaded else loaded
    check(state["transposed"].storage().data_ptr() == state["base"].storage().data_ptr(), "views no longer share storage")
    check(tools.read(path)["json"] == kRecord1, "read back a different record")
    check(tools.inspect_tensors(path) == inspected, "inspect lists different tensors after stamping")
    tools.stamp(path, kRecord2)
    check_zip_record(path, kRecord2, prefix)
    expect_same_state(before, tensors_of(torch_load(path)))
    check(tools.read(path)["json"] == kRecord2, "re-stamp did not replace the record")


def check_torchscript(tools, path, probe=False):
    """probe: `path` holds Net, saved with extra/meta.txt: also compare outputs and the extra file."""
    x = torch.randn(2, 3, 6, 6, generator=torch.Generator().manual_seed(1))
    module = jit_load(path)
    before = dict(module.state_dict())
    output = module(x) if probe else None
    inspected = tools.inspect_tensors(path)
    prefix = zip_prefix(path)
    for record in (kRecord1, kRecord2):
        out = tools.stamp(path, record)
        check(out["where"] == prefix + "/git-model/provenance.json", "stamp said %s" % out)
        check_zip_record(path, record, prefix)
        extra = {"meta.txt": ""}
        stamped = jit_load(path, extra)
        expect_same_state(before, dict(stamped.state_dict()))
        if probe:
            check(extra["meta.txt"] == b"hello", "extra file lost: %r" % extra["meta.txt"])
            check(torch.equal(stamped(x), output), "the scripted module computes something else")
        check(tools.read(path)["json"] == record, "read back a different record")
        check(tools.inspect_tensors(path) == inspected, "inspect lists different tensors after stamping")


def safetensors_parts(path):
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    return n, json.loads(raw[8:8 + n].decode("utf-8")), raw[8 + n:]


def check_safetensors(tools, path):
    _, header0, data0 = safetensors_parts(path)
    inspected = tools.inspect_tensors(path)
    for record in (kRecord1, kRecord2):
        out = tools.stamp(path, record)
        check(out == {"location": "safetensors-metadata", "where": "__metadata__[git-model.provenance]"},
              "stamp said %s" % out)
        n, header, data = safetensors_parts(path)
        check(n % 8 == 0, "header length %d is not a multiple of 8" % n)
        check(data == data0, "tensor data changed")
        meta = header.pop("__metadata__")
        check(meta == {"format": "pt", "git-model.provenance": record}, "metadata is %s" % meta)
        header0_entries = {k: v for k, v in header0.items() if k != "__metadata__"}
        check(header == header0_entries, "tensor entries changed")
        check(list(header) == list(header0_entries), "tensor entry order changed")
        w = header["w"]["data_offsets"]
        check(np.frombuffer(data[w[0]:w[1]], dtype="<f4").tolist() == list(range(6)), "tensor w decodes differently")
        check(tools.read(path)["json"] == record, "read back a different record")
        check(tools.inspect_tensors(path) == inspected, "inspect lists different tensors after stamping")


def check_legacy(tools, path):
    before_bytes = path.read_bytes()
    before = tensors_of(torch_load(path))
    out = tools.stamp(path, kRecord1)
    sidecar = Path(str(path) + ".git-model.json")
    check(out == {"location": "sidecar", "where": str(sidecar.resolve())}, "stamp said %s" % out)
    check(path.read_bytes() == before_bytes, "legacy file changed")
    check(sidecar.read_text(encoding="utf-8") == kRecord1, "sidecar text differs")
    expect_same_state(before, tensors_of(torch_load(path)))
    tools.stamp(path, kRecord2)
    check(tools.read(path) == {"location": "sidecar", "where": str(sidecar.resolve()), "json": kRecord2},
          "re-stamp did not replace the sidecar")


kFixtureLoaders = {"torch.load": "torch.load", "torch.jit.load": "torch.jit.load"}
kIndependentLoaders = {"safetensors": "safetensors", "sharded-index": "index"}


def reference(path, loader):
    """What torch (or the independent safetensors reader) sees: tensors, layouts, SHA-256s.
    In this process: the fixtures are our own, so loading them runs no foreign code."""
    with kTorchLock:
        return torch_reference.kLoaders[loader](str(path))


def inspect_document(tools, path):
    """Fingerprint and tensors; file offsets move when a safetensors header grows."""
    doc = json.loads(tools.run(tools.git_model, "inspect", "--json", "--tensors", "--hashes", path))
    for t in doc["tensors"]:
        t.pop("file_offset", None)
    return doc.get("fingerprint"), doc["tensors"]


def check_fixture(tools, path, loader):
    """Any fixture of scripts/gen_fixtures.py: the reference and git-model see the same tensors."""
    before = reference(path, loader) if loader else None
    inspected = inspect_document(tools, path)
    for record in (kRecord1, kRecord2):
        out = tools.stamp(path, record)
        if out["location"] == "zip-record":
            check_zip_record(path, record, out["where"].split("/")[0])
        check(tools.read(path)["json"] == record, "read back a different record")
    check(inspect_document(tools, path) == inspected, "inspect --hashes differs after stamping")
    if loader:
        check(reference(path, loader) == before, "%s sees different tensors after stamping" % loader)


def fixture_cases(fixtures, work):
    """(title, check, path) for every non-error fixture, in a copy of the fixtures folder."""
    copy = work / "fixtures"
    shutil.copytree(fixtures, copy)
    cases = []
    with open(copy / "FIXTURES.tsv", encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    for name, loader, _, fmt in rows:
        if loader == "error":
            continue
        loader = kFixtureLoaders.get(loader) or kIndependentLoaders.get(fmt)
        cases.append(("fixture %s" % name, lambda t, p, l=loader: check_fixture(t, p, l), copy / name))
    return cases


def all_cases(args):
    files = write_inputs(args.work)
    cases = [("torch.save zip, prefix 'model'", check_torch_zip, files["model.pth"]),
             ("torch.save zip, prefix 'archive'", check_torch_zip, files["archive.ckpt"]),
             ("TorchScript", lambda t, p: check_torchscript(t, p, probe=True), files["net.jit"]),
             ("safetensors", check_safetensors, files["model.safetensors"]),
             ("legacy torch.save (sidecar)", check_legacy, files["legacy.pt"])]
    if args.corpus:
        for name in ("silero_vad.jit", "silero_vad_v3_2022.jit"):
            copy = args.work / name
            shutil.copyfile(args.corpus / name, copy)
            cases.append(("TorchScript from the corpus: " + name, check_torchscript, copy))
    if args.fixtures:
        cases += fixture_cases(args.fixtures, args.work)
    return cases


def run_case(tools, case):
    title, fn, path = case
    try:
        fn(tools, path)
        return True, "PASS %s" % title
    except Failed as e:
        return False, "FAIL %s: %s" % (title, e)
    except Exception as e:  # torch refusing a stamped file is a failure of this case, not a crash
        return False, "FAIL %s: %s: %s" % (title, type(e).__name__, e)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embed-record", required=True, type=Path)
    parser.add_argument("--git-model", required=True, type=Path)
    parser.add_argument("--work", required=True, type=Path)
    parser.add_argument("--corpus", type=Path, help="tests/corpus/real: its TorchScript files are stamped too")
    parser.add_argument("--fixtures", type=Path, help="scripts/gen_fixtures.py output: every fixture is stamped too")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    for i, record in enumerate((kRecord1, kRecord2)):
        (args.work / ("record-%d.json" % i)).write_text(record, encoding="utf-8")
    tools = Tools(args.embed_record.resolve(), args.git_model.resolve(), args.work)
    cases = all_cases(args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda case: run_case(tools, case), cases))
    for _, line in results:
        print(line)
    failures = sum(1 for ok, _ in results if not ok)
    print("%d of %d passed" % (len(cases) - failures, len(cases)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
