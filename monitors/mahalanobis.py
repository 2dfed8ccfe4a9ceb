"""Multivariate detector: Mahalanobis distance, short-term and against a slow reference.

One asset's signals move together (current follows load, pressure follows
speed); a fault often breaks that relationship before any single signal
leaves its own range. This detector scores a smoothed reading's Mahalanobis
distance with two exponentially weighted Gaussian models
(:mod:`monitors.ewcov`, O(d^2) floats each, constant in time):

- **short-term** (``alpha``, memory ~1,000 readings; level smoothed by
  ``fast``): sudden surprises -- cavitation noise, belt slip.
- **reference** (``ref_alpha``, memory ~10,000 readings and, before that,
  the plain average of everything learned; level smoothed by ``ref_fast``):
  a slow drift -- bearing wear, overheating over hours or days. The short
  model follows such a drift (its mean lags a ramp by ``slope / alpha``
  and its covariance widens into it), so its distance never grows; the
  reference barely moves. It learns each reading with weight
  ``min(1, (ref_clip / z_ref)^2)`` -- a level already far from the
  reference hardly teaches it -- and, behind a threshold filter, not at
  all from protected readings.

The score is the larger of the two, each ``squash``-ed from the per-signal
RMS distance ``sqrt(d2 / d)`` with ``half``; :meth:`explain_one` splits the
larger one into per-signal shares.

Written here rather than wrapping river's ``HalfSpaceTrees``: HST needs
features scaled into [0, 1] in advance, its state is pickle-only and several
MB per stream. The defaults were picked on the tuning split only (first half
of each synthetic trace); see ``benchmarks/monitors.py``. A single-signal
stream is better served by the robust z-score:
:class:`~monitors.auto.AutoDetector` picks between the two.
"""

from __future__ import annotations

import math

from . import ewcov
from .base import BaseDetector, squash
from .ewcov import solve_psd  # noqa: F401  (kept importable from here)
from .types import Reading


class Mahalanobis(BaseDetector):
    """Exponentially weighted Mahalanobis distance over all signals of an asset.

    ``alpha`` / ``ref_alpha``: weights of the short-term / reference updates;
    ``fast`` / ``ref_fast``: smoothing of the scored reading for each;
    ``ridge``: shrinkage of correlations (relative); ``clip`` / ``ref_clip``:
    robust down-weighting of far readings when learning; ``warmup`` /
    ``ref_warmup``: readings before each model scores; ``half``: per-signal
    RMS distance that maps to score 0.5; ``refresh``: readings between exact
    re-inversions of the covariance (rank-one updates in between).

    >>> from monitors.types import Reading
    >>> d = Mahalanobis(warmup=20, fast=1.0, ref_warmup=20)
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
                 clip: float = 3.0, warmup: int = 100, half: float = 4.0,
                 ref_alpha: float = 0.0001, ref_fast: float = 0.02, ref_clip: float = 1.0,
                 ref_warmup: int = 500, refresh: int = 256) -> None:
        super().__init__()
        self.alpha, self.fast, self.ridge = alpha, fast, ridge
        self.clip, self.warmup, self.half = clip, warmup, half
        self.ref_alpha, self.ref_fast, self.ref_clip = ref_alpha, ref_fast, ref_clip
        self.ref_warmup, self.refresh = ref_warmup, refresh
        self._s = {"names": [], "short": None, "ref": None}
        self._memo: tuple = (None, -1, None)

    def load_state(self, state: dict) -> None:
        super().load_state(state)
        self._memo = (None, -1, None)

    def _vector(self, reading: Reading) -> tuple[list[int], list[float]]:
        values = reading.values
        if len(values) == len(self._s["names"]):
            try:
                return self._all, [values[n] for n in self._s["names"]]
            except KeyError:
                pass
        idx, xs = [], []
        for i, name in enumerate(self._s["names"]):
            x = values.get(name)
            if x is not None:
                idx.append(i)
                xs.append(x)
        return idx, xs

    @property
    def _all(self) -> list[int]:
        return list(range(len(self._s["names"])))

    def _distances(self, reading: Reading) -> tuple:
        """``(idx, xs, short terms, ref terms)``; terms are [] before a model's
        warm-up. Memoised for the reading just scored (``learn_one`` follows)."""
        s = self._s
        short, ref = s["short"], s["ref"]
        memo = self._memo
        if memo[0] is reading and memo[1] == (short["n"] if short else -1):
            return memo[2]
        out: tuple = ([], [], [], [])
        if short is not None:
            idx, xs = self._vector(reading)
            ts = tr = []
            if idx and short["n"] >= self.warmup:
                ts = ewcov.terms(short, idx, ewcov.residual(short, idx, xs, self.fast), self.ridge)
            if idx and ref["n"] >= self.ref_warmup:
                tr = ewcov.terms(ref, idx, ewcov.residual(ref, idx, xs, self.ref_fast), self.ridge)
            out = (idx, xs, ts, tr)
            self._memo = (reading, short["n"], out)
        return out

    def score_one(self, reading: Reading) -> float:
        idx, _, ts, tr = self._distances(reading)
        if not idx:
            return 0.0
        k = len(idx)
        return squash(math.sqrt(max(sum(ts), sum(tr)) / k), self.half)

    def explain_one(self, reading: Reading) -> tuple[tuple[str, float], ...]:
        idx, _, ts, tr = self._distances(reading)
        terms = tr if sum(tr) > sum(ts) else ts
        total = sum(terms) or 1.0
        pairs = ((self._s["names"][i], t / total) for i, t in zip(idx, terms))
        return tuple(sorted(pairs, key=lambda p: -p[1]))

    def observe_one(self, reading: Reading) -> None:
        """Move the smoothed readings only (means and covariances stay)."""
        s = self._s
        self._memo = (None, -1, None)
        if s["short"] is not None:
            idx, xs = self._vector(reading)
            ewcov.observe(s["short"], idx, xs, self.fast)
            ewcov.observe(s["ref"], idx, xs, self.ref_fast)

    def learn_one(self, reading: Reading) -> None:
        s = self._s
        if s["short"] is None:
            s["names"] = sorted(reading.values)
            x0 = [reading.values[n] for n in s["names"]]
            s["short"], s["ref"] = ewcov.new_model(x0), ewcov.new_model(x0)
        idx, xs, ts, tr = self._distances(reading)
        if not idx:
            idx, xs = self._vector(reading)
        k = len(idx) or 1
        self._step(s["short"], idx, xs, self.alpha, self.clip, sum(ts) / k, self.fast, self.warmup)
        self._step(s["ref"], idx, xs, self.ref_alpha, self.ref_clip, sum(tr) / k, self.ref_fast,
                   self.ref_warmup)
        self._memo = (None, -1, None)

    def _step(self, m: dict, idx: list[int], xs: list[float], alpha: float, clip: float,
              d2: float, fast: float, warmup: int) -> None:
        weight = min(1.0, clip * clip / d2) if d2 > 0 else 1.0
        a = max(alpha, 1.0 / (m["n"] + 1)) * weight
        ewcov.learn(m, idx, xs, a, fast, self.ridge, self.refresh)
        if m["n"] == warmup or (m["prec"] is None and m["n"] > warmup):
            ewcov.anchor(m, self.ridge)
