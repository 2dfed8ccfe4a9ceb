"""The Detector contract, and the base class that derives everything but the maths.

A detector follows river's ``AnomalyDetector`` shape: it sees one
:class:`~monitors.types.Reading` at a time, ``score_one`` never changes state,
``learn_one`` updates it, a high score means anomalous. Every detector here
keeps O(1) state per stream (independent of how many readings it has seen),
and that state is plain JSON so a restarted monitor resumes where it stopped.

Subclasses of :class:`UnivariateDetector` write three small functions on a
per-signal list of floats; the base handles several signals (the reading's
score is the max over its signals), contributions, and state.
"""

from __future__ import annotations

import inspect
import json
import math
from pathlib import Path
from typing import Protocol, runtime_checkable

from knowledge_base.errors import MonitorError

from .types import Reading, Score


@runtime_checkable
class Detector(Protocol):
    """An online anomaly detector for one stream (one asset's signals).

    - ``learn_one(reading)`` updates the model with one reading.
    - ``score_one(reading)`` returns a float in [0, 1], high = anomalous,
      without changing any state (score before you learn).
    - ``explain_one(reading)`` returns ``((signal, share), ...)``, largest first.
    - ``observe_one(reading)`` updates only short-term input state (smoothing)
      without learning the baseline: a threshold filter calls it instead of
      ``learn_one`` for readings it keeps out of the model, so the smoothed
      input keeps following the stream and an alert can close.
    - ``state()`` returns a JSON-ready dict; ``load_state(d)`` restores it.
    """

    name: str

    def learn_one(self, reading: Reading) -> None: ...

    def score_one(self, reading: Reading) -> float: ...

    def explain_one(self, reading: Reading) -> tuple[tuple[str, float], ...]: ...

    def observe_one(self, reading: Reading) -> None: ...

    def state(self) -> dict: ...

    def load_state(self, state: dict) -> None: ...


def squash(z: float, half: float) -> float:
    """Map a non-negative deviation ``z`` to [0, 1): ``half`` maps to 0.5.

    Unlike ``erf`` it keeps resolution far in the tail, so scores of very
    different anomalies stay ordered (NAB's threshold sweep needs that).

    >>> squash(0.0, 3.0), squash(3.0, 3.0), round(squash(30.0, 3.0), 4)
    (0.0, 0.5, 0.9901)
    """
    z2 = z * z
    return z2 / (z2 + half * half)


class BaseDetector:
    """Shared plumbing: parameters, JSON state, ``score`` -> :class:`Score`."""

    name = "base"

    def __init__(self) -> None:
        self._s: dict = {}

    # -- to implement ---------------------------------------------------
    def learn_one(self, reading: Reading) -> None:
        raise NotImplementedError

    def score_one(self, reading: Reading) -> float:
        raise NotImplementedError

    def explain_one(self, reading: Reading) -> tuple[tuple[str, float], ...]:
        return ()

    def observe_one(self, reading: Reading) -> None:
        """Default: the detector keeps no short-term input state."""

    def adopt(self) -> None:
        """The alert layer has judged a lasting change to be the new normal
        (:class:`~monitors.threshold.ThresholdFilter`'s adoption): forget
        slow evidence accumulated against the old one. Default: nothing."""

    def declare(self, signals: tuple[str, ...] = ()) -> None:
        """A declared operating change (:mod:`monitors.changes`) concerning
        ``signals`` (empty = all): re-baseline them once they have settled
        instead of scoring the change. Default: nothing (the detector scores
        the change as it would any other)."""

    def baseline(self) -> dict[str, tuple[float, float]]:
        """``{signal: (mean, standard deviation)}`` of the normal state the
        detector has learned (what an alert's signals are compared with);
        empty when the detector keeps no such model."""
        return {}

    # -- derived ---------------------------------------------------------
    def score(self, reading: Reading) -> Score:
        """Score one reading into a :class:`Score` (does not learn)."""
        return Score(reading, self.score_one(reading), self.name, self.explain_one(reading))

    def params(self) -> dict:
        """The constructor arguments, read back from same-named attributes."""
        sig = inspect.signature(type(self).__init__)
        return {p: getattr(self, p) for p in sig.parameters if p != "self"}

    def state(self) -> dict:
        """JSON-ready: detector name, constructor parameters and learned state."""
        return {"detector": self.name, "params": self.params(),
                "data": json.loads(json.dumps(self._s))}

    def load_state(self, state: dict) -> None:
        """Restore learned state saved by :meth:`state` (parameters must match)."""
        if state.get("detector") != self.name:
            raise MonitorError(f"state is for detector {state.get('detector')!r}, not {self.name!r}")
        self._s = json.loads(json.dumps(state["data"]))

    def save(self, path: str | Path) -> None:
        """Write :meth:`state` to ``path`` as JSON (atomically)."""
        path = Path(path)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.state()))
        tmp.replace(path)


class UnivariateDetector(BaseDetector):
    """Per-signal detector: subclasses implement ``_new``, ``_z`` and ``_learn``
    on a list of floats; a reading's score is the max over its signals."""

    half = 3.0  # deviation that maps to score 0.5

    def __init__(self) -> None:
        super().__init__()
        self._s = {"signals": {}}

    def _new(self, x: float, ts: float) -> list: ...

    def _z(self, st: list, x: float, ts: float) -> float: ...

    def _learn(self, st: list, x: float, ts: float) -> None: ...

    def _observe(self, st: list, x: float) -> None:
        """Update short-term (smoothing) state only; default: none."""

    def _deviations(self, reading: Reading) -> list[tuple[str, float]]:
        sigs = self._s["signals"]
        ts = reading.timestamp
        out = []
        for name, x in reading.values.items():
            st = sigs.get(name)
            out.append((name, 0.0 if st is None else self._z(st, x, ts)))
        return out

    def score_one(self, reading: Reading) -> float:
        sigs = self._s["signals"]
        ts = reading.timestamp
        worst = 0.0
        for name, x in reading.values.items():
            st = sigs.get(name)
            if st is not None:
                z = self._z(st, x, ts)
                if z > worst:
                    worst = z
        return squash(worst, self.half)

    def learn_one(self, reading: Reading) -> None:
        sigs = self._s["signals"]
        ts = reading.timestamp
        for name, x in reading.values.items():
            st = sigs.get(name)
            if st is None:
                sigs[name] = self._new(x, ts)
            else:
                self._learn(st, x, ts)

    def observe_one(self, reading: Reading) -> None:
        sigs = self._s["signals"]
        for name, x in reading.values.items():
            st = sigs.get(name)
            if st is not None:
                self._observe(st, x)

    def explain_one(self, reading: Reading) -> tuple[tuple[str, float], ...]:
        devs = self._deviations(reading)
        total = sum(z for _, z in devs) or 1.0
        return tuple(sorted(((n, z / total) for n, z in devs), key=lambda p: -p[1]))


def clip(v: float, lo: float, hi: float) -> float:
    """``v`` limited to [lo, hi]."""
    return lo if v < lo else hi if v > hi else v


def finite(x: float) -> bool:
    """True for a real, finite number."""
    return not (math.isnan(x) or math.isinf(x))
