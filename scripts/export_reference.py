"""A numpy forward pass of a decoder exported by `ablate export RUN --format safetensors`.

It reads model.safetensors and the config.json written beside it, and computes the logits of a batch
of token ids, independently of Ablate's Java code, so that the export can be checked (the export test
compares these logits with Java's) and used outside Java. Only what is written here is supported;
any other architecture or component is refused with a message naming it, never approximated.

    python scripts/export_reference.py RUN/model.safetensors RUN/config.json "[[1, 7, 8, 9]]"
"""
import json
import math
import sys

import numpy as np
from safetensors.numpy import load_file

# What this reference implements, by config key: anything else is refused.
SUPPORTED = {
    "architecture": {"decoder"},
    "positional": {"none", "sinusoidal", "rotary", "alibi", "learned"},
    "attention": {"mha"},
    "norm": {"layernorm", "rmsnorm", "none"},
    "ffn": {"gelu", "relu", "swiglu", "none"},
}
MASKED = -1e9  # Ablate's additive mask (io.ablate.tensor.ops.Softmax.MASKED)


class Unsupported(Exception):
    """The exported model uses something this reference does not implement."""


def check_supported(config):
    """Raises Unsupported naming every part of the config the reference does not implement."""
    if config.get("model_type") != "ablate":
        raise Unsupported("config.json is not an Ablate export (model_type is %r)" % config.get("model_type"))
    model = config["ablate"]
    problems = []
    if model["architecture"] not in SUPPORTED["architecture"]:
        problems.append("architecture '%s'" % model["architecture"])
    for key in ("positional", "attention", "norm", "ffn"):
        if model[key]["type"] not in SUPPORTED[key]:
            problems.append("%s '%s'" % (key, model[key]["type"]))
    if model["attention"]["type"] == "mha" and model["attention"]["scale"] not in ("sqrt_dk", "none", "learned"):
        problems.append("attention scale '%s'" % model["attention"]["scale"])
    if problems:
        raise Unsupported("the numpy reference does not implement " + ", ".join(problems)
                          + "; it supports " + "; ".join("%s %s" % (k, sorted(v)) for k, v in SUPPORTED.items()))


def logits(weights, config, ids):
    """ids (B, T) ints -> logits (B, T, V) float32, computed as Ablate's decoder does in evaluation."""
    check_supported(config)
    m = config["ablate"]
    ids = np.asarray(ids, dtype=np.int64)
    d, heads = m["d_model"], m["heads"]
    table = weights["embedding.token"]                                   # (V, D)
    h = table[ids] * np.float32(math.sqrt(d))                            # (B, T, D)
    h = add_positions(h, weights, m["positional"])
    for i in range(m["layers"]):
        prefix = "decoder.blocks.%d." % i
        h = sublayer(h, m, weights, prefix + "self_norm",
                     lambda x: attention(x, weights, prefix + "self_attention.", heads, m["attention"], m["positional"]))
        h = sublayer(h, m, weights, prefix + "ffn_norm", lambda x: ffn(x, weights, prefix + "ffn.", m["ffn"]))
    if m["placement"] == "pre":
        h = norm(h, weights, "decoder.final_norm", m["norm"])
    out = table.T if m["tied_embeddings"] else weights["embedding.output.weight"]   # (D, V)
    return (h @ out).astype(np.float32)                                  # (B, T, V)


def sublayer(x, m, weights, norm_name, f):
    """x + f(norm(x)) (pre) or norm(x + f(x)) (post); without residual, f(...) alone."""
    pre = m["placement"] == "pre"
    h = f(norm(x, weights, norm_name, m["norm"]) if pre else x)
    s = x + h if m["residual"] else h
    return s if pre else norm(s, weights, norm_name, m["norm"])


def norm(x, weights, name, spec):
    """(B, T, D) normalised over D."""
    if spec["type"] == "none":
        return x
    if spec["type"] == "layernorm":
        centred = x - x.mean(-1, keepdims=True)
        out = centred / np.sqrt((centred * centred).mean(-1, keepdims=True) + spec["eps"])
        return out * weights[name + ".gain"] + weights[name + ".bias"]
    out = x / np.sqrt((x * x).mean(-1, keepdims=True) + spec["eps"])   # rmsnorm
    return out * weights[name + ".gain"] if spec["gain"] else out


def add_positions(h, weights, spec):
    """Absolute encodings (sinusoidal, learned) are added to the embeddings (B, T, D)."""
    t, d = h.shape[1], h.shape[2]
    if spec["type"] == "sinusoidal":
        pairs = (np.arange(d) // 2) * 2.0 / d                              # (D,) 2i/D
        angles = np.arange(t, dtype=np.float64)[:, None] * spec["base"] ** -pairs   # (T, D)
        table = np.where(np.arange(d) % 2 == 0, np.sin(angles), np.cos(angles))
        return h + table.astype(np.float32)
    if spec["type"] == "learned":
        table = weights["positional.table"]                              # (L, D)
        if t > table.shape[0]:
            raise ValueError("learned positions hold %d positions, got a sequence of %d" % (table.shape[0], t))
        return h + table[:t]
    return h


def attention(x, weights, prefix, heads, spec, positional):
    """Causal multi-head self-attention (B, T, D) -> (B, T, D)."""
    b, t, d = x.shape
    dh = d // heads

    def project(name):
        y = x @ weights[prefix + name + ".weight"]
        return y + weights[prefix + name + ".bias"] if spec["bias"] else y

    def split(y):                                                        # (B, T, D) -> (B, H, T, Dh)
        return y.reshape(b, t, heads, dh).transpose(0, 2, 1, 3)

    q, k, v = split(project("query")), split(project("key")), split(project("value"))
    if positional["type"] == "rotary":
        q, k = rotate(q, positional), rotate(k, positional)
    scores = q @ k.transpose(0, 1, 3, 2)                                 # (B, H, T, T)
    if spec["scale"] == "sqrt_dk":
        scores = scores * np.float32(1.0 / math.sqrt(dh))
    elif spec["scale"] == "learned":
        scores = scores * weights[prefix + "temperature"]                # (1, H, 1, 1)
    if positional["type"] == "alibi":
        distance = np.abs(np.arange(t)[None, :] - np.arange(t)[:, None])  # (T, T) |j - i|
        scores = scores - (alibi_slopes(heads)[:, None, None] * distance).astype(np.float32)
    scores = scores + np.triu(np.full((t, t), MASKED, dtype=np.float32), 1)  # causal
    scores = scores - scores.max(-1, keepdims=True)
    w = np.exp(scores)
    w = w / w.sum(-1, keepdims=True)                                     # (B, H, T, T)
    mixed = (w @ v).transpose(0, 2, 1, 3).reshape(b, t, d)               # (B, T, D)
    return project_out(mixed, weights, prefix, spec)


def project_out(x, weights, prefix, spec):
    y = x @ weights[prefix + "output.weight"]
    return y + weights[prefix + "output.bias"] if spec["bias"] else y


def rotate(x, spec):
    """RoPE in the GPT-NeoX layout on the first rotary_dim dims of each head: (B, H, T, Dh)."""
    t, dh = x.shape[2], x.shape[3]
    rd = 2 * int(math.floor(spec["fraction"] * dh / 2 + 1e-9))
    half = rd // 2
    freq = spec["base"] ** (np.arange(half) * (-2.0 / rd))                # (d/2,)
    angles = np.arange(t, dtype=np.float64)[:, None] * freq[None, :]    # (T, d/2)
    c, s = np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)
    x1, x2 = x[..., :half], x[..., half:rd]
    return np.concatenate([x1 * c - x2 * s, x2 * c + x1 * s, x[..., rd:]], axis=-1)


def alibi_slopes(heads):
    """Press et al.'s slopes: 2^(-8i/n) for a power of two n; otherwise the reference code's interleaving."""
    def power_of_two(n):
        start = 2 ** -(2 ** -(math.log2(n) - 3))
        return [start * start ** i for i in range(n)]
    p = 2 ** int(math.floor(math.log2(heads)))
    slopes = power_of_two(p)
    if p < heads:
        slopes += alibi_slopes(2 * p)[0::2][:heads - p]
    return np.array(slopes, dtype=np.float64)


def ffn(x, weights, prefix, spec):
    """Position-wise feed-forward (B, T, D) -> (B, T, D)."""
    if spec["type"] == "none":
        return np.zeros_like(x)
    if spec["type"] == "swiglu":
        g = x @ weights[prefix + "gate.weight"]
        h = g / (1 + np.exp(-g)) * (x @ weights[prefix + "value.weight"])  # SiLU(xW) * xV
        return h @ weights[prefix + "down.weight"]
    h = x @ weights[prefix + "up.weight"] + weights[prefix + "up.bias"]
    if spec["type"] == "gelu":                                          # exact GELU: x * Phi(x)
        erf = np.frompyfunc(math.erf, 1, 1)
        h = (h * 0.5 * (1.0 + erf(h.astype(np.float64) / math.sqrt(2.0)).astype(np.float64))).astype(np.float32)
    else:
        h = np.maximum(h, 0)
    return h @ weights[prefix + "down.weight"] + weights[prefix + "down.bias"]


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: export_reference.py MODEL.safetensors CONFIG.json IDS_JSON")
    with open(argv[2], encoding="utf-8") as f:
        config = json.load(f)
    try:
        out = logits(load_file(argv[1]), config, json.loads(argv[3]))
    except Unsupported as e:
        sys.exit("unsupported: %s" % e)
    print(json.dumps(out.tolist()))


if __name__ == "__main__":
    main(sys.argv)
