"""Reference values for the positional encodings, computed with PyTorch from the papers' definitions.

Writes plugins/transformer/src/test/resources/reference/positional.json:
- rotary: q, k (B, H, T, Dh) and their rotations (GPT-NeoX half-split layout, Su et al. 2021), for
  fraction 1.0 and 0.5, base 10000, float64;
- alibi: per-head slopes for 1..16 heads (Press et al. 2022: geometric sequence starting at
  2^(-8/n) for a power of two n; otherwise the closest power of two's slopes followed by every
  other slope of twice that);
- t5: relative-position buckets (Raffel et al. 2020) for relative positions -200..200, bidirectional
  and causal, 32 buckets, max distance 128, computed in float32 as T5's reference implementation does.
Run: .venv/bin/python scripts/make_positional_fixtures.py
"""
import json
import math
import pathlib

import torch

torch.manual_seed(0)
OUT = pathlib.Path(__file__).resolve().parent.parent / "plugins/transformer/src/test/resources/reference/positional.json"


def rotate(x, base, fraction):
    dh = x.shape[-1]
    d = 2 * int(math.floor(fraction * dh / 2 + 1e-9))
    t = x.shape[-2]
    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    angles = torch.outer(torch.arange(t, dtype=torch.float64), inv_freq)          # (T, d/2)
    cos, sin = torch.cos(angles), torch.sin(angles)
    x1, x2, rest = x[..., : d // 2], x[..., d // 2 : d], x[..., d:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin, rest], dim=-1)


def alibi_slopes(n):
    def power_of_two(m):
        start = 2 ** (-(2 ** -(math.log2(m) - 3)))
        return [start * start ** i for i in range(m)]

    if math.log2(n).is_integer():
        return power_of_two(n)
    p = 2 ** math.floor(math.log2(n))
    return power_of_two(p) + alibi_slopes(2 * p)[0::2][: n - p]


def t5_bucket(relative, bidirectional, num_buckets=32, max_distance=128):
    relative = torch.tensor(relative)
    bucket = torch.zeros_like(relative)
    if bidirectional:
        num_buckets //= 2
        bucket += (relative > 0).to(torch.long) * num_buckets
        n = torch.abs(relative)
    else:
        n = -torch.min(relative, torch.zeros_like(relative))
    max_exact = num_buckets // 2
    small = n < max_exact
    large = max_exact + (torch.log(n.float() / max_exact) / math.log(max_distance / max_exact)
                         * (num_buckets - max_exact)).to(torch.long)
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return (bucket + torch.where(small, n, large)).tolist()


q = torch.randn(2, 2, 5, 8, dtype=torch.float64)
k = torch.randn(2, 2, 5, 8, dtype=torch.float64)
relatives = list(range(-200, 201))
fixture = {
    "rotary": {
        "q": q.tolist(), "k": k.tolist(), "base": 10000.0,
        "cases": [{"fraction": f, "q": rotate(q, 10000.0, f).tolist(), "k": rotate(k, 10000.0, f).tolist()}
                  for f in (1.0, 0.5)],
    },
    "alibi": {str(n): alibi_slopes(n) for n in range(1, 17)},
    "t5": {"relative": relatives, "bidirectional": t5_bucket(relatives, True), "causal": t5_bucket(relatives, False)},
}
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(fixture))
print("wrote", OUT)
