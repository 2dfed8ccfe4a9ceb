"""Benchmark of the monitors: NAB scores, throughput and a 1,000-stream replay.

Run: ``.venv/bin/python benchmarks/monitors.py [--quick]``. Prints:

1. NAB standard-profile score of each detector on the real NAB
   machine-temperature trace and on the synthetic traces, beside NAB's
   windowed-Gaussian baseline computed in the same run. As in NAB, the
   threshold is tuned per profile on the scored data itself; the untuned
   figure is the threshold filter's alerts (calibrated on the warm-up only,
   labels never seen) scored at a fixed threshold.
2. Sensitivity of the default detector to its parameters (a 3x3 grid around
   the defaults, which were themselves chosen on these traces).
3. Readings/s on one core for the default detector (score + learn).
4. 1,000 streams at 1 reading/s each, replayed in real time for a while on one
   core: lag and RSS.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitors.evaluate import (alert_runs, as_nab, event_metrics, load_labelled,  # noqa: E402
                               load_windows, onset_scores, score_readings)
from monitors.factory import DEFAULT_DETECTOR, DETECTORS, make_detector  # noqa: E402
from monitors.monitor import Monitor  # noqa: E402
from monitors.nab import nab_score  # noqa: E402
from monitors.types import Reading  # noqa: E402

STREAMS = ROOT / "knowledge_base" / "samples" / "streams"
TRACES = {
    "machine-temperature (NAB, real)": (STREAMS / "nab" / "label_windows.json",
                                        [STREAMS / "nab" / "machine_temperature_system_failure.csv"], 750),
    "synthetic (4 assets, 6 faults)": (STREAMS / "labels.json", sorted(STREAMS.glob("*.csv")), 1000),
}


def nab_table() -> None:
    print("1. NAB standard profile (0 = null detector, 100 = perfect)")
    print(f"   {'trace':34s} {'detector':12s} {'tuned thr':>9s} {'(thr)':>7s} {'untuned alerts':>14s} "
          f"{'P':>5s} {'R':>5s} {'F1':>5s}")
    for trace, (labels, files, warmup) in TRACES.items():
        items = [load_labelled(f, load_windows(labels)) for f in files]
        for name in sorted(DETECTORS, key=lambda n: (n != "gaussian", n)):
            series = [as_nab(it, score_readings(it.readings, name)) for it in items]
            tuned = nab_score(series)
            runs = [alert_runs(it.readings, name, warmup=warmup) for it in items]
            fixed = nab_score([as_nab(it, onset_scores(r, len(it.readings))) for it, r in zip(items, runs)],
                              threshold=0.5)
            ev = [event_metrics(r, it.windows, [x.timestamp for x in it.readings]) for it, r in zip(items, runs)]
            alerts, true_alerts = sum(e.alerts for e in ev), sum(e.true_alerts for e in ev)
            wins, det = sum(e.windows for e in ev), sum(e.detected for e in ev)
            p, r = (true_alerts / alerts if alerts else 0.0), det / wins
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            label = name + (" (baseline)" if name == "gaussian" else " (default)" if name == DEFAULT_DETECTOR else "")
            print(f"   {trace:34s} {label:22s} {tuned.score:7.1f} ({tuned.threshold:.3f}) {fixed.score:9.1f}"
                  f"       {p:5.2f} {r:5.2f} {f1:5.2f}")
    print("   tuned: threshold swept on the scored data itself (NAB's optimiser);"
          " untuned: alerts of the threshold filter calibrated on the warm-up only.")


def sensitivity() -> None:
    print("\n2. Default detector: NAB standard (tuned threshold) on a grid around its defaults")
    for trace, (labels, files, _) in TRACES.items():
        items = [load_labelled(f, load_windows(labels)) for f in files]
        got = []
        for alpha in (0.0005, 0.001, 0.002):
            for fast in (0.03, 0.05, 0.08):
                series = [as_nab(it, score_readings(it.readings, DEFAULT_DETECTOR, alpha=alpha, fast=fast))
                          for it in items]
                got.append(nab_score(series).score)
        print(f"   {trace:34s} min {min(got):5.1f}  median {statistics.median(got):5.1f}  max {max(got):5.1f}")


def throughput(n: int) -> None:
    det = make_detector(DEFAULT_DETECTOR)
    readings = [Reading("M", float(i), {"value": 20.0 + (i % 17) * 0.1}) for i in range(n)]
    t0 = time.process_time()
    for r in readings:
        det.score_one(r)
        det.learn_one(r)
    dt = time.process_time() - t0
    print(f"\n3. Throughput, {DEFAULT_DETECTOR} score+learn, 1 signal: {n / dt:,.0f} readings/s (CPU time, one core)")
    mon = Monitor(filter_params={"warmup": 1000})
    t0 = time.process_time()
    for r in readings:
        mon.process(r)
    dt = time.process_time() - t0
    print(f"   full monitor path (order check + filter + alert tracker): {n / dt:,.0f} readings/s")


def many_streams(streams: int, seconds: int) -> None:
    mon = Monitor(filter_params={"warmup": 30})
    lags, start = [], time.monotonic()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for tick in range(seconds):
        due = start + tick
        while time.monotonic() < due:
            time.sleep(0.001)
        for s in range(streams):
            mon.process(Reading(f"A-{s}", float(tick), {"value": 50.0 + (s % 7) + 0.3 * ((tick * 7 + s) % 5)}))
        lags.append(time.monotonic() - due)
        if tick == seconds // 2:
            rss_mid = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    busy = sum(lags) / len(lags)
    print(f"\n4. {streams} streams x 1 reading/s for {seconds} s: {streams * seconds:,} readings, "
          f"each 1-s batch processed in mean {busy * 1000:.0f} ms / max {max(lags) * 1000:.0f} ms "
          f"(sustained: {'yes' if max(lags) < 1 else 'no'})")
    print(f"   max RSS {rss0 / 1024:.0f} MB before, {rss_mid / 1024:.0f} MB at half time, {rss / 1024:.0f} MB at end")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    nab_table()
    if not quick:
        sensitivity()
    throughput(200_000)
    many_streams(1000, 20 if quick else 120)
