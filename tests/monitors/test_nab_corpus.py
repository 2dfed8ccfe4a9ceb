"""NAB protocol over the whole corpus, and alert-level event matching.

The corpus is read from ``$FAULTDESK_NAB_DIR`` or ``../shared/data/nab``
(CI has ``shared/`` beside the clone); a missing corpus fails, not skips.
"""

from __future__ import annotations

import math

import pytest

from monitors.evaluate import event_metrics
from monitors.nab import NabSeries, nab_score
from monitors.nabcorpus import load_corpus, null_series, perfect_series, score_corpus

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_corpus_is_whole(corpus):
    assert len(corpus) == 58
    assert sum(len(f.values) for f in corpus) == 365_558
    assert sum(len(f.windows) for f in corpus) == 116
    assert all(lo <= hi for f in corpus for lo, hi in f.windows)


def test_never_alerting_scores_0_and_label_perfect_scores_100(corpus):
    for res in score_corpus(null_series(corpus)).values():
        assert res.score == pytest.approx(0.0) and res.detected == 0
    for res in score_corpus(perfect_series(corpus)).values():
        assert res.score == pytest.approx(100.0) and res.detected == 116 and res.false_positives == 0


def test_one_threshold_serves_all_files_by_hand():
    # File a: window 4..6, a detection-worthy 0.9 at its start, a 0.6 FP at 0.
    # File b: window 4..6, its anomaly scores only 0.5 at index 4, a 0.7 FP at 1.
    # Per-file thresholds would catch both windows without FPs; one threshold cannot.
    # thr 0.9: a detected (1.0), b missed (-1)          raw = 0.0
    # thr 0.7: + b's FP at 1 (-0.11)                     raw = -0.11
    # thr 0.6: + a's FP at 0 (-0.11)                     raw = -0.22
    # thr 0.5: + b detected at its start (+2)            raw = 1.78  <- best
    # null = -2, perfect = 2 -> 100 * (1.78 + 2) / 4 = 94.5
    a = NabSeries("a", [0.6, 0, 0, 0, 0.9, 0, 0, 0, 0, 0], [(4, 6)])
    b = NabSeries("b", [0, 0.7, 0, 0, 0.5, 0, 0, 0, 0, 0], [(4, 6)])
    r = nab_score([a, b], probation=0.0)
    assert r.threshold == 0.5 and r.raw == pytest.approx(1.78) and r.score == pytest.approx(94.5)
    assert r.per_file["a"] == pytest.approx(100 * (0.89 + 1) / 2)


def test_fp_right_after_a_window_costs_less_than_far_after():
    # window 2..4 (width 3); FP at 5: pos = 1/2 -> 0.11 * (2*sig(-2.5)-1) = -0.09046
    sig = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    near = nab_score([NabSeries("t", [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], [(2, 4)])], threshold=0.5,
                     probation=0.0)
    assert near.raw == pytest.approx(-1 + 0.11 * (2 * sig(-2.5) - 1))
    far = nab_score([NabSeries("t", [0] * 13 + [1], [(2, 4)])], threshold=0.5, probation=0.0)
    assert far.raw == pytest.approx(-1 - 0.11)  # pos = 9/2 >= 3: a full FP


def test_window_inside_probation_is_not_scored():
    # 100 points, probation 15: window 2..5 has no scored point, window 50..60 does.
    s = [0.0] * 100
    s[50] = 1.0
    r = nab_score([NabSeries("t", s, [(2, 5), (50, 60)])], threshold=0.5)
    assert r.windows == 1 and r.score == pytest.approx(100.0)


def test_flapping_alert_counts_once_per_window():
    # window 10..20; three alert runs start inside it: one true, two false.
    m = event_metrics([(11, 12), (14, 15), (17, 18)], [(10, 20)], [60.0 * i for i in range(30)])
    assert (m.alerts, m.true_alerts, m.detected) == (3, 1, 1)
    assert m.precision == pytest.approx(1 / 3) and m.mean_delay_s == pytest.approx(60.0)


def test_alert_open_when_window_starts_detects_it_with_zero_delay():
    m = event_metrics([(5, 12)], [(10, 20)], [float(i) for i in range(30)])
    assert (m.true_alerts, m.detected, m.precision, m.recall, m.mean_delay_s) == (1, 1, 1.0, 1.0, 0.0)


def test_alert_outside_every_window_is_false_and_window_missed():
    m = event_metrics([(0, 3), (25, 26)], [(10, 20)], [float(i) for i in range(30)])
    assert (m.true_alerts, m.detected, m.f1, m.mean_delay_s) == (0, 0, 0.0, None)
