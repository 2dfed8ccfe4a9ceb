"""Threshold filter: turns a detector's scores into an alert state.

It wraps a detector (compose by wrapping, like river's ``QuantileFilter``):

- **Warm-up calibration.** For the first ``warmup`` readings it only learns
  and records scores. The on-threshold is then placed above the
  ``quantile`` of those scores (``gap`` of the way from it to 1.0), the
  off-threshold ``hysteresis`` of the way back down to the warm-up median, and
  the alarm level half way from the on-threshold to 1.0. No per-stream
  threshold is set by hand.
- **Minimum duration.** The stream enters the alert state after ``min_on``
  consecutive readings at or above the on-threshold and leaves it after
  ``min_off`` consecutive readings below the off-threshold.
- **Protection.** With ``protect=True`` (default) readings that score at or
  above the on-threshold, or arrive while in alert, are *not* learned, so a
  fault does not teach the detector that it is normal -- for at most
  ``max_protect`` readings in a row, after which it learns again, so a
  lasting change of operating point becomes the new normal instead of an
  alert that never closes.
"""

from __future__ import annotations

from dataclasses import replace

from .base import BaseDetector
from .types import ALARM, WARNING, Reading, Score


def quantile(values: list[float], q: float) -> float:
    """Empirical quantile (nearest rank, no interpolation).

    >>> quantile([3.0, 1.0, 2.0, 5.0, 4.0], 0.5)
    3.0
    """
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(q * (len(s) - 1)))))]


class ThresholdFilter:
    """Detector wrapper with a calibrated, hysteretic alert state.

    >>> from monitors.zscore import RobustZScore
    >>> f = ThresholdFilter(RobustZScore(warmup=5), warmup=100, min_on=2, min_off=2)
    >>> states = [f.process_one(Reading("A", i, {"v": 10.0 + (i % 5) * 0.1})).flagged for i in range(150)]
    >>> any(states), f.process_one(Reading("A", 150, {"v": 50.0})).value > f.on
    (False, True)
    """

    def __init__(self, detector: BaseDetector, warmup: int = 1000, quantile: float = 0.995,
                 gap: float = 0.3, hysteresis: float = 0.5, min_on: int = 3, min_off: int = 10,
                 protect: bool = True, max_protect: int = 500) -> None:
        self.detector, self.warmup, self.quantile, self.gap = detector, warmup, quantile, gap
        self.hysteresis, self.min_on, self.min_off, self.protect = hysteresis, min_on, min_off, protect
        self.max_protect = max_protect
        self._s = {"seen": 0, "warm": [], "on": None, "off": None, "alarm": None,
                   "state": False, "above": 0, "below": 0, "guarded": 0}

    @property
    def on(self) -> float | None:
        """The calibrated on-threshold (None during warm-up)."""
        return self._s["on"]

    @property
    def in_alert(self) -> bool:
        return self._s["state"]

    def _calibrate(self) -> None:
        s = self._s
        q = quantile(s["warm"], self.quantile)
        med = quantile(s["warm"], 0.5)
        s["on"] = q + self.gap * (1.0 - q)
        s["off"] = s["on"] - self.hysteresis * (s["on"] - med)
        s["alarm"] = s["on"] + 0.5 * (1.0 - s["on"])
        s["warm"] = []

    def process_one(self, reading: Reading) -> Score:
        """Score, update the alert state, learn unless protected; returns the Score
        with ``flagged`` = in alert and ``severity`` set while flagged."""
        s = self._s
        score = self.detector.score(reading)
        s["seen"] += 1
        if s["on"] is None:
            s["warm"].append(score.value)
            self.detector.learn_one(reading)
            if s["seen"] >= self.warmup:
                self._calibrate()
            return score
        high = score.value >= s["on"]
        self._step(high, score.value < s["off"])
        guard = self.protect and (high or s["state"]) and s["guarded"] < self.max_protect
        s["guarded"] = s["guarded"] + 1 if guard else 0
        if not guard:
            self.detector.learn_one(reading)
        if not s["state"]:
            return score
        sev = ALARM if score.value >= s["alarm"] else WARNING
        return replace(score, flagged=True, severity=sev)

    def _step(self, high: bool, low: bool) -> None:
        s = self._s
        s["above"] = s["above"] + 1 if high else 0
        s["below"] = s["below"] + 1 if low else 0
        if not s["state"] and s["above"] >= self.min_on:
            s["state"] = True
        elif s["state"] and s["below"] >= self.min_off:
            s["state"] = False

    def state(self) -> dict:
        """JSON-ready state: calibration, alert state and the detector's state."""
        return {"filter": dict(self._s, warm=list(self._s["warm"])), "detector": self.detector.state()}

    def load_state(self, state: dict) -> None:
        """Restore what :meth:`state` returned."""
        self._s = dict(state["filter"], warm=list(state["filter"]["warm"]))
        self.detector.load_state(state["detector"])
