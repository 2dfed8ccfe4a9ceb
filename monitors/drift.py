"""Slow-drift evidence: a leaky two-sided CUSUM on block means of residuals.

A CUSUM on raw residuals of plant signals saturates on normal data (its
sums sat at their cap everywhere, see ``factory.py``): it assumes
independent residuals, while a plant's residuals stay on one side for hours
(load steps, thermal lag). Two changes solve that here:

1. **Block means standardised by their own spread.** Residuals are averaged
   over ``block`` readings, and each block mean is standardised by the
   exponentially weighted mean and standard deviation *of block means*
   (weight ``alpha``). Autocorrelation inflates that spread, so a wandering
   but normal residual gives block z-scores of ordinary size; a genuine
   drift moves them by many of their own standard deviations.
2. **A leak.** ``S = max(0, leak * S + z - k)`` (and the mirror for
   negative drifts) is bounded by ``(z - k) / (1 - leak)`` for a steady
   ``z``: normal wandering decays away instead of piling up to a cap,
   while a drift of a few block standard deviations grows ``S`` within a
   few blocks.

State per signal is a plain list: ``[n_in_block, block_sum, n_blocks,
mean, var, S_up, S_down]``.

In :class:`~monitors.mahalanobis.Mahalanobis` (``drift_*`` arguments) it sees a slow rise
in one signal long before the per-signal RMS distance does (the bearing-wear trace: first
alert 23.8 h into its 53 h window without it, 3.9 h with it). ``drift_leak`` 0.8 and
``drift_half`` 8 were the best of leak 0.9 / 0.8 / 0.7, k 1 / 1.5 / 2, half 8 / 12 / 20 on
the sample traces (not blind: see docs/notes/monitors.md).

3. **A decision interval** ``h`` (Page's CUSUM signals when a sum exceeds
   ``h``; here only the part above ``h`` counts as evidence). Without it a
   sum of 5 -- one block at z 6, or a few moderate ones -- scored 0.28, just
   over the thresholds a quiet run calibrates, and held there while the
   filter protected the stream from learning (a fault-free sample pump
   alerted for 16 hours on day 2). ``drift_h`` 2 was the smallest of 2 / 4 / 6
   that removed it, chosen on the sample streams (not blind) with the
   development runs unchanged; the bearing-wear trace's first alert moved
   from 4.0 to 5.0 h into its 53 h window (docs/notes/nab7.md).

The sums restart (``new``) when the alert layer adopts a lasting change as
the new normal: far blocks never teach the baseline, so after a set-point
change the sums would otherwise stay saturated for good. Restarted on the
adopted level they measure any move away from it -- the return to normal
too, when the fault is repaired: the worn-bearing trace stayed in alert
1,381 readings past the end of its fault on sums of current and pressures
whose conditional z moved back with the vibration. A return home is
recovery, not a new fault: after an adoption, once the reference model
(which the adopted readings barely teach) finds ``block`` readings in a row
normal again -- mean squared conditional distance per signal within
``HOME`` squared -- the sums restart once more (:func:`recovered`).
"""

from __future__ import annotations

import math

# Per-signal RMS distance under the reference model within which a reading counts as
# back home after an adopted change (a normal reading's is about 1).
HOME = 1.5


def new(d: int) -> list[list[float]]:
    return [[0, 0.0, 0, 0.0, 0.0, 0.0, 0.0] for _ in range(d)]


def update(states: list[list[float]], zs: list[float], block: int, alpha: float, k: float,
           leak: float, warmup: int) -> None:
    """Add one reading's residuals ``zs`` (one per signal)."""
    for st, z in zip(states, zs):
        st[0] += 1
        st[1] += z
        if st[0] < block:
            continue
        bm = st[1] / st[0]
        st[0], st[1] = 0, 0.0
        st[2] += 1
        a = max(alpha, 1.0 / st[2])
        if st[2] > warmup:
            sd = math.sqrt(st[4]) + 1e-9
            zb = (bm - st[3]) / sd
            st[5] = max(0.0, leak * st[5] + zb - k)
            st[6] = max(0.0, leak * st[6] - zb - k)
            if abs(zb) > 3.0:
                continue  # a far block does not teach the baseline
        d = bm - st[3]
        st[3] += a * d
        st[4] = (1.0 - a) * (st[4] + a * d * d)


def evidence(states: list[list[float]], h: float = 0.0) -> list[float]:
    """Per signal, the larger of the two CUSUM sums less the decision interval ``h`` (>= 0)."""
    return [max(0.0, max(st[5], st[6]) - h) for st in states]


def recovered(s: dict, d2: float, block: int) -> None:
    """After an adoption (``s["home"]`` set, counting readings), one learned reading
    with per-signal squared reference distance ``d2``: ``block`` readings in a row
    back home restart the sums of the detector state ``s`` (see the module docstring)."""
    if s.get("home") is None:
        return
    s["home"] = s["home"] + 1 if d2 <= HOME * HOME else 0
    if s["home"] >= block:
        s.pop("drift", None)
        s.pop("home", None)

