#!/usr/bin/env python3
"""Train the Ablate benchmark decoder in PyTorch eager mode on CPU and report throughput.

The model mirrors the study decoder that ``./ablate bench`` builds from ``io.ablate.bench.BenchConfig``
through the plugin registry (``decoder`` with ``learned`` positions, ``mha``, pre-``layernorm``,
``gelu`` FFN, tied embeddings), so that the numbers can be compared with the Java engine's benchmark:

* token embedding ``(V, D)``, multiplied by ``sqrt(D)`` on input as the study decoder does, and learned
  absolute positions ``(T, D)`` (initialisation does not change the work done);
* per layer, pre-LN: ``h = h + attn(ln1(h))`` and ``h = h + ffn(ln2(h))``, where the attention
  uses separate ``q``, ``k``, ``v``, ``o`` projections (``D -> D``, with bias), ``H`` heads,
  scores scaled by ``1/sqrt(Dh)``, a causal mask and softmax, and the FFN is
  ``Linear(D, F) -> exact GELU -> Linear(F, D)``;
* a final LayerNorm (eps ``1e-5`` everywhere) and an LM head tied to the token embedding;
* mean next-token cross-entropy; AdamW (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01 on
  parameters with ``dim >= 2`` only); no dropout; float32.

The attention is written out with ``matmul``/``softmax`` by default so that both engines do the
same work; ``--sdpa`` switches to ``F.scaled_dot_product_attention`` for comparison.

Exit codes: 0 on success, 2 on bad arguments (argparse), 3 if PyTorch cannot be imported.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass, replace

try:
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError as exc:  # the Java side treats exit code 3 as "PyTorch not available"
    print(f"bench_pytorch: PyTorch is not available ({exc}); install torch to run this benchmark",
          file=sys.stderr)
    sys.exit(3)

EXIT_NO_TORCH = 3
LN_EPS = 1e-5
EMBED_STD = 0.02


@dataclass(frozen=True)
class BenchConfig:
    """Shape of the benchmark decoder; mirrors the Java record of the same name."""

    name: str
    vocab: int
    d_model: int
    layers: int
    heads: int
    ffn_hidden: int
    seq_len: int
    batch: int

    @property
    def head_dim(self) -> int:
        return self.d_model // self.heads

    @property
    def tokens_per_step(self) -> int:
        return self.batch * self.seq_len

    def parameter_count(self) -> int:
        """Trainable parameters with the tied embedding counted once (same formula as Java)."""
        d, f = self.d_model, self.ffn_hidden
        per_layer = 4 * (d * d + d) + 2 * (2 * d) + (d * f + f) + (f * d + d)
        return self.vocab * d + self.seq_len * d + self.layers * per_layer + 2 * d


CONFIGS: dict[str, BenchConfig] = {
    "tiny": BenchConfig("tiny", vocab=32, d_model=64, layers=2, heads=4, ffn_hidden=256,
                        seq_len=32, batch=32),
    "small": BenchConfig("small", vocab=256, d_model=256, layers=4, heads=8, ffn_hidden=1024,
                         seq_len=128, batch=16),
}


class SelfAttention(nn.Module):
    """Causal multi-head self-attention with separate Q/K/V/O projections."""

    def __init__(self, cfg: BenchConfig, use_sdpa: bool) -> None:
        super().__init__()
        d = cfg.d_model
        self.heads = cfg.heads
        self.head_dim = cfg.head_dim
        self.use_sdpa = use_sdpa
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)
        causal = torch.ones(cfg.seq_len, cfg.seq_len, dtype=torch.bool).triu(diagonal=1)
        self.register_buffer("future", causal, persistent=False)  # True = masked out

    def _split_heads(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, D) -> (B, H, T, Dh): head h takes columns h*Dh:(h+1)*Dh."""
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q = self._split_heads(self.q(x))
        k = self._split_heads(self.k(x))
        v = self._split_heads(self.v(x))
        if self.use_sdpa:
            mixed = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            scores = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / math.sqrt(self.head_dim))
            scores = scores.masked_fill(self.future[:t, :t], float("-inf"))
            mixed = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.o(mixed.transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    """Pre-LN transformer block: attention and GELU feed-forward, each with a residual."""

    def __init__(self, cfg: BenchConfig, use_sdpa: bool) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model, eps=LN_EPS)
        self.attn = SelfAttention(cfg, use_sdpa)
        self.ln2 = nn.LayerNorm(cfg.d_model, eps=LN_EPS)
        self.fc_in = nn.Linear(cfg.d_model, cfg.ffn_hidden)
        self.fc_out = nn.Linear(cfg.ffn_hidden, cfg.d_model)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        h = h + self.attn(self.ln1(h))
        return h + self.fc_out(F.gelu(self.fc_in(self.ln2(h)), approximate="none"))


class Decoder(nn.Module):
    """GPT-style decoder with learned positions and an LM head tied to the token embedding."""

    def __init__(self, cfg: BenchConfig, use_sdpa: bool = False) -> None:
        super().__init__()
        self.tok_emb = nn.Parameter(torch.randn(cfg.vocab, cfg.d_model) * EMBED_STD)
        self.pos_emb = nn.Parameter(torch.randn(cfg.seq_len, cfg.d_model) * EMBED_STD)
        self.blocks = nn.ModuleList(Block(cfg, use_sdpa) for _ in range(cfg.layers))
        self.ln_f = nn.LayerNorm(cfg.d_model, eps=LN_EPS)
        self.scale = math.sqrt(cfg.d_model)

    def forward(self, ids: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """Mean next-token cross-entropy of ``targets`` given ``ids`` (both (B, T))."""
        t = ids.shape[1]
        # x sqrt(D) on the token embedding, as the study decoder (TokenEmbedding) does
        h = self.tok_emb[ids] * self.scale + self.pos_emb[:t]
        for block in self.blocks:
            h = block(h)
        logits = self.ln_f(h) @ self.tok_emb.t()
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def make_optimizer(model: nn.Module) -> torch.optim.AdamW:
    """AdamW with weight decay on matrices (dim >= 2) only, none on biases and LayerNorm gains."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)


def make_batch(cfg: BenchConfig, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Uniform random ids of shape (B, T+1) split into inputs (first T) and targets (last T)."""
    gen = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, cfg.vocab, (cfg.batch, cfg.seq_len + 1), generator=gen)
    return ids[:, :-1].contiguous(), ids[:, 1:].contiguous()


@dataclass
class BenchResult:
    """Accumulated timings (seconds) over the timed steps plus the losses seen."""

    forward_s: float = 0.0
    backward_s: float = 0.0
    optimizer_s: float = 0.0
    first_loss: float = float("nan")
    last_loss: float = float("nan")

    @property
    def total_s(self) -> float:
        return self.forward_s + self.backward_s + self.optimizer_s


def run_benchmark(cfg: BenchConfig, steps: int, warmup: int, seed: int,
                  use_sdpa: bool) -> tuple[BenchResult, int]:
    """Train for ``warmup + steps`` steps, timing only the last ``steps``.

    Returns the result and the number of trainable parameters. ``first_loss`` is the loss of the
    very first (warm-up) step and ``last_loss`` that of the final step.
    """
    torch.manual_seed(seed)
    model = Decoder(cfg, use_sdpa)
    model.train()
    optimizer = make_optimizer(model)
    inputs, targets = make_batch(cfg, seed)
    n_params = sum(p.numel() for p in model.parameters())

    result = BenchResult()
    for step in range(warmup + steps):
        t0 = time.perf_counter()
        loss = model(inputs, targets)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        t3 = time.perf_counter()

        if step == 0:
            result.first_loss = loss.item()
        if step >= warmup:
            result.forward_s += t1 - t0
            result.backward_s += t2 - t1
            result.optimizer_s += t3 - t2
        if step == warmup + steps - 1:
            result.last_loss = loss.item()
    return result, n_params


def run_evaluation(cfg: BenchConfig, steps: int, warmup: int, seed: int,
                   use_sdpa: bool) -> tuple[BenchResult, int]:
    """Evaluate the batch ``warmup + steps`` times under ``torch.no_grad()``, timing the last ``steps``.

    Each step is the loss of the batch without gradients, as a study's evaluation pass computes it;
    the model stays at its initialisation, so every loss is the same.
    """
    torch.manual_seed(seed)
    model = Decoder(cfg, use_sdpa)
    model.eval()
    inputs, targets = make_batch(cfg, seed)
    n_params = sum(p.numel() for p in model.parameters())
    result = BenchResult()
    with torch.no_grad():
        for step in range(warmup + steps):
            t0 = time.perf_counter()
            loss = model(inputs, targets).item()
            t1 = time.perf_counter()
            if step == 0:
                result.first_loss = loss
            if step >= warmup:
                result.forward_s += t1 - t0
            result.last_loss = loss
    return result, n_params


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="tiny",
                        help="model/batch shape (default: tiny)")
    parser.add_argument("--seq-len", type=int, default=None,
                        help="the config's model at another sequence length (default: the config's)")
    parser.add_argument("--eval", action="store_true",
                        help="time evaluation (the loss under torch.no_grad()) instead of training")
    parser.add_argument("--steps", type=int, default=50, help="timed steps (default: 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed warm-up steps (default: 5)")
    parser.add_argument("--threads", type=int, default=None,
                        help="intra-op threads (default: torch.get_num_threads())")
    parser.add_argument("--seed", type=int, default=0, help="RNG seed (default: 0)")
    parser.add_argument("--sdpa", action="store_true",
                        help="use F.scaled_dot_product_attention instead of explicit attention")
    parser.add_argument("--json", action="store_true",
                        help="print exactly one JSON object on stdout")
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error("--steps must be >= 1")
    if args.warmup < 0:
        parser.error("--warmup must be >= 0")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be >= 1")
    if args.seq_len is not None and args.seq_len < 2:
        parser.error("--seq-len must be >= 2")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    threads = torch.get_num_threads()
    cfg = CONFIGS[args.config]
    if args.seq_len is not None:
        cfg = replace(cfg, seq_len=args.seq_len)

    run = run_evaluation if args.eval else run_benchmark
    result, n_params = run(cfg, args.steps, args.warmup, args.seed, args.sdpa)
    if n_params != cfg.parameter_count():  # guards the model against drifting from the Java one
        print(f"bench_pytorch: parameter count {n_params} != expected {cfg.parameter_count()}",
              file=sys.stderr)
        return 1

    ms = 1000.0 / args.steps
    report = {
        "engine": "pytorch",
        "torch_version": torch.__version__,
        "config": cfg.name,
        "mode": "evaluation" if args.eval else "training",
        "seq_len": cfg.seq_len,
        "threads": threads,
        "steps": args.steps,
        "tokens_per_s": cfg.tokens_per_step * args.steps / result.total_s,
        "ms_per_step": result.total_s * ms,
        "ms_forward": result.forward_s * ms,
        "ms_backward": result.backward_s * ms,
        "ms_optimizer": result.optimizer_s * ms,
        "first_loss": result.first_loss,
        "last_loss": result.last_loss,
        "parameters": n_params,
    }
    if args.json:
        print(json.dumps(report))
    else:
        attention = "sdpa" if args.sdpa else "explicit"
        mode = "evaluation" if args.eval else "training"
        print(f"PyTorch {torch.__version__} eager CPU, config={cfg.name}, seq_len={cfg.seq_len}, {mode}, "
              f"threads={threads}, attention={attention}, parameters={n_params:,}")
        print(f"  {args.steps} timed steps after {args.warmup} warm-up: "
              f"{report['tokens_per_s']:,.0f} tokens/s, {report['ms_per_step']:.2f} ms/step "
              f"(forward {report['ms_forward']:.2f}, backward {report['ms_backward']:.2f}, "
              f"optimizer {report['ms_optimizer']:.2f})")
        print(f"  loss {result.first_loss:.4f} -> {result.last_loss:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
