#!/usr/bin/env python3
"""Generate the reference fixtures for the Java study-summary statistics, with SciPy and statsmodels.

Two fixtures, both computed here independently of Apache Commons Math:

1. ``summary_stats.json`` (ReportWriterTest): two variants × three finished seeds with hand-chosen
   final metrics, plus a failed fourth seed of the second variant (the baseline's fourth seed never
   started).
2. ``paired_stats.json`` (SummaryStatisticsTest): cases with more variants and seeds: failed runs,
   a variant with fewer than three seeds, a best-vs-runner-up test of its own, a loss metric.

The rules a summary must follow, for each metric:

    a failed run counts as the worst value of the metric among the study's finished runs
        (the highest for metrics named *loss*, else the lowest); pending runs are left out
    mean, std (n-1), ci95 = t.ppf(0.975, n-1) · std / sqrt(n)           over the n values
    paired with the baseline over the seeds both have:
        diff = mean(a - b), diff_ci95 = t.ppf(0.975, m-1) · sd(a - b) / sqrt(m)   (m pairs ≥ 2)
        p = scipy.stats.ttest_rel(a, b).pvalue                           (m ≥ 3, else none)
        effect size d_z = mean(a - b) / sd(a - b)                         (m ≥ 2)
    family = every variant-vs-baseline p, plus best-vs-runner-up when neither is the baseline
    p_adjusted = statsmodels.stats.multitest.multipletests(family, method="holm")
    winner: the best mean, when its paired test against the runner-up (second-best mean) has a
        Holm-adjusted p < 0.05 and the difference points its way

Usage: python scripts/make_summary_fixtures.py (needs scipy and statsmodels; exit 3 without them).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

try:
    import numpy as np
    import scipy
    import statsmodels
    from scipy import stats as st
    from statsmodels.stats.multitest import multipletests
except ImportError as exc:
    print(f"make_summary_fixtures: scipy and statsmodels are needed ({exc})", file=sys.stderr)
    sys.exit(3)

GENERATOR = "scripts/make_summary_fixtures.py"
REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "framework/experiment/src/test/resources/reference"
ALPHA = 0.05
FAILED = "failed"

BASELINE = "positional=sinusoidal"
OTHER = "positional=rotary"
SEEDS = [1, 2, 3]
LENGTHS = [2, 4, 8, 12, 16]
TRAIN_MAX_LENGTH = 8

# final metrics per variant and seed: chosen by hand, rotary better everywhere
RUNS = {
    BASELINE: {
        1: {"loss": 0.50, "exact_match": 0.80, "train_loss": 0.42},
        2: {"loss": 0.40, "exact_match": 0.85, "train_loss": 0.37},
        3: {"loss": 0.45, "exact_match": 0.90, "train_loss": 0.40},
    },
    OTHER: {
        1: {"loss": 0.30, "exact_match": 0.90, "train_loss": 0.25},
        2: {"loss": 0.35, "exact_match": 0.95, "train_loss": 0.31},
        3: {"loss": 0.25, "exact_match": 0.97, "train_loss": 0.22},
        4: FAILED,
    },
}


def per_length(variant: str, seed: int, length: int) -> float:
    """Exact match by length: near the in-distribution value up to 8, then falling (faster for sinusoidal)."""
    base = RUNS[variant][seed]["exact_match"]
    if length <= TRAIN_MAX_LENGTH:
        return round(base - 0.01 * length / 2 + 0.005 * seed, 4)
    drop = (0.06 if variant == BASELINE else 0.03) * (length - TRAIN_MAX_LENGTH)
    return round(max(0.0, base - drop - 0.01 * seed), 4)


def lower_is_better(metric: str) -> bool:
    m = metric.lower()
    return "loss" in m or "perplexity" in m or "bits_per" in m or "error" in m


def num(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def describe(xs):
    n = len(xs)
    if n == 0:
        return n, None, None, None
    mean = float(np.mean(xs))
    if n < 2:
        return n, mean, None, None
    std = float(np.std(xs, ddof=1))
    return n, mean, std, float(st.t.ppf(0.975, n - 1) * std / math.sqrt(n))


def paired(a: dict, b: dict):
    """a − b over the seeds both have: (pairs, diff, diff_ci95, p, d_z)."""
    common = sorted(set(a) & set(b))
    xa = np.array([a[s] for s in common])
    xb = np.array([b[s] for s in common])
    m = len(common)
    if m == 0:
        return 0, None, None, None, None
    d = xa - xb
    diff = float(np.mean(d))
    if m < 2:
        return m, diff, None, None, None
    sd = float(np.std(d, ddof=1))
    if sd == 0:   # only the baseline against itself here; the Java side's degenerate cases are tested by hand
        return m, diff, 0.0, None, None
    ci = float(st.t.ppf(0.975, m - 1) * sd / math.sqrt(m))
    p = float(st.ttest_rel(xa, xb).pvalue) if m >= 3 else None
    return m, diff, ci, p, diff / sd


def summarise(metric: str, variants: list, baseline: str, runs: dict) -> dict:
    """runs: variant → seed → value or FAILED. The expected statistics and verdict of one metric."""
    lower = lower_is_better(metric)
    finished = [x for v in variants for x in runs[v].values() if x != FAILED]
    worst = max(finished) if lower else min(finished)
    values = {v: {s: (worst if x == FAILED else x) for s, x in runs[v].items()} for v in variants}
    failed = {v: sum(1 for x in runs[v].values() if x == FAILED) for v in variants}
    vs_base = {v: paired(values[v], values[baseline]) for v in variants}
    ranked = sorted((v for v in variants if values[v]), key=lambda v: (1 if lower else -1) * np.mean(list(values[v].values())))
    best, runner = ranked[0], ranked[1]
    head = paired(values[best], values[runner])
    own = baseline not in (best, runner)
    family = [(v, vs_base[v][3]) for v in variants if v != baseline and vs_base[v][3] is not None]
    if own and head[3] is not None:
        family.append(("__head__", head[3]))
    adjusted = dict(zip([k for k, _ in family], multipletests([p for _, p in family], method="holm")[1])) if family else {}
    head_adj = adjusted.get("__head__" if own else (runner if best == baseline else best))
    better = head[1] is not None and (head[1] < 0 if lower else head[1] > 0)
    winner = best if better and head_adj is not None and head_adj < ALPHA else None
    expected = {}
    for v in variants:
        n, mean, std, ci = describe(list(values[v].values()))
        pairs, diff, diff_ci, p, dz = vs_base[v]
        is_base = v == baseline
        expected[v] = {"n": n, "failed": failed[v], "mean": mean, "std": std, "ci95": ci, "pairs": pairs,
                       "diff": 0.0 if is_base else diff, "diff_ci95": None if is_base else diff_ci,
                       "p_value": None if is_base else p, "p_adjusted": num(adjusted.get(v)),
                       "effect_size": None if is_base else dz, "winner": v == winner}
    return {"expected": expected,
            "verdict": {"best": best, "runner_up": runner, "pairs": head[0], "diff": head[1],
                        "p_adjusted": num(head_adj), "winner": winner}}


def report_fixture() -> dict:
    runs = {v: {s: dict(m) if m != FAILED else FAILED for s, m in seeds.items()} for v, seeds in RUNS.items()}
    for variant, seeds in runs.items():
        for seed, metrics in seeds.items():
            if metrics != FAILED:
                for length in LENGTHS:
                    metrics[f"exact_match@len={length}"] = per_length(variant, seed, length)
    metrics = list(runs[BASELINE][1].keys())
    variants = [BASELINE, OTHER]
    expected = {v: {} for v in variants}
    verdicts = {}
    for metric in metrics:
        one = {v: {s: (m if m == FAILED else m[metric]) for s, m in runs[v].items()} for v in variants}
        result = summarise(metric, variants, BASELINE, one)
        for v in variants:
            expected[v][metric] = result["expected"][v]
        verdicts[metric] = result["verdict"]
    return {
        "generator": GENERATOR, "scipy_version": scipy.__version__, "statsmodels_version": statsmodels.__version__,
        "study": "positional-fixture", "baseline": BASELINE, "variants": variants, "seeds": SEEDS,
        "train_max_length": TRAIN_MAX_LENGTH, "t_quantile_975_df2": float(st.t.ppf(0.975, 2)),
        "runs": {v: {str(s): m for s, m in runs[v].items() if m != FAILED} for v in variants},
        "failed_runs": {v: [s for s, m in runs[v].items() if m == FAILED] for v in variants},
        "expected": expected, "verdicts": verdicts,
    }


# Statistics cases: variant → seed → value ("failed" for a failed run). Values chosen by hand.
CASES = [
    {   # three variants beat the baseline by different margins; c has only two seeds; b failed once
        "name": "accuracy with a failed run and a short variant",
        "metric": "exact_match", "baseline": "base",
        "runs": {
            "base": {1: 0.61, 2: 0.58, 3: 0.66, 4: 0.60, 5: 0.63, 6: 0.59},
            "a": {1: 0.72, 2: 0.70, 3: 0.79, 4: 0.69, 5: 0.75, 6: 0.73},
            "b": {1: 0.64, 2: 0.57, 3: 0.70, 4: FAILED, 5: 0.66, 6: 0.61},
            "c": {1: 0.90, 2: 0.88},
        },
    },
    {   # the best and the runner-up are both not the baseline and barely differ: no winner
        "name": "loss: best and runner-up close, neither the baseline",
        "metric": "loss", "baseline": "base",
        "runs": {
            "base": {1: 1.90, 2: 2.05, 3: 1.97, 4: 2.10, 5: 1.93},
            "x": {1: 1.41, 2: 1.52, 3: 1.47, 4: 1.55, 5: 1.40},
            "y": {1: 1.44, 2: 1.50, 3: 1.49, 4: 1.53, 5: 1.45},
            "z": {1: 1.80, 2: 2.00, 3: FAILED, 4: 1.95, 5: 1.85},
        },
    },
    {   # the best is clearly better than a runner-up that is not the baseline: a winner
        "name": "accuracy: a clear winner over a non-baseline runner-up",
        "metric": "accuracy", "baseline": "base",
        "runs": {
            "base": {1: 0.50, 2: 0.52, 3: 0.49, 4: 0.51, 5: 0.53},
            "good": {1: 0.70, 2: 0.73, 3: 0.69, 4: 0.72, 5: 0.74},
            "better": {1: 0.85, 2: 0.88, 3: 0.86, 4: 0.87, 5: 0.89},
        },
    },
]


def statistics_fixture() -> dict:
    cases = []
    for case in CASES:
        variants = list(case["runs"].keys())
        result = summarise(case["metric"], variants, case["baseline"], case["runs"])
        cases.append({"name": case["name"], "metric": case["metric"], "baseline": case["baseline"],
                      "variants": variants,
                      "runs": {v: {str(s): x for s, x in seeds.items()} for v, seeds in case["runs"].items()},
                      **result})
    # Holm alone, against statsmodels, including ties and a p above 1 after scaling
    ps = [0.01, 0.04, 0.03, 0.04, 0.5, 0.002]
    return {"generator": GENERATOR, "scipy_version": scipy.__version__,
            "statsmodels_version": statsmodels.__version__, "alpha": ALPHA, "cases": cases,
            "holm": {"p": ps, "adjusted": [float(x) for x in multipletests(ps, method="holm")[1]]}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, fixture in (("summary_stats.json", report_fixture()), ("paired_stats.json", statistics_fixture())):
        out = args.out_dir / name
        out.write_text(json.dumps(fixture, indent=1) + "\n")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
