"""The shared contract every detector must pass (river's test_estimators style)."""

from __future__ import annotations

import json
import math
import random

import pytest

from monitors.base import Detector
from monitors.factory import DETECTORS, make_detector, detector_from_state
from monitors.types import Reading

pytestmark = pytest.mark.unit

# Small windows / warm-ups so every detector is past its warm-up within the test.
PARAMS = {
    "zscore": {"warmup": 20},
    "mahalanobis": {"warmup": 20},
    "auto": {"multi": {"warmup": 20}, "single": {"context": {"warmup": 20}, "ensemble": {"warmup": 20}}},
    "gaussian": {"window": 200, "step": 10},
    "ensemble": {"warmup": 20},
    "context": {"warmup": 20, "rest": 10, "capacity": 200},
}


def stream(n: int, seed: int = 7, start: int = 0):
    rng = random.Random(seed)
    for i in range(start, start + n):
        load = 0.5 + 0.3 * math.sin(i / 50)
        spike = 6.0 if 1000 <= i < 1100 else 0.0  # a sustained fault
        yield Reading("P-3", i * 60.0, {"rms": 1.5 + load + rng.gauss(0, 0.1) + spike,
                                        "amps": 30 + 20 * load + rng.gauss(0, 0.5)})


def run(det, readings):
    out = []
    for r in readings:
        out.append(det.score_one(r))
        det.learn_one(r)
    return out


def leaves(obj) -> int:
    if isinstance(obj, dict):
        return sum(leaves(v) for v in obj.values())
    if isinstance(obj, list):
        return sum(leaves(v) for v in obj)
    return 1


@pytest.fixture(params=sorted(DETECTORS))
def name(request):
    return request.param


def test_implements_protocol(name):
    assert isinstance(make_detector(name, **PARAMS[name]), Detector)


def test_scores_in_unit_interval_and_fault_scores_high(name):
    det = make_detector(name, **PARAMS[name])
    scores = run(det, stream(1200))
    assert all(0.0 <= s <= 1.0 and not math.isnan(s) for s in scores)
    normal = sorted(scores[100:1000])
    if name == "context":  # novelty scores 1.0 while it learns: the fault must be an event
        assert max(scores[1000:1100]) >= det.base
    else:
        assert max(scores[1000:1100]) > normal[int(0.99 * len(normal))]


def test_score_one_does_not_change_state(name):
    det = make_detector(name, **PARAMS[name])
    run(det, stream(300))
    before = json.dumps(det.state())
    det.score_one(Reading("P-3", 1e9, {"rms": 100.0, "amps": 0.0}))
    assert json.dumps(det.state()) == before


def test_deterministic(name):
    a = run(make_detector(name, **PARAMS[name]), stream(500, seed=3))
    b = run(make_detector(name, **PARAMS[name]), stream(500, seed=3))
    assert a == b


def test_save_restore_gives_identical_scores(name, tmp_path):
    det = make_detector(name, **PARAMS[name])
    run(det, stream(400))
    det.save(tmp_path / "state.json")
    restored = detector_from_state(json.loads((tmp_path / "state.json").read_text()))
    rest = list(stream(300, start=400))
    assert run(restored, rest) == run(det, rest)


def test_state_size_is_bounded(name):
    """Constant for the statistical detectors; the contextual detector's
    memory grows with novelty but never past its ``capacity``."""
    det = make_detector(name, **PARAMS[name])
    run(det, stream(600))
    size_a = leaves(det.state())
    run(det, stream(3000, start=600))
    if name == "context":
        assert all(len(m["ctx"]) <= det.capacity for m in det.state()["data"]["memory"].values())
    else:
        assert leaves(det.state()) == size_a
