"""NAB scoring against hand-computed cases (probation off unless stated)."""

from __future__ import annotations

import math

import pytest

from monitors.nab import NabSeries, nab_score, probation_length, scaled_sigmoid

pytestmark = pytest.mark.unit


def sig(x):
    return 1 / (1 + math.exp(-x))


MAX_TP = 2 * sig(5) - 1  # 0.986614


def test_scaled_sigmoid_points():
    assert scaled_sigmoid(-1.0) == pytest.approx(0.98661, abs=1e-5)
    assert scaled_sigmoid(-0.5) == pytest.approx(0.84828, abs=1e-5)
    assert scaled_sigmoid(0.0) == 0.0
    assert scaled_sigmoid(3.0) == -1.0


def test_detection_at_window_start_is_perfect():
    # 10 points, window = indices 4..6 (width 3). A detection at 4 has relative
    # position -(6-4+1)/3 = -1 -> reward sigmoid(-1)/MAX_TP * A_TP = 1.0.
    # raw = 1.0, null = -A_FN = -1, perfect = 1 -> 100 * (1 - -1) / (1 - -1) = 100.
    s = NabSeries("t", [0, 0, 0, 0, 1, 0, 0, 0, 0, 0], [(4, 6)])
    r = nab_score([s], threshold=0.5, probation=0.0)
    assert r.raw == pytest.approx(1.0) and r.score == pytest.approx(100.0)


def test_late_detection_and_false_positives_by_hand():
    # window 4..6, detections at 6 (late), 8 (after window) and 1 (before any window).
    # at 6: pos = -(6-6+1)/3 = -1/3 -> 2*sig(5/3)-1 = 2*0.841131-1 = 0.682262; / MAX_TP = 0.691519
    # at 8: pos = |6-8|/(3-1) = 1.0 -> 2*sig(-5)-1 = -0.986614; * 0.11 = -0.108528
    # at 1: before any window -> -1 * 0.11 = -0.11
    # raw = 0.691519 - 0.108528 - 0.11 = 0.472991; score = 100*(0.472991+1)/2 = 73.650
    scores = [0.0] * 10
    for i in (1, 6, 8):
        scores[i] = 1.0
    r = nab_score([NabSeries("t", scores, [(4, 6)])], threshold=0.5, probation=0.0)
    expected_raw = (2 * sig(5 / 3) - 1) / MAX_TP + 0.11 * (2 * sig(-5) - 1) - 0.11
    assert r.raw == pytest.approx(expected_raw)
    assert r.raw == pytest.approx(0.472991, abs=2e-6)
    assert r.score == pytest.approx(73.650, abs=1e-3)
    assert (r.detected, r.false_positives) == (1, 2)


def test_only_earliest_detection_in_window_counts_and_missed_window_costs_fn():
    # two windows 2..3 and 7..8 in 10 points; detections at 2 and 3 (both in window 1),
    # none in window 2. Window 1 earns 1.0 (its start); 3 adds nothing; window 2 costs -1.
    # raw = 0.0, null = -2, perfect = 2 -> score 50.
    scores = [0.0] * 10
    scores[2] = scores[3] = 1.0
    r = nab_score([NabSeries("t", scores, [(2, 3), (7, 8)])], threshold=0.5, probation=0.0)
    assert r.raw == pytest.approx(0.0) and r.score == pytest.approx(50.0)


def test_profiles_change_weights():
    # one FP before any window plus a start-of-window detection:
    # standard raw = 1 - 0.11; low-FP raw = 1 - 0.22; low-FN: null = -2, raw = 1 - 0.11
    scores = [1.0, 0, 0, 0, 1.0, 0, 0, 0, 0, 0]
    s = [NabSeries("t", scores, [(4, 6)])]
    std = nab_score(s, "standard", 0.5, probation=0.0)
    lfp = nab_score(s, "reward_low_FP_rate", 0.5, probation=0.0)
    lfn = nab_score(s, "reward_low_FN_rate", 0.5, probation=0.0)
    assert std.score == pytest.approx(100 * (0.89 + 1) / 2)
    assert lfp.score == pytest.approx(100 * (0.78 + 1) / 2)
    assert lfn.score == pytest.approx(100 * (0.89 + 2) / 3)


def test_threshold_is_tuned_on_the_data():
    # scores: 0.9 in the window start, 0.8 outside. Threshold 0.9 gives 100;
    # threshold 0.8 adds an FP (-0.11). The sweep must pick 0.9.
    scores = [0.8, 0, 0, 0, 0.9, 0, 0, 0, 0, 0]
    r = nab_score([NabSeries("t", scores, [(4, 6)])], probation=0.0)
    assert r.tuned and r.threshold == 0.9 and r.score == pytest.approx(100.0)


def test_probation_ignores_early_detections():
    # 100 points: probation = floor(0.15*100) = 15; the FP at 3 is ignored.
    assert probation_length(100) == 15 and probation_length(100000) == 750
    scores = [0.0] * 100
    scores[3] = scores[50] = 1.0
    r = nab_score([NabSeries("t", scores, [(50, 60)])], threshold=0.5)
    assert r.score == pytest.approx(100.0) and r.false_positives == 0
