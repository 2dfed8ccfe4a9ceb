"""Operating-point changes (monitors/regime.py): a set-point step or a stop is
re-baselined, a fault that breaks the load's pattern is still alerted."""

from __future__ import annotations

import json
import random

import pytest

from benchmarks.fresh_traces import make_run
from benchmarks.rig_traces import rig_run
from monitors.alertmetrics import alert_flags
from monitors.factory import detector_from_state, make_detector
from monitors.regime import is_change

pytestmark = pytest.mark.unit

OFF = {"multi": {"regime_k": 0.0}}


def _setpoint_runs(seed: int, n: int):
    rng = random.Random(seed)
    return [rig_run(rng, f"sp-{k}", None, setpoint_step=True) for k in range(n)]


def test_setpoint_steps_alert_half_as_often_as_without_the_hold():
    # measured on these 12 new runs: 5 alert with the hold, 10 without (not all are fixed)
    runs = _setpoint_runs(31337, 12)
    held = sum(any(alert_flags(r.readings, "auto")) for r in runs)
    plain = sum(any(alert_flags(r.readings, "auto", OFF)) for r in runs)
    assert plain >= 8 and 2 * held <= plain


def test_planned_stops_mostly_do_not_alert():
    # measured on these 6 new runs: 2 alert with the hold, 6 without
    rng = random.Random(99)
    runs = [make_run(rng, f"stop-{k}", None, stop=(650, 770)) for k in range(6)]
    assert sum(any(alert_flags(r.readings, "auto")) for r in runs) <= 3
    assert sum(any(alert_flags(r.readings, "auto", OFF)) for r in runs) >= 5


def test_valve_step_faults_are_still_alerted_inside_the_fault():
    rng = random.Random(4711)
    runs = [rig_run(rng, f"valve-{k}", "step") for k in range(4)]
    for r in runs:
        flags = alert_flags(r.readings, "auto")
        lo, hi = r.fault
        assert any(flags[lo:hi + 1]), r.name


def test_load_pattern_rule():
    none = lambda i, j: 0.0  # noqa: E731
    assert is_change([6.0, 2.0, 1.5, 1.2, 0.1, 0.0], none, 1.0, 0.5, 0.2)
    assert not is_change([-6.0, 2.0, 1.5, 1.2, 0.1, 0.0], none, 1.0, 0.5, 0.2)
    assert not is_change([6.0, 2.0, 0.1, 0.1, 0.1, 0.0], none, 1.0, 0.5, 0.2)  # two of six


def test_state_round_trips_during_a_hold():
    rng = random.Random(5)
    run = rig_run(rng, "sp", None, setpoint_step=True)
    det = make_detector("auto")
    held_at = None
    for i, r in enumerate(run.readings):
        det.learn_one(r)
        if det._inner._s.get("regime", {}).get("hold"):
            held_at = i
            break
    assert held_at is not None
    twin = detector_from_state(json.loads(json.dumps(det.state())))
    for r in run.readings[held_at + 1:held_at + 80]:
        assert twin.score_one(r) == det.score_one(r)
        twin.learn_one(r)
        det.learn_one(r)
