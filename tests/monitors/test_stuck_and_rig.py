"""Stuck-sensor evidence, protected readings that follow unimplicated signals, the rig runs."""

from __future__ import annotations

import random

import pytest

from benchmarks.rig_traces import DEV_SEED, KINDS, rig_run, rig_runs
from monitors import flatline
from monitors.alertmetrics import alert_flags
from monitors.mahalanobis import Mahalanobis
from monitors.types import Reading

pytestmark = pytest.mark.unit


def test_flatline_evidence_grows_with_the_run_and_depends_on_the_repeat_rate():
    rng = random.Random(1)
    noisy, coarse = flatline.new([0.0]), flatline.new([0.0])
    for _ in range(2000):
        flatline.learn(noisy, [rng.gauss(0, 1)], 0.001)
        flatline.learn(coarse, [float(rng.random() < 0.5)], 0.001)  # repeats half the time
    for _ in range(4):
        flatline.observe(noisy, [7.0])
        flatline.observe(coarse, [1.0])
    assert flatline.evidence(noisy, [7.0])[0] > 10.0  # 5 repeats of a noisy signal
    assert flatline.evidence(coarse, [1.0])[0] < 2.0  # 5 repeats of a coarse one
    assert flatline.evidence(noisy, [7.5]) == [0.0]  # the run is broken


def test_a_frozen_signal_raises_the_multivariate_score():
    rng = random.Random(2)
    det = Mahalanobis()
    for i in range(1500):
        load = 0.7 + 0.1 * rng.random()
        det.learn_one(Reading("P", i, {"flow": 40 * load + rng.gauss(0, 0.3), "amps": 30 * load + rng.gauss(0, 0.3)}))
    normal = det.score_one(Reading("P", 1500, {"flow": 30.0, "amps": 22.5}))
    for i in range(1500, 1510):  # flow frozen, all values in range
        r = Reading("P", i, {"flow": 30.0, "amps": 30 * (0.7 + 0.1 * rng.random()) + rng.gauss(0, 0.3)})
        det.learn_one(r)
    stuck = det.score_one(Reading("P", 1510, {"flow": 30.0, "amps": 22.5}))
    assert normal < 0.3 < 0.8 < stuck


def test_rig_runs_have_eight_sensors_and_one_interval_per_faulty_run():
    runs = rig_runs(DEV_SEED, per_kind=1, normal=1, setpoint=1)
    assert len(runs) == len(KINDS) + 2
    for r in runs:
        assert len(r.readings[0].values) == 8
        if r.shape:
            lo, hi = r.fault
            assert 0.4 * len(r.readings) <= lo < hi < len(r.readings)
        else:
            assert r.fault is None
    assert [r.readings[-1].values for r in rig_runs(DEV_SEED, 1, 1, 1)] == [r.readings[-1].values for r in runs]


def test_alert_closes_after_a_step_fault_ends_while_the_fluid_keeps_warming():
    """The fluid warms through the run; learning is held during the alert, but the
    unimplicated signals' means keep following, so the alert closes after the fault
    (without following, the warmer fluid alone keeps it open to the end of the run)."""
    run = rig_run(random.Random(0), "step", "step")
    lo, hi = run.fault
    flags = alert_flags(run.readings, "auto")
    # the contrast without the quiet close (a second way out, tests/monitors/test_spread.py)
    held = alert_flags(run.readings, "auto", params={"multi": {"follow_z": 0}}, quiet=0)
    assert any(flags[lo:hi + 1])
    assert not any(flags[hi + 100:])
    assert held[-1]
