"""Benchmark of the monitors: the whole NAB corpus with NAB's protocol, the alert layer
on equipment runs, throughput and a many-stream replay.

Run: ``.venv/bin/python benchmarks/monitors.py [--quick]`` (NAB corpus from
``$FAULTDESK_NAB_DIR`` or ``../shared/data/nab``; ``--quick`` scores only the
realKnownCause series and skips river and the replay). Prints:

1. NAB over all 58 series (365,558 readings): every detector and river's
   HalfSpaceTrees measured in this run, probationary 15 %, one threshold per
   profile chosen over the whole corpus (NAB's optimiser: the threshold is
   tuned on the scored data), normalised null = 0 / perfect = 100, for all
   three profiles; each detector as it scores (raw) and with the
   once-per-event output stage (:func:`monitors.nabcorpus.once_per_event`);
   beside the published scoreboard; throughput in readings/s of CPU time.
2. The alert layer (threshold filter with hysteresis, labels unused) on
   multivariate equipment runs: the 4 sample traces (NOT blind: the
   detectors' defaults were designed on them), the development runs of
   :mod:`benchmarks.fresh_traces` (the filter's gap and quantile were chosen
   on them) and its fresh runs
   (never used to choose anything but see
   docs/notes/monitors.md on the warm-up), point-wise F1, false-alarm rate,
   missed-alarm rate, runs alerted, mean delay; Windowed Gaussian as baseline; and the
   8-sensor test-rig runs of :mod:`benchmarks.rig_traces` (a development seed the alert
   layer's settings were chosen on, and a held-out seed only ever reported).
3. Throughput of the multivariate path and the full monitor.
4. 1,000 streams at 1 reading/s replayed in real time on one core.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fresh_traces import dev_runs, fresh_runs  # noqa: E402
from benchmarks.rig_traces import DEV_SEED as RIG_DEV, HELD_OUT_SEED as RIG_HELD, rig_runs  # noqa: E402
from monitors.alertmetrics import alert_flags, alert_report  # noqa: E402
from monitors.evaluate import load_labelled, load_windows  # noqa: E402
from monitors.factory import DEFAULT_DETECTOR, DETECTORS, make_detector  # noqa: E402
from monitors.monitor import Monitor  # noqa: E402
from monitors.nab import NabSeries  # noqa: E402
from monitors.nabcorpus import load_corpus, once_per_event, run_corpus, score_corpus  # noqa: E402
from monitors.types import Reading  # noqa: E402

STREAMS = ROOT / "knowledge_base" / "samples" / "streams"
PUBLISHED = [  # NAB scoreboard (corpus README): standard / low FP / low FN
    ("ARTime", 74.9, 65.2, 80.4), ("Numenta HTM", 70.1, 63.1, 74.3), ("CAD OSE", 69.9, 67.0, 73.2),
    ("KNN CAD", 58.0, 43.4, 64.8), ("Relative Entropy", 54.6, 47.6, 58.8),
    ("Random Cut Forest", 51.7, 38.4, 59.7), ("Windowed Gaussian", 39.6, 20.9, 47.4),
    ("random", 16.8, 5.8, 25.9), ("null", 0.0, 0.0, 0.0)]


def river_hst(files) -> tuple[list[NabSeries], float]:
    """river's HalfSpaceTrees behind a MinMaxScaler (HST needs inputs in [0, 1])."""
    from river import anomaly, preprocessing

    t0, out = time.process_time(), []
    for f in files:
        model = preprocessing.MinMaxScaler() | anomaly.HalfSpaceTrees(seed=42)
        sc = []
        for v in f.values:
            x = {"value": v}
            sc.append(model.score_one(x))
            model.learn_one(x)
        out.append(NabSeries(f.name, sc, f.windows))
    return out, time.process_time() - t0


def row(label: str, series, cpu: float | None, n: int) -> None:
    res = score_corpus(series)
    std, lfp, lfn = (res[p].score for p in ("standard", "reward_low_FP_rate", "reward_low_FN_rate"))
    rate = f"{n / cpu:>10,.0f}" if cpu else f"{'':>10s}"
    s = res["standard"]
    print(f"   {label:34s} {std:6.1f} {lfp:6.1f} {lfn:6.1f}   {s.detected:3d}/{s.windows} {s.false_positives:5d}  "
          f"{s.threshold:8.4f} {rate}", flush=True)


def nab_table(quick: bool) -> None:
    files = load_corpus(only="realKnownCause" if quick else None)
    n = sum(len(f.values) for f in files)
    print(f"1. NAB, {len(files)} series, {n:,} readings; one threshold per profile over all of them "
          f"(tuned on the scored data, NAB's rule); null 0 / perfect 100")
    print(f"   {'detector':34s} {'std':>6s} {'lowFP':>6s} {'lowFN':>6s}   {'windows':>7s} {'FPs':>5s}  "
          f"{'thr(std)':>8s} {'readings/s':>10s}")
    names = sorted(DETECTORS, key=lambda d: (d != DEFAULT_DETECTOR, d))
    for name in names:
        series, cpu = run_corpus(files, name)
        tag = " (default)" if name == DEFAULT_DETECTOR else ""
        row(f"{name}{tag} raw", series, cpu, n)
        row(f"{name}{tag} + once per event", [NabSeries(s.name, once_per_event(s.scores), s.windows)
                                              for s in series], None, n)
    if not quick:
        series, cpu = river_hst(files)
        row("river HalfSpaceTrees raw", series, cpu, n)
        row("river HalfSpaceTrees + once per event",
            [NabSeries(s.name, once_per_event(s.scores), s.windows) for s in series], None, n)
    print("   published scoreboard (58 series, same protocol):")
    for name, a, b, c in PUBLISHED:
        print(f"   {name:34s} {a:6.1f} {b:6.1f} {c:6.1f}")


def report_line(label: str, rep) -> None:
    delay = f"{rep.mean_delay_s:8.0f}" if rep.mean_delay_s is not None else f"{'-':>8s}"
    print(f"   {label:34s} {rep.f1:5.2f} {100 * rep.false_alarm_rate:6.1f}% {100 * rep.missed_alarm_rate:6.1f}%  "
          f"{rep.faulty_alerted:3d}/{rep.faulty:<3d}   {rep.normal_alerted:3d}/{rep.normal:<3d}  {delay}", flush=True)


def alert_layer() -> None:
    print("\n2. Alert layer (threshold filter, hysteresis, labels unused), point-wise against fault labels")
    print(f"   {'runs / detector':34s} {'F1':>5s} {'FAR':>7s} {'MAR':>7s}  {'faulty alerted':>14s} "
          f"{'normal alerted':>14s} {'delay s':>8s}")
    samples = [load_labelled(f, load_windows(STREAMS / "labels.json")) for f in sorted(STREAMS.glob("*.csv"))]
    runs, dev = fresh_runs(), dev_runs()
    rig_dev, rig_held = rig_runs(RIG_DEV), rig_runs(RIG_HELD)
    for det in (DEFAULT_DETECTOR, "gaussian"):
        tag = " (default)" if det == DEFAULT_DETECTOR else " (baseline)"
        flags = {it.name: alert_flags(it.readings, det) for it in samples}
        report_line(f"samples, {len(samples)} runs: {det}{tag}", alert_report(
            [(flags[it.name], it.windows, [r.timestamp for r in it.readings]) for it in samples]))
        if det == DEFAULT_DETECTOR:
            for it in samples:
                ts, fl = [r.timestamp for r in it.readings], flags[it.name]
                if not it.windows:
                    print(f"      {it.name:22s} fault-free: {'ALERTED' if any(fl) else 'no alert'}"
                          f" ({sum(fl)} of {len(fl)} readings in alert)")
                    continue
                cells = []
                for lo, hi in it.windows:
                    first = next((i for i in range(lo, hi + 1) if fl[i]), None)
                    cells.append("missed" if first is None else
                                 f"{(ts[first] - ts[lo]) / 3600:.1f} of {(ts[hi] - ts[lo]) / 3600:.0f} h")
                print(f"      {it.name:22s} first alert in window: {'; '.join(cells)}")
        for label, rs in (("dev runs (tuned on)", dev), (f"fresh runs ({len(runs)})", runs),
                          ("rig dev runs (tuned on)", rig_dev), (f"rig held-out runs ({len(rig_held)})", rig_held)):
            rep = alert_report([(alert_flags(r.readings, det), [r.fault] if r.fault else [],
                                 [x.timestamp for x in r.readings]) for r in rs])
            report_line(f"{label}: {det}{tag}", rep)
    for label, rs in (("fresh", runs), ("rig held-out", rig_held)):
        per_shape(label, rs)


def per_shape(label: str, runs) -> None:
    flags = {r.name: alert_flags(r.readings, DEFAULT_DETECTOR) for r in runs}
    flagged = [r.name for r in runs if r.fault is None and any(flags[r.name])]
    print(f"   fault-free {label} runs with an alert ({DEFAULT_DETECTOR}): {', '.join(flagged) or 'none'}")
    cells = []
    for shape in sorted({r.shape for r in runs if r.shape}):
        mine = [r for r in runs if r.shape == shape]
        hit = [r for r in mine if any(flags[r.name][r.fault[0]:r.fault[1] + 1])]
        delays = [next(i for i in range(r.fault[0], r.fault[1] + 1) if flags[r.name][i]) - r.fault[0] for r in hit]
        cells.append(f"{shape} {len(hit)}/{len(mine)}" + (f" ({sum(delays) / len(delays):.0f} s)" if delays else ""))
    print(f"   {label} faulty runs alerted per fault shape (mean delay): {'; '.join(cells)}")


def rate(det, rs) -> float:
    t0 = time.process_time()
    for r in rs:
        det.score_one(r)
        det.learn_one(r)
    return len(rs) / (time.process_time() - t0)


def throughput(n: int) -> None:
    print("\n3. Throughput, score_one + learn_one, readings/s of CPU time on one core (best of 2)")
    one = [Reading("M", float(i), {"value": 20.0 + (i % 17) * 0.1}) for i in range(n)]
    for name in ("auto", "ensemble", "zscore", "gaussian"):
        print(f"   {name:12s} 1 signal : {max(rate(make_detector(name), one) for _ in range(2)):9,.0f}")
    for d in (3, 5, 8):
        rs = [Reading("P", float(i), {f"s{k}": 10.0 * k + (i % (7 + k)) * 0.1 * (k + 1) + (i % 13) * 0.01 * k
                                      for k in range(d)}) for i in range(n // 4)]
        print(f"   {'auto':12s} {d} signals: {max(rate(make_detector('auto'), rs) for _ in range(2)):9,.0f}"
              f"   (Mahalanobis)")
    mon = Monitor()
    t0 = time.process_time()
    for r in one:
        mon.process(r)
    print(f"   full monitor path, 1 signal (order check + filter + alert tracker): "
          f"{n / (time.process_time() - t0):,.0f} readings/s")


def many_streams(streams: int, seconds: int) -> None:
    mon = Monitor(filter_params={"warmup": 30})
    lags, start = [], time.monotonic()
    for tick in range(seconds):
        due = start + tick
        while time.monotonic() < due:
            time.sleep(0.001)
        for s in range(streams):
            mon.process(Reading(f"A-{s}", float(tick), {"value": 50.0 + (s % 7) + 0.3 * ((tick * 7 + s) % 5)}))
        lags.append(time.monotonic() - due)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\n4. {streams} streams x 1 reading/s for {seconds} s: each 1-s batch processed in mean "
          f"{1000 * sum(lags) / len(lags):.0f} ms / max {1000 * max(lags):.0f} ms; max RSS {rss / 1024:.0f} MB")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    print(f"benchmarks/monitors.py {' '.join(sys.argv[1:])}  {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC  "
          f"commit {commit}")
    t0 = time.monotonic()
    nab_table(quick)
    alert_layer()
    throughput(100_000)
    if not quick:
        many_streams(1000, 30)
    print(f"\n(benchmark wall time {time.monotonic() - t0:.0f} s)")
