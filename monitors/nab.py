"""NAB scoring, implemented from the published rules (Lavin & Ahmad, ICMLA 2015).

- Each labelled window gets one reward for its *earliest* detection, scaled
  by a sigmoid of where in the window it fell: ``A_TP`` at the left edge,
  about 0 at the right edge. A missed window costs ``A_FN``.
- Every detection outside a window costs ``A_FP``, fully before the first
  window and right after it scaled down by the same sigmoid of the distance
  past the previous window's right edge (in window widths).
- The first 15 % of each file (at most 750 points) is a probationary period
  whose detections are not scored; a window with no point after it is not
  scored either (NAB counts windows from the scored points).
- Detections are points whose score is >= a threshold. Like NAB, the
  threshold is chosen per profile by sweeping every score value in the data
  and keeping the best total over *all files together* (one threshold for
  the corpus) -- the threshold is tuned on the very data being scored.
  ``score(threshold=...)`` scores a fixed one instead.
- Normalised score = 100 * (raw - null) / (perfect - null): the null detector
  makes no detections and scores ``-A_FN`` per scored window (NAB's published
  null baseline), a perfect one ``A_TP`` per window.

The arithmetic is vectorised (numpy) so the whole corpus (365k points) is
swept in well under a second per profile.

>>> s = NabSeries("toy", [0.0] * 5 + [1.0] + [0.0] * 4, [(4, 6)])
>>> round(nab_score([s], probation=0.0).score, 1)
97.2
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

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


def _sigmoid_arr(pos: np.ndarray) -> np.ndarray:
    out = 2.0 / (1.0 + np.exp(np.minimum(5.0 * pos, 50.0))) - 1.0
    return np.where(pos >= 3.0, -1.0, out)


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
                  probation: float = 0.15) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per point of one file: the weighted reward if detected, the window
    number (-1 outside windows) and whether the point is scored (after probation)."""
    i = np.arange(n, dtype=float)
    weight = np.full(n, -w["fp"])  # before the first window: a full FP
    win = np.full(n, -1, dtype=np.int64)
    max_tp = scaled_sigmoid(-1.0)
    for k, (lo, hi) in enumerate(windows):
        width = hi - lo + 1
        inside = slice(lo, hi + 1)
        weight[inside] = _sigmoid_arr(-(hi - i[inside] + 1) / width) * w["tp"] / max_tp
        win[inside] = k
        end = windows[k + 1][0] if k + 1 < len(windows) else n
        after = slice(hi + 1, end)
        weight[after] = _sigmoid_arr(np.abs(hi - i[after]) / max(width - 1, 1)) * w["fp"]
    scored = i >= probation_length(n, probation)
    return weight, win, scored


@dataclass(frozen=True)
class _Points:
    score: np.ndarray
    weight: np.ndarray
    window: np.ndarray  # global window id, -1 outside windows
    file: np.ndarray
    n_windows: int  # scored windows
    files: int


def _points(series: list[NabSeries], w: dict[str, float], probation: float) -> _Points:
    """All scored points of all files, with global window ids."""
    sc, wt, wn, fl = [], [], [], []
    offset = 0
    for f, s in enumerate(series):
        weight, win, scored = point_weights(len(s.scores), s.windows, w, probation)
        g = np.where(win >= 0, win + offset, -1)
        offset += len(s.windows)
        sc.append(np.asarray(s.scores, dtype=float)[scored])
        wt.append(weight[scored])
        wn.append(g[scored])
        fl.append(np.full(int(scored.sum()), f))
    def cat(parts, dt):
        return np.concatenate(parts).astype(dt) if parts else np.zeros(0, dt)
    window = cat(wn, np.int64)
    # renumber scored windows 0..m-1 (a window wholly in probation is not scored)
    ids, window_c = np.unique(window[window >= 0], return_inverse=True)
    window = window.copy()
    window[window >= 0] = window_c
    return _Points(cat(sc, float), cat(wt, float), window, cat(fl, np.int64), len(ids), len(series))


def _total(p: _Points, w: dict[str, float], threshold: float):
    """Raw score, detected windows, FP count and per-file raw at one threshold."""
    hit = p.score >= threshold
    fp = hit & (p.window < 0)
    per_file = np.bincount(p.file[fp], weights=p.weight[fp], minlength=p.files).astype(float)
    best = np.full(p.n_windows, -w["fn"])
    tp = hit & (p.window >= 0)
    np.maximum.at(best, p.window[tp], p.weight[tp])
    per_file += np.bincount(_window_files(p), weights=best, minlength=p.files)
    detected = int(np.count_nonzero(best != -w["fn"]))
    return float(per_file.sum()), detected, int(fp.sum()), per_file


def sweep(p: _Points, w: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """``(thresholds, raw totals)`` for every distinct score value, high to low
    (first row: inf = no detections), in one pass like NAB's sweeper."""
    order = np.argsort(-p.score, kind="stable")
    sc, wt, wn = p.score[order], p.weight[order], p.window[order]
    gain = np.where(wn < 0, wt, 0.0)
    best = np.full(p.n_windows, -w["fn"])
    for k in np.flatnonzero(wn >= 0):  # window points only (~10 % of the data)
        b = best[wn[k]]
        if wt[k] > b:
            gain[k] = wt[k] - b
            best[wn[k]] = wt[k]
    totals = -w["fn"] * p.n_windows + np.cumsum(gain)
    last = np.flatnonzero(np.append(sc[1:] != sc[:-1], True)) if len(sc) else np.zeros(0, int)
    return (np.concatenate([[math.inf], sc[last]]),
            np.concatenate([[-w["fn"] * p.n_windows], totals[last]]))


def nab_score(series: list[NabSeries], profile: str = "standard",
              threshold: float | None = None, probation: float = 0.15) -> NabResult:
    """Normalised NAB score of ``series`` for one profile; ``threshold=None``
    tunes one threshold over all of ``series`` (NAB's way), a number scores
    that fixed threshold."""
    w = PROFILES[profile]
    p = _points(series, w, probation)
    tuned = threshold is None
    if tuned:
        thr, tot = sweep(p, w)
        threshold = float(thr[int(np.argmax(tot))])  # first (highest) of equal bests
    raw, detected, fps, raw_f = _total(p, w, threshold)
    null_f = -w["fn"] * np.bincount(_window_files(p), minlength=p.files)
    null, perfect = float(null_f.sum()), p.n_windows * w["tp"]
    per_file = {s.name: _normalise(raw_f[f], null_f[f], -null_f[f] / w["fn"] * w["tp"])
                for f, s in enumerate(series)}
    return NabResult(profile, _normalise(raw, null, perfect), raw, null, perfect,
                     float(threshold), tuned, p.n_windows, detected, fps, per_file)


def _window_files(p: _Points) -> np.ndarray:
    out = np.zeros(p.n_windows, dtype=np.int64)
    out[p.window[p.window >= 0]] = p.file[p.window >= 0]
    return out


def _normalise(raw: float, null: float, perfect: float) -> float:
    if perfect == null:
        return 100.0
    return float(100.0 * (raw - null) / (perfect - null))
