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
class Reading:
    """One sample: ``timestamp`` is POSIX seconds (UTC); ``values`` maps signal -> float."""

    asset: str
    timestamp: float
    values: dict[str, float]


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
    ``window`` holds the most recent readings as ``(timestamp, {signal: value})``.
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
        )


def iso(ts: float) -> str:
    """POSIX seconds -> ``2024-01-01T00:00:00Z``.

    >>> iso(0)
    '1970-01-01T00:00:00Z'
    """
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
