#!/usr/bin/env python3
"""Generate the float64 PyTorch reference fixture for the Java multi-head attention block test.

The block is one full pre-LN multi-head self-attention layer with a residual connection::

    a = LN(x) * g + beta                        (LayerNorm over D, eps 1e-5, biased variance)
    Q = a @ W_q + b_q,  K = a @ W_k + b_k,  V = a @ W_v + b_v
    S = mask(Q_h @ K_hᵀ / sqrt(Dh))             per head h (columns h*Dh:(h+1)*Dh)
    y = x + concat_h(softmax(S) @ V_h) @ W_o + b_o
    loss = sum(y * R)

Weights follow the Java convention: ``W`` has shape (in, out) so that ``y = x @ W + b``.
The mask combines a causal mask (key j > query i) with a key-padding mask (in batch element 1
the last two keys are padding); masked scores are replaced by -1e9 with ``masked_fill`` before
the softmax (not -inf), so every row keeps at least one live key.

Output: ``plugins/transformer/src/test/resources/reference/mha_block.json`` (see ``--out``)::

    {"generator": ..., "torch_version": ..., "config": {"B", "T", "D", "H", "eps", "pad"},
     "tensors": {name: {"shape": [...], "data": [flat row-major floats]}}}

with the inputs, parameters, ``r``, the output ``y``, the scalar ``loss`` (shape []) and
``grad_<name>`` for ``x`` and every parameter. The RNG is seeded so the file is reproducible.
``--check`` additionally compares autograd with central finite differences in float64.

Exit codes: 0 on success, 1 if ``--check`` finds a mismatch, 3 if PyTorch cannot be imported.
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
    print(f"make_reference_fixtures: PyTorch is not available ({exc}); "
          "install scripts/requirements-reference.txt", file=sys.stderr)
    sys.exit(3)

GENERATOR = "scripts/make_reference_fixtures.py"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "plugins/transformer/src/test/resources/reference/mha_block.json"

SEED = 1234
B, T, D, H = 2, 5, 8, 2
DH = D // H
EPS = 1e-5
MASK_VALUE = -1e9
# 1 = padding key: in batch element 1 the last two key positions are never attended to.
PAD = [[0, 0, 0, 0, 0], [0, 0, 0, 1, 1]]

PARAM_NAMES = ["ln_g", "ln_b", "wq", "bq", "wk", "bk", "wv", "bv", "wo", "bo"]
GRAD_NAMES = ["x", *PARAM_NAMES]

Tensors = dict[str, torch.Tensor]


def make_inputs() -> Tensors:
    """Seeded float64 inputs, parameters and the loss weights ``r``.

    LayerNorm gain and bias are random (around 1 and 0) so that their gradients are exercised;
    projection weights are scaled by 1/sqrt(D) so the softmax is neither flat nor saturated.
    """
    torch.manual_seed(SEED)

    def randn(*shape: int, scale: float = 1.0) -> torch.Tensor:
        return torch.randn(*shape, dtype=torch.float64) * scale

    w_scale = 1.0 / math.sqrt(D)
    return {
        "x": randn(B, T, D),
        "ln_g": 1.0 + randn(D, scale=0.2),
        "ln_b": randn(D, scale=0.1),
        "wq": randn(D, D, scale=w_scale),
        "bq": randn(D, scale=0.1),
        "wk": randn(D, D, scale=w_scale),
        "bk": randn(D, scale=0.1),
        "wv": randn(D, D, scale=w_scale),
        "bv": randn(D, scale=0.1),
        "wo": randn(D, D, scale=w_scale),
        "bo": randn(D, scale=0.1),
        "r": randn(B, T, D),
    }


def attention_mask() -> torch.Tensor:
    """Boolean (B, 1, T, T) mask, True where query i must not see key j (causal or padding)."""
    future = torch.ones(T, T, dtype=torch.bool).triu(diagonal=1)  # (Tq, Tk)
    padding = torch.tensor(PAD, dtype=torch.bool)  # (B, Tk)
    return future[None, None, :, :] | padding[:, None, None, :]


def layer_norm(x: torch.Tensor, gain: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """LayerNorm over the last dimension with biased variance, written out explicitly."""
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + EPS) * gain + bias


def split_heads(t: torch.Tensor) -> torch.Tensor:
    """(B, T, D) -> (B, H, T, Dh); head h takes columns h*Dh:(h+1)*Dh."""
    return t.view(B, T, H, DH).transpose(1, 2)


def mha_block(p: Tensors) -> torch.Tensor:
    """The pre-LN self-attention block with residual; returns y of shape (B, T, D)."""
    a = layer_norm(p["x"], p["ln_g"], p["ln_b"])
    q = split_heads(a @ p["wq"] + p["bq"])
    k = split_heads(a @ p["wk"] + p["bk"])
    v = split_heads(a @ p["wv"] + p["bv"])
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(DH)
    scores = scores.masked_fill(attention_mask(), MASK_VALUE)
    mixed = torch.softmax(scores, dim=-1) @ v  # (B, H, T, Dh)
    concat = mixed.transpose(1, 2).reshape(B, T, D)
    return p["x"] + concat @ p["wo"] + p["bo"]


def loss_fn(p: Tensors) -> torch.Tensor:
    """Scalar loss sum(y * R)."""
    return (mha_block(p) * p["r"]).sum()


def compute_reference() -> Tensors:
    """Inputs, outputs and autograd gradients of everything in ``GRAD_NAMES``."""
    p = make_inputs()
    for name in GRAD_NAMES:
        p[name].requires_grad_(True)
    y = mha_block(p)
    loss = (y * p["r"]).sum()
    loss.backward()

    out: Tensors = {name: t.detach() for name, t in p.items()}
    out["y"] = y.detach()
    out["loss"] = loss.detach()
    for name in GRAD_NAMES:
        out[f"grad_{name}"] = p[name].grad.detach()
    return out


def tensor_entry(t: torch.Tensor) -> dict[str, list]:
    """JSON form of a tensor: its shape and flat row-major data as Python floats."""
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def to_json(ref: Tensors) -> str:
    """Serialise the fixture; one tensor per line, floats written with ``repr`` (round-trip)."""
    order = ["x", *PARAM_NAMES, "r", "y", "loss", *(f"grad_{n}" for n in GRAD_NAMES)]
    header = {
        "generator": GENERATOR,
        "torch_version": torch.__version__,
        "config": {"B": B, "T": T, "D": D, "H": H, "eps": EPS, "pad": PAD},
    }
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value)},")
    lines.append('  "tensors": {')
    for i, name in enumerate(order):
        comma = "," if i < len(order) - 1 else ""
        lines.append(f"    {json.dumps(name)}: {json.dumps(tensor_entry(ref[name]))}{comma}")
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def finite_difference_check(ref: Tensors, step: float = 1e-6, tol: float = 1e-7) -> bool:
    """Compare one autograd gradient entry per tensor with a central difference in float64.

    The entries are picked at fixed, non-trivial positions. Prints a line per entry and returns
    True when every relative error is below ``tol``.
    """
    base = {name: t.clone() for name, t in ref.items()
            if name in GRAD_NAMES or name == "r"}
    gen = torch.Generator().manual_seed(SEED + 1)
    ok = True
    worst = 0.0
    for name in GRAD_NAMES:
        flat_index = int(torch.randint(0, base[name].numel(), (1,), generator=gen))
        index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat_index),
                                                          base[name].shape))
        plus = {k: v.clone() for k, v in base.items()}
        minus = {k: v.clone() for k, v in base.items()}
        plus[name][index] += step
        minus[name][index] -= step
        numeric = (loss_fn(plus).item() - loss_fn(minus).item()) / (2 * step)
        analytic = ref[f"grad_{name}"][index].item()
        rel = abs(numeric - analytic) / max(1.0, abs(analytic))
        worst = max(worst, rel)
        ok &= rel < tol
        print(f"  grad_{name}{list(index)}: autograd {analytic:+.12e}  "
              f"finite-diff {numeric:+.12e}  rel.err {rel:.2e}", file=sys.stderr)
    print(f"finite-difference check {'passed' if ok else 'FAILED'} "
          f"(worst rel.err {worst:.2e}, tol {tol:.0e})", file=sys.stderr)
    return ok


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output JSON file (default: {DEFAULT_OUT.relative_to(REPO_ROOT)})")
    parser.add_argument("--check", action="store_true",
                        help="verify gradients against central finite differences (float64)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ref = compute_reference()

    # With a -1e9 fill a fully masked query row would silently average all keys; make sure
    # every query keeps at least one live key.
    live = (~attention_mask()).any(dim=-1)
    assert bool(live.all()), "a query row is fully masked"

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(to_json(ref), encoding="utf-8")
    print(f"wrote {args.out} (loss {ref['loss'].item():.15g})", file=sys.stderr)

    if args.check and not finite_difference_check(ref):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
