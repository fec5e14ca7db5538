"""Fits the rational erf approximation used by io.ablate.tensor.ops.Gelu (run: python scripts/fit_erf.py).

erf(u) ~ u * P(u^2) / Q(u^2) on [0, 4] (odd, so it holds on [-4, 4]; |u| > 4 is clamped, erf(4) = 1 - 1.5e-8),
P of degree 6 and Q of degree 5 in u^2 with Q(0) = 1, by iterated reweighted linear least squares
(Sanathanan-Koerner) on 4000 Chebyshev nodes against mpmath's erf. Prints the coefficients and the
maximum errors of the function and of its derivative (2/sqrt(pi) exp(-u^2)).
Needs numpy and mpmath (both installed with torch from scripts/requirements-reference.txt).
"""
import mpmath
import numpy as np

N, DP, DQ = 4000, 6, 5
u = 4 * (0.5 - 0.5 * np.cos(np.pi * (np.arange(N) + 0.5) / N))
f = np.array([float(mpmath.erf(v)) for v in u])
z = u * u
w = np.ones(N)
for _ in range(40):
    a = np.zeros((N, DP + 1 + DQ))
    for k in range(DP + 1):
        a[:, k] = u * z ** k
    for k in range(1, DQ + 1):
        a[:, DP + k] = -f * z ** k
    sol, *_ = np.linalg.lstsq(a * w[:, None], f * w, rcond=None)
    p = sol[:DP + 1]
    q = np.concatenate([[1.0], sol[DP + 1:]])
    w = 1 / np.abs(np.polyval(q[::-1], z))


def rational(v):
    return v * np.polyval(p[::-1], v * v) / np.polyval(q[::-1], v * v)


def derivative(v):
    zz = v * v
    pv, qv = np.polyval(p[::-1], zz), np.polyval(q[::-1], zz)
    dp, dq = np.polyval(np.polyder(p[::-1]), zz), np.polyval(np.polyder(q[::-1]), zz)
    return ((pv + 2 * zz * dp) * qv - 2 * zz * pv * dq) / qv ** 2


grid = np.linspace(0, 4, 10001)
print("P =", ", ".join("%.17g" % c for c in p))
print("Q =", ", ".join("%.17g" % c for c in q))
print("max |R - erf|   = %.2e" % np.abs(rational(grid) - [float(mpmath.erf(v)) for v in grid]).max())
print("max |R' - erf'| = %.2e" % np.abs(derivative(grid) - 2 / np.sqrt(np.pi) * np.exp(-grid ** 2)).max())
print("min Q on [0, 4] = %.3f (no poles)" % np.polyval(q[::-1], grid * grid).min())
