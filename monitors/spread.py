"""Spread evidence: each signal's short-term variance against its learned variance.

The other views of :class:`~monitors.mahalanobis.Mahalanobis` score *levels*:
the smoothed reading's distance, the drift sums and the EWMA charts of its
residuals. An electrical oscillation of current and voltage, an impeller
imbalance or a loose mounting leaves the level where it was and widens the
signal's swing around it; smoothing averages the swing away (an EWMA of
weight 0.1 passes a 15-second oscillation at about a quarter of its size) and
one or two signals of eight barely move an RMS distance. On the rig
development runs two of seven oscillation faults raised no alert at all.

Per signal: ``r = x - level`` (the prediction error of a quick level, EWMA
weight ``level``), a short-term mean square ``v`` (EWMA weight ``lam``) and a
baseline mean square ``base`` (weight ``max(alpha, 1/n)``), which learns
only while ``v`` stays below ``gate`` times it, so a swing that has widened does
not teach its own baseline. The evidence is the ratio's excess in units of its
own noise under the baseline: ``(v / base - 1) / sqrt(2 lam / (2 - lam))``
(for Gaussian prediction errors ``v / base`` has that standard deviation).
A quick level follows a set-point step within a few readings, so a step is
one short burst, and a re-baseline (:mod:`monitors.regime`) restarts ``v``.

State per signal is a plain list ``[n, level, v, base]``.

>>> st = new([0.0])
>>> import math
>>> for i in range(400):
...     update(st, [math.sin(i * 1.3) * 0.1], 0.2, 0.05, 0.01, 3.0)
>>> evidence(st, 100, 0.05)[0] < 3.0
True
>>> for i in range(400, 460):
...     update(st, [math.sin(i * 1.3) * 0.1 + 0.5 * math.sin(i / 2.5)], 0.2, 0.05, 0.01, 3.0, teach=False)
>>> evidence(st, 100, 0.05)[0] > 10.0
True
"""

from __future__ import annotations

import math


def new(xs: list[float]) -> list[list[float]]:
    """State for signals starting at ``xs``."""
    return [[0, x, 0.0, 0.0] for x in xs]


def update(states: list[list[float]], xs: list[float], level: float, lam: float,
           alpha: float, gate: float, teach: bool = True) -> None:
    """One reading: move each level and short-term mean square; teach the
    baseline when ``teach`` (a learned reading) and the swing is not wide."""
    for st, x in zip(states, xs):
        r = x - st[1]
        st[1] += level * r
        r2 = r * r
        st[2] += lam * (r2 - st[2])
        if not teach:
            continue
        n = st[0] = st[0] + 1
        if n > 1.0 / lam and st[2] > gate * st[3] > 0:
            continue  # a widened swing does not teach its own baseline
        st[3] += max(alpha, 1.0 / n) * (r2 - st[3])


def step(det, reading, teach: bool, restart_: bool = False) -> None:
    """Move ``det``'s spread view (a :class:`~monitors.mahalanobis.Mahalanobis`, its
    ``spread_*`` settings) with a reading that carries every signal; ``restart_``
    just after a re-baseline."""
    s = det._s
    idx, xs = det._vector(reading)
    if det.spread_half <= 0 or len(idx) != len(s["names"]):
        return
    if "spread" not in s:
        s["spread"] = new(xs)
    elif restart_:
        restart(s["spread"], xs)
    else:
        update(s["spread"], xs, det.spread_level, det.spread_lam, det.spread_alpha, det.spread_gate, teach)


def held(det, reading, is_held: bool) -> bool:
    """During a regime hold (``is_held``) restart ``det``'s spread view at the reading;
    returns ``is_held``."""
    if is_held and det._s.get("spread"):
        restart(det._s["spread"], det._vector(reading)[1])
    return is_held


def restart(states: list[list[float]], xs: list[float]) -> None:
    """After a re-baseline: the level jumps to the reading, the swing to its baseline."""
    for st, x in zip(states, xs):
        st[1], st[2] = x, st[3]


def evidence(states: list[list[float]], warmup: int, lam: float) -> list[float]:
    """Per signal, the short-term mean square's excess over the baseline in its
    own noise units (0 before ``warmup`` taught readings; never negative)."""
    unit = math.sqrt(2.0 * lam / (2.0 - lam))
    return [max(0.0, (v / base - 1.0) / unit) if n > warmup and base > 0 else 0.0
            for n, _, v, base in states]
