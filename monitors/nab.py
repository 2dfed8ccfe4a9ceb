"""NAB scoring, implemented from the published rules (Lavin & Ahmad, ICMLA 2015).

- Each labelled window gets one reward for its *earliest* detection, scaled
  by a sigmoid of where in the window it fell: ``A_TP`` at the left edge,
  about 0 at the right edge. A missed window costs ``A_FN``.
- Every detection outside a window costs ``A_FP``, fully before the first
  window and right after it scaled down by the same sigmoid of the distance
  past the previous window's right edge (in window widths).
- The first 15 % of each file (at most 750 points) is a probationary period
  whose detections are not scored.
- Detections are points whose score is >= a threshold. Like NAB, the
  threshold is chosen per profile by sweeping every score value in the data
  and keeping the best total over all files -- the threshold is tuned on the
  very data being scored. ``score(threshold=...)`` scores a fixed one instead.
- Normalised score = 100 * (raw - null) / (perfect - null): the null detector
  makes no detections and scores ``-A_FN`` per scored window (NAB's published
  null baseline), a perfect one ``A_TP`` per window.

>>> s = NabSeries("toy", [0.0] * 5 + [1.0] + [0.0] * 4, [(4, 6)])
>>> round(nab_score([s], probation=0.0).score, 1)
97.2
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# NAB config/profiles.json: weights of the application profiles.
PROFILES: dict[str, dict[str, float]] = {
    "standard": {"tp": 1.0, "fp": 0.11, "fn": 1.0, "tn": 1.0},
    "reward_low_FP_rate": {"tp": 1.0, "fp": 0.22, "fn": 1.0, "tn": 1.0},
    "reward_low_FN_rate": {"tp": 1.0, "fp": 0.11, "fn": 2.0, "tn": 1.0},
}


def scaled_sigmoid(pos: float) -> float:
    """NAB's reward curve: 0.9866 at pos -1 (window start), 0 at pos 0, -1 from pos 3."""
    if pos >= 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * pos)) - 1.0


@dataclass(frozen=True)
class NabSeries:
    """One scored data file: anomaly scores and label windows as inclusive
    ``(first_index, last_index)`` pairs, in time order."""

    name: str
    scores: list[float]
    windows: list[tuple[int, int]]


@dataclass(frozen=True)
class NabResult:
    """Outcome for one profile over a set of files."""

    profile: str
    score: float
    raw: float
    null: float
    perfect: float
    threshold: float
    tuned: bool
    windows: int
    detected: int
    false_positives: int
    per_file: dict[str, float] = field(default_factory=dict)


def probation_length(n: int, probation: float = 0.15) -> float:
    """Points at the start of a file whose detections NAB ignores."""
    return min(math.floor(probation * n), probation * 5000)


def point_weights(n: int, windows: list[tuple[int, int]], w: dict[str, float],
                  probation: float = 0.15) -> list[tuple[float, int | None] | None]:
    """Per point: ``(weighted reward if detected, window number or None)``,
    or None inside the probationary period."""
    out: list[tuple[float, int | None] | None] = []
    max_tp = scaled_sigmoid(-1.0)
    prob = probation_length(n, probation)
    cur, prev_right, prev_width = None, None, None
    starts = {lo: k for k, (lo, _) in enumerate(windows)}
    for i in range(n):
        if i in starts:
            cur = starts[i]
        if cur is not None:
            lo, hi = windows[cur]
            width = hi - lo + 1
            part = (scaled_sigmoid(-(hi - i + 1) / width) * w["tp"] / max_tp, cur)
        else:
            pos = 3.0 if prev_right is None else abs(prev_right - i) / max(prev_width - 1, 1)
            part = (scaled_sigmoid(pos) * w["fp"], None)
        out.append(part if i >= prob else None)
        if cur is not None and i == windows[cur][1]:
            prev_right, prev_width, cur = i, windows[cur][1] - windows[cur][0] + 1, None
    return out


def _points(series: list[NabSeries], w: dict[str, float], probation: float):
    """All scorable points of all files: (score, file, window, weight)."""
    pts = []
    for f, s in enumerate(series):
        for sc, part in zip(s.scores, point_weights(len(s.scores), s.windows, w, probation)):
            if part is not None:
                pts.append((sc, f, part[1], part[0]))
    return pts


def _total(pts, w, threshold):
    """Raw score, detected windows and FP count when points >= threshold detect."""
    best: dict[tuple[int, int], float] = {}
    fp_sum, fps = 0.0, 0
    for sc, f, win, weight in pts:
        if win is None:
            best.setdefault((f, -1), 0.0)
        else:
            best.setdefault((f, win), -w["fn"])
        if sc >= threshold:
            if win is None:
                fp_sum, fps = fp_sum + weight, fps + 1
            else:
                best[(f, win)] = max(best[(f, win)], weight)
    wins = {k: v for k, v in best.items() if k[1] >= 0}
    detected = sum(1 for v in wins.values() if v != -w["fn"])
    return fp_sum + sum(wins.values()), detected, fps


def sweep(pts, w) -> list[tuple[float, float]]:
    """``(threshold, raw score)`` for every distinct score value, high to low,
    computed in one pass like NAB's sweeper."""
    order = sorted(pts, key=lambda p: -p[0])
    parts = {(f, win): -w["fn"] for _, f, win, _ in order if win is not None}
    total = sum(parts.values())
    rows = [(math.inf, total)]
    for k, (sc, f, win, weight) in enumerate(order):
        if win is None:
            total += weight
        else:
            old = parts[(f, win)]
            if weight > old:
                parts[(f, win)] = weight
                total += weight - old
        if k + 1 == len(order) or order[k + 1][0] != sc:
            rows.append((sc, total))
    return rows


def nab_score(series: list[NabSeries], profile: str = "standard",
              threshold: float | None = None, probation: float = 0.15) -> NabResult:
    """Normalised NAB score of ``series`` for one profile; ``threshold=None``
    tunes it on the data (NAB's way), a number scores that fixed threshold."""
    w = PROFILES[profile]
    pts = _points(series, w, probation)
    tuned = threshold is None
    if tuned:
        threshold = max(sweep(pts, w), key=lambda r: r[1])[0]
    raw, detected, fps = _total(pts, w, threshold)
    null = _total(pts, w, math.inf)[0]
    n_windows = sum(len(s.windows) for s in series)
    perfect = n_windows * w["tp"]
    per_file = {}
    for f, s in enumerate(series):
        sub = [p for p in pts if p[1] == f]
        r_f = _total(sub, w, threshold)[0]
        n_f = _total(sub, w, math.inf)[0]
        per_file[s.name] = _normalise(r_f, n_f, len(s.windows) * w["tp"])
    return NabResult(profile, _normalise(raw, null, perfect), raw, null, perfect,
                     float(threshold), tuned, n_windows, detected, fps, per_file)


def _normalise(raw: float, null: float, perfect: float) -> float:
    if perfect == null:
        return 100.0
    return 100.0 * (raw - null) / (perfect - null)
