"""The single-signal default (monitors/single.py): spatial view, event stage, state."""

from __future__ import annotations

import json
import math

import pytest

from monitors.factory import make_detector
from monitors.single import SingleSignal
from monitors.types import Reading

pytestmark = pytest.mark.unit

SMALL = {"context": {"warmup": 20}, "ensemble": {"warmup": 20}}


def _wave(n: int, start: int = 0) -> list[Reading]:
    return [Reading("A", float(i), {"v": 20.0 + math.sin(i / 7.0)}) for i in range(start, start + n)]


def _trained(**kw) -> SingleSignal:
    d = SingleSignal(**SMALL, **kw)
    for r in _wave(400):
        d.learn_one(r)
    return d


def test_a_value_past_the_seen_range_scores_as_an_extreme():
    d = _trained()
    # 20 +- 1 seen: 21.2 is 10 % of the range above the largest value, 21.05 only 2.5 %
    assert d._spatial(Reading("A", 400.0, {"v": 21.2})) == 1.0
    assert d._spatial(Reading("A", 400.0, {"v": 21.05})) == 0.0
    assert d.score_one(Reading("A", 400.0, {"v": 21.2})) > 0.9


def test_event_stage_reports_an_event_once_and_only_with_a_rest():
    spike = Reading("A", 400.0, {"v": 30.0})
    after = Reading("A", 401.0, {"v": 30.0})
    plain, rested = _trained(), _trained(rest=50)
    for d in (plain, rested):
        assert d.score_one(spike) > 0.9
        d.learn_one(spike)
    # without a rest (a monitor's default) a lasting change keeps its score
    assert plain.score_one(after) > 0.5
    # with a rest (NAB's hint sets one) only the ensemble's tie-break is left
    assert rested.score_one(after) <= rested.tie / (1.0 + rested.tie) + 1e-12


def test_nab_hint_sets_the_rest_from_the_probation():
    d = make_detector("auto")
    d.nab_hint(0.0, 10.0, 750.0)
    d.learn_one(Reading("nab", 0.0, {"value": 1.0}))
    inner = d._inner
    assert inner.rest == 150 and inner._cad.rest == 150
    assert make_detector("auto").single.get("rest", 0) == 0


def test_state_round_trips_inside_a_rest():
    d = _trained(rest=30)
    for r in [Reading("A", 400.0 + k, {"v": 30.0 + k}) for k in range(5)]:
        d.learn_one(r)
    state = json.loads(json.dumps(d.state()))
    e = SingleSignal(**state["params"])  # "single" is auto's inner detector, not in the factory
    e.load_state(state)
    assert e._s["since"] == d._s["since"] < 30
    for r in _wave(60, start=405):
        assert e.score_one(r) == d.score_one(r)
        d.learn_one(r)
        e.learn_one(r)
