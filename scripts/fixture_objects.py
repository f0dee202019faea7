"""The Python objects the fixtures save: state dicts, training checkpoints, odd layouts.

Used by gen_fixtures.py. Each builder returns a fresh object; the caller seeds the RNGs first, so
the values are reproducible. Classes pickled by reference live in tests/interop/fixture_types.py.
"""

import argparse
import collections
import random
import warnings

import numpy as np
import torch
from torch import nn

import fixture_types as ft  # on sys.path via gen_fixtures.py

kSeed = 20240611


def dtype_tensors():
    """One tensor per dtype torch 1.13 can save, with edge values (nan, inf, -0.0, extremes)."""
    floats = torch.tensor([[0.0, -0.0, 1.5, float("inf")], [float("-inf"), float("nan"), 1e-40, -3.25]])
    ints = [0, 1, -1, 127, -128, 42]
    return collections.OrderedDict([
        ("float64", floats.double()), ("float32", floats), ("float16", floats.half()),
        ("bfloat16", floats.bfloat16()),
        ("complex128", torch.complex(floats.double(), -floats.double())),
        ("complex64", torch.complex(torch.randn(3), torch.randn(3))),
        ("int64", torch.tensor(ints + [2**63 - 1, -2**63])),
        ("int32", torch.tensor(ints + [2**31 - 1, -2**31], dtype=torch.int32)),
        ("int16", torch.tensor(ints + [32767, -32768], dtype=torch.int16)),
        ("int8", torch.tensor(ints, dtype=torch.int8)),
        ("uint8", torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8)),
        ("bool", torch.tensor([[True, False, True], [False, False, True]])),
    ])


def quantized_tensors():
    x = torch.randn(4, 6)
    scales, zero_points = torch.tensor([0.05, 0.1, 0.2, 0.4]), torch.tensor([0, 1, -2, 3])
    return collections.OrderedDict([
        ("qint8", torch.quantize_per_tensor(x, 0.05, 0, torch.qint8)),
        ("quint8", torch.quantize_per_tensor(x, 0.05, 128, torch.quint8)),
        ("qint32", torch.quantize_per_tensor(x, 0.001, 0, torch.qint32)),
        ("qint8_per_channel", torch.quantize_per_channel(x, scales, zero_points, 0, torch.qint8)),
        ("quint8_per_channel_axis1", torch.quantize_per_channel(
            x, torch.linspace(0.01, 0.06, 6), torch.arange(6) * 10, 1, torch.quint8)),
        ("quint4x2", torch.quantize_per_tensor(torch.rand(4, 4), 0.1, 1, torch.quint4x2)),
        ("quint2x4", torch.quantize_per_tensor(torch.rand(2, 4), 0.5, 0, torch.quint2x4)),
        ("qint8_transposed", torch.quantize_per_tensor(x, 0.05, 0, torch.qint8).t()),
    ])


def layout_tensors():
    """Views whose strides and offsets differ from a fresh contiguous tensor."""
    base = torch.arange(60, dtype=torch.float32).reshape(3, 4, 5)
    image = torch.randn(2, 3, 4, 4)
    return collections.OrderedDict([
        ("contiguous", base),
        ("transposed", base[0].t()),
        ("permuted", base.permute(2, 0, 1)),
        ("step_slice", torch.arange(20)[::3]),
        ("column_step", base[:, 1::2, ::2]),
        ("offset_narrow", torch.arange(10.0)[4:9]),
        ("offset_row", base[2]),
        ("expanded", torch.arange(3.0).expand(4, 3)),
        ("fortran_order", torch.randn(3, 4).t().contiguous().t()),
        ("channels_last", image.contiguous(memory_format=torch.channels_last)),
        ("overlapping_unfold", torch.arange(8.0).unfold(0, 3, 1)),
        ("unsqueezed", torch.arange(4.0)[1:].unsqueeze(0).unsqueeze(2)),
        ("bf16_transposed", torch.randn(3, 5).bfloat16().t()),
        ("bool_step", (torch.arange(10) % 3 == 0)[1::2]),
    ])


def tied_tensors():
    """Shared storages: one object under two names, and distinct views of one storage."""
    weight = torch.randn(5, 4)
    embedding = torch.randn(6, 3)
    return collections.OrderedDict([
        ("encoder.weight", weight),
        ("decoder.weight", weight),            # same object: pickled once (memo), two names here
        ("decoder.weight_t", weight.t()),      # distinct view object, same storage
        ("first_row", weight[0]),              # view with no offset
        ("last_row", weight[4]),               # view with storage offset 16
        ("embedding", embedding),
        ("embedding_flat", embedding.view(-1)),
        ("nested", {"again": weight, "tail": embedding[3:]}),
    ])


def tied_module_state_dict():
    """A module with tied parameters: state_dict() detaches, so two objects share one storage."""
    model = nn.Sequential(nn.Embedding(10, 4), nn.Linear(4, 10, bias=False))
    model[1].weight = model[0].weight
    return model.state_dict()


def scalar_empty_tensors():
    return collections.OrderedDict([
        ("scalar_f32", torch.tensor(3.5)), ("scalar_i64", torch.tensor(-7)),
        ("scalar_bool", torch.tensor(True)), ("scalar_bf16", torch.tensor(0.1, dtype=torch.bfloat16)),
        ("scalar_c64", torch.tensor(1 - 2j, dtype=torch.complex64)),
        ("scalar_from_view", torch.arange(5.0)[3]),
        ("empty_1d", torch.zeros(0)), ("empty_3x0", torch.zeros(3, 0)),
        ("empty_i64", torch.zeros(0, dtype=torch.int64)), ("empty_2x0x3", torch.zeros(2, 0, 3)),
        ("empty_t", torch.zeros(0, 4).t()),
    ])


def nested_object():
    t = torch.arange(6.0).reshape(2, 3)
    return {
        "a": {"b": {"c": t}},
        "list": [torch.ones(2), [torch.zeros(1, dtype=torch.int32), (torch.full((2,), 2.0),
                                                                      {"deep": torch.eye(2)})]],
        "tuple": (torch.tensor([1, 2, 3]),),
        7: torch.tensor([7.0]),                 # int key: named "7"
        "ñame/权重": torch.tensor([0.5]),       # non-ASCII key
        "none": None, "str": "hello", "float": 1.5, "neg_int": -5, "big_int": 2**70,
        "bytes": b"\x00\x01\xff", "empty_dict": {}, "empty_list": [], "empty_tuple": (),
        "size": torch.Size([2, 3]), "dtype": torch.float16, "device": torch.device("cpu"),
        "set": {1, 2, 3}, "complex": 1 + 2j, "bool": True,
    }


def cnn_state_dict():
    torch.manual_seed(1)
    model = ft.SmallCNN()
    model.train()
    model(torch.randn(4, 3, 8, 8))   # one forward pass updates BatchNorm running stats
    return model.state_dict()


def adam_after_one_step(model):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = model(torch.randn(4, 3, 8, 8)).logsumexp(1).mean()
    loss.backward()
    optimizer.step()
    return optimizer, float(loss)


def training_checkpoint():
    """The widely shared hand-written training checkpoint recipe."""
    model = ft.SmallCNN()
    optimizer, loss = adam_after_one_step(model)
    return {
        "epoch": 3,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "loss": loss,
        "hyperparams": {"lr": 1e-3, "batch_size": 32, "architecture": "SmallCNN"},
        "git": {"commit": "9fceb02d0ae598e95dc970b74767f19372d61af8", "branch": "main", "dirty": True},
        "pytorch_version": torch.__version__,     # a torch.torch_version.TorchVersion (str subclass)
        "cuda_available": torch.cuda.is_available(),
    }


def lightning_checkpoint():
    """Shaped like Lightning 2.x's `.ckpt` dict (Lightning itself is not needed)."""
    model = ft.SmallCNN()
    optimizer, _ = adam_after_one_step(model)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
    with warnings.catch_warnings():  # "lr_scheduler.step() before optimizer.step()": on purpose
        warnings.simplefilter("ignore")
        scheduler.step()
    best = torch.tensor(0.4321)
    monitor = ("ModelCheckpoint{'monitor': 'val_loss', 'mode': 'min', 'every_n_train_steps': 0, "
               "'every_n_epochs': 1, 'train_time_interval': None}")
    best_path = "/runs/exp1/checkpoints/epoch=3-step=40.ckpt"
    args = argparse.Namespace(lr=1e-3, batch_size=32, layers=[8, 16], device=torch.device("cpu"),
                              dtype=torch.bfloat16, class_weights=torch.linspace(0.5, 1.5, 10))
    return {
        "epoch": 4, "global_step": 50, "pytorch-lightning_version": "2.1.3",
        "state_dict": collections.OrderedDict(("model." + k, v) for k, v in model.state_dict().items()),
        "loops": {"fit_loop": {"state_dict": {}, "epoch_loop.state_dict": {"_batches_that_stepped": 50},
                               "epoch_progress": {"total": {"ready": 5, "completed": 4}}}},
        "callbacks": {monitor: {"monitor": "val_loss", "best_model_score": best,
                                "best_model_path": best_path, "current_score": torch.tensor(0.45),
                                "best_k_models": {best_path: best}, "kth_best_model_path": best_path,
                                "kth_value": best, "last_model_path": ""}},
        "optimizer_states": [optimizer.state_dict()],
        "lr_schedulers": [scheduler.state_dict()],
        "hparams_name": "kwargs",
        "hyper_parameters": {"lr": 1e-3, "args": args, "device": torch.device("cuda", 0),
                             "dtype": torch.float16, "precision": "bf16-mixed"},
    }


def protocol_object():
    """Values that exercise protocol-specific opcodes (bytes, sets, big ints, long strings, batches)."""
    shared = torch.randn(3)
    return {
        "tensor": torch.randn(2, 3), "shared": shared, "shared_again": [shared],
        "bytes": b"\x00\x80\xff" * 3, "bytearray": bytearray(b"abc"), "set": {1, 2}, "frozenset": frozenset({3}),
        "complex": 2 - 1j, "ints": [0, 255, 256, 65535, 65536, -1, -2**31, 2**31, 2**64, -2**100],
        "float": -0.125, "long_str": "x" * 300, "unicode": "ünïcødé",
        "batch_list": list(range(1100)), "batch_dict": {i: i for i in range(1001)},
        "after_batches": torch.arange(4, dtype=torch.int16),
    }


def namespace_numpy_object():
    return {
        "args": argparse.Namespace(lr=0.1, layers=[64, 64], init=torch.randn(3), seed=np.int64(7),
                                   momentum=np.float32(0.9), device=torch.device("cpu")),
        "np_f32": np.float32(1.5), "np_i64": np.int64(-3), "np_f64": np.float64(2.25),
        "np_array": np.arange(6, dtype=np.float32).reshape(2, 3),
        "np_array_f16": np.linspace(0, 1, 5).astype(np.float16), "np_bool": np.array([True, False]),
        "np_fortran": np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)),
        "tensor": torch.tensor([1.0, 2.0]),
    }


def rng_state_object():
    """Like the Hugging Face Trainer's rng_state.pth."""
    return {"python": random.getstate(), "numpy": np.random.get_state(), "cpu": torch.get_rng_state()}


def enum_object():
    return {"color": ft.Color.RED, "precision": ft.Precision.BF16,
            "features": ft.Feature.AUGMENT | ft.Feature.MIXUP, "weights": torch.ones(2),
            "by_color": {ft.Color.GREEN.name: torch.zeros(1)}}


def parameters_object():
    return collections.OrderedDict([
        ("trainable", nn.Parameter(torch.randn(2, 3))),
        ("frozen", nn.Parameter(torch.randn(3), requires_grad=False)),
        ("leaf_requires_grad", torch.randn(2, requires_grad=True)),
    ])


def mlp_state_dict():
    """Fixed weights shared by the shard fixtures (each shard file is built separately)."""
    torch.manual_seed(kSeed)
    model = nn.Sequential(nn.Linear(8, 16), nn.LayerNorm(16), nn.Linear(16, 4))
    return collections.OrderedDict((k, v.bfloat16() if k.startswith("2.") else v)
                                   for k, v in model.state_dict().items())


def trained_small_cnn(steps=20):
    """SmallCNN trained briefly on synthetic data (for the README examples)."""
    model = ft.SmallCNN(classes=4)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    inputs, labels = torch.randn(64, 3, 8, 8), torch.randint(0, 4, (64,))
    for step in range(steps):
        batch = slice(step % 4 * 16, step % 4 * 16 + 16)
        loss = nn.functional.cross_entropy(model(inputs[batch]), labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model, optimizer, float(loss)


def example_model_best():
    model, optimizer, loss = trained_small_cnn()
    return {"epoch": 12, "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(), "loss": loss, "best_val_acc": 0.8125,
            "hyperparams": {"lr": 3e-3, "batch_size": 16, "architecture": "SmallCNN", "classes": 4},
            "git": {"commit": "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "branch": "main", "dirty": False},
            "pytorch_version": torch.__version__, "cuda_available": torch.cuda.is_available()}


def bare_tensor():
    return torch.randn(3, 4)


def bare_parameter():
    return nn.Parameter(torch.randn(4, 2))


def training_args():
    return ft.TrainingArgs(class_weights=torch.tensor([1.0, 2.0, 0.5]))


def whole_module():
    return ft.SmallCNN()
