"""The mechanisms behind untuned alerts: alerts close, lasting shifts are
adopted, running calibration, relationship faults, the faster windowed Gaussian."""

from __future__ import annotations

import math
import random

import pytest

from monitors.evaluate import alert_runs
from monitors.gaussian import WindowedGaussian
from monitors.threshold import ThresholdFilter
from monitors.types import Reading
from monitors.zscore import RobustZScore

pytestmark = pytest.mark.unit


def level_stream(n, fault=(), shift=0.0, seed=1):
    """One noisy signal; ``shift`` added inside the index range ``fault``."""
    rng = random.Random(seed)
    lo, hi = fault or (n, n)
    return [Reading("A", i * 60.0, {"v": 10.0 + rng.gauss(0, 0.2) + (shift if lo <= i < hi else 0.0)})
            for i in range(n)]


def runs_of(filt, readings):
    flags = [filt.process_one(r).flagged for r in readings]
    starts = [i for i, f in enumerate(flags) if f and (i == 0 or not flags[i - 1])]
    ends = [i for i, f in enumerate(flags) if f and (i == len(flags) - 1 or not flags[i + 1])]
    return list(zip(starts, ends))


def test_alert_closes_soon_after_a_protected_fault_ends():
    # While protected the detector only *observes* (its smoothed level follows
    # the stream); before this the frozen level kept the alert open for
    # max_protect readings after a 100-reading fault.
    f = ThresholdFilter(RobustZScore(), warmup=1000, max_protect=2000)
    runs = runs_of(f, level_stream(2600, fault=(2000, 2100), shift=3.0))
    assert len(runs) == 1
    start, end = runs[0]
    assert 2000 <= start < 2030 and 2100 <= end < 2250


def test_lasting_shift_is_adopted_after_max_protect():
    f = ThresholdFilter(RobustZScore(), warmup=1000, max_protect=300)
    runs = runs_of(f, level_stream(8000, fault=(2000, 8000), shift=1.0))
    assert len(runs) == 1 and 2000 <= runs[0][0] < 2050 and runs[0][1] < 7000  # new normal learned


def test_thresholds_keep_calibrating_after_warmup():
    # The warm-up sees a quiet stream; later normal operation has a cycle.
    # Once the cycle has filled more than half the remembered blocks, the
    # median of block maxima raises the threshold instead of alerting forever.
    rng = random.Random(5)
    rs = [Reading("A", i * 60.0, {"v": 10 + rng.gauss(0, 0.2) + (2 * math.sin(i / 100) if i >= 1000 else 0)})
          for i in range(4000)]
    f = ThresholdFilter(RobustZScore(warmup=10), warmup=500, settle=100, max_protect=100, blocks=8)
    for r in rs[:1000]:
        f.process_one(r)
    first = f.on
    for r in rs[1000:]:
        f.process_one(r)
    assert f.on > first + 0.2


def relationship_trace(n=6000, fault=(4000, 4300), seed=2):
    """Two signals driven by a daily load; in ``fault`` current rises for the
    same load (each signal stays inside its own daily range)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        load = 0.5 + 0.35 * math.sin(2 * math.pi * i / 720) + rng.gauss(0, 0.02)
        extra = 4.0 if fault[0] <= i < fault[1] else 0.0
        out.append(Reading("P", i * 120.0, {"flow": 10 + 20 * load + rng.gauss(0, 0.3),
                                            "amps": 30 + 25 * load + extra + rng.gauss(0, 0.4)}))
    return out


def test_untuned_auto_alerts_inside_a_relationship_fault_only():
    rs = relationship_trace()
    amps = [r.values["amps"] for r in rs]
    assert max(amps[4000:4300]) < max(amps[:4000])  # not separable on one signal
    runs = alert_runs(rs, "auto", warmup=1000)
    assert runs and all(4000 <= a <= 4300 for a, _ in runs)
    assert not any(4000 <= a <= 4300 for a, _ in alert_runs(rs, "zscore", warmup=1000))


def test_windowed_gaussian_fill_matches_exact_statistics():
    d = WindowedGaussian(window=50, step=10)
    xs = [math.sin(i) * 5 + i * 0.01 for i in range(137)]
    for i, x in enumerate(xs):
        d.learn_one(Reading("A", i, {"v": x}))
        st = d._s["signals"]["v"]
        win = st[2]
        mean = sum(win) / len(win)
        std = math.sqrt(sum((v - mean) ** 2 for v in win) / len(win))
        if len(st[3]) == 0:
            assert st[0] == pytest.approx(mean) and st[1] == pytest.approx(std or 1e-6)
