"""Slow drifts raise untuned alerts; the Sherman--Morrison fast path matches a direct solve."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from monitors import ewcov
from monitors.evaluate import alert_runs
from monitors.mahalanobis import Mahalanobis
from monitors.threshold import ThresholdFilter
from monitors.types import Reading

pytestmark = pytest.mark.unit

DRIFT = (5000, 6500)  # readings over which the wear ramps up; it then stays


def wear_trace(n=7000, drift=True, seed=11):
    """A pump at 2-minute readings: flow, current and vibration follow a daily
    load cycle with random load steps; with ``drift`` the vibration rises
    linearly by 0.8 (about 8 noise sigmas) over ``DRIFT`` -- slower than the
    load cycle, inside the vibration's own daily range for the first part."""
    rng = random.Random(seed)
    out, step = [], 0.0
    for i in range(n):
        if i % 90 == 0:
            step = rng.uniform(-0.1, 0.1)
        load = 0.55 + 0.25 * math.sin(2 * math.pi * i / 720) + step + rng.gauss(0, 0.02)
        wear = min(1.0, max(0.0, (i - DRIFT[0]) / (DRIFT[1] - DRIFT[0]))) if drift else 0.0
        out.append(Reading("P", i * 120.0, {
            "flow": 10 + 20 * load + rng.gauss(0, 0.3),
            "amps": 30 + 25 * load + rng.gauss(0, 0.4),
            "rms": 1.5 + 0.6 * load + 0.8 * wear + rng.gauss(0, 0.1)}))
    return out


def test_slow_drift_opens_an_untuned_alert_during_the_drift_not_before():
    runs = alert_runs(wear_trace(), "auto", warmup=1000)
    assert runs, "no alert on a slow drift"
    first = runs[0][0]
    assert DRIFT[0] < first <= DRIFT[1], runs


def test_no_fault_trace_opens_no_alert():
    assert alert_runs(wear_trace(drift=False), "auto", warmup=1000) == []


def test_drift_below_threshold_does_not_lift_the_threshold():
    # The old running quantile learned the drift's rising sub-threshold
    # scores and moved the threshold ahead of it. With block maxima the
    # threshold just before the alert is the one the same trace without
    # the drift has at that time (same noise, same seed).
    first = alert_runs(wear_trace(), "auto", warmup=1000)[0][0]
    on = []
    for drift in (True, False):
        f = ThresholdFilter(Mahalanobis(), warmup=1000)
        for r in wear_trace(drift=drift)[:first]:
            f.process_one(r)
        on.append(f.on)
    assert on[0] == pytest.approx(on[1], abs=0.005)


def direct(rs, names, alpha, fast, every, warmup):
    """Squared distances by the textbook recursion and a numpy solve per reading."""
    x0 = np.array([rs[0].values[n] for n in names])
    mean, level, cov, n, out = x0.copy(), x0.copy(), np.zeros((len(names),) * 2), 0, []
    for i, r in enumerate(rs):
        x = np.array([r.values[k] for k in names])
        lv = level + fast * (x - level)
        out.append(float((lv - mean) @ np.linalg.solve(cov, lv - mean)) if n >= warmup else None)
        if (i + 1) % every == 0:  # the reference learns every `every`-th reading
            a = max(alpha * every, 1.0 / (n + 1))
            d = x - mean
            mean, cov, n = mean + a * d, (1 - a) * (cov + a * np.outer(d, d)), n + 1
        level = lv
    return out


@pytest.mark.parametrize("model", ["short", "ref"])
def test_sherman_morrison_fast_path_matches_direct_solve(model):
    rng = random.Random(3)
    mix = [[rng.gauss(0, 1) for _ in range(5)] for _ in range(5)]
    rs = []
    for i in range(4000):
        z = [rng.gauss(0, 1) for _ in range(5)]
        rs.append(Reading("R", float(i), {f"s{k}": 10 * k + sum(m * v for m, v in zip(mix[k], z))
                                          for k in range(5)}))
    # no ridge and no robust down-weighting, so the textbook recursion is the reference
    det = Mahalanobis(ridge=0.0, clip=1e9, ref_clip=1e9, fast=0.3, ref_fast=1.0, warmup=50,
                      ref_warmup=50, refresh=256)
    names = sorted(rs[0].values)
    got = []
    for r in rs:
        _, _, short, ref = det._distances(r)
        dist = short if model == "short" else ref
        got.append(dist[0] if dist else None)
        det.learn_one(r)
    every, fast = (1, 0.3) if model == "short" else (4, 1.0)
    alpha = det.alpha if model == "short" else det.ref_alpha
    want = direct(rs, names, alpha, fast, every, 50)
    pairs = [(g, w) for g, w in zip(got, want) if w is not None]
    assert len(pairs) > 3000 and all(g is not None for g, _ in pairs)
    assert max(abs(g - w) / max(1.0, w) for g, w in pairs) < 1e-6
    cov = np.array(ewcov.covariance(det._s[model]))
    assert ewcov.covariance(det._s[model]) is not det._s[model]["cov"] and cov.shape == (5, 5)
