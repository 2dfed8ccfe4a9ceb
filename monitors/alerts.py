"""Alert grouping: one open :class:`~monitors.types.Alert` per burst per asset.

:class:`AlertTracker` watches the flagged scores of one asset. The first
flagged score opens an alert; further flagged scores update it (peak score,
worst severity, top signals, a window of recent values and scores); the
first unflagged score closes it. The readings just before the alert opened
are kept with it as its ``lead``: the normal state that the report plots and
that :meth:`~monitors.types.Alert.deviations` compares with. It returns the alert whenever something worth
storing or publishing changed: opened, escalated, closed, or every
``update_every`` readings while open.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

from .types import ALARM, Alert, Score


class AlertTracker:
    """Groups one asset's flagged scores into alerts.

    >>> from monitors.types import Reading
    >>> t = AlertTracker("P-3", "zscore")
    >>> s = lambda ts, v, f: Score(Reading("P-3", ts, {"rms": v}), v, "zscore", (("rms", 1.0),), f, "warning" if f else None)
    >>> [t.update(s(0, 0.1, False)), t.update(s(1, 0.9, True)).active, t.update(s(2, 0.2, False)).closed]
    [None, True, 2]
    """

    def __init__(self, asset: str, detector: str, window: int = 60, lead: int = 120,
                 trail: int = 120, update_every: int = 30) -> None:
        self.asset, self.detector, self.update_every = asset, detector, update_every
        self.recent: deque = deque(maxlen=max(window, lead + 1))
        self.window, self.lead, self.trail = window, lead, trail
        self.current: Alert | None = None
        self._lead: list[tuple] = []  # (t, values, score) before the alert opened
        self._trail: list[tuple] = []  # every stride-th reading since it opened
        self._stride, self._n = 1, 0
        self._since_emit = 0

    def update(self, score: Score, threshold: float | None = None,
               baseline: dict[str, tuple[float, float]] | None = None) -> Alert | None:
        """Feed one score (``threshold``: the on-threshold in force;
        ``baseline``: the detector's learned normal state, kept with an alert
        that opens now); returns the alert when it opened, changed or closed."""
        r = score.reading
        self.recent.append((r.timestamp, dict(r.values), score.value))
        if self.current is not None:
            self._keep(self.recent[-1])
        if score.flagged:
            return self._open_or_update(score, threshold, baseline)
        if self.current is not None:
            closed = replace(self.current, closed=r.timestamp, updated=r.timestamp,
                             **self._context())
            self.current = None
            return closed
        return None

    def state(self) -> dict:
        """JSON-ready state: the open alert and the readings kept with it."""
        return {"current": self.current.to_dict() if self.current is not None else None,
                "recent": [list(x) for x in self.recent], "lead": [list(x) for x in self._lead],
                "trail": [list(x) for x in self._trail], "stride": self._stride, "n": self._n,
                "since_emit": self._since_emit}

    def load_state(self, state: dict) -> None:
        """Resume from :meth:`state`."""
        cur = state.get("current")
        self.current = Alert.from_dict(cur) if cur else None
        self.recent.clear()
        self.recent.extend(tuple(x) for x in state.get("recent", ()))
        self._lead = [tuple(x) for x in state.get("lead", ())]
        self._trail = [tuple(x) for x in state.get("trail", ())]
        self._stride, self._n = state.get("stride", 1), state.get("n", 0)
        self._since_emit = state.get("since_emit", 0)

    def _keep(self, item: tuple) -> None:
        """Thin the alert's readings to at most ``trail``: every stride-th is
        kept, and the stride doubles (halving the kept ones) when full."""
        self._n += 1
        if self._n % self._stride == 0:
            self._trail.append(item)
            if len(self._trail) > self.trail:
                self._trail, self._stride = self._trail[1::2], self._stride * 2

    def _context(self) -> dict:
        """The current alert's ``window`` (latest readings), ``trail`` (thinned
        readings since it opened) and ``scores`` (of lead, trail and window)."""
        recent = list(self.recent)[-self.window:]
        first = recent[0][0] if recent else float("inf")
        lead = [x for x in self._lead if x[0] < first]
        trail = [x for x in self._trail if x[0] < first]
        return {"window": tuple((t, v) for t, v, _ in recent),
                "trail": tuple((t, v) for t, v, _ in trail),
                "scores": tuple((t, s) for t, _, s in lead + trail + recent)}

    def _open_or_update(self, score: Score, threshold: float | None,
                        baseline: dict | None = None) -> Alert | None:
        r, cur = score.reading, self.current
        top = score.top_signals(3)
        if cur is None:
            self._lead = list(self.recent)[:-1][-self.lead:]
            self._trail, self._stride, self._n = [], 1, 0
            self.current = Alert(
                id=f"{self.asset}-{int(r.timestamp)}", asset=self.asset,
                signals=tuple(sorted(r.values)), detector=self.detector, score=score.value,
                severity=score.severity, started=r.timestamp, updated=r.timestamp,
                top_signals=top, threshold=threshold, lead=tuple((t, v) for t, v, _ in self._lead),
                baseline={k: (float(m), float(s)) for k, (m, s) in (baseline or {}).items()},
                **self._context())
            self._since_emit = 0
            return self.current
        escalated = score.severity == ALARM and cur.severity != ALARM
        peak = score.value > cur.score
        self.current = replace(
            cur, updated=r.timestamp, score=max(cur.score, score.value),
            severity=ALARM if escalated else cur.severity,
            signals=tuple(sorted(set(cur.signals) | set(r.values))),
            top_signals=top if peak else cur.top_signals, threshold=threshold or cur.threshold,
            **self._context())
        self._since_emit += 1
        if escalated or self._since_emit >= self.update_every:
            self._since_emit = 0
            return self.current
        return None
