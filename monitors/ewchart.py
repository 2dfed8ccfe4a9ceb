"""Shift evidence for short runs: an EWMA control chart on each signal's residual.

The block CUSUM of :mod:`monitors.drift` needs ``block * warmup`` readings
(600 with the defaults) before it says anything, so in a run of twenty
minutes a leak that develops from minute eight is over before it is warm.
An exponentially weighted moving average of the residuals (Roberts' EWMA
chart, the textbook chart for small persistent shifts) needs no blocks:

    e = (1 - lam) * e + lam * z

with ``z`` a signal's conditional z-score given the other signals (the
multivariate model supplies it). ``e`` is then standardised by its **own**
exponentially weighted mean and spread, learned while ``e`` stays within
``gate`` of them: a residual that wanders on its own time scale (a pressure
regulation cycle that no other signal explains, a fluid that warms) widens
that spread, so such wandering is ordinary, while a leak that moves the
residual by a fraction of its noise for minutes on end moves ``e`` by
many of its own standard deviations. Nothing accumulates, so nothing
saturates: ``e`` forgets in ``1 / lam`` readings (the saturation the
old plain CUSUM had on plant data, see ``factory.py``, cannot happen).

State per signal is a plain list ``[n, e, mean, var]``.

Why (in :class:`~monitors.mahalanobis.Mahalanobis`, ``chart_*`` arguments): the block CUSUM
of :mod:`monitors.drift` is not warm before ~1,100 readings, so in a 19-minute test-rig run a
leak that develops from minute eight was never caught (rig drift faults 0/7). While the
alert layer protects readings the charts decay toward their means at ``chart_release`` per
reading (a frozen model's residuals grow with every ordinary trend and would hold the alert
open after its fault ended). ``chart_half`` 12 (of 4 / 6 / 8 / 10 / 12), warm-up 300 (of
150 / 300), spread memory 2,000 (of 200 / 500 / 2,000), gate 3 (of 3 / 4) and release 0.003
(of chart-following / 0.05 / 0.01 / 0.003) were chosen on the rig development runs and the
development runs of ``benchmarks/fresh_traces.py`` only (``benchmarks/multivar_check.py``).

>>> st = new(1)
>>> for i in range(400):
...     update(st, [0.5 if i % 2 else -0.5], lam=0.05, alpha=0.01, warmup=50, gate=4.0)
>>> evidence(st, 50)[0] < 3.0
True
>>> for i in range(60):
...     update(st, [1.5], lam=0.05, alpha=0.01, warmup=50, gate=4.0)
>>> evidence(st, 50)[0] > 5.0
True
"""

from __future__ import annotations

import math


def new(d: int) -> list[list[float]]:
    """``d`` signals' charts, all at zero."""
    return [[0, 0.0, 0.0, 0.0] for _ in range(d)]


def update(states: list[list[float]], zs: list[float], lam: float, alpha: float,
           warmup: int, gate: float, follow_only: bool = False) -> None:
    """Add one reading's residuals ``zs`` (one per signal): move each chart
    ``e``, then teach its mean and spread unless it is past ``gate`` of them
    (after ``warmup`` readings; before, everything teaches, cumulatively).
    ``follow_only``: just after a re-baseline, :func:`follow` instead."""
    if follow_only:
        follow(states, zs, lam)
        return
    for st, z in zip(states, zs):
        n = st[0] = st[0] + 1
        e = st[1] = (1.0 - lam) * st[1] + lam * z
        d = e - st[2]
        if n > warmup and d * d > gate * gate * st[3]:
            continue  # a shifted chart does not teach its own baseline
        a = max(alpha, 1.0 / n)
        st[2] += a * d
        st[3] = (1.0 - a) * (st[3] + a * d * d)


def follow(states: list[list[float]], zs: list[float], lam: float) -> None:
    """Move each chart ``e`` by the residuals ``zs`` and carry its mean along
    (evidence 0): after a re-baseline (:func:`monitors.regime.rebase`) the new
    steady state's residual offset -- the re-baseline's own measuring error,
    a fraction of a standard deviation that the chart would otherwise alert
    on -- becomes the chart's centre while ``e`` settles on it."""
    for st, z in zip(states, zs):
        st[0] += 1
        st[1] = (1.0 - lam) * st[1] + lam * z
        st[2] = st[1]


def observe(states: list[list[float]], release: float) -> None:
    """A protected reading (in alert, kept out of the model): each chart
    decays toward its own mean. The residuals of a model that has stopped
    learning grow with every ordinary trend (a fluid that warms), so charting
    them would hold an alert open after its fault has ended; instead the
    chart lets go within a few ``1 / release``, the alert closes unless another
    score holds it, and if the fault is still there the chart, fed again by
    learned readings, reopens it."""
    for st in states:
        st[1] += release * (st[2] - st[1])


def evidence(states: list[list[float]], warmup: int) -> list[float]:
    """Per signal, ``|e - mean| / sd`` (0 before ``warmup`` readings)."""
    out = []
    for n, e, mean, var in states:
        out.append(abs(e - mean) / math.sqrt(var) if n > warmup and var > 0 else 0.0)
    return out
