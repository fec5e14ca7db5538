#!/usr/bin/env python3
"""Generate the float64 PyTorch reference fixture for the Java GRU + additive attention tests.

Three references, all with fixed seeded weights, in float64:

1. ``cell``: one ``torch.nn.GRUCell`` step ``h' = GRUCell(x, h)`` (gate order r, z, n; the reset gate
   multiplies ``W_hn h + b_hn``), for a batch of inputs and states.
2. ``attention``: one additive attention read (Bahdanau et al. 2015)::

       e_j = v^T tanh(W_s s + W_h h_j),  alpha = softmax_j(e masked to -1e9 at padding),  c = sum_j alpha_j h_j

3. ``model``: the whole ``rnn-attention`` forward pass with teacher forcing::

       x_j = E[src_j];  annotations h_j = [fwd_j; bwd_j] from torch.nn.GRU(bidirectional=True) over the
       packed (right-padded) source, so padding never enters either direction
       s_0 = tanh([fwd_last; bwd_first] W_init + b_init)      (= torch's h_n of both directions)
       for t: c_t = attention(s_{t-1});  s_t = GRUCell([E[y_{t-1}]; c_t], s_{t-1})
              logits_t = [s_t; c_t] W_o + b_o
       loss = sum(logits * R)

   with the gradient of ``loss`` for every parameter.

Weights follow the Java convention: a matrix ``W`` has shape (in, out) so that ``y = x @ W + b``; the GRU's
fused ``weight_ih`` / ``weight_hh`` are PyTorch's transposed, (in, 3H) with gate columns r, z, n. Model
parameters are stored under the Java parameter names of ``rnn-attention`` (shared embeddings,
bidirectional), so the test can load them by name.

Output: ``plugins/architectures/src/test/resources/reference/rnn_attention.json`` (see ``--out``)::

    {"generator", "torch_version", "config": {...},
     "cell": {name: tensor}, "attention": {name: tensor},
     "model": {"inputs": {name: tensor}, "params": {java name: tensor}, "logits": tensor, "loss": tensor,
               "grads": {java name: tensor}}}

where a tensor is ``{"shape": [...], "data": [flat row-major floats]}``. Exit code 3 if PyTorch cannot be
imported.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

try:
    import torch
except ImportError as exc:
    print(f"make_rnn_fixtures: PyTorch is not available ({exc}); "
          "install scripts/requirements-reference.txt", file=sys.stderr)
    sys.exit(3)

GENERATOR = "scripts/make_rnn_fixtures.py"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "plugins/architectures/src/test/resources/reference/rnn_attention.json"

SEED = 2015
B, S, T = 3, 5, 4           # batch, source length, decoder length
V, E, H, A = 12, 6, 5, 4    # vocabulary, embedding, GRU state, attention width
C = 2 * H                   # annotation width (bidirectional)
MASK_VALUE = -1e9
BOS, PAD = 4, 0
# Real source lengths; the rest of each row is [PAD] (right padding, as Batch.seq2seq lays it out).
SOURCE_LENGTHS = [5, 3, 1]

torch.set_default_dtype(torch.float64)

Tensors = dict[str, torch.Tensor]


def entry(t: torch.Tensor) -> dict[str, list]:
    """JSON form of a tensor: its shape and flat row-major data as Python floats."""
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def gru_cell(x_dim: int) -> torch.nn.GRUCell:
    """A GRUCell with PyTorch's own U(-1/sqrt(H), 1/sqrt(H)) initialisation (seeded by the caller)."""
    return torch.nn.GRUCell(x_dim, H)


def cell_params(cell: torch.nn.GRUCell | torch.nn.GRU, suffix: str = "") -> Tensors:
    """Java-layout fused GRU weights: (in, 3H) and (H, 3H) transposes, biases as they are."""
    if isinstance(cell, torch.nn.GRU):
        return {
            "weight_ih": getattr(cell, f"weight_ih_l0{suffix}").T,
            "weight_hh": getattr(cell, f"weight_hh_l0{suffix}").T,
            "bias_ih": getattr(cell, f"bias_ih_l0{suffix}"),
            "bias_hh": getattr(cell, f"bias_hh_l0{suffix}"),
        }
    return {"weight_ih": cell.weight_ih.T, "weight_hh": cell.weight_hh.T,
            "bias_ih": cell.bias_ih, "bias_hh": cell.bias_hh}


def additive_attention(s: torch.Tensor, annotations: torch.Tensor, keep: torch.Tensor, w_s: torch.Tensor,
                       w_h: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """s (B, H), annotations (B, S, C), keep (B, S) bool -> context (B, C), weights (B, S)."""
    energies = (torch.tanh((s @ w_s)[:, None, :] + annotations @ w_h) @ v).squeeze(-1)   # (B, S)
    energies = energies.masked_fill(~keep, MASK_VALUE)
    weights = torch.softmax(energies, dim=-1)
    return (weights[:, :, None] * annotations).sum(dim=1), weights


def cell_reference() -> dict[str, dict]:
    cell = gru_cell(E)
    x = torch.randn(B, E)
    h = torch.randn(B, H) * 0.5
    with torch.no_grad():
        out = cell(x, h)
    tensors = {"x": x, "h": h, **cell_params(cell), "out": out}
    return {name: entry(t) for name, t in tensors.items()}


def attention_reference() -> dict[str, dict]:
    s = torch.randn(B, H)
    annotations = torch.randn(B, S, C)
    w_s = torch.randn(H, A) / math.sqrt(H)
    w_h = torch.randn(C, A) / math.sqrt(C)
    v = torch.randn(A, 1) / math.sqrt(A)
    keep = source_keep()
    context, weights = additive_attention(s, annotations, keep, w_s, w_h, v)
    tensors = {"s": s, "annotations": annotations, "mask": keep.double(), "w_s": w_s, "w_h": w_h, "v": v,
               "context": context, "weights": weights}
    return {name: entry(t) for name, t in tensors.items()}


def source_keep() -> torch.Tensor:
    """(B, S) True at real source positions."""
    return torch.arange(S)[None, :] < torch.tensor(SOURCE_LENGTHS)[:, None]


def model_reference() -> dict[str, dict]:
    embedding = torch.randn(V, E) * 0.5
    encoder = torch.nn.GRU(E, H, batch_first=True, bidirectional=True)
    bridge_w = torch.randn(C, H) / math.sqrt(C)
    bridge_b = torch.randn(H) * 0.1
    w_s = torch.randn(H, A) / math.sqrt(H)
    w_h = torch.randn(C, A) / math.sqrt(C)
    v = torch.randn(A, 1) / math.sqrt(A)
    decoder = gru_cell(E + C)
    out_w = torch.randn(H + C, V) / math.sqrt(H + C)
    out_b = torch.randn(V) * 0.1

    params: Tensors = {
        "embedding.token": embedding,
        **{f"encoder.forward.{k}": t for k, t in cell_params(encoder).items()},
        **{f"encoder.backward.{k}": t for k, t in cell_params(encoder, "_reverse").items()},
        "bridge.linear.weight": bridge_w,
        "bridge.linear.bias": bridge_b,
        "attention.query.weight": w_s,
        "attention.key.weight": w_h,
        "attention.score.weight": v,
        **{f"decoder.{k}": t for k, t in cell_params(decoder).items()},
        "output.weight": out_w,
        "output.bias": out_b,
    }
    # Leaves in the Java layout; the torch modules read them back through the transposes.
    leaves = {name: t.detach().clone().requires_grad_(True) for name, t in params.items()}

    keep = source_keep()
    source = torch.randint(6, V, (B, S)).masked_fill(~keep, PAD)
    decoder_tokens = torch.cat([torch.full((B, 1), BOS), torch.randint(6, V, (B, T - 1))], dim=1)
    r = torch.randn(B, T, V)

    logits = forward(leaves, source, decoder_tokens, keep)
    loss = (logits * r).sum()
    loss.backward()

    inputs = {"source": source.double(), "source_mask": keep.double(), "decoder_tokens": decoder_tokens.double(),
              "r": r}
    return {
        "inputs": {name: entry(t) for name, t in inputs.items()},
        "params": {name: entry(t) for name, t in leaves.items()},
        "logits": entry(logits),
        "loss": entry(loss),
        "grads": {name: entry(t.grad) for name, t in leaves.items()},
    }


def forward(p: Tensors, source: torch.Tensor, decoder_tokens: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
    """The rnn-attention forward pass over Java-layout parameters; returns logits (B, T, V).

    The encoder is torch.nn.GRU over a packed sequence and the decoder step torch.nn.GRUCell, both called
    with the Java-layout leaves (transposed back) through torch.func.functional_call.
    """
    gru = torch.nn.GRU(E, H, batch_first=True, bidirectional=True)
    gru_weights = {}
    for suffix, direction in (("", "forward"), ("_reverse", "backward")):
        gru_weights[f"weight_ih_l0{suffix}"] = p[f"encoder.{direction}.weight_ih"].T
        gru_weights[f"weight_hh_l0{suffix}"] = p[f"encoder.{direction}.weight_hh"].T
        gru_weights[f"bias_ih_l0{suffix}"] = p[f"encoder.{direction}.bias_ih"]
        gru_weights[f"bias_hh_l0{suffix}"] = p[f"encoder.{direction}.bias_hh"]
    cell = torch.nn.GRUCell(E + C, H)
    cell_weights = {"weight_ih": p["decoder.weight_ih"].T, "weight_hh": p["decoder.weight_hh"].T,
                    "bias_ih": p["decoder.bias_ih"], "bias_hh": p["decoder.bias_hh"]}

    x = p["embedding.token"][source]                                              # (B, S, E)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor(SOURCE_LENGTHS), batch_first=True,
                                                     enforce_sorted=False)
    out, h_n = torch.func.functional_call(gru, gru_weights, (packed,))
    annotations, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=S)  # (B, S, C)
    summary = torch.cat([h_n[0], h_n[1]], dim=-1)          # (B, C): forward after last, backward after first
    s = torch.tanh(summary @ p["bridge.linear.weight"] + p["bridge.linear.bias"])  # (B, H)

    features = []
    for t in range(decoder_tokens.shape[1]):
        context, _ = additive_attention(s, annotations, keep, p["attention.query.weight"],
                                        p["attention.key.weight"], p["attention.score.weight"])
        step_in = torch.cat([p["embedding.token"][decoder_tokens[:, t]], context], dim=-1)   # (B, E + C)
        s = torch.func.functional_call(cell, cell_weights, (step_in, s))
        features.append(torch.cat([s, context], dim=-1))                          # (B, H + C)
    features = torch.stack(features, dim=1)                                      # (B, T, H + C)
    return features @ p["output.weight"] + p["output.bias"]


def to_json(fixture: dict) -> str:
    """Indented JSON with every list of numbers on one line (floats written with repr, so they round-trip)."""
    text = json.dumps(fixture, indent=1)
    return re.sub(r"\[\s*([-0-9.e+,\s]*?)\s*\]", lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]",
                  text)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output JSON file (default: {DEFAULT_OUT.relative_to(REPO_ROOT)})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    torch.manual_seed(SEED)
    fixture = {
        "generator": GENERATOR,
        "torch_version": torch.__version__,
        "config": {"B": B, "S": S, "T": T, "V": V, "E": E, "H": H, "A": A, "mask_value": MASK_VALUE,
                   "source_lengths": SOURCE_LENGTHS},
        "cell": cell_reference(),
        "attention": attention_reference(),
        "model": model_reference(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(to_json(fixture) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (model loss {fixture['model']['loss']['data'][0]:.15g})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
