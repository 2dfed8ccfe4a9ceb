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

**Anchors.** At the end of the warm-up, every ``refresh`` steps after it,
and after a step that touched only some signals, ``prec`` is recomputed by
a Cholesky inverse of the *ridged* covariance: its diagonal scaled by
``1 + ridge`` (shrinks the correlations a little, so two duplicate
sensors stay invertible). Between anchors the ridge term decays with the
covariance, by the product ``decay`` of the ``(1 - a)`` factors.

**No covariance per step.** Until the first anchor ``cov`` is updated
directly. After it only ``prec`` is: ``cov`` and ``prec^-1`` obey the same
affine recursion, so they differ by exactly ``decay * rdiag`` (the ridge
added at the last anchor, decayed), and :func:`covariance` recovers the
covariance from ``prec`` when an anchor or a reading with missing signals
needs it. That halves the work of a step.
"""

from __future__ import annotations

import math
from operator import mul


def new_model(xs: list[float]) -> dict:
    """A model whose mean and level start at ``xs``; no precision until anchored."""
    d = len(xs)
    return {"n": 0, "mean": list(xs), "level": list(xs), "cov": [[0.0] * d for _ in xs],
            "prec": None, "age": 0, "decay": 1.0, "rdiag": [0.0] * d}


def covariance(m: dict) -> list[list[float]]:
    """The exponentially weighted covariance (recovered from ``prec`` after the
    first anchor, see the module docstring)."""
    if m["prec"] is None:
        return m["cov"]
    cov = inverse_psd(m["prec"])
    for k, row in enumerate(cov):
        row[k] -= m["decay"] * m["rdiag"][k]
    return cov


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
    cov = covariance(m)
    reg = ridged(cov, m["mean"], ridge)
    m["prec"], m["cov"] = inverse_psd(reg), None
    m["rdiag"] = [reg[k][k] - cov[k][k] for k in range(len(cov))]
    m["decay"], m["age"] = 1.0, 0


def quad(prec: list[list[float]], r: list[float]) -> tuple[float, list[float]]:
    """``(r^T P r, P r)``."""
    pr = [sum(map(mul, row, r)) for row in prec]
    return sum(map(mul, r, pr)), pr


def residual(m: dict, idx: list[int], xs: list[float], fast: float) -> list[float]:
    """The smoothed reading (level moved by ``fast`` towards ``xs``) minus the
    mean; with ``fast == 1`` exactly ``xs - mean``."""
    level, mean = m["level"], m["mean"]
    if fast == 1.0:
        return [x - mean[i] for i, x in zip(idx, xs)]
    return [level[i] + fast * (x - level[i]) - mean[i] for i, x in zip(idx, xs)]


def distance(m: dict, idx: list[int], r: list[float], ridge: float) -> tuple[float, list[float]]:
    """``(r^T S^-1 r, S^-1 r)``: the precision on the fast path, a solve on the
    sub-covariance when signals are missing."""
    if len(idx) == len(m["mean"]) and m["prec"] is not None:
        return quad(m["prec"], r)
    cov = covariance(m)
    sub = [[cov[i][j] for j in idx] for i in idx]
    pr = solve_psd(ridged(sub, [m["mean"][i] for i in idx], ridge), r)
    return sum(map(mul, r, pr)), pr


def terms(r: list[float], pr: list[float]) -> list[float]:
    """Per-signal terms ``r_i (S^-1 r)_i`` of the squared distance (negatives as 0)."""
    return [v if v > 0.0 else 0.0 for v in map(mul, r, pr)]


def learn(m: dict, idx: list[int], xs: list[float], a: float, fast: float,
          ridge: float, refresh: int, pd: list[float] | None = None) -> None:
    """One weighted step (``a`` = weight of this reading) of mean, covariance,
    precision and level. ``pd``, if given, is ``prec (xs - mean)`` already
    computed (the scored residual when ``fast == 1``)."""
    mean, level, prec = m["mean"], m["level"], m["prec"]
    diff = [x - mean[i] for i, x in zip(idx, xs)]
    b = 1.0 - a
    m["n"] += 1
    if len(idx) < len(mean):
        _learn_some(m, idx, xs, diff, a, fast, ridge)
        return
    m["mean"] = [u + a * v for u, v in zip(mean, diff)]
    m["level"] = [u + fast * (x - u) for u, x in zip(level, xs)]
    if prec is None:  # warm-up: the covariance itself
        m["cov"] = [[b * (c + ad * v) for c, v in zip(row, diff)]
                    for row, ad in zip(m["cov"], [a * v for v in diff])]
        return
    m["age"] += 1
    m["decay"] *= b
    if pd is None:
        pd = [sum(map(mul, row, diff)) for row in prec]
    dtp = sum(map(mul, diff, pd))
    k, ib = a / (1.0 + a * dtp), 1.0 / b
    m["prec"] = [[(u - kp * v) * ib for u, v in zip(row, pd)]
                 for row, kp in zip(prec, [k * v for v in pd])]
    if m["age"] >= refresh:
        anchor(m, ridge)


def _learn_some(m: dict, idx: list[int], xs: list[float], diff: list[float],
                a: float, fast: float, ridge: float) -> None:
    """A step on the signals ``idx`` only (a reading with missing signals):
    on the covariance itself, re-anchored afterwards if it was anchored."""
    mean, cov, level, b = m["mean"], covariance(m), m["level"], 1.0 - a
    anchored, m["cov"] = m["prec"] is not None, cov
    for p, i in enumerate(idx):
        mean[i] += a * diff[p]
        level[i] += fast * (xs[p] - level[i])
        row, ad = cov[i], a * diff[p]
        for q, j in enumerate(idx):
            row[j] = b * (row[j] + ad * diff[q])
    if anchored:
        m["prec"] = None  # so that anchor() reads the covariance just updated
        anchor(m, ridge)


def observe(m: dict, idx: list[int], xs: list[float], fast: float) -> None:
    """Move the level only."""
    level = m["level"]
    for i, x in zip(idx, xs):
        level[i] += fast * (x - level[i])


def learn_weighted(m: dict, idx: list[int], xs: list[float], alpha: float, clip: float,
                   dist: tuple | None, fast: float, warmup: int, ridge: float,
                   refresh: int) -> None:
    """Learn one reading with weight ``min(1, clip^2 / d2)`` (``d2`` the scored
    distance per signal, ``dist`` as the detector scored it: ``(d2, r, S^-1 r)``);
    the rate is never below ``1 / (n + 1)`` (a plain average while young). With
    ``fast == 1`` the scored ``S^-1 r`` is passed on as the Sherman--Morrison
    vector. The model's precision is anchored when it reaches ``warmup``."""
    d2 = dist[0] / len(idx) if dist else 0.0
    weight = min(1.0, clip * clip / d2) if d2 > 0 else 1.0
    a = max(alpha, 1.0 / (m["n"] + 1)) * weight
    pd = dist[2] if dist and fast == 1.0 and len(idx) == len(m["mean"]) else None
    learn(m, idx, xs, a, fast, ridge, refresh, pd)
    if m["n"] == warmup or (m["prec"] is None and m["n"] > warmup):
        anchor(m, ridge)
