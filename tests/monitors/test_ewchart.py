"""The EWMA residual chart: bounded on wandering residuals, quick on a slow shift, released in an alert."""

from __future__ import annotations

import random

import pytest

from benchmarks.rig_traces import rig_run
from monitors import ewchart
from monitors.alertmetrics import alert_flags

pytestmark = pytest.mark.unit


def _ar1(rng: random.Random, n: int, phi: float = 0.97):
    x = 0.0
    for _ in range(n):
        x = phi * x + rng.gauss(0, 1)
        yield x


def test_chart_does_not_saturate_on_a_long_wandering_residual():
    # A residual that stays on one side for a long time (AR(1), phi 0.97) is
    # what made a plain CUSUM sit at its cap; the standardised chart's
    # evidence has the same spread late as early.
    rng = random.Random(3)
    st, early, late = ewchart.new(1), [], []
    for i, z in enumerate(_ar1(rng, 40_000)):
        ewchart.update(st, [z], lam=0.05, alpha=0.0005, warmup=300, gate=3.0)
        ev = ewchart.evidence(st, 300)[0]
        (early if 2_000 <= i < 10_000 else late if i >= 32_000 else []).append(ev)
    assert max(late) < 8.0
    assert sum(late) / len(late) < 2.0 * sum(early) / len(early)


def test_chart_sees_a_slow_shift_of_half_a_noise_sigma():
    rng = random.Random(4)
    st = ewchart.new(1)
    for _ in range(1000):
        ewchart.update(st, [rng.gauss(0, 1)], lam=0.05, alpha=0.0005, warmup=300, gate=3.0)
    quiet = ewchart.evidence(st, 300)[0]
    for k in range(200):  # a ramp that reaches one sigma
        ewchart.update(st, [rng.gauss(0, 1) + k / 200], lam=0.05, alpha=0.0005, warmup=300, gate=3.0)
    for _ in range(100):
        ewchart.update(st, [rng.gauss(0, 1) + 1.0], lam=0.05, alpha=0.0005, warmup=300, gate=3.0)
    assert quiet < 3.0 and ewchart.evidence(st, 300)[0] > 4.0


def test_protected_readings_release_the_chart():
    st = ewchart.new(2)
    for i in range(400):
        ewchart.update(st, [(-1) ** i * 0.2, 0.0], lam=0.05, alpha=0.01, warmup=50, gate=3.0)
    for _ in range(40):
        ewchart.update(st, [3.0, 0.0], lam=0.05, alpha=0.01, warmup=50, gate=3.0)
    high = ewchart.evidence(st, 50)[0]
    for _ in range(1000):
        ewchart.observe(st, 0.01)
    assert ewchart.evidence(st, 50)[0] < 0.01 * high


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_a_slow_leak_on_the_rig_alerts_only_with_the_chart(seed):
    rng = random.Random(seed)
    run = rig_run(rng, "leak", "drift")
    lo, hi = run.fault
    with_chart = alert_flags(run.readings, "auto")
    without = alert_flags(run.readings, "auto", {"multi": {"chart_half": 0.0}})
    assert any(with_chart[lo:hi + 1]) and not any(with_chart[:lo])
    assert sum(with_chart[lo:hi + 1]) > sum(without[lo:hi + 1])
