"""The Numenta Anomaly Benchmark corpus on disk, and scoring a detector over it.

The corpus (58 labelled series, MIT licence) is not shipped with the repo:
it is read from ``$FAULTDESK_NAB_DIR``, by default ``../shared/data/nab``
beside the repository (where CI has a copy of ``shared/``). The layout is
NAB's own: ``data/<category>/<file>.csv`` with ``timestamp,value`` and
``labels/combined_windows.json``.

:func:`run_corpus` streams a detector over every series in order (score,
then learn -- the detector sees only the past) and :func:`score_corpus`
scores the result with NAB's protocol: probationary 15 %, one threshold per
profile for the whole corpus, all three profiles.
"""

from __future__ import annotations

import bisect
import csv
import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from knowledge_base.errors import MonitorError

from .factory import make_detector
from .nab import PROFILES, NabResult, NabSeries, nab_score, probation_length
from .types import Reading

REPO = Path(__file__).resolve().parents[1]
ENV = "FAULTDESK_NAB_DIR"


def nab_root() -> Path:
    """Where the NAB corpus is: ``$FAULTDESK_NAB_DIR`` or ``../shared/data/nab``."""
    return Path(os.environ.get(ENV) or REPO.parent / "shared" / "data" / "nab")


@dataclass(frozen=True)
class NabFile:
    """One corpus series: ``name`` is ``category/file.csv`` as in NAB's labels."""

    name: str
    timestamps: list[float]
    values: list[float]
    windows: list[tuple[int, int]]


def _posix(text: str) -> float:
    return datetime.fromisoformat(text[:19]).replace(tzinfo=timezone.utc).timestamp()


def read_series(path: Path, name: str, windows: list[list[str]]) -> NabFile:
    """Read one ``timestamp,value`` CSV; windows become inclusive index ranges."""
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except OSError as err:
        raise MonitorError(f"{path}: cannot read NAB series: {err}") from err
    if not rows or rows[0][:2] != ["timestamp", "value"]:
        raise MonitorError(f"{path}: expected a 'timestamp,value' header")
    stamps = [r[0][:19] for r in rows[1:]]
    try:
        values = [float(r[1]) for r in rows[1:]]
    except (IndexError, ValueError) as err:
        raise MonitorError(f"{path}: bad value row: {err}") from err
    idx = []
    for start, end in windows:  # ISO strings of one format compare in time order
        lo, hi = bisect.bisect_left(stamps, start[:19]), bisect.bisect_right(stamps, end[:19]) - 1
        if lo <= hi:
            idx.append((lo, hi))
    return NabFile(name, [_posix(s) for s in stamps], values, idx)


def load_corpus(root: str | Path | None = None, only: str | None = None) -> list[NabFile]:
    """Every labelled series under ``root`` (sorted by name); ``only`` keeps
    the names containing that text (a quick subset for iteration)."""
    root = Path(root) if root is not None else nab_root()
    labels_path = root / "labels" / "combined_windows.json"
    try:
        labels = json.loads(labels_path.read_text())
    except (OSError, ValueError) as err:
        raise MonitorError(f"{labels_path}: cannot read NAB label windows ({err}); "
                           f"set {ENV} to the NAB corpus folder") from err
    names = sorted(n for n in labels if only is None or only in n)
    return [read_series(root / "data" / n, n, labels[n]) for n in names]


def run_series(f: NabFile, detector: str, **params) -> list[float]:
    """Scores of one series, each computed before the reading is learned.

    A detector with a ``nab_hint(min, max, probation)`` method is handed the
    file's value range and probation length first, as NAB's own harness
    hands ``inputMin`` / ``inputMax`` and the probationary period to every
    detector on its scoreboard (a look at the whole file's range, part of
    NAB's protocol; :class:`~monitors.context.ContextDetector` uses it)."""
    det = make_detector(detector, **params)
    hint = getattr(det, "nab_hint", None)
    if hint is not None and f.values:  # what NAB's harness gives every detector
        hint(min(f.values), max(f.values), probation_length(len(f.values)))
    out = []
    for t, v in zip(f.timestamps, f.values):
        r = Reading("nab", t, {"value": v})
        out.append(det.score_one(r))
        det.learn_one(r)
    return out


def run_corpus(files: list[NabFile], detector: str, **params) -> tuple[list[NabSeries], float]:
    """Score every file with a fresh detector; returns the series and CPU seconds."""
    t0 = time.process_time()
    out = [NabSeries(f.name, run_series(f, detector, **params), f.windows) for f in files]
    return out, time.process_time() - t0


def score_corpus(series: list[NabSeries]) -> dict[str, NabResult]:
    """NAB's protocol: one tuned threshold per profile over all ``series``."""
    return {p: nab_score(series, p) for p in PROFILES}


def null_series(files: list[NabFile]) -> list[NabSeries]:
    """The never-alerting detector."""
    return [NabSeries(f.name, [0.0] * len(f.values), f.windows) for f in files]


def perfect_series(files: list[NabFile]) -> list[NabSeries]:
    """The label-perfect detector: 1.0 at the first point of each window."""
    out = []
    for f in files:
        s = [0.0] * len(f.values)
        for lo, _ in f.windows:
            s[lo] = 1.0
        out.append(NabSeries(f.name, s, f.windows))
    return out


def once_per_event(scores: list[float], decay: float = 0.999) -> list[float]:
    """Report each event once: a score counts only when it beats the recent
    peak (the largest earlier score, decaying by ``decay`` per reading);
    otherwise it is reported as 0. Streaming and threshold-free: at any
    threshold, a burst of high scores yields its first crossing (and any
    later, larger surprise) rather than one detection per reading -- the
    "rest period" the scoreboard's leaders (e.g. CAD OSE) apply to their output.

    >>> once_per_event([0.1, 0.9, 0.8, 0.95, 0.2])
    [0.1, 0.9, 0.0, 0.95, 0.0]
    """
    out, peak = [], 0.0
    for s in scores:
        out.append(s if s > peak else 0.0)
        peak = s if s > peak * decay else peak * decay
    return out
