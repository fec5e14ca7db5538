#!/usr/bin/env python3
"""Generate float64 PyTorch reference values for batchnorm-with-padding, rmsnorm and swiglu.

Three independent computations, each a forward pass, a backward pass of ``loss = sum(y * r)`` and,
for batch norm, the running statistics:

* **batchnorm** (training, momentum 0.1, eps 1e-5) over the *real* tokens only: the real rows
  ``x[valid]`` go through ``torch.nn.functional.batch_norm`` (which updates the running mean and
  the *unbiased* running variance in place). Padding rows are normalised with the same batch
  statistics; their loss weights are 0, as in a model where padded outputs are never scored, so the
  gradients are PyTorch's own. Then an evaluation pass with the updated running statistics.
* **rmsnorm** (eps 1e-6) with ``torch.nn.functional.rms_norm``.
* **swiglu**: ``(silu(x @ w_gate) * (x @ w_value)) @ w_down``, no biases (Shazeer 2020).

Weights follow the Java convention: ``W`` has shape (in, out) so that ``y = x @ W``.

Output: ``plugins/transformer/src/test/resources/reference/norm_ffn.json`` (see ``--out``)::

    {"generator": ..., "torch_version": ..., "config": {...},
     "tensors": {name: {"shape": [...], "data": [flat row-major floats]}}}

The RNG is seeded so the file is reproducible. Exit codes: 0 on success, 3 if PyTorch is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

try:
    import torch
    import torch.nn.functional as F
except ImportError as exc:
    print(f"make_norm_ffn_fixtures: PyTorch is not available ({exc}); "
          "install scripts/requirements-reference.txt", file=sys.stderr)
    sys.exit(3)

GENERATOR = "scripts/make_norm_ffn_fixtures.py"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "plugins/transformer/src/test/resources/reference/norm_ffn.json"

SEED = 2024
B, T, D, HIDDEN = 2, 5, 8, 12
LENGTHS = [5, 3]            # real tokens per row; the rest is padding
BN_EPS, BN_MOMENTUM = 1e-5, 0.1
RMS_EPS = 1e-6

Tensors = dict[str, torch.Tensor]


def randn(*shape: int, scale: float = 1.0, shift: float = 0.0) -> torch.Tensor:
    return torch.randn(*shape, dtype=torch.float64) * scale + shift


def valid_mask() -> torch.Tensor:
    """(B, T) booleans, True for real tokens."""
    return torch.arange(T)[None, :] < torch.tensor(LENGTHS)[:, None]


def batchnorm(out: Tensors) -> None:
    valid = valid_mask()
    x = randn(B, T, D, scale=1.5, shift=0.3).requires_grad_(True)
    gain = randn(D, scale=0.2, shift=1.0).requires_grad_(True)
    bias = randn(D, scale=0.1).requires_grad_(True)
    running_mean = randn(D, scale=0.5)
    running_var = randn(D, scale=0.3).abs() + 0.5
    r = randn(B, T, D) * valid[:, :, None]                     # padded outputs are not scored
    out.update(bn_x=x.detach().clone(), bn_gain=gain.detach().clone(), bn_bias=bias.detach().clone(),
               bn_running_mean_before=running_mean.clone(), bn_running_var_before=running_var.clone(),
               bn_r=r)

    real = x[valid]                                                # (N_real, D)
    y_real = F.batch_norm(real, running_mean, running_var, gain, bias, training=True,
                          momentum=BN_MOMENTUM, eps=BN_EPS)
    with torch.no_grad():
        mean = real.mean(0)
        var = real.var(0, unbiased=False)
        y = (x - mean) / torch.sqrt(var + BN_EPS) * gain + bias  # every position, batch statistics
        y[valid] = y_real
    loss = (y_real * r[valid]).sum()
    loss.backward()
    with torch.no_grad():
        y_eval = F.batch_norm(x.reshape(-1, D), running_mean, running_var, gain, bias, training=False,
                              eps=BN_EPS).reshape(B, T, D)
    out.update(bn_y=y, bn_loss=loss.detach(), bn_grad_x=x.grad, bn_grad_gain=gain.grad, bn_grad_bias=bias.grad,
               bn_running_mean=running_mean, bn_running_var=running_var, bn_eval_y=y_eval)


def rmsnorm(out: Tensors) -> None:
    x = randn(B, T, D, scale=1.5, shift=0.3).requires_grad_(True)
    gain = randn(D, scale=0.2, shift=1.0).requires_grad_(True)
    r = randn(B, T, D)
    y = F.rms_norm(x, (D,), gain, RMS_EPS)
    (y * r).sum().backward()
    out.update(rms_x=x.detach(), rms_gain=gain.detach(), rms_r=r, rms_y=y.detach(),
               rms_grad_x=x.grad, rms_grad_gain=gain.grad)


def swiglu(out: Tensors) -> None:
    x = randn(B, T, D).requires_grad_(True)
    w_gate = randn(D, HIDDEN, scale=0.5).requires_grad_(True)
    w_value = randn(D, HIDDEN, scale=0.5).requires_grad_(True)
    w_down = randn(HIDDEN, D, scale=0.3).requires_grad_(True)
    r = randn(B, T, D)
    y = (F.silu(x @ w_gate) * (x @ w_value)) @ w_down
    (y * r).sum().backward()
    out.update(swiglu_x=x.detach(), swiglu_w_gate=w_gate.detach(), swiglu_w_value=w_value.detach(),
               swiglu_w_down=w_down.detach(), swiglu_r=r, swiglu_y=y.detach(), swiglu_grad_x=x.grad,
               swiglu_grad_w_gate=w_gate.grad, swiglu_grad_w_value=w_value.grad, swiglu_grad_w_down=w_down.grad)


def compute_reference() -> Tensors:
    torch.manual_seed(SEED)
    out: Tensors = {}
    batchnorm(out)
    rmsnorm(out)
    swiglu(out)
    return {name: t.detach() for name, t in out.items()}


def to_json(ref: Tensors) -> str:
    """One tensor per line; floats written with ``repr`` so they round-trip exactly."""
    header = {
        "generator": GENERATOR,
        "torch_version": torch.__version__,
        "config": {"B": B, "T": T, "D": D, "hidden": HIDDEN, "lengths": LENGTHS, "bn_eps": BN_EPS,
                   "bn_momentum": BN_MOMENTUM, "rms_eps": RMS_EPS},
    }
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value)},")
    lines.append('  "tensors": {')
    names = list(ref)
    for i, name in enumerate(names):
        entry = {"shape": list(ref[name].shape), "data": [float(v) for v in ref[name].reshape(-1).tolist()]}
        lines.append(f"    {json.dumps(name)}: {json.dumps(entry)}{',' if i < len(names) - 1 else ''}")
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output JSON file (default: {DEFAULT_OUT.relative_to(REPO_ROOT)})")
    args = parser.parse_args(argv)
    ref = compute_reference()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(to_json(ref), encoding="utf-8")
    print(f"wrote {args.out} ({len(ref)} tensors)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
