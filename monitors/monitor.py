"""The monitor loop: readings -> per-asset detector + threshold -> alerts.

One :class:`Monitor` serves many assets; each asset gets its own detector
(built from the factory by name), :class:`~monitors.threshold.ThresholdFilter`
and :class:`~monitors.alerts.AlertTracker`. Readings whose timestamp is not
newer than the last one seen for the same asset and signal are logged and
skipped. Alerts go to the store and to any sinks (e.g. the MQTT publisher).
The whole state saves to one JSON file so a restarted monitor resumes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from knowledge_base.errors import MonitorError

from .alerts import AlertTracker
from .factory import DEFAULT_DETECTOR, make_detector
from .threshold import ThresholdFilter
from .types import Alert, Reading, Score

log = logging.getLogger(__name__)


@dataclass
class MonitorStats:
    """Counts of one run; ``assets``: readings scored per asset."""

    readings: int = 0
    skipped: int = 0
    alerts: int = 0
    assets: dict[str, int] = field(default_factory=dict)


class Monitor:
    """Runs detectors over a stream of readings from many assets.

    >>> m = Monitor(filter_params={"warmup": 150, "min_on": 2})  # past the detector's own warm-up (100)
    >>> events = [m.process(Reading("A", float(i), {"v": 1.0 + (i % 3) * 0.01})) for i in range(200)]
    >>> [e for e in events if e], m.process(Reading("A", 5.0, {"v": 1.0})), m.stats.skipped
    ([], None, 1)
    """

    def __init__(self, detector: str = DEFAULT_DETECTOR, params: dict | None = None,
                 filter_params: dict | None = None, store=None,
                 sinks: Iterable[Callable[[Alert], None]] = ()) -> None:
        self.detector, self.params = detector, dict(params or {})
        self.filter_params = dict(filter_params or {})
        self.store, self.sinks = store, list(sinks)
        self.stats = MonitorStats()
        self._filters: dict[str, ThresholdFilter] = {}
        self._trackers: dict[str, AlertTracker] = {}
        self._last: dict[tuple[str, str], float] = {}
        make_detector(detector, **self.params)  # fail early on a bad name

    def _pipeline(self, asset: str) -> tuple[ThresholdFilter, AlertTracker]:
        if asset not in self._filters:
            self._filters[asset] = ThresholdFilter(make_detector(self.detector, **self.params),
                                                   **self.filter_params)
            self._trackers[asset] = AlertTracker(asset, self.detector)
        return self._filters[asset], self._trackers[asset]

    def _in_order(self, reading: Reading) -> bool:
        keys = [(reading.asset, s) for s in reading.values]
        stale = [k for k in keys if self._last.get(k, float("-inf")) >= reading.timestamp]
        if stale:
            self.stats.skipped += 1
            log.warning("reading skipped: %s/%s at %s is not newer than the last one",
                        reading.asset, stale[0][1], reading.timestamp)
            return False
        for k in keys:
            self._last[k] = reading.timestamp
        return True

    def score(self, reading: Reading) -> Score | None:
        """Score one reading through its asset's filter (None when skipped)."""
        if not self._in_order(reading):
            return None
        self.stats.readings += 1
        self.stats.assets[reading.asset] = self.stats.assets.get(reading.asset, 0) + 1
        return self._pipeline(reading.asset)[0].process_one(reading)

    def process(self, reading: Reading) -> Alert | None:
        """Score one reading; store and publish the alert it opened, changed or closed."""
        score = self.score(reading)
        if score is None:
            return None
        tracker, filt = self._trackers[reading.asset], self._filters[reading.asset]
        opening = score.flagged and tracker.current is None
        alert = tracker.update(score, filt.on, filt.detector.baseline() if opening else None)
        if alert is not None:
            self.stats.alerts += alert.started == alert.updated
            self._emit(alert)
        return alert

    def _emit(self, alert: Alert) -> None:
        if self.store is not None:
            self.store.upsert(alert)
        for sink in self.sinks:
            try:
                sink(alert)
            except Exception as err:  # a broken sink must not stop monitoring
                log.error("alert sink failed for %s: %s", alert.id, err)

    def run(self, source: Iterable[Reading]) -> MonitorStats:
        """Process every reading of ``source`` (until it ends, is stopped or
        interrupted); the source's unparsed rows count as skipped."""
        try:
            for reading in source:
                self.process(reading)
        finally:
            self.stats.skipped += getattr(source, "skipped", 0)
        return self.stats

    def state(self) -> dict:
        """JSON-ready state of every asset's filter, detector and alert tracker
        (an alert open at shutdown continues, same id, after a restart)."""
        return {"detector": self.detector, "params": self.params,
                "assets": {a: f.state() for a, f in self._filters.items()},
                "trackers": {a: t.state() for a, t in self._trackers.items()},
                "last": [[a, s, t] for (a, s), t in self._last.items()]}

    def load_state(self, state: dict) -> None:
        """Resume from :meth:`state` (the detector name must match)."""
        if state.get("detector") != self.detector:
            raise MonitorError(f"saved state is for detector {state.get('detector')!r}, not {self.detector!r}")
        for asset, st in state["assets"].items():
            self._pipeline(asset)[0].load_state(st)
        for asset, st in state.get("trackers", {}).items():
            self._pipeline(asset)[1].load_state(st)
        self._last = {(a, s): t for a, s, t in state.get("last", [])}

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state()))
        tmp.replace(path)

    def load(self, path: str | Path) -> bool:
        """Load saved state if the file exists; True when it did."""
        path = Path(path)
        if not path.exists():
            return False
        try:
            self.load_state(json.loads(path.read_text()))
        except (ValueError, KeyError) as err:
            raise MonitorError(f"{path}: unreadable monitor state: {err}") from err
        return True
