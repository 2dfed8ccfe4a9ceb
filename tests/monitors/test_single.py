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
    assert inner.rate_alpha > 0  # NAB's one threshold over many streams: the rate discount
    assert make_detector("auto").single.get("rest", 0) == 0
    assert make_detector("auto").single.get("rate_alpha", 0.0) == 0.0  # a monitor: none


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


def test_rate_discount_lowers_a_stream_that_often_scores_high():
    plain, rated = _trained(), _trained(rate_alpha=0.01)
    assert rated._s["rate"] < 0.02  # a quiet stream: its scores are kept
    spike = Reading("A", 400.0, {"v": 30.0})
    s, e, raw = rated._parts(spike)
    assert raw >= rated.base and s == pytest.approx(raw * (1 - rated._s["rate"]) ** 3)
    assert plain.score_one(spike) >= rated.score_one(spike) > 0.9
    before = rated._s["rate"]
    rated.learn_one(spike)  # a reading at or above base moves the rate up by alpha of the gap
    assert rated._s["rate"] == pytest.approx(before + 0.01 * (1 - before))
    rated._s["rate"] = 0.3  # a stream that reached base on 30 % of its recent readings
    later = Reading("A", 401.0, {"v": 45.0})
    s, e, raw = rated._parts(later)
    assert s == pytest.approx(raw * 0.7 ** 3)
    assert rated.score_one(later) == pytest.approx((s + rated.tie * e) / (1 + rated.tie))


def test_state_round_trips_with_the_rate():
    d = _trained(rate_alpha=0.01, rest=20)
    for r in [Reading("A", 400.0 + k, {"v": 30.0 + 5 * k}) for k in range(5)]:
        d.learn_one(r)
    state = json.loads(json.dumps(d.state()))
    e = SingleSignal(**state["params"])
    e.load_state(state)
    assert e._s["rate"] == d._s["rate"] > 0
    for r in _wave(60, start=405):
        assert e.score_one(r) == d.score_one(r)
        d.learn_one(r)
        e.learn_one(r)
