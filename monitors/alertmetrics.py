"""Alert-layer figures on multivariate equipment runs: point-wise and per run.

A run is a stream with at most one labelled fault interval (or several
windows). The monitor's alert state (the threshold filter's ``flagged``) is
compared with the labels reading by reading, the way run-based equipment
benchmarks score detectors:

- **F1** of flagged readings against fault readings;
- **false-alarm rate** = flagged normal readings / normal readings;
- **missed-alarm rate** = unflagged fault readings / fault readings;

and per run: whether each faulty run raised an alert inside its fault, whether
any fault-free run raised one at all, and the delay from fault onset to the
first alert.
"""

from __future__ import annotations

from dataclasses import dataclass

from .factory import make_detector
from .threshold import ThresholdFilter
from .types import Reading


def alert_flags(readings: list[Reading], detector: str, params: dict | None = None,
                **filter_params) -> list[bool]:
    """The alert state after each reading (threshold filter, labels unused)."""
    filt = ThresholdFilter(make_detector(detector, **(params or {})), **filter_params)
    return [filt.process_one(r).flagged for r in readings]


@dataclass(frozen=True)
class AlertReport:
    """Figures over a set of runs (see the module docstring)."""

    runs: int
    faulty: int
    faulty_alerted: int
    normal: int
    normal_alerted: int
    f1: float
    false_alarm_rate: float
    missed_alarm_rate: float
    mean_delay_s: float | None


def alert_report(items: list[tuple[list[bool], list[tuple[int, int]], list[float]]]) -> AlertReport:
    """``items``: per run ``(flags, fault windows as inclusive index ranges, timestamps)``.

    >>> r = alert_report([([False, True, True, False], [(1, 3)], [0.0, 1.0, 2.0, 3.0]),
    ...                   ([False, False, True, False], [], [0.0, 1.0, 2.0, 3.0])])
    >>> (r.faulty_alerted, r.normal_alerted, round(r.f1, 3), r.false_alarm_rate, round(r.missed_alarm_rate, 3))
    (1, 1, 0.667, 0.2, 0.333)
    """
    tp = fp = fn = tn = 0
    faulty = faulty_alerted = normal = normal_alerted = 0
    delays = []
    for flags, windows, ts in items:
        label = [False] * len(flags)
        for lo, hi in windows:
            for i in range(lo, hi + 1):
                label[i] = True
        for f, y in zip(flags, label):
            tp += f and y
            fp += f and not y
            fn += y and not f
            tn += not f and not y
        if windows:
            faulty += 1
            firsts = [next((i for i in range(lo, hi + 1) if flags[i]), None) for lo, hi in windows]
            hit = [(i, lo) for i, (lo, _) in zip(firsts, windows) if i is not None]
            faulty_alerted += bool(hit)
            delays += [ts[i] - ts[lo] for i, lo in hit]
        else:
            normal += 1
            normal_alerted += any(flags)
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return AlertReport(len(items), faulty, faulty_alerted, normal, normal_alerted, f1,
                       fp / (fp + tn) if fp + tn else 0.0, fn / (fn + tp) if fn + tp else 0.0,
                       sum(delays) / len(delays) if delays else None)
