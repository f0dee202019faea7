#!/usr/bin/python3
"""Writes tests/fixtures/checkpoint_metadata.pth: a small torch.save checkpoint in the shape training
scripts commonly write (a git dict, hyperparams, an argparse Namespace, versions, scalar progress
fields), read by src/hyperparams/checkpoint_metadata_test.cc.

Run with Debian's python3-torch: /usr/bin/python3 scripts/make_metadata_fixture.py
"""
import argparse
import os

import torch

torch.manual_seed(0)
model = torch.nn.Linear(2, 2)
checkpoint = {
    "model": model.state_dict(),
    "git": {"commit": "abc1234", "branch": "main", "dirty": False},
    "hyperparams": {"lr": 0.001, "layers": [1, 2], "optimizer": {"name": "adam", "betas": (0.9, 0.999)}},
    "pytorch_version": torch.__version__,
    "cuda_available": False,
    "epoch": 3,
    "loss": 0.25,
    "best_acc": torch.tensor(0.9375),
    "note": "x" * 2000,  # too long for a training field
    "args": argparse.Namespace(lr=0.1, name="x", device=torch.device("cpu")),
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "checkpoint_metadata.pth")
torch.save(checkpoint, os.path.normpath(out))
