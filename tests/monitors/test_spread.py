"""The spread view (a widened swing around an unchanged level) and the
threshold filter's quiet close (an alert whose scores stay below the
on-threshold for ``quiet`` readings closes)."""

from __future__ import annotations

import math
import random

import pytest

from benchmarks.rig_traces import DEV_SEED, rig_runs
from monitors import spread
from monitors.alertmetrics import alert_flags
from monitors.base import BaseDetector
from monitors.threshold import ThresholdFilter
from monitors.types import Reading


@pytest.mark.unit
def test_a_widened_swing_raises_evidence_and_a_restart_clears_it():
    rng = random.Random(3)
    st = spread.new([0.0, 0.0])
    for _ in range(600):
        spread.update(st, [rng.gauss(0, 1), rng.gauss(0, 1)], 0.2, 0.05, 0.002, 3.0)
    quiet = spread.evidence(st, 150, 0.05)
    assert max(quiet) < 5.0
    for t in range(100):  # signal 0 oscillates at 3 sd, level unchanged
        spread.update(st, [rng.gauss(0, 1) + 3 * math.sin(t / 2.5), rng.gauss(0, 1)], 0.2, 0.05, 0.002, 3.0,
                      teach=False)
    ev = spread.evidence(st, 150, 0.05)
    assert ev[0] > 15.0 and ev[1] < 5.0
    spread.restart(st, [0.0, 0.0])
    assert spread.evidence(st, 150, 0.05) == [0.0, 0.0]


class _Scripted(BaseDetector):
    """Scores are the reading's ``s`` value (the filter is what is tested)."""

    name = "scripted"

    def learn_one(self, reading: Reading) -> None:
        pass

    def score_one(self, reading: Reading) -> float:
        return reading.values["s"]


def _states(quiet: int) -> list[bool]:
    rng = random.Random(5)
    scores = [rng.uniform(0.0, 0.1) for _ in range(400)] + [0.9] * 20
    scores += [0.05 + 0.1 * (i % 2) for i in range(200)]  # below on, never 10 in a row below off
    f = ThresholdFilter(_Scripted(), warmup=300, quiet=quiet)
    return [f.process_one(Reading("A", i, {"s": s})).flagged for i, s in enumerate(scores)]


@pytest.mark.unit
def test_quiet_close_ends_an_alert_that_hovers_below_the_on_threshold():
    held, closed = _states(0), _states(40)
    assert held[410] and closed[410]
    assert held[-1]  # without it the alert never closes
    assert not closed[-1] and closed.index(False, 410) <= 420 + 41


@pytest.mark.integration
def test_spread_view_catches_a_rig_oscillation_the_level_views_miss():
    run = next(r for r in rig_runs(DEV_SEED) if r.name == "rig-oscillation-2")  # dev seed (tuned on)
    a, b = run.fault
    without = alert_flags(run.readings, "auto", {"multi": {"spread_half": 0.0}})
    with_ = alert_flags(run.readings, "auto")
    assert not any(without[a:b + 1])
    assert any(with_[a:b + 1]) and not any(with_[:a])
