"""Threshold filter (calibration, hysteresis, min duration, protection) and alert grouping."""

from __future__ import annotations

import pytest

from monitors.alerts import AlertTracker
from monitors.base import BaseDetector
from monitors.monitor import Monitor
from monitors.store import AlertStore
from monitors.threshold import ThresholdFilter
from monitors.types import ALARM, Reading

pytestmark = pytest.mark.unit


class Echo(BaseDetector):
    """A fake detector whose score is the reading's 's' value; counts learns."""

    name = "echo"

    def __init__(self) -> None:
        super().__init__()
        self._s = {"learned": 0}

    def score_one(self, reading):
        return reading.values["s"]

    def learn_one(self, reading):
        self._s["learned"] += 1


def feed(filt, values, t0=0):
    return [filt.process_one(Reading("A", float(t0 + i), {"s": v})).flagged for i, v in enumerate(values)]


def calibrated(**kw):
    # warm-up scores 0.0..0.1 in histogram bins of width 0.02 in -ln(1 - s):
    # q(0.995) = 0.1 -> bin edge 1 - e^-0.12 = 0.11308; median 0.05 -> edge 1 - e^-0.06 = 0.05824;
    # on = 0.11308 + 0.2 * (1 - 0.11308) = 0.29046, off = on - 0.5 * (on - 0.05824) = 0.17435,
    # alarm = on + 0.5 * (1 - on) = 0.64523
    f = ThresholdFilter(Echo(), warmup=101, settle=0, **{"quantile": 0.995, "gap": 0.2, **kw})
    feed(f, [i / 1000 for i in range(101)])
    return f


def test_calibration_from_warmup():
    f = calibrated()
    assert f.on == pytest.approx(0.29046, abs=1e-5)
    assert f._s["off"] == pytest.approx(0.17435, abs=1e-5)
    assert f._s["alarm"] == pytest.approx(0.64523, abs=1e-5)


def test_min_duration_ignores_short_bursts():
    f = calibrated(min_on=3, min_off=2)
    assert feed(f, [0.5, 0.5, 0.0, 0.5, 0.0], 200) == [False] * 5
    assert feed(f, [0.5, 0.5, 0.5], 300) == [False, False, True]


def test_hysteresis_keeps_alert_until_below_off_threshold():
    f = calibrated(min_on=1, min_off=2)
    # 0.25 is below on (0.29) but above off (0.17): stays in alert; two readings below off close it
    assert feed(f, [0.5, 0.25, 0.25, 0.1, 0.25, 0.1, 0.1, 0.25], 200) == \
        [True, True, True, True, True, True, False, False]


def test_flagged_readings_are_not_learned_unless_protection_off():
    f = calibrated(min_on=1, min_off=1)
    before = f.detector._s["learned"]
    feed(f, [0.9, 0.9, 0.0], 200)
    assert f.detector._s["learned"] == before + 1
    g = calibrated(min_on=1, min_off=1, protect=False)
    before = g.detector._s["learned"]
    feed(g, [0.9, 0.9, 0.0], 200)
    assert g.detector._s["learned"] == before + 3


def test_severity_alarm_above_alarm_level():
    f = calibrated(min_on=1)
    r1 = f.process_one(Reading("A", 500.0, {"s": 0.5}))
    r2 = f.process_one(Reading("A", 501.0, {"s": 0.9}))
    assert (r1.severity, r2.severity) == ("warning", ALARM)


def test_burst_is_one_alert_updated_then_closed(tmp_path):
    store = AlertStore(tmp_path)
    published = []
    mon = Monitor(filter_params={"warmup": 300, "min_on": 2, "min_off": 3}, store=store,
                  sinks=[published.append])
    values = [20.0 + 0.1 * (i % 7) for i in range(600)] + [35.0] * 40 + [20.3] * 200
    for i, v in enumerate(values):
        mon.process(Reading("P-3", float(i * 60), {"temp": v}))
    ids = {a.id for a in published}
    assert len(ids) == 1, ids
    final = store.get(ids.pop())
    assert final.closed is not None and final.started < final.updated
    assert final.top_signals == ("temp",) and final.window
    assert store.active() == [] and len(store.history(asset="P-3")) == 1
    assert published[0].closed is None and published[-1].closed is not None


def test_tracker_escalates_severity():
    from monitors.types import Score

    t = AlertTracker("A", "echo", update_every=1000)
    mk = lambda ts, v, sev: Score(Reading("A", ts, {"s": v}), v, "echo", (("s", 1.0),), True, sev)
    opened = t.update(mk(1, 0.5, "warning"))
    assert t.update(mk(2, 0.55, "warning")) is None  # ordinary update, not emitted
    escalated = t.update(mk(3, 0.9, ALARM))
    assert opened.id == escalated.id and escalated.severity == ALARM and escalated.score == 0.9


def test_alert_keeps_lead_thinned_trail_scores_and_threshold(tmp_path):
    """A long burst keeps the readings before it (lead), an evenly thinned
    record of itself (trail, bounded) and the latest readings (window), with
    the score of each and the threshold; all survive the JSON round trip."""
    store = AlertStore(tmp_path)
    # zscore: this test is about the alert record; the ensemble (auto's single-signal
    # detector) rightly raises a second alert when the adopted fault level drops back.
    mon = Monitor("zscore", filter_params={"warmup": 300, "min_on": 2, "min_off": 3}, store=store)
    values = [20.0 + 0.1 * (i % 7) for i in range(600)] + [35.0 + 0.01 * i for i in range(1000)] + [20.3] * 50
    for i, v in enumerate(values):
        mon.process(Reading("P-3", float(i * 60), {"temp": v}))
    (a,) = store.history()
    assert len(a.lead) == 120 and all(t < a.started for t, _ in a.lead)
    assert 60 <= len(a.trail) <= 120 and a.trail[0][0] >= a.started and a.trail[-1][0] > a.started + 40_000
    times = [t for t, _ in a.scores]
    assert times == sorted(times) and len(times) == len(set(times))
    assert len(a.scores) == len(a.lead) + len(a.trail) + len(a.window)
    assert a.threshold is not None and 0 < a.threshold < 1
    assert max(s for t, s in a.scores if t >= a.started) >= a.threshold > max(s for t, s in a.scores[:100])
    assert a.deviations()["temp"] > 10  # rose far above the lead


def test_alert_open_at_shutdown_continues_after_restart(tmp_path):
    """Saved and restored mid-burst, the monitor updates and closes the same
    alert instead of opening a second one (which would leave the first open)."""
    values = [20.0 + 0.1 * (i % 7) for i in range(600)] + [35.0] * 40 + [20.3] * 200

    def run(mon, part):
        for i, v in part:
            mon.process(Reading("P-3", float(i * 60), {"temp": v}))

    whole = Monitor(filter_params={"warmup": 300, "min_on": 2, "min_off": 3}, store=AlertStore(tmp_path / "a"))
    run(whole, enumerate(values))
    first = Monitor(filter_params={"warmup": 300, "min_on": 2, "min_off": 3}, store=AlertStore(tmp_path / "b"))
    run(first, list(enumerate(values))[:620])  # stopped 20 readings into the burst
    assert len(first.store.active()) == 1
    first.save(tmp_path / "state.json")
    second = Monitor(filter_params={"warmup": 300, "min_on": 2, "min_off": 3}, store=first.store)
    assert second.load(tmp_path / "state.json")
    run(second, list(enumerate(values))[620:])
    (a,) = first.store.history()
    (b,) = whole.store.history()
    assert a.closed is not None and a.to_dict() == b.to_dict()


def test_alert_direction_is_judged_against_the_detectors_learned_baseline(tmp_path):
    """A slow rise that was already under way before the alert opened still
    reads as "rose": the alert keeps the detector's baseline (mean, sd) and
    deviations() compares with it, not with the lead-in (part of the rise)."""
    store = AlertStore(tmp_path)
    mon = Monitor(filter_params={"warmup": 300}, store=store)
    values = [50.0 + (i % 5) * 0.2 for i in range(2000)] + [50.4 + 0.02 * i for i in range(600)]
    for i, v in enumerate(values):
        mon.process(Reading("P-3", float(i * 60), {"temp": v}))
    first = store.history()[-1]
    mean, sd = first.baseline["temp"]
    assert 50.0 < mean < 51.0 and 0.0 < sd < 1.0
    assert first.deviations()["temp"] > 3
    again = first.from_dict(first.to_dict())
    assert again.baseline == first.baseline and again.deviations() == first.deviations()
