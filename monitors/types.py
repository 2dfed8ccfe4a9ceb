"""Frozen dataclasses passed between monitor stages: Reading -> Score -> Alert.

A :class:`Reading` is one timestamped sample of one or more signals of one
asset. A detector turns it into a :class:`Score`; the threshold filter and the
alert tracker turn runs of high scores into one :class:`Alert` per burst.

>>> r = Reading("P-3", 60.0, {"bearing_de_rms": 2.1})
>>> r.asset, r.values["bearing_de_rms"]
('P-3', 2.1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

WARNING, ALARM = "warning", "alarm"
SEVERITIES = (WARNING, ALARM)


@dataclass(frozen=True)
class Change:
    """A declared operating change of one asset: a set-point moved, a planned
    stop or a start-up (``kind``), at ``timestamp`` (POSIX seconds).
    ``signals``: the signals it concerns (empty = every signal of the asset);
    ``source``: where it was declared (a set-point tag, a log file's line)."""

    asset: str
    timestamp: float
    kind: str
    signals: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Reading:
    """One sample: ``timestamp`` is POSIX seconds (UTC); ``values`` maps signal -> float.
    ``changes``: operating changes declared since the asset's previous reading
    (:mod:`monitors.changes`); set-point tags may also ride in ``values``."""

    asset: str
    timestamp: float
    values: dict[str, float]
    changes: tuple[Change, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Score:
    """A detector's verdict on one reading.

    ``value`` is in [0, 1] (high = anomalous); ``contributions`` maps each
    signal to its share of the anomaly, largest first. A threshold filter
    sets ``flagged`` (the stream is in an alert state) and ``severity``.
    """

    reading: Reading
    value: float
    detector: str
    contributions: tuple[tuple[str, float], ...] = ()
    flagged: bool = False
    severity: str | None = None

    def top_signals(self, k: int = 3) -> tuple[str, ...]:
        """Names of the ``k`` signals contributing most, largest first."""
        return tuple(name for name, _ in self.contributions[:k])


@dataclass(frozen=True)
class Alert:
    """One burst of anomalous readings on one asset.

    An alert is opened once, updated while the burst lasts (same ``id``) and
    closed when readings return to normal (``closed`` is then set).
    ``window`` holds the most recent readings as ``(timestamp, {signal: value})``;
    ``lead`` the readings just before the alert opened (the normal state it
    is compared with); ``trail`` a thinned record of the readings since it
    opened (at most ~120, evenly spaced); ``scores`` the detector score
    ``(timestamp, value)`` of the lead, trail and window readings;
    ``threshold`` the on-threshold in force.
    """

    id: str
    asset: str
    signals: tuple[str, ...]
    detector: str
    score: float
    severity: str
    started: float
    updated: float
    closed: float | None = None
    top_signals: tuple[str, ...] = ()
    window: tuple[tuple[float, dict[str, float]], ...] = field(default=(), repr=False)
    lead: tuple[tuple[float, dict[str, float]], ...] = field(default=(), repr=False)
    trail: tuple[tuple[float, dict[str, float]], ...] = field(default=(), repr=False)
    scores: tuple[tuple[float, float], ...] = field(default=(), repr=False)
    threshold: float | None = None
    baseline: dict[str, tuple[float, float]] = field(default_factory=dict, repr=False)

    @property
    def active(self) -> bool:
        """True while the alert has not been closed."""
        return self.closed is None

    def to_dict(self) -> dict:
        """A JSON-ready dict (times as ISO 8601 strings beside the raw seconds)."""
        d = {
            "id": self.id, "asset": self.asset, "signals": list(self.signals),
            "detector": self.detector, "score": round(self.score, 6),
            "severity": self.severity, "started": self.started,
            "updated": self.updated, "closed": self.closed,
            "top_signals": list(self.top_signals),
            "window": [[t, v] for t, v in self.window],
            "lead": [[t, v] for t, v in self.lead],
            "trail": [[t, v] for t, v in self.trail],
            "scores": [[t, round(v, 6)] for t, v in self.scores],
            "threshold": None if self.threshold is None else round(self.threshold, 6),
            "baseline": {k: [m, s] for k, (m, s) in self.baseline.items()},
        }
        for key in ("started", "updated", "closed"):
            d[key + "_iso"] = iso(d[key]) if d[key] is not None else None
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Alert":
        """Inverse of :meth:`to_dict`."""
        return cls(
            id=d["id"], asset=d["asset"], signals=tuple(d["signals"]),
            detector=d["detector"], score=float(d["score"]), severity=d["severity"],
            started=d["started"], updated=d["updated"], closed=d.get("closed"),
            top_signals=tuple(d.get("top_signals", ())),
            window=tuple((float(t), dict(v)) for t, v in d.get("window", ())),
            lead=tuple((float(t), dict(v)) for t, v in d.get("lead", ())),
            trail=tuple((float(t), dict(v)) for t, v in d.get("trail", ())),
            scores=tuple((float(t), float(v)) for t, v in d.get("scores", ())),
            threshold=d.get("threshold"),
            baseline={k: (float(m), float(s)) for k, (m, s) in d.get("baseline", {}).items()},
        )

    def deviations(self) -> dict[str, float]:
        """{signal: how far it moved}: the mean of the alert's readings minus
        the detector's learned ``baseline`` mean, in its standard deviations
        (signed; positive = rose). The baseline is the detector's own model of
        normal, learned over days: a slow rise under a daily cycle shows
        against it, where the lead-in just before the alert (already part of
        the rise) hid it. A signal without a baseline falls back to the older
        half of the lead readings as reference; signals with neither are left out.

        >>> lead = tuple((float(t), {"p": 5.0 + (t % 2) * 0.2}) for t in range(20))
        >>> a = Alert("x", "P", ("p",), "z", 0.9, "alarm", 10.0, 12.0,
        ...           window=((10.0, {"p": 3.0}), (11.0, {"p": 3.2})), lead=lead)
        >>> round(a.deviations()["p"], 1)
        -19.0
        """
        out: dict[str, float] = {}
        during = [v for t, v in (*self.trail, *self.window) if t >= self.started]
        for name in self.signals:
            now = [v[name] for v in during if name in v]
            if name in self.baseline and now:
                mean, sd = self.baseline[name]
                out[name] = (sum(now) / len(now) - mean) / max(sd, 1e-3 * max(abs(mean), 1e-9))
                continue
            ref = [v[name] for _, v in self.lead[:max(2, len(self.lead) // 2)] if name in v]
            if len(ref) < 2 or not now:
                continue
            mean = sum(ref) / len(ref)
            sd = (sum((x - mean) ** 2 for x in ref) / (len(ref) - 1)) ** 0.5
            scale = max(sd, 1e-3 * max(abs(mean), 1e-9))
            out[name] = (sum(now) / len(now) - mean) / scale
        return out


def iso(ts: float) -> str:
    """POSIX seconds -> ``2024-01-01T00:00:00Z``.

    >>> iso(0)
    '1970-01-01T00:00:00Z'
    """
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
