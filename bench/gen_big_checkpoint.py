#!/usr/bin/python3
"""Write a large state_dict-like checkpoint with torch.save, for the inspect benchmark.

    bench/gen_big_checkpoint.py OUT --gb N [--dtype mixed|float32|bfloat16] [--d-model 1024]

The state_dict is shaped like a decoder-only transformer: `embed.weight`, then per layer
`layers.<i>.attn.{q,k,v,o}.{weight,bias}`, `layers.<i>.mlp.{up,down}.{weight,bias}`,
`layers.<i>.norm{1,2}.{weight,bias}`, then `norm.*` and `lm_head.weight`; layers are added until
the tensor bytes reach N GiB. `mixed` (default) stores linear weights in bfloat16 and
embeddings, biases and norms in float32, like a bf16 training run's export.

Memory: tensors are not allocated. Each one is a window into a memory-mapped scratch file of
normal(0, 0.02) values (copy-on-write mapping, never written), so torch.save streams every
storage from the page cache and the process needs about the scratch size (a few hundred MB),
not N GB. Windows start at different page offsets, so tensors differ from one another.
Seeded: the same arguments give the same file.
"""

import argparse
import collections
import os
import sys
import tempfile
import time

import numpy as np
import torch

kGiB = 1 << 30
kPage = 4096
kWindowSlack = 64 << 20   # room for the windows to start at different offsets
kChunk = 1 << 24          # values generated per step when filling the scratch file


class Scratch:
    """A file of random float32 and bfloat16 values, mapped copy-on-write."""

    def __init__(self, directory, f32_values, bf16_values, seed):
        self.f32_values, self.bf16_values = f32_values, bf16_values
        fd, self.path = tempfile.mkstemp(prefix="scratch-", dir=directory)
        with os.fdopen(fd, "wb") as f:
            rng = np.random.default_rng(seed)
            self._fill(f, rng, f32_values, lambda x: x)
            self._fill(f, rng, bf16_values, lambda x: (x.view(np.uint32) >> 16).astype(np.uint16))
        self.f32 = np.memmap(self.path, dtype=np.float32, mode="c", shape=(f32_values,))
        self.bf16 = np.memmap(self.path, dtype=np.int16, mode="c", offset=f32_values * 4,
                              shape=(bf16_values,))
        self.rng = np.random.default_rng(seed + 1)

    @staticmethod
    def _fill(f, rng, count, convert):
        for start in range(0, count, kChunk):
            n = min(kChunk, count - start)
            f.write(convert((rng.standard_normal(n, dtype=np.float32) * 0.02)).tobytes())

    def tensor(self, shape, dtype):
        """A tensor of `shape` viewing the scratch values at a random page-aligned offset."""
        numel = int(np.prod(shape))
        source, itemsize = (self.f32, 4) if dtype == torch.float32 else (self.bf16, 2)
        span = (len(source) - numel) * itemsize // kPage
        start = int(self.rng.integers(0, max(span, 1))) * kPage // itemsize
        t = torch.from_numpy(source[start:start + numel]).view(*shape)
        return t if dtype == torch.float32 else t.view(torch.bfloat16)

    def close(self):
        del self.f32, self.bf16
        os.unlink(self.path)


def layer_shapes(i, d):
    """(name, shape, is_linear_weight) of one transformer block."""
    p = "layers.%d." % i
    shapes = []
    for proj, out_dim, in_dim in (("attn.q", d, d), ("attn.k", d, d), ("attn.v", d, d),
                                  ("attn.o", d, d), ("mlp.up", 4 * d, d), ("mlp.down", d, 4 * d)):
        shapes += [(p + proj + ".weight", (out_dim, in_dim), True), (p + proj + ".bias", (out_dim,), False)]
    for norm in ("norm1", "norm2"):
        shapes += [(p + norm + ".weight", (d,), False), (p + norm + ".bias", (d,), False)]
    return shapes


def plan(gb, d, vocab, dtype_mode):
    """The list of (name, shape, dtype) whose bytes first reach `gb` GiB."""
    def dtype_of(is_weight):
        if dtype_mode == "mixed":
            return torch.bfloat16 if is_weight else torch.float32
        return torch.float32 if dtype_mode == "float32" else torch.bfloat16

    def nbytes(entries):
        return sum(int(np.prod(s)) * (4 if t == torch.float32 else 2) for _, s, t in entries)

    head = [("embed.weight", (vocab, d), dtype_of(False))]
    tail = [("norm.weight", (d,), dtype_of(False)), ("norm.bias", (d,), dtype_of(False)),
            ("lm_head.weight", (vocab, d), dtype_of(True))]
    budget = gb * kGiB - nbytes(head + tail)
    body, i = [], 0
    while nbytes(body) < budget:
        body += [(n, s, dtype_of(w)) for n, s, w in layer_shapes(i, d)]
        i += 1
    return head + body + tail, i


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--gb", type=float, required=True, help="target tensor bytes, GiB")
    parser.add_argument("--dtype", choices=("mixed", "float32", "bfloat16"), default="mixed")
    parser.add_argument("--d-model", type=int, default=1024)
    parser.add_argument("--vocab", type=int, default=32000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    entries, layers = plan(args.gb, args.d_model, args.vocab, args.dtype)
    biggest = max(int(np.prod(s)) for _, s, _ in entries)
    pages = kWindowSlack // 4
    scratch = Scratch(os.path.dirname(os.path.abspath(args.out)), biggest + pages, biggest + 2 * pages,
                      args.seed)
    try:
        state_dict = collections.OrderedDict(
            (name, scratch.tensor(shape, dtype)) for name, shape, dtype in entries)
        began = time.monotonic()
        torch.save(state_dict, args.out)
        took = time.monotonic() - began
        del state_dict
    finally:
        scratch.close()
    tensor_bytes = sum(int(np.prod(s)) * (4 if t == torch.float32 else 2) for _, s, t in entries)
    print("%s: %d tensors (%d layers, d_model %d, %s), %.2f GiB of tensors, file %.2f GiB, "
          "torch.save %.1fs" % (args.out, len(entries), layers, args.d_model, args.dtype,
                                tensor_bytes / kGiB, os.path.getsize(args.out) / kGiB, took))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
