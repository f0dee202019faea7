"""Byte-level writers for checkpoint fixtures that torch 1.13 cannot produce itself.

Used by gen_fixtures.py: a hand-written pickle emitter (for torch 2.x `_rebuild_tensor_v3`
streams), a stored zip writer with torch's 64-byte data alignment, a safetensors writer, and a
pass that makes legacy torch.save output deterministic. Formats: /work/shared/FORMATS-REFERENCE.md
and docs/ in this repository.
"""

import io
import json
import pickle
import pickletools
import struct
import zipfile

import numpy as np

kAlignment = 64  # torch's zip writer starts every record's data on a 64-byte file offset


class PickleWriter:
    """Emits protocol-2 opcodes one by one, the way torch's own pickles look (minus the memo)."""

    def __init__(self, protocol=2):
        self.out = bytearray(b"\x80" + bytes([protocol]))

    def global_(self, module, name):
        self.out += b"c" + module.encode() + b"\n" + name.encode() + b"\n"

    def int_(self, v):
        if 0 <= v < 256:
            self.out += b"K" + bytes([v])
        elif 0 <= v < 65536:
            self.out += b"M" + struct.pack("<H", v)
        elif -2**31 <= v < 2**31:
            self.out += b"J" + struct.pack("<i", v)
        else:
            raw = v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True)
            self.out += b"\x8a" + bytes([len(raw)]) + raw

    def str_(self, s):
        raw = s.encode("utf-8")
        self.out += b"X" + struct.pack("<I", len(raw)) + raw

    def bool_(self, v):
        self.out += b"\x88" if v else b"\x89"

    def float_(self, v):
        self.out += b"G" + struct.pack(">d", v)

    def int_tuple(self, values):
        if not values:
            self.out += b")"
            return
        self.out += b"("
        for v in values:
            self.int_(v)
        self.out += b"t"

    def ordered_dict(self):
        self.global_("collections", "OrderedDict")
        self.out += b")R"

    def storage_pid(self, storage_module, storage_class, key, numel):
        """Persistent id ('storage', <type>, key, 'cpu', numel): numel counts bytes when untyped."""
        self.out += b"("
        self.str_("storage")
        self.global_(storage_module, storage_class)
        self.str_(key)
        self.str_("cpu")
        self.int_(numel)
        self.out += b"tQ"

    def tensor_v2(self, storage_class, key, numel, offset, size, stride):
        self.global_("torch._utils", "_rebuild_tensor_v2")
        self.out += b"("
        self.storage_pid("torch", storage_class, key, numel)
        self._view_args(offset, size, stride)
        self.out += b"tR"

    def tensor_v3(self, storage_module, key, nbytes, offset, size, stride, dtype):
        """torch 2.x form for dtypes without a typed storage class (float8, uint16, ...)."""
        self.global_("torch._utils", "_rebuild_tensor_v3")
        self.out += b"("
        self.storage_pid(storage_module, "UntypedStorage", key, nbytes)
        self._view_args(offset, size, stride)
        self.global_("torch", dtype)
        self.out += b"tR"

    def _view_args(self, offset, size, stride):
        self.int_(offset)
        self.int_tuple(size)
        self.int_tuple(stride)
        self.bool_(False)          # requires_grad
        self.ordered_dict()        # backward hooks

    def begin_dict(self):
        self.out += b"}("

    def end_dict(self):
        self.out += b"u"

    def finish(self):
        return bytes(self.out + b".")


def write_aligned_zip(path_or_file, records):
    """Stored (uncompressed) zip whose record data start on 64-byte offsets, as torch writes them.

    Like miniz in torch, the padding lives in an extra field with id "FB". Unlike miniz, sizes and
    CRC sit in the local header (no data descriptors); torch accepts both.
    """
    with zipfile.ZipFile(path_or_file, "w", zipfile.ZIP_STORED) as zf:
        for name, data in records:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            start = zf.fp.tell() + 30 + len(name.encode("utf-8")) + 4
            pad = (-start) % kAlignment
            info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)


def zip_records(data):
    """(name, bytes) of every member of an in-memory zip, in central-directory order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def check_alignment(path):
    """Raise unless every non-empty record's data starts on a 64-byte offset."""
    with open(path, "rb") as f, zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            f.seek(info.header_offset + 26)
            name_len, extra_len = struct.unpack("<HH", f.read(4))
            start = info.header_offset + 30 + name_len + extra_len
            if info.file_size and start % kAlignment:
                raise ValueError("%s: record %s data at %d" % (path, info.filename, start))


# Safetensors dtype code -> (item size, alignment rank). Writer order follows the reference
# implementation: larger alignment first, then name.
kSafetensorsItemSize = {"F64": 8, "I64": 8, "U64": 8, "C64": 8, "F32": 4, "I32": 4, "U32": 4,
                        "F16": 2, "BF16": 2, "I16": 2, "U16": 2, "I8": 1, "U8": 1, "BOOL": 1,
                        "F8_E4M3": 1, "F8_E5M2": 1}


def write_safetensors(path, tensors, metadata=None):
    """tensors: list of (name, dtype code, shape, raw little-endian row-major bytes)."""
    ordered = sorted(tensors, key=lambda t: (-kSafetensorsItemSize[t[1]], t[0]))
    header, offset = {}, 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in ordered:
        header[name] = {"dtype": dtype, "shape": list(shape),
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for _, _, _, raw in ordered:
            f.write(raw)
    return header


kLegacyPickles = 5  # magic, protocol version, sys_info, the object, the storage key list
kStringOpcode = {"BINUNICODE": (b"X", 4), "SHORT_BINUNICODE": (b"\x8c", 1),  # code, length bytes
                 "BINUNICODE8": (b"\x8d", 8)}
kLegacyItemSize = {"DoubleStorage": 8, "FloatStorage": 4, "HalfStorage": 2, "BFloat16Storage": 2,
                   "LongStorage": 8, "IntStorage": 4, "ShortStorage": 2, "CharStorage": 1,
                   "ByteStorage": 1, "BoolStorage": 1, "ComplexDoubleStorage": 16,
                   "ComplexFloatStorage": 8, "QInt8Storage": 1, "QUInt8Storage": 1,
                   "QInt32Storage": 4, "QUInt4x2Storage": 1, "QUInt2x4Storage": 1}


class _Inert:
    """Stands in for every class a pickle names, so reading it runs no code."""

    def __new__(cls, *args, **kwargs):
        return object.__new__(cls)

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        pass

    def __setitem__(self, key, value):
        pass

    def append(self, value):
        pass

    def extend(self, values):
        pass


class _StorageCollector(pickle.Unpickler):
    """Records each storage key's element size, in order of first appearance."""

    def __init__(self, data):
        super().__init__(io.BytesIO(data))
        self.item_size = {}

    def find_class(self, module, name):
        return type(name, (_Inert,), {"qualified": module + "." + name})

    def persistent_load(self, pid):
        if pid[0] == "storage":
            self.item_size.setdefault(pid[2], kLegacyItemSize[pid[1].__name__])
        return None


def normalize_legacy_keys(data):
    """Make a legacy torch.save file deterministic.

    torch's legacy writer names storages by memory address (str(storage._cdata)) and writes them
    in the string order of those names, so two runs never give the same bytes. This renames the
    keys "0", "1", ... in order of first appearance in the object pickle, then rewrites the key
    list and the storage blocks in the sorted order of the new names, as torch would have.
    """
    stream = io.BytesIO(data)
    ends = []
    for _ in range(kLegacyPickles):
        for _ in pickletools.genops(stream):
            pass
        ends.append(stream.tell())
    collector = _StorageCollector(data[ends[2]:ends[3]])
    collector.load()
    item_size = collector.item_size
    renamed = {key: str(i) for i, key in enumerate(item_size)}
    blocks, pos = {}, ends[4]
    for key in pickle.loads(data[ends[3]:ends[4]]):
        count = int.from_bytes(data[pos:pos + 8], "little")
        size = 8 + count * item_size[key]
        blocks[renamed[key]] = data[pos:pos + size]
        pos += size
    keys = sorted(blocks)
    return (data[:ends[2]] + rename_strings(data[ends[2]:ends[3]], renamed)
            + pickle.dumps(keys, protocol=data[1]) + b"".join(blocks[k] for k in keys) + data[pos:])


def rename_strings(pickle_bytes, renamed):
    """Re-encode the string opcodes whose text is a key of `renamed`, fixing FRAME lengths."""
    edits, frames = [], []  # edits: (start, end, replacement bytes)
    for op, arg, pos in pickletools.genops(pickle_bytes):
        if op.name == "FRAME":
            frames.append((pos, pos + 9, pos + 9 + arg))
        elif op.name in kStringOpcode and arg in renamed:
            code, width = kStringOpcode[op.name]
            new = renamed[arg].encode("utf-8")
            end = pos + 1 + width + len(arg.encode("utf-8"))
            edits.append((pos, end, code + len(new).to_bytes(width, "little") + new))
    for opcode_pos, start, end in frames:
        delta = sum(len(r) - (e - s) for s, e, r in edits if start <= s < end)
        if delta:
            edits.append((opcode_pos, start, b"\x95" + struct.pack("<Q", end - start + delta)))
    out, last = bytearray(), 0
    for start, end, replacement in sorted(edits):
        out += pickle_bytes[last:start] + replacement
        last = end
    return bytes(out + pickle_bytes[last:])


def strided_bytes(storage, itemsize, offset, shape, strides):
    """Logical row-major bytes of a view (offset/strides in elements) over raw storage bytes."""
    unit = np.dtype((np.void, itemsize))
    base = np.frombuffer(storage, dtype=unit)
    if not shape:
        return base[offset:offset + 1].tobytes()
    if 0 in shape:
        return b""
    view = np.lib.stride_tricks.as_strided(
        base[offset:], shape=shape, strides=[s * itemsize for s in strides], writeable=False)
    return np.ascontiguousarray(view).tobytes()


def float8_e4m3fn_table():
    """Values of all 256 float8_e4m3fn codes (NaN codes 0x7f and 0xff as nan)."""
    values = np.empty(256, dtype=np.float64)
    for code in range(256):
        sign = -1.0 if code & 0x80 else 1.0
        exp, man = (code >> 3) & 0xF, code & 0x7
        if exp == 0xF and man == 0x7:
            values[code] = np.nan
        elif exp == 0:
            values[code] = sign * man / 8.0 * 2.0 ** -6
        else:
            values[code] = sign * (1 + man / 8.0) * 2.0 ** (exp - 7)
    return values


def to_float8_e4m3fn(x):
    """Nearest finite float8_e4m3fn code for each value (saturating)."""
    table = float8_e4m3fn_table()
    finite = np.where(np.isnan(table), np.inf, table)
    x = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    return np.argmin(np.abs(finite[None, :] - x), axis=1).astype(np.uint8)


def to_float8_e5m2(x):
    """float8_e5m2 is the high byte of float16 (round to nearest, ties away)."""
    half = np.asarray(x, dtype=np.float16).view(np.uint16).astype(np.uint32)
    return ((half + 0x80) >> 8).astype(np.uint8)
