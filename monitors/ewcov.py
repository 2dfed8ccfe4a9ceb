"""Exponentially weighted mean, covariance and its inverse, in plain floats.

The state of one model is a JSON-ready dict (see :func:`new_model`):
``mean``, ``cov`` (the exponentially weighted covariance), ``prec`` (the
inverse the scores use), ``level`` (a short EWMA of the input, the point
that is scored) and counters. Everything is lists of floats: for the 3-8
signals of a machine, Python float arithmetic beats a numpy call per reading.

**Fast path.** One learning step is ``cov' = (1 - a) (cov + a d d^T)``
with ``d = x - mean``: a scaled rank-one update, so its inverse follows by
Sherman--Morrison in O(d^2), with no solve per reading::

    prec' = (prec - a (prec d)(prec d)^T / (1 + a d^T prec d)) / (1 - a)

**Anchors.** Every ``refresh`` steps (and when a step touched only some
signals) ``prec`` is recomputed by a Cholesky inverse of the *ridged*
covariance, ``cov`` with its diagonal scaled by ``1 + ridge`` (shrinks the
correlations a little, so two duplicate sensors stay invertible). That also
wipes any round-off the rank-one steps accumulate. Between anchors the
ridge decays with the covariance: by ``(1 - alpha) ** refresh``.
"""

from __future__ import annotations

import math


def new_model(xs: list[float]) -> dict:
    """A model whose mean and level start at ``xs``; no precision until anchored."""
    d = len(xs)
    return {"n": 0, "mean": list(xs), "level": list(xs), "cov": [[0.0] * d for _ in xs],
            "prec": None, "age": 0}


def ridged(cov: list[list[float]], mean: list[float], ridge: float) -> list[list[float]]:
    """``cov`` with its diagonal scaled by ``1 + ridge`` plus a tiny absolute floor."""
    out = [list(row) for row in cov]
    for k, row in enumerate(out):
        row[k] = row[k] * (1.0 + ridge) + 1e-12 + 1e-12 * abs(mean[k])
    return out


def cholesky(a: list[list[float]]) -> list[list[float]]:
    """Lower-triangular ``L`` with ``L L^T = a`` (``a`` symmetric positive definite)."""
    n = len(a)
    low = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = a[i][j] - sum(low[i][k] * low[j][k] for k in range(j))
            low[i][j] = math.sqrt(max(s, 1e-300)) if i == j else s / low[j][j]
    return low


def solve_psd(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve ``a x = b`` for a symmetric positive-definite ``a`` (Cholesky).

    >>> solve_psd([[4.0, 2.0], [2.0, 3.0]], [2.0, 1.0])
    [0.5, 0.0]
    """
    low, n = cholesky(a), len(b)
    y = [0.0] * n
    for i in range(n):
        y[i] = (b[i] - sum(low[i][k] * y[k] for k in range(i))) / low[i][i]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (y[i] - sum(low[k][i] * x[k] for k in range(i + 1, n))) / low[i][i]
    return x


def inverse_psd(a: list[list[float]]) -> list[list[float]]:
    """Inverse of a symmetric positive-definite matrix, column by column.

    >>> [[round(v, 12) for v in row] for row in inverse_psd([[2.0, 1.0], [1.0, 2.0]])]
    [[0.666666666667, -0.333333333333], [-0.333333333333, 0.666666666667]]
    """
    n = len(a)
    cols = [solve_psd(a, [1.0 if i == j else 0.0 for i in range(n)]) for j in range(n)]
    return [[0.5 * (cols[j][i] + cols[i][j]) for j in range(n)] for i in range(n)]


def anchor(m: dict, ridge: float) -> None:
    """Recompute ``prec`` exactly from the ridged covariance."""
    m["prec"] = inverse_psd(ridged(m["cov"], m["mean"], ridge))
    m["age"] = 0


def quad(prec: list[list[float]], r: list[float]) -> tuple[float, list[float]]:
    """``(r^T P r, P r)``."""
    pr = [sum(p * x for p, x in zip(row, r)) for row in prec]
    return sum(a * b for a, b in zip(r, pr)), pr


def residual(m: dict, idx: list[int], xs: list[float], fast: float) -> list[float]:
    """The smoothed reading (level moved by ``fast`` towards ``xs``) minus the mean."""
    level, mean = m["level"], m["mean"]
    return [level[i] + fast * (x - level[i]) - mean[i] for i, x in zip(idx, xs)]


def terms(m: dict, idx: list[int], r: list[float], ridge: float) -> list[float]:
    """Per-signal terms ``r_i (S^-1 r)_i`` of the squared distance; the precision
    on the fast path, a solve on the sub-covariance when signals are missing."""
    if len(idx) == len(m["mean"]) and m["prec"] is not None:
        _, pr = quad(m["prec"], r)
    else:
        sub = [[m["cov"][i][j] for j in idx] for i in idx]
        pr = solve_psd(ridged(sub, [m["mean"][i] for i in idx], ridge), r)
    return [max(a * b, 0.0) for a, b in zip(r, pr)]


def learn(m: dict, idx: list[int], xs: list[float], a: float, fast: float,
          ridge: float, refresh: int) -> None:
    """One weighted step (``a`` = weight of this reading) of mean, covariance,
    precision and level."""
    mean, cov, level = m["mean"], m["cov"], m["level"]
    diff = [x - mean[i] for i, x in zip(idx, xs)]
    b = 1.0 - a
    for p, i in enumerate(idx):
        mean[i] += a * diff[p]
        level[i] += fast * (xs[p] - level[i])
        row, ad = cov[i], a * diff[p]
        for q, j in enumerate(idx):
            row[j] = b * (row[j] + ad * diff[q])
    m["n"] += 1
    prec = m["prec"]
    if prec is None or b <= 0.0:
        return
    m["age"] += 1
    if len(idx) < len(mean) or m["age"] >= refresh:
        anchor(m, ridge)
        return
    dtp, pd = quad(prec, diff)
    k, ib = a / (1.0 + a * dtp), 1.0 / b
    for i, row in enumerate(prec):
        kp = k * pd[i]
        for j, pj in enumerate(pd):
            row[j] = (row[j] - kp * pj) * ib


def observe(m: dict, idx: list[int], xs: list[float], fast: float) -> None:
    """Move the level only."""
    level = m["level"]
    for i, x in zip(idx, xs):
        level[i] += fast * (x - level[i])
