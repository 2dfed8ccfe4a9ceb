"""Multivariate detector: Mahalanobis distance on an exponential window.

One asset's signals move together (current follows load, pressure follows
speed); a fault often breaks that relationship before any single signal
leaves its own range. This detector keeps an exponentially weighted mean
vector and covariance matrix (O(d^2) floats per asset, constant in time) and
scores the Mahalanobis distance of a smoothed reading from that mean.

Written here rather than wrapping river's ``HalfSpaceTrees``: HST needs
features scaled into [0, 1] in advance, its state is pickle-only and several
MB per stream, and it scores ~10x slower than this d x d solve in plain floats
for the handful of signals a machine has.

The default ``alpha`` (memory ~1,000 readings) and ``fast`` were picked by a
grid on the tuning split only (first half of each synthetic trace); see
``benchmarks/monitors.py``. A single-signal stream is better served by the
robust z-score (the squared-deviation covariance is blown up by deep drops):
:class:`~monitors.auto.AutoDetector` picks between the two.
"""

from __future__ import annotations

import math

from .base import BaseDetector, squash
from .types import Reading


def solve_psd(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve ``a x = b`` for a symmetric positive-definite ``a`` (Cholesky).

    >>> solve_psd([[4.0, 2.0], [2.0, 3.0]], [2.0, 1.0])
    [0.5, 0.0]
    """
    n = len(b)
    low = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = a[i][j] - sum(low[i][k] * low[j][k] for k in range(j))
            low[i][j] = math.sqrt(max(s, 1e-300)) if i == j else s / low[j][j]
    y = [0.0] * n
    for i in range(n):
        y[i] = (b[i] - sum(low[i][k] * y[k] for k in range(i))) / low[i][i]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (y[i] - sum(low[k][i] * x[k] for k in range(i + 1, n))) / low[i][i]
    return x


class Mahalanobis(BaseDetector):
    """Exponentially weighted Mahalanobis distance over all signals of an asset.

    ``alpha``: weight of mean / covariance updates; ``fast``: smoothing of the
    scored reading; ``ridge``: shrinkage towards the diagonal (relative);
    ``clip``: robust down-weighting of far readings when learning;
    ``warmup``: readings before scoring; ``half``: per-signal RMS distance
    that maps to score 0.5.

    >>> from monitors.types import Reading
    >>> d = Mahalanobis(warmup=20, fast=1.0)
    >>> for i in range(300):  # current tracks load
    ...     load = (i % 10) / 10
    ...     d.learn_one(Reading("P", i, {"load": load, "amps": 5 + 10 * load + 0.01 * (i % 3)}))
    >>> ok = d.score_one(Reading("P", 300, {"load": 0.5, "amps": 10.0}))
    >>> bad = d.score_one(Reading("P", 300, {"load": 0.5, "amps": 14.0}))  # both in range
    >>> ok < 0.5 < bad, d.explain_one(Reading("P", 300, {"load": 0.5, "amps": 14.0}))[0][0]
    (True, 'amps')
    """

    name = "mahalanobis"

    def __init__(self, alpha: float = 0.001, fast: float = 0.1, ridge: float = 0.01,
                 clip: float = 3.0, warmup: int = 100, half: float = 4.0) -> None:
        super().__init__()
        self.alpha, self.fast, self.ridge = alpha, fast, ridge
        self.clip, self.warmup, self.half = clip, warmup, half
        self._s = {"names": [], "n": 0, "mean": [], "cov": [], "level": []}

    def _vector(self, reading: Reading) -> tuple[list[int], list[float]]:
        names = self._s["names"]
        idx, xs = [], []
        for i, name in enumerate(names):
            x = reading.values.get(name)
            if x is not None:
                idx.append(i)
                xs.append(x)
        return idx, xs

    def _terms(self, reading: Reading) -> tuple[list[int], list[float]]:
        """Per-signal terms r_i * (S^-1 r)_i of the squared distance."""
        s = self._s
        if s["n"] < self.warmup:
            return [], []
        idx, xs = self._vector(reading)
        if not idx:
            return [], []
        f = self.fast
        r = [s["level"][i] + f * (x - s["level"][i]) - s["mean"][i] for i, x in zip(idx, xs)]
        cov = [[s["cov"][i][j] for j in idx] for i in idx]
        for k in range(len(idx)):  # shrink correlations a little: keeps cov invertible
            cov[k][k] = cov[k][k] * (1 + self.ridge) + 1e-12 + 1e-12 * abs(s["mean"][idx[k]])
        sol = solve_psd(cov, r)
        return idx, [max(ri * si, 0.0) for ri, si in zip(r, sol)]

    def score_one(self, reading: Reading) -> float:
        idx, terms = self._terms(reading)
        if not idx:
            return 0.0
        return squash(math.sqrt(sum(terms) / len(idx)), self.half)

    def explain_one(self, reading: Reading) -> tuple[tuple[str, float], ...]:
        idx, terms = self._terms(reading)
        total = sum(terms) or 1.0
        pairs = ((self._s["names"][i], t / total) for i, t in zip(idx, terms))
        return tuple(sorted(pairs, key=lambda p: -p[1]))

    def observe_one(self, reading: Reading) -> None:
        """Move the smoothed reading only (the mean and covariance stay)."""
        level = self._s["level"]
        for i, x in zip(*self._vector(reading)):
            level[i] += self.fast * (x - level[i])

    def learn_one(self, reading: Reading) -> None:
        s = self._s
        if not s["names"]:
            s["names"] = sorted(reading.values)
            x0 = [reading.values[n] for n in s["names"]]
            s["mean"], s["level"] = list(x0), list(x0)
            s["cov"] = [[0.0] * len(x0) for _ in x0]
        idx, xs = self._vector(reading)
        weight = 1.0
        if s["n"] >= self.warmup and idx:
            _, terms = self._terms(reading)
            d2 = sum(terms) / len(idx)
            weight = min(1.0, self.clip * self.clip / d2) if d2 > 0 else 1.0
        s["n"] += 1
        a = max(self.alpha, 1.0 / s["n"]) * weight
        mean, cov, level = s["mean"], s["cov"], s["level"]
        diff = [x - mean[i] for i, x in zip(idx, xs)]
        for p, i in enumerate(idx):
            mean[i] += a * diff[p]
            level[i] += self.fast * (xs[p] - level[i])
            for q, j in enumerate(idx):
                cov[i][j] = (1 - a) * (cov[i][j] + a * diff[p] * diff[q])
