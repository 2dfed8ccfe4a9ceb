"""A declared operating change, inside :class:`~monitors.mahalanobis.Mahalanobis`.

When the alert layer passes on a declared change (:mod:`monitors.changes`),
the signals it concerns go through the same hold as a recognised regime
change (:mod:`monitors.regime`), with three differences:

- it starts on the declaration, whatever the signals show (one signal of
  four may move; no load pattern is needed);
- only the concerned signals are held: while held, a reading is scored on
  the *other* signals (their marginal distances under both models, their
  chart, drift and spread evidence) plus stuck-sensor evidence on all, so a
  fault elsewhere still alerts; with every signal concerned only the
  stuck-sensor evidence is scored, as in a recognised hold;
- the hold ends in a re-baseline of the concerned signals once they have
  settled (each one's quick level within ``regime_calm`` standard deviations
  of its slow level for ``regime_settle`` readings, at least :data:`MIN_HOLD`
  readings), or after ``regime_max`` readings whatever they do: the change
  was declared, so the re-baseline is trusted. Each concerned signal's means
  move by the shift its mid level shows since the last unsurprised reading
  (a signal that did not move keeps its baseline), its EWMA chart restarts
  at its mean, its spread view at the reading; the drift sums restart from
  their warm-up (as when the alert layer adopts a lasting change). Both
  models then learn with weight ``1/n`` from just past their warm-up count
  down to their usual rate: a set-point moves relationships too (current
  scales with discharge pressure), not only levels, and a model that kept
  weeks of the old relationship alerted on the first load the new point had
  not yet seen.

What it gives up: a step fault of a concerned signal that begins inside the
settling window is taken into the new baseline. A fault that begins after
it is scored against the re-baselined model; a slow fault that keeps rising
is scored again by the charts and drift sums once the hold ends.

State: ``{"idx": [...], "n": ..., "calm": ...}`` under the detector's
``declared`` key (plain JSON).
"""

from __future__ import annotations

import math

from . import ewcov, regime, spread
from .base import squash
from .types import Reading

# Readings a declared hold lasts at least. The regime hold's 30 (``regime_min``) ends
# while a thermal lag is still settling: the sample compressor's declared set-point
# change alerted a day later on the drift sums, and 3 of 6 one-signal set-point
# runs of the rig development seed. 100 / 150 / 200: compressor no alert at each;
# rig dev seed fault-free runs alerted 1 / 0 / 0 of 6, faulty runs whose fault starts
# within the hold missed more (missed-alarm rate 17 / 22 / 41 %). Chosen on those
# two (docs/notes/nab9.md); half of ``regime_max`` (300), which still ends a hold.
MIN_HOLD = 150


def start(det, signals: tuple[str, ...] = ()) -> bool:
    """Hold the ``signals`` (all when empty) of ``det``; False when the detector
    cannot yet (still in its warm-up: it is learning the process anyway)."""
    s = det._s
    rg = s.get("regime")
    if s["short"] is None or rg is None or s["short"]["prec"] is None:
        return False
    idx = [i for i, n in enumerate(s["names"]) if not signals or n in signals]
    if not idx:
        return False
    old = s.get("declared")
    idx = sorted(set(idx) | set(old["idx"] if old else ()))
    rg["hold"], rg["calm"] = 0, 0  # a recognised hold in progress gives way to the declared one
    s["declared"] = {"idx": idx, "n": 0, "calm": 0}
    return True


def step(det, reading: Reading) -> bool:
    """Advance a declared hold with one reading; True when the reading must not
    reach the models (a hold is in progress)."""
    s = det._s
    d = s.get("declared")
    if not d:
        return False
    idx, xs = det._vector(reading)
    if len(idx) != len(s["names"]):
        return True
    rg = s["regime"]
    regime._levels(rg, xs, det.regime_quick, det.regime_slow)
    d["n"] += 1
    still = all(abs(rg["quick"][i] - rg["slow"][i]) <= det.regime_calm * math.sqrt(rg["var"][i])
                for i in d["idx"])
    d["calm"] = d["calm"] + 1 if still else 0
    if (d["calm"] >= det.regime_settle and d["n"] >= MIN_HOLD) or d["n"] >= det.regime_max:
        rebase(det, d["idx"])
        del s["declared"]
    ewcov.observe(s["short"], idx, xs, det.fast)
    ewcov.observe(s["ref"], idx, xs, det.ref_fast)
    for i in d["idx"]:
        if s.get("spread"):
            spread.restart([s["spread"][i]], [xs[i]])
    det._memo = (None, -1, None)
    return True


def rebase(det, idx: list[int]) -> None:
    """Move the concerned signals ``idx`` of ``det`` to their new steady state, and
    let both models learn the new operating point's relationships quickly."""
    s = det._s
    rg = s["regime"]
    for key, warm in (("short", det.warmup), ("ref", det.ref_warmup)):
        s[key]["n"] = min(s[key]["n"], warm + 1)  # learning weight 1/n again, down to alpha
    moved = [False] * len(s["names"])
    for i in idx:
        shift = rg["mid"][i] - rg["pre"][i]
        for key in ("short", "ref"):
            s[key]["mean"][i] += shift
        rg["mean"][i] += shift
        moved[i] = abs(shift) >= 2.0 * math.sqrt(rg["var"][i])
        if s.get("chart"):
            s["chart"][i][1] = s["chart"][i][2]
    s.pop("home", None)
    s.pop("drift", None)  # as on adoption: its baseline ignores far blocks and would never learn the new one
    rg["pre"] = list(rg["mid"])
    rg["follow"], rg["moved"] = regime.FOLLOW, moved


def score(det, reading: Reading) -> float:
    """The score of a reading while a declared hold is in progress (see the
    module docstring)."""
    s, d = det._s, det._s["declared"]
    names = s["names"]
    full_idx, _ = det._vector(reading)
    keep = [i for i in range(len(names)) if i not in d["idx"]]
    others = {names[i]: reading.values[names[i]] for i in keep if names[i] in reading.values}
    out = 0.0
    if others:
        idx, _, short, ref = det._distances(Reading(reading.asset, reading.timestamp, others))
        d2 = max(short[0] if short else 0.0, ref[0] if ref else 0.0)
        out = squash(math.sqrt(max(d2, 0.0) / len(idx)), det.half) if idx else 0.0
        out = max(out, det._views(keep))
    det._memo = (None, -1, None)
    short_full = det._distances(reading)[2]
    return max(out, det._stuck_score(reading, full_idx, short_full))
