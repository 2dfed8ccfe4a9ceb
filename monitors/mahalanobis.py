"""Multivariate detector: Mahalanobis distance, short-term and against a slow reference.

One asset's signals move together (current follows load, pressure follows speed); a fault often
breaks that relationship before any single signal leaves its own range. This detector scores a
smoothed reading's Mahalanobis distance with two exponentially weighted Gaussian models
(:mod:`monitors.ewcov`, O(d^2) floats each, constant in time):

- **short-term** (``alpha``, memory ~1,000 readings; level smoothed by ``fast``): sudden surprises
  -- cavitation noise, belt slip.
- **reference** (``ref_alpha``, memory ~10,000 readings and, before that, the plain average of
  everything learned; it learns every ``ref_every``-th reading, which is plenty for so slow a model
  and keeps the detector above 50,000 readings/s): a slow drift -- bearing wear, overheating over
  hours or days. Its reading is not smoothed (``ref_fast = 1``, the best of 0.02 / 0.1 / 0.3 / 1 on
  the tuning split: smoothing left score tails after each fault that NAB counts as false positives).
  The short model follows such a drift (its mean lags a ramp by ``slope / alpha`` and its covariance
  widens into it), so its distance never grows; the reference barely moves. It learns each reading
  with weight ``min(1, (ref_clip / z_ref)^2)`` -- a level already far from the reference hardly
  teaches it -- and, behind a threshold filter, not at all from protected readings.

Four more kinds of evidence, each in its own module with the reasons for its defaults (this class's
``drift_*``, ``chart_*``, ``regime_*`` and ``spread_*`` arguments):

- **drift** (:mod:`monitors.drift`): a leaky CUSUM over block means of the reference model's
  conditional z of each signal given the others; slow rises in one signal (``drift_block = 0`` turns
  it off; ``drift_h`` is its decision interval; restarted when the alert layer adopts a lasting
  change, :meth:`adopt`, and again once the reference model finds the readings back home);
- **declared changes** (:mod:`monitors.declared`): a set-point or planned change the plant
  declares holds and re-baselines the signals concerned (:meth:`declare`);
- **shift in short runs** (:mod:`monitors.ewchart`): an EWMA chart of each signal's conditional z
  under the short-term model, warm long before the CUSUM (``chart_half = 0`` turns it off);
- **operating-point changes** (:mod:`monitors.regime`): a set-point step or a stop/start holds the
  scores (only stuck-sensor evidence stays) while the models re-baseline (``regime_k = 0``: off);
- **spread** (:mod:`monitors.spread`): each signal's short-term swing against its learned one -- an
  oscillation or imbalance that leaves every level in place (``spread_half = 0``: off).

The score is the largest of these (and of the stuck-sensor evidence), each ``squash``-ed from the
per-signal RMS distance ``sqrt(d2 / d)`` with ``half``; :meth:`explain_one` splits the larger one
into per-signal shares.

Written here rather than wrapping river's ``HalfSpaceTrees`` (features scaled into [0, 1] in
advance, pickle-only state of several MB per stream); ``AutoDetector`` picks it for 2+ signals.
"""

from __future__ import annotations

import math

from . import declared, drift, ewchart, ewcov, flatline, regime, spread
from .base import BaseDetector, squash
from .types import Reading


class Mahalanobis(BaseDetector):
    """Exponentially weighted Mahalanobis distance over all signals of an asset.

    ``alpha`` / ``ref_alpha``: weights of the short-term / reference updates;
    ``fast`` / ``ref_fast``: smoothing of the scored reading for each;
    ``ridge``: shrinkage of correlations (relative); ``clip`` / ``ref_clip``:
    robust down-weighting of far readings when learning; ``warmup`` /
    ``ref_warmup``: updates before each model scores (the reference learns
    only every ``ref_every``-th reading, with ``ref_every`` times the weight:
    125 updates = 500 readings); ``half``: per-signal RMS distance that maps
    to score 0.5; ``refresh``: updates between exact re-inversions of the
    covariance (Sherman--Morrison rank-one updates in between).

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
                 ref_alpha: float = 0.0001, ref_fast: float = 1.0, ref_clip: float = 1.0,
                 ref_warmup: int = 125, ref_every: int = 4, refresh: int = 256,
                 drift_block: int = 30, drift_alpha: float = 0.02, drift_k: float = 1.0,
                 drift_leak: float = 0.8, drift_half: float = 8.0, drift_warmup: int = 20,
                 stuck_half: float = 3.0, follow_z: float = 3.0, chart_lam: float = 0.05,
                 chart_alpha: float = 0.0005, chart_warmup: int = 300, chart_gate: float = 3.0,
                 chart_half: float = 12.0, chart_release: float = 0.003, regime_k: float = 1.0,
                 regime_frac: float = 0.5, regime_coupled: float = 0.2, regime_quick: float = 0.5,
                 regime_slow: float = 0.05, regime_calm: float = 2.0, regime_settle: int = 20,
                 regime_min: int = 30, regime_max: int = 300, regime_warmup: int = 100,
                 regime_gate: float = 1.0, regime_fresh: int = 5, regime_big: float = 4.0,
                 drift_h: float = 2.0, spread_half: float = 32.0, spread_level: float = 0.2,
                 spread_lam: float = 0.05, spread_alpha: float = 0.002, spread_gate: float = 3.0,
                 spread_warmup: int = 150) -> None:
        super().__init__()
        self.alpha, self.fast, self.ridge = alpha, fast, ridge
        self.clip, self.warmup, self.half = clip, warmup, half
        self.ref_alpha, self.ref_fast, self.ref_clip = ref_alpha, ref_fast, ref_clip
        self.ref_warmup, self.ref_every, self.refresh = ref_warmup, ref_every, refresh
        self.drift_block, self.drift_alpha, self.drift_k = drift_block, drift_alpha, drift_k
        self.drift_leak, self.drift_half, self.drift_warmup = drift_leak, drift_half, drift_warmup
        self.stuck_half, self.follow_z = stuck_half, follow_z
        self.chart_lam, self.chart_alpha, self.chart_warmup = chart_lam, chart_alpha, chart_warmup
        self.chart_gate, self.chart_half, self.chart_release = chart_gate, chart_half, chart_release
        self.regime_k, self.regime_frac, self.regime_coupled = regime_k, regime_frac, regime_coupled
        self.regime_quick, self.regime_slow, self.regime_calm = regime_quick, regime_slow, regime_calm
        self.regime_settle, self.regime_min, self.regime_max = regime_settle, regime_min, regime_max
        self.regime_warmup, self.regime_gate, self.regime_fresh = regime_warmup, regime_gate, regime_fresh
        self.regime_big, self.drift_h = regime_big, drift_h
        self.spread_half, self.spread_level, self.spread_lam = spread_half, spread_level, spread_lam
        self.spread_alpha, self.spread_gate, self.spread_warmup = spread_alpha, spread_gate, spread_warmup
        self._s = {"names": [], "short": None, "ref": None}
        self._memo: tuple = (None, -1, None)

    def load_state(self, state: dict) -> None:
        super().load_state(state)
        self._memo = (None, -1, None)

    def adopt(self) -> None:
        self._s.pop("drift", None)  # its baseline ignores far blocks: it would never learn the new normal
        self._s["home"] = 0  # watch for the return home (:func:`monitors.drift.recovered`)

    def declare(self, signals: tuple[str, ...] = ()) -> None:
        declared.start(self, signals)  # a declared operating change: :mod:`monitors.declared`

    def _vector(self, reading: Reading) -> tuple[list[int], list[float]]:
        values = reading.values
        if len(values) == len(self._s["names"]):
            try:
                return list(range(len(values))), [values[n] for n in self._s["names"]]
            except KeyError:
                pass
        idx, xs = [], []
        for i, name in enumerate(self._s["names"]):
            x = values.get(name)
            if x is not None:
                idx.append(i)
                xs.append(x)
        return idx, xs

    def _distances(self, reading: Reading) -> tuple:
        """``(idx, xs, short, ref)`` with each model's ``(d2, r, S^-1 r)`` or None
        before its warm-up. Memoised for the reading just scored: ``explain_one``
        and ``learn_one`` of the same reading reuse it."""
        s = self._s
        short, ref = s["short"], s["ref"]
        memo = self._memo
        if memo[0] is reading and short is not None and memo[1] == short["n"]:
            return memo[2]
        if short is None:
            return [], [], None, None
        idx, xs = self._vector(reading)
        out = (idx, xs, self._model(short, idx, xs, self.fast, self.warmup),
               self._model(ref, idx, xs, self.ref_fast, self.ref_warmup))
        self._memo = (reading, short["n"], out)
        return out

    def _model(self, m: dict, idx: list[int], xs: list[float], fast: float, warmup: int):
        if not idx or m["n"] < warmup or m["prec"] is None:
            return None
        r = ewcov.residual(m, idx, xs, fast)
        d2, pr = ewcov.distance(m, idx, r, self.ridge)
        return d2, r, pr

    def score_one(self, reading: Reading) -> float:
        if self._s.get("declared"):
            return declared.score(self, reading)
        idx, _, short, ref = self._distances(reading)
        if regime.changing(self, idx, reading):  # held in, or entering, an operating-point change
            return self._stuck_score(reading, idx, short)
        d2 = max(short[0] if short else 0.0, ref[0] if ref else 0.0)
        out = squash(math.sqrt(max(d2, 0.0) / len(idx)), self.half) if idx else 0.0
        return max(out, self._views(), self._stuck_score(reading, idx, short))

    def _views(self, keep: list[int] | None = None) -> float:
        """Largest squashed drift, chart and spread evidence over signals ``keep`` (None: all)."""
        s, out = self._s, 0.0

        def top(vals: list[float], half: float) -> float:
            return squash(max(vals if keep is None else [vals[i] for i in keep]), half)
        if s.get("drift") and self.drift_block > 0:
            out = max(out, top(drift.evidence(s["drift"], self.drift_h), self.drift_half))
        if s.get("chart") and self.chart_half > 0:
            out = max(out, top(ewchart.evidence(s["chart"], self.chart_warmup), self.chart_half))
        if s.get("spread") and self.spread_half > 0:
            out = max(out, top(spread.evidence(s["spread"], self.spread_warmup, self.spread_lam),
                               self.spread_half))
        return out

    def _stuck_score(self, reading: Reading, idx: list[int], short) -> float:
        stuck = self._s.get("stuck")
        if stuck and self.stuck_half > 0 and idx and len(idx) == len(stuck) and short is not None:
            return squash(max(flatline.evidence(stuck, self._vector(reading)[1])), self.stuck_half)
        return 0.0

    def _regime_step(self, reading: Reading, learned: bool) -> bool:
        """Advance the regime state; True when the reading must not reach the models
        (the spread view then restarts at the reading: a step's burst is not a swing)."""
        return declared.step(self, reading) or spread.held(self, reading, regime.advance(self, reading, learned))

    def explain_one(self, reading: Reading) -> tuple[tuple[str, float], ...]:
        idx, _, short, ref = self._distances(reading)
        best = ref if ref and (not short or ref[0] > short[0]) else short
        if best is None:
            return ()
        terms = ewcov.terms(best[1], best[2])
        total = sum(terms) or 1.0
        pairs = ((self._s["names"][i], t / total) for i, t in zip(idx, terms))
        return tuple(sorted(pairs, key=lambda p: -p[1]))

    def baseline(self) -> dict[str, tuple[float, float]]:
        """The reference model's mean and standard deviation of each signal."""
        ref = self._s["ref"]
        if ref is None or ref["prec"] is None:
            return {}
        cov = ewcov.covariance(ref)
        return {n: (ref["mean"][i], math.sqrt(max(cov[i][i], 0.0))) for i, n in enumerate(self._s["names"])}

    def observe_one(self, reading: Reading) -> None:
        """A reading kept out of the model (the alert layer protects it): move
        the smoothed readings, and let the *means* of the signals this reading
        does not implicate (conditional z below ``follow_z`` in each model)
        keep following them at the usual rate -- a fluid that goes on warming
        during an alert on the flow is not anomalous once the flow is back.
        Covariances, and the implicated signals' means, stay."""
        s = self._s
        if s["short"] is not None and self._regime_step(reading, False):
            return
        if s["short"] is not None and self.follow_z > 0:
            idx, xs, short, ref = self._distances(reading)
            for m, dist, a in ((s["short"], short, self.alpha), (s["ref"], ref, self.ref_alpha)):
                if dist is None or len(idx) != len(m["mean"]) or m["prec"] is None:
                    continue
                prec, mean = m["prec"], m["mean"]
                a = max(a, 1.0 / (m["n"] + 1))
                for i, x in zip(idx, xs):
                    if prec[i][i] > 0 and abs(dist[2][i]) / math.sqrt(prec[i][i]) < self.follow_z:
                        mean[i] += a * (x - mean[i])
        if s.get("chart") and self.chart_half > 0:
            ewchart.observe(s["chart"], self.chart_release)
        spread.step(self, reading, teach=False)
        self._memo = (None, -1, None)
        if s["short"] is not None:
            idx, xs = self._vector(reading)
            ewcov.observe(s["short"], idx, xs, self.fast)
            ewcov.observe(s["ref"], idx, xs, self.ref_fast)
            if "stuck" in s and len(idx) == len(s["stuck"]):
                flatline.observe(s["stuck"], xs)

    def learn_one(self, reading: Reading) -> None:
        s = self._s
        if s["short"] is None:
            s["names"] = sorted(reading.values)
            x0 = [reading.values[n] for n in s["names"]]
            s["short"], s["ref"] = ewcov.new_model(x0), ewcov.new_model(x0)
        if self._regime_step(reading, True):
            return
        idx, xs, short, ref = self._distances(reading)
        if not idx:
            return
        following = regime.follow(s, idx, xs)  # True just after a re-baseline
        spread.step(self, reading, teach=True, restart_=following)
        if len(idx) == len(s["names"]):
            if "stuck" not in s:
                s["stuck"] = flatline.new(xs)
            else:
                flatline.learn(s["stuck"], xs, self.alpha)
        if self.chart_half > 0:
            zs = self._cond_z(reading)
            if zs is not None:
                if "chart" not in s:
                    s["chart"] = ewchart.new(len(zs))
                ewchart.update(s["chart"], zs, self.chart_lam, self.chart_alpha, self.chart_warmup,
                               self.chart_gate, follow_only=following)
        ewcov.learn_weighted(s["short"], idx, xs, self.alpha, self.clip, short, self.fast, self.warmup,
                             self.ridge, self.refresh)
        if ref is not None and self.drift_block > 0 and len(idx) == len(s["names"]):
            prec = s["ref"]["prec"]  # conditional z of each signal given the others
            zs = [ref[2][i] / math.sqrt(prec[i][i]) if prec[i][i] > 0 else 0.0 for i in idx]
            if "drift" not in s:
                s["drift"] = drift.new(len(idx))
            drift.update(s["drift"], zs, self.drift_block, self.drift_alpha, self.drift_k,
                         self.drift_leak, self.drift_warmup)
            drift.recovered(s, ref[0] / len(idx), self.drift_block)
        if s["short"]["n"] % self.ref_every == 0:  # a slow model: every few readings is enough
            ewcov.learn_weighted(s["ref"], idx, xs, self.ref_alpha * self.ref_every, self.ref_clip,
                                 ref, self.ref_fast, self.ref_warmup, self.ridge, self.refresh)
        elif self.ref_fast != 1.0:  # with fast == 1 the level is not used
            ewcov.observe(s["ref"], idx, xs, self.ref_fast)
        self._memo = (None, -1, None)

    def _cond_z(self, reading: Reading) -> list[float] | None:
        """Each signal's conditional z given the others under the short-term
        model (``(S^-1 r)_i / sqrt(S^-1_ii)``), or None before its warm-up or
        when a signal is missing."""
        idx, _, short, _ = self._distances(reading)
        prec = self._s["short"]["prec"] if self._s["short"] else None
        if short is None or prec is None or len(idx) != len(self._s["names"]):
            return None
        return [short[2][i] / math.sqrt(prec[i][i]) if prec[i][i] > 0 else 0.0 for i in idx]
