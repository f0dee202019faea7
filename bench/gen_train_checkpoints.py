#!/usr/bin/python3
"""Writes the checkpoints of the storage benchmark (bench/run_storage_bench.sh): a ~500 MB bfloat16
model saved during real training (Debian's torch, CPU), the way mixed-precision training keeps
float32 master weights and saves bfloat16 copies.

    gen_train_checkpoints.py OUT_DIR --scenario all|last2 [--checkpoints 10] [--steps 5]

Scenario "all": every layer trains (Adam, lr 1e-4), so every weight can move between checkpoints.
Scenario "last2": only the last two layers train (fine-tuning a frozen backbone).
Checkpoints are OUT_DIR/ckpt_00.pt ... (torch.save of the bfloat16 state_dict).
"""

import argparse
import os
import time

import torch

WIDTH = 5632   # 8 layers of 5632 x 5632 (+ bias): 254M parameters, 508 MB in bfloat16
LAYERS = 8
BATCH = 16


def build_model():
    torch.manual_seed(0)
    layers = []
    for i in range(LAYERS):
        layers.append(torch.nn.Linear(WIDTH, WIDTH))
        if i < LAYERS - 1:
            layers.append(torch.nn.GELU())
    return torch.nn.Sequential(*layers)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--scenario", choices=["all", "last2"], required=True)
    parser.add_argument("--checkpoints", type=int, default=10)
    parser.add_argument("--steps", type=int, default=5, help="optimizer steps between checkpoints")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(os.cpu_count())
    model = build_model()
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    if args.scenario == "last2":
        for layer in linears[:-2]:
            layer.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=1e-4)
    target = torch.nn.Linear(WIDTH, WIDTH)  # the function to learn: a fixed random projection
    target.requires_grad_(False)
    for c in range(args.checkpoints):
        start = time.time()
        for _ in range(args.steps if c else 1):
            x = torch.randn(BATCH, WIDTH)
            loss = torch.nn.functional.mse_loss(model(x), target(x))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        state = {k: v.to(torch.bfloat16) for k, v in model.state_dict().items()}
        path = os.path.join(args.out, f"ckpt_{c:02d}.pt")
        torch.save(state, path)
        print(f"{path}: loss {loss.item():.5f}, {time.time() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
