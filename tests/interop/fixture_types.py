"""Classes that fixture checkpoints pickle by reference.

A pickle names a class by module and qualified name, so torch.load can only rebuild these objects
when this module is importable under the same name (`fixture_types`). scripts/gen_fixtures.py and
tests/interop/torch_reference.py both put this directory on sys.path; nothing else should import it.
git-model itself never imports anything: to it these are opaque `fixture_types.<Name>` objects.
"""

import dataclasses
import enum

import torch
from torch import nn


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Precision(enum.IntEnum):
    FP32 = 32
    BF16 = 16


class Feature(enum.Flag):
    NONE = 0
    AUGMENT = 1
    MIXUP = 2


@dataclasses.dataclass
class TrainingArgs:
    """Like transformers.TrainingArguments in training_args.bin: a dataclass holding enums."""

    output_dir: str = "out"
    learning_rate: float = 3e-4
    precision: Precision = Precision.BF16
    color: Color = Color.GREEN
    features: Feature = Feature.AUGMENT | Feature.MIXUP
    class_weights: torch.Tensor = None


class SmallCNN(nn.Module):
    """A tiny CNN with BatchNorm, so its state_dict has `num_batches_tracked` int64 scalars."""

    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Linear(16, classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class Scale(nn.Module):
    """Traced on its own, its tensor literal becomes a graph constant (constants.pkl)."""

    def forward(self, x):
        return x * torch.tensor([0.5, 2.0])


class TinyScripted(nn.Module):
    """Scripted module with a parameter, a buffer, a plain tensor attribute and a traced child."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(3, 2)
        self.register_buffer("running_mean", torch.arange(2, dtype=torch.float32))
        self.offset = torch.full((2,), 0.25)
        self.scale = torch.jit.trace(Scale(), torch.ones(1, 2))

    def forward(self, x):
        return self.scale(self.linear(x) + self.running_mean) + self.offset
