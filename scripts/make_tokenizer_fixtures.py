#!/usr/bin/env python3
"""Generate the reference fixture for the Java tokenizer trainers (bpe, wordpiece, byte-bpe).

An independent, deliberately naive implementation of the three trainers in plain Python: every
merge step recounts all pairs over the word-frequency table (no incremental statistics, no priority
queue), so it checks the Java trainers' incremental bookkeeping. The algorithms and tie-breaking
follow the Java components' documentation:

* bpe (Sennrich et al. 2016 / subword-nmt): words are whitespace-separated chunks; symbols are the
  characters, the last one carrying ``</w>``; merge the most frequent adjacent pair.
* wordpiece (Hugging Face course): words are runs of letters/digits, every other non-space character
  is a word of its own; symbols are the first character and ``##``-prefixed following characters;
  merge the pair with the highest ``count(ab) / (count(a) * count(b))``; encode greedily,
  longest match first, a word that cannot be covered becomes ``[UNK]``.
* byte-bpe (GPT-2): chunks by GPT-2's pattern, UTF-8 bytes spelled with GPT-2's ``bytes_to_unicode``.

All three: ids 0-5 are [PAD] [CLS] [SEP] [MASK] [BOS] [EOS]; bpe and wordpiece add [UNK] at 6; the
alphabet is sorted by frequency (descending) then text and cut to the vocabulary budget; a pair
must occur ``min_frequency`` times; ties go to the smaller left token, then the smaller right token
(strings by code point; byte-bpe by unsigned bytes); a merge whose text is already a token reuses it.

The corpus is an excerpt of Isaac Newton's *Opticks* (4th edition, 1730; public domain) as shipped
in Go's source tree (``/usr/local/go/src/testdata/Isaac.Newton-Opticks.txt``). Only ASCII and Latin
letters occur in it, where Python's ``re`` classes agree with Java's ``\\p{L}``/``\\p{N}``.

Output: ``plugins/text/src/test/resources/reference/tokenizers.json`` (see ``--out``)::

    {"generator", "source", "corpus": [lines], "samples": [texts],
     "bpe" | "wordpiece" | "byte_bpe": {"vocab_size", "min_frequency", "vocab": [tokens in id order],
                                        "merges": [[left, right], ...] (not for wordpiece),
                                        "encodings": [[tokens of each sample], ...]}}
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

GENERATOR = "scripts/make_tokenizer_fixtures.py"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "plugins/text/src/test/resources/reference/tokenizers.json"
DEFAULT_SOURCE = Path("/usr/local/go/src/testdata/Isaac.Newton-Opticks.txt")
FIRST_LINE, LAST_LINE = 150, 700          # 1-based, inclusive

SPECIALS = ["[PAD]", "[CLS]", "[SEP]", "[MASK]", "[BOS]", "[EOS]"]
UNK = "[UNK]"
EOW = "</w>"
SAMPLES = [
    "Refrangibility of the Rays of Light, is their Disposition to be refracted.",
    "The Sun's Light is a heterogeneous Mixture of Rays.",
    "Unrefracted rays, quoth Newton: prismatick Colours!",
    "Zymurgy and quixotic jinks (never seen) 1730.",
]
GPT2_CHUNKS = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+")
WORDPIECE_WORDS = re.compile(r"[^\W_]+|\S")


def alphabet(word_counts: Counter, symbols_of) -> list[str]:
    counts: Counter = Counter()
    for word, n in word_counts.items():
        for s in symbols_of(word):
            counts[s] += n
    return [s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def merge_word(word: list, a, b, result) -> list:
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and word[i] == a and word[i + 1] == b:
            out.append(result)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


def train(word_counts: Counter, symbols_of, reserved: list[str], vocab_size: int, min_frequency: int,
          join, order_key, likelihood: bool):
    vocab = list(reserved)
    for s in alphabet(word_counts, symbols_of):
        if len(vocab) >= vocab_size:
            break
        vocab.append(s)
    known = set(vocab[len(reserved):])
    words = [([s if s in known else UNK for s in symbols_of(w)], n) for w, n in word_counts.items()]
    merges = []
    while len(vocab) < vocab_size:
        pairs: Counter = Counter()
        symbol_counts: Counter = Counter()
        for word, n in words:
            for s in word:
                symbol_counts[s] += n
            for a, b in zip(word, word[1:]):
                if a not in reserved and b not in reserved:
                    pairs[(a, b)] += n
        candidates = [(p, c) for p, c in pairs.items() if c >= min_frequency]
        if not candidates:
            break

        def score(pc):
            (a, b), c = pc
            return c / (symbol_counts[a] * symbol_counts[b]) if likelihood else float(c)

        (a, b), _ = min(candidates, key=lambda pc: (-score(pc), order_key(pc[0][0]), order_key(pc[0][1])))
        result = join(a, b)
        if result not in vocab:
            vocab.append(result)
        merges.append([a, b])
        words = [(merge_word(word, a, b, result), n) for word, n in words]
    return vocab, merges


def apply_merges(symbols: list[str], merges: list[list[str]], join) -> list[str]:
    rank = {(a, b): i for i, (a, b) in enumerate(merges)}
    word = list(symbols)
    while len(word) > 1:
        ranked = [(rank[(a, b)], i) for i, (a, b) in enumerate(zip(word, word[1:])) if (a, b) in rank]
        if not ranked:
            break
        r, _ = min(ranked)
        a, b = merges[r]
        word = merge_word(word, a, b, join(a, b))
    return word


# --- bpe -------------------------------------------------------------------------------------------

def bpe_symbols(word: str) -> list[str]:
    chars = list(word)
    chars[-1] += EOW
    return chars


def make_bpe(lines, samples, vocab_size, min_frequency):
    counts = Counter(w for line in lines for w in line.split())
    join = lambda a, b: a + b
    vocab, merges = train(counts, bpe_symbols, SPECIALS + [UNK], vocab_size, min_frequency, join, lambda s: s,
                          likelihood=False)
    known = set(vocab)
    encodings = []
    for text in samples:
        tokens = []
        for w in text.split():
            tokens += apply_merges([s if s in known else UNK for s in bpe_symbols(w)], merges, join)
        encodings.append(tokens)
    return {"vocab_size": vocab_size, "min_frequency": min_frequency, "vocab": vocab, "merges": merges,
            "encodings": encodings}


# --- wordpiece -------------------------------------------------------------------------------------

def wordpiece_symbols(word: str) -> list[str]:
    return [c if i == 0 else "##" + c for i, c in enumerate(word)]


def wordpiece_join(a: str, b: str) -> str:
    return a + (b[2:] if b.startswith("##") else b)


def wordpiece_encode_word(word: str, vocab: set) -> list[str]:
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                pieces.append(piece)
                break
            end -= 1
        if end == start:
            return [UNK]
        start = end
    return pieces


def make_wordpiece(lines, samples, vocab_size, min_frequency):
    counts = Counter(w for line in lines for w in WORDPIECE_WORDS.findall(line))
    vocab, _ = train(counts, wordpiece_symbols, SPECIALS + [UNK], vocab_size, min_frequency, wordpiece_join,
                     lambda s: s, likelihood=True)
    ordinary = set(vocab[len(SPECIALS) + 1:])
    encodings = [[p for w in WORDPIECE_WORDS.findall(t) for p in wordpiece_encode_word(w, ordinary)] for t in samples]
    return {"vocab_size": vocab_size, "min_frequency": min_frequency, "vocab": vocab, "encodings": encodings}


# --- byte-bpe --------------------------------------------------------------------------------------

def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's encoder.bytes_to_unicode."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


BYTE_SPELLING = bytes_to_unicode()
BYTE_OF = {c: b for b, c in BYTE_SPELLING.items()}


def spelled(chunk: str) -> list[str]:
    return [BYTE_SPELLING[b] for b in chunk.encode("utf-8")]


def chunks(text: str) -> list[str]:
    found = GPT2_CHUNKS.findall(text)
    assert "".join(found) == text, "GPT-2 pattern must cover the text"
    return found


def make_byte_bpe(lines, samples, vocab_size, min_frequency):
    counts = Counter(c for line in lines for c in chunks(line))
    reserved = SPECIALS + [BYTE_SPELLING[b] for b in range(256)]
    join = lambda a, b: a + b
    order = lambda token: bytes(BYTE_OF[c] for c in token)
    # Bytes are the fixed base vocabulary: train() sees no alphabet beyond them, and never treats them as reserved.
    vocab = list(reserved)
    words = [(spelled(c), n) for c, n in counts.items()]
    merges = []
    while len(vocab) < vocab_size:
        pairs: Counter = Counter()
        for word, n in words:
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] += n
        candidates = [(p, c) for p, c in pairs.items() if c >= min_frequency]
        if not candidates:
            break
        (a, b), _ = min(candidates, key=lambda pc: (-pc[1], order(pc[0][0]), order(pc[0][1])))
        result = join(a, b)
        if result not in vocab:
            vocab.append(result)
        merges.append([a, b])
        words = [(merge_word(word, a, b, result), n) for word, n in words]
    encodings = [[t for c in chunks(text) for t in apply_merges(spelled(c), merges, join)] for text in samples]
    return {"vocab_size": vocab_size, "min_frequency": min_frequency, "vocab": vocab, "merges": merges,
            "encodings": encodings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if not args.source.exists():
        print(f"make_tokenizer_fixtures: {args.source} not found", file=sys.stderr)
        return 2
    lines = args.source.read_text(encoding="utf-8").splitlines()[FIRST_LINE - 1:LAST_LINE]
    odd = sorted({c for line in lines + SAMPLES for c in line if not (c.isascii() or c.isalpha())})
    if odd:
        print(f"make_tokenizer_fixtures: characters outside ASCII and letters: {odd}", file=sys.stderr)
        return 1
    fixture = {
        "generator": GENERATOR,
        "python_version": sys.version.split()[0],
        "source": f"Isaac Newton, Opticks (1730), public domain; {args.source.name} lines {FIRST_LINE}-{LAST_LINE}",
        "corpus": lines,
        "samples": SAMPLES,
        "bpe": make_bpe(lines, SAMPLES, vocab_size=400, min_frequency=2),
        "wordpiece": make_wordpiece(lines, SAMPLES, vocab_size=400, min_frequency=2),
        "byte_bpe": make_byte_bpe(lines, SAMPLES, vocab_size=520, min_frequency=2),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name in ("bpe", "wordpiece", "byte_bpe"):
        print(f"{name}: vocab {len(fixture[name]['vocab'])}, merges {len(fixture[name].get('merges', []))}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
