"""Evaluation of detectors on labelled streams: NAB score and alert-level metrics.

:func:`load_labelled` reads a data CSV and its NAB label windows;
:func:`score_readings` runs a detector over readings (score, then learn);
:func:`alert_runs` runs the full threshold filter (warm-up calibrated, not
tuned on labels) and returns the alert intervals; :func:`event_metrics`
matches alerts to labelled windows for precision, recall, F1 and delay.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.errors import MonitorError

from .changes import is_setpoint, split
from .factory import make_detector
from .nab import NabSeries
from .sources import CsvSource, parse_time
from .threshold import ThresholdFilter
from .types import Reading


@dataclass(frozen=True)
class Labelled:
    """One data file with its readings, optional precomputed scores and windows."""

    name: str
    readings: list[Reading]
    windows: list[tuple[int, int]]
    scores: list[float] | None = None


def load_windows(path: str | Path) -> dict[str, list[tuple[str, str]]]:
    """NAB ``label_windows.json``: ``{"dir/file.csv": [[start, end], ...]}``."""
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError) as err:
        raise MonitorError(f"{path}: cannot read label windows: {err}") from err


def windows_for(name: str, labels: dict) -> list[tuple[str, str]]:
    """The windows whose key is ``name`` or ends with ``/name``."""
    for key, wins in labels.items():
        if key == name or key.endswith("/" + name):
            return wins
    raise MonitorError(f"no label windows for {name!r} (keys: {', '.join(labels)})")


def window_indices(ts: list[float], windows: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """Label windows as inclusive index ranges into the timestamps ``ts``."""
    out = []
    for start, end in windows:
        a, b = parse_time(start), parse_time(end)
        idx = [i for i, t in enumerate(ts) if a <= t <= b]
        if idx:
            out.append((idx[0], idx[-1]))
    return out


def load_labelled(path: str | Path, labels: dict, timestamp_col: str = "timestamp",
                  value_cols: list[str] | None = None) -> Labelled:
    """Read a CSV; an ``anomaly_score`` column, if present, is kept as scores."""
    path = Path(path)
    with open(path, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh), [])
    has_scores = "anomaly_score" in header
    cols = value_cols or [c for c in header if c not in (timestamp_col, "asset", "anomaly_score", "label")]
    src = CsvSource(path, timestamp_col, cols)
    pairs = [(row, r) for row, r in src.rows() if r is not None]
    readings = [r for _, r in pairs]
    scores = [float(row["anomaly_score"]) for row, _ in pairs] if has_scores else None
    wins = window_indices([r.timestamp for r in readings], windows_for(path.name, labels))
    return Labelled(path.name, readings, wins, scores)


def score_readings(readings: list[Reading], detector: str, **params) -> list[float]:
    """Score each reading before learning it (the streaming order); set-point
    tags (:mod:`monitors.changes`) are inputs, not scored."""
    det = make_detector(detector, **params)
    if readings and any(is_setpoint(k) for k in readings[0].values):
        readings = [Reading(r.asset, r.timestamp, split(r.values)[0]) for r in readings]
    out = []
    for r in readings:
        out.append(det.score_one(r))
        det.learn_one(r)
    return out


def alert_runs(readings: list[Reading], detector: str, params: dict | None = None,
               **filter_params) -> list[tuple[int, int]]:
    """Index ranges ``(first, last)`` during which the threshold filter was in alert."""
    filt = ThresholdFilter(make_detector(detector, **(params or {})), **filter_params)
    runs, start = [], None
    for i, r in enumerate(readings):
        flagged = filt.process_one(r).flagged
        if flagged and start is None:
            start = i
        elif not flagged and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(readings) - 1))
    return runs


@dataclass(frozen=True)
class EventMetrics:
    """Alert-level figures. Each labelled window is matched to the *first*
    alert that overlaps it -- one that started inside it, or one already
    open when it started; that alert is a true positive, and a window is
    detected when it has one. At most one alert per window is true: further
    alerts overlapping an already matched window (a flapping alert) and
    alerts overlapping no window are false. Delay is from the window start to
    its matched alert's start, 0 when the alert was already open, in seconds."""

    alerts: int
    true_alerts: int
    windows: int
    detected: int
    precision: float
    recall: float
    f1: float
    mean_delay_s: float | None


def event_metrics(runs: list[tuple[int, int]], windows: list[tuple[int, int]],
                  ts: list[float]) -> EventMetrics:
    """Precision / recall / F1 of alerts per labelled event, and detection delay.

    >>> m = event_metrics([(2, 3), (4, 4), (9, 9)], [(3, 6)], list(range(10)))
    >>> (m.alerts, m.true_alerts, m.detected, m.mean_delay_s)
    (3, 1, 1, 0.0)
    """
    runs = sorted(runs)
    true, delays = set(), []
    for lo, hi in windows:
        first = next((k for k, (a, b) in enumerate(runs) if a <= hi and b >= lo), None)
        if first is not None:
            true.add(first)
            delays.append(max(0.0, ts[runs[first][0]] - ts[lo]))
    p = len(true) / len(runs) if runs else 0.0
    r = len(delays) / len(windows) if windows else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return EventMetrics(len(runs), len(true), len(windows), len(delays), p, r, f1,
                        sum(delays) / len(delays) if delays else None)


def onset_scores(runs: list[tuple[int, int]], n: int) -> list[float]:
    """1.0 where an alert opens, 0.0 elsewhere: alerts as a NAB score series
    (an open alert is one detection, as NAB expects of a detector)."""
    out = [0.0] * n
    for a, _ in runs:
        out[a] = 1.0
    return out


def as_nab(item: Labelled, scores: list[float]) -> NabSeries:
    return NabSeries(item.name, scores, item.windows)
