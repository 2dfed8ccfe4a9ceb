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
                 update_every: int = 30) -> None:
        self.asset, self.detector, self.update_every = asset, detector, update_every
        self.recent: deque = deque(maxlen=max(window, lead + 1))
        self.window, self.lead = window, lead
        self.current: Alert | None = None
        self._lead_scores: tuple[tuple[float, float], ...] = ()
        self._since_emit = 0

    def update(self, score: Score, threshold: float | None = None) -> Alert | None:
        """Feed one score (``threshold``: the on-threshold in force); returns
        the alert when it opened, changed or closed."""
        r = score.reading
        self.recent.append((r.timestamp, dict(r.values), score.value))
        if score.flagged:
            return self._open_or_update(score, threshold)
        if self.current is not None:
            closed = replace(self.current, closed=r.timestamp, updated=r.timestamp,
                             **self._context())
            self.current = None
            return closed
        return None

    def _context(self) -> dict:
        """The current alert's ``window`` (latest readings) and ``scores``
        (lead scores, then those of the window)."""
        recent = list(self.recent)[-self.window:]
        first = recent[0][0] if recent else float("inf")
        lead = tuple(x for x in self._lead_scores if x[0] < first)
        return {"window": tuple((t, v) for t, v, _ in recent),
                "scores": lead + tuple((t, s) for t, _, s in recent)}

    def _open_or_update(self, score: Score, threshold: float | None) -> Alert | None:
        r, cur = score.reading, self.current
        top = score.top_signals(3)
        if cur is None:
            before = list(self.recent)[:-1][-self.lead:]
            self._lead_scores = tuple((t, s) for t, _, s in before)
            self.current = Alert(
                id=f"{self.asset}-{int(r.timestamp)}", asset=self.asset,
                signals=tuple(sorted(r.values)), detector=self.detector, score=score.value,
                severity=score.severity, started=r.timestamp, updated=r.timestamp,
                top_signals=top, threshold=threshold, lead=tuple((t, v) for t, v, _ in before),
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
