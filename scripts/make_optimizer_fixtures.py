#!/usr/bin/env python3
"""Generate the float64 PyTorch reference trajectory for the Java optimizer tests.

Two parameters, a matrix ``w`` (3, 4) that takes weight decay and a bias ``b`` (4,) that does not,
receive a fixed sequence of five gradients. For each optimizer the parameters after every step are
recorded:

* ``sgd``:   torch.optim.SGD(momentum=0.9, weight_decay=0.01 on w only), lr 0.1
* ``adam``:  torch.optim.Adam(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01 on w only), lr 0.01
* ``adamw``: torch.optim.AdamW(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1 on w only), lr 0.01

Output: ``framework/tensor/src/test/resources/reference/optimizers.json`` with
``{"generator", "torch_version", "w0", "b0", "grads": [{"w", "b"}...], "trajectories": {name: [{"w", "b"}...]}}``
(arrays as nested lists). Exit code 3 if PyTorch cannot be imported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

try:
    import torch
except ImportError as exc:
    print(f"make_optimizer_fixtures: PyTorch is not available ({exc})", file=sys.stderr)
    sys.exit(3)

OUT = Path(__file__).resolve().parent.parent / "framework/tensor/src/test/resources/reference/optimizers.json"
STEPS = 5


def trajectory(make_optimizer, w0: torch.Tensor, b0: torch.Tensor, grads: list[dict]) -> list[dict]:
    w = w0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    optimizer = make_optimizer(w, b)
    states = []
    for g in grads:
        w.grad = g["w"].clone()
        b.grad = g["b"].clone()
        optimizer.step()
        states.append({"w": w.detach().tolist(), "b": b.detach().tolist()})
    return states


def main() -> int:
    torch.manual_seed(7)
    dtype = torch.float64
    w0 = torch.randn(3, 4, dtype=dtype)
    b0 = torch.randn(4, dtype=dtype)
    grads = [{"w": torch.randn(3, 4, dtype=dtype), "b": torch.randn(4, dtype=dtype)} for _ in range(STEPS)]

    def groups(w, b, decay):
        return [{"params": [w], "weight_decay": decay}, {"params": [b], "weight_decay": 0.0}]

    optimizers = {
        "sgd": lambda w, b: torch.optim.SGD(groups(w, b, 0.01), lr=0.1, momentum=0.9),
        "adam": lambda w, b: torch.optim.Adam(groups(w, b, 0.01), lr=0.01, betas=(0.9, 0.999), eps=1e-8),
        "adamw": lambda w, b: torch.optim.AdamW(groups(w, b, 0.1), lr=0.01, betas=(0.9, 0.999), eps=1e-8),
    }
    fixture = {
        "generator": "scripts/make_optimizer_fixtures.py",
        "torch_version": torch.__version__,
        "w0": w0.tolist(),
        "b0": b0.tolist(),
        "grads": [{"w": g["w"].tolist(), "b": g["b"].tolist()} for g in grads],
        "trajectories": {name: trajectory(make, w0, b0, grads) for name, make in optimizers.items()},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
