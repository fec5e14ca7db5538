#!/usr/bin/env python3
"""Generate float64 PyTorch reference values for talking-heads attention (Shazeer et al. 2020).

Written from the paper's equations with ``torch.einsum``, independently of the Java code (which
permutes heads last and uses a matrix product):

    logits[b,h,i,j] = q[b,h,i,:] . k[b,h,j,:] / sqrt(Dh)
    mixed[b,g,i,j]  = sum_h logits[b,h,i,j] * P_logits[h,g]          # heads talk before the softmax
    weights         = softmax_j(mixed + mask)                        # mask: 0 or -1e9
    talked[b,g,i,j] = sum_h weights[b,h,i,j] * P_weights[h,g]        # and after it
    out             = merge_heads(talked @ v) @ W_o + b_o

Two cases: cross-attention with a padded key (row 1's last key is padding), and causal
self-attention. For each, the output and the gradients of ``loss = sum(out * r)`` with respect to
the inputs and the two mixing matrices.

Weights follow the Java convention: ``W`` has shape (in, out) so that ``y = x @ W + b``.
Output: ``src/test/resources/reference/talking_heads.json`` (see ``--out``)::

    {"generator": ..., "torch_version": ..., "config": {...},
     "tensors": {name: {"shape": [...], "data": [flat row-major floats]}}}

Seeded, so the file is reproducible. Exit codes: 0 on success, 3 if PyTorch is missing.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

try:
    import torch
except ImportError as exc:
    print(f"make_reference: PyTorch is not available ({exc})", file=sys.stderr)
    sys.exit(3)

GENERATOR = "examples/talking-heads-attention/scripts/make_reference.py"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src/test/resources/reference/talking_heads.json"

SEED = 2003
B, TQ, TK, D, H = 2, 3, 4, 8, 2
MASKED = -1e9


def randn(*shape: int, scale: float = 1.0) -> torch.Tensor:
    return torch.randn(*shape, dtype=torch.float64) * scale


def attention(x, memory, p, keep):
    dh = D // H

    def split(t):                                           # (B, T, D) -> (B, H, T, Dh)
        return t.reshape(t.shape[0], t.shape[1], H, dh).permute(0, 2, 1, 3)

    q = split(x @ p["query.weight"] + p["query.bias"])
    k = split(memory @ p["key.weight"] + p["key.bias"])
    v = split(memory @ p["value.weight"] + p["value.bias"])
    logits = torch.einsum("bhid,bhjd->bhij", q, k) / math.sqrt(dh)
    mixed = torch.einsum("bhij,hg->bgij", logits, p["logit_mix"])
    mixed = mixed + (1 - keep) * MASKED
    weights = torch.softmax(mixed, dim=-1)
    talked = torch.einsum("bhij,hg->bgij", weights, p["weight_mix"])
    heads = torch.einsum("bhij,bhjd->bhid", talked, v)
    merged = heads.permute(0, 2, 1, 3).reshape(x.shape[0], x.shape[1], D)
    return merged @ p["output.weight"] + p["output.bias"]


def case(name, x, memory, p, keep, tensors):
    x = x.clone().requires_grad_(True)
    memory = memory.clone().requires_grad_(True)
    for t in p.values():
        t.grad = None
    out = attention(x, memory, p, keep)
    r = randn(*out.shape)
    (out * r).sum().backward()
    tensors[f"{name}_x"] = x.detach()
    tensors[f"{name}_memory"] = memory.detach()
    tensors[f"{name}_r"] = r
    tensors[f"{name}_out"] = out.detach()
    tensors[f"{name}_grad_x"] = x.grad
    tensors[f"{name}_grad_memory"] = memory.grad
    tensors[f"{name}_grad_logit_mix"] = p["logit_mix"].grad.clone()
    tensors[f"{name}_grad_weight_mix"] = p["weight_mix"].grad.clone()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    torch.manual_seed(SEED)

    p = {}
    for name in ("query", "key", "value", "output"):
        p[f"{name}.weight"] = randn(D, D, scale=0.4)
        p[f"{name}.bias"] = randn(D, scale=0.1)
    # Mixing matrices away from the identity, so that the test sees heads talk.
    p["logit_mix"] = randn(H, H, scale=0.8) + torch.eye(H, dtype=torch.float64)
    p["weight_mix"] = randn(H, H, scale=0.8) + torch.eye(H, dtype=torch.float64)
    for t in p.values():
        t.requires_grad_(True)

    tensors = {name: t.detach() for name, t in p.items()}

    key_valid = torch.ones(B, TK, dtype=torch.float64)
    key_valid[1, TK - 1] = 0
    tensors["cross_key_valid"] = key_valid
    case("cross", randn(B, TQ, D), randn(B, TK, D), p, key_valid[:, None, None, :], tensors)

    x = randn(B, TK, D)
    causal = torch.tril(torch.ones(TK, TK, dtype=torch.float64))[None, None]
    case("causal", x, x, p, causal, tensors)

    out = {
        "generator": GENERATOR,
        "torch_version": torch.__version__,
        "config": {"B": B, "Tq": TQ, "Tk": TK, "D": D, "H": H, "seed": SEED},
        "tensors": {k: {"shape": list(v.shape), "data": v.reshape(-1).tolist()} for k, v in tensors.items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out) + "\n")
    print(f"wrote {args.out} ({len(tensors)} tensors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
