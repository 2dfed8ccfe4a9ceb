"""Stuck-sensor evidence: a run of unchanged readings, improbable for this signal.

A frozen sensor keeps reporting its last value while the process goes on;
each value is normal, only its stillness is not. Per signal the detector
learns the rate ``p`` at which a reading equals the one before it (an
exponentially decayed count, memory ~``1/alpha`` readings, starting from
half a count so that ``p`` is never 0). A run of ``k`` unchanged readings
then has probability ``p ** k`` under the learned behaviour, and the
evidence is its surprise ``-k * log10(p)``: a noisy analogue signal (``p``
near 0) is suspicious after a few repeats, a coarse or often-idle one
(``p`` large) needs a long run. No threshold is set here: the alert layer
calibrates the squashed evidence like every other score.

State per signal is a plain list ``[previous value, run length, decayed
count of repeats, decayed count of readings]``.
"""

from __future__ import annotations

import math


def new(xs: list[float]) -> list[list[float]]:
    return [[x, 0, 0.5, 1.0] for x in xs]


def observe(states: list[list[float]], xs: list[float]) -> None:
    """Track the run of unchanged readings (short-term input state only)."""
    for st, x in zip(states, xs):
        st[1] = st[1] + 1 if x == st[0] else 0
        st[0] = x


def learn(states: list[list[float]], xs: list[float], alpha: float) -> None:
    """Learn the repeat rate from these readings, then track the run."""
    for st, x in zip(states, xs):
        keep = 1.0 - alpha
        st[2] = keep * st[2] + (1.0 if x == st[0] else 0.0)
        st[3] = keep * st[3] + 1.0
    observe(states, xs)


def evidence(states: list[list[float]], xs: list[float], min_run: int = 3) -> list[float]:
    """Per signal, ``-k log10 p`` for the run this reading would extend (0 below ``min_run``)."""
    out = []
    for st, x in zip(states, xs):
        k = st[1] + 1 if x == st[0] else 0
        p = min(1.0, st[2] / st[3])
        out.append(-k * math.log10(p) if k >= min_run and p > 0 else 0.0)
    return out
