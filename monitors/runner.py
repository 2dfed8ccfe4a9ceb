"""What the CLI commands do, as plain functions (the CLI only prints).

``run_monitor`` wires a source, the monitor, the alert store and MQTT;
``score_csv`` writes scores beside the input rows; ``evaluate`` builds the
``faultdesk eval monitors`` report.
"""

from __future__ import annotations

import csv
import itertools
import logging
from pathlib import Path

from knowledge_base.errors import MonitorError

from .evaluate import alert_runs, as_nab, onset_scores, event_metrics, load_labelled, load_windows, score_readings
from .factory import make_detector
from .monitor import Monitor, MonitorStats
from .nab import PROFILES, nab_score
from .sources import CsvSource, parse_speed
from .store import AlertStore

log = logging.getLogger(__name__)


def state_path(kb: Path, detector: str) -> Path:
    """Where ``monitor run`` keeps its detector state."""
    return Path(kb) / "monitor_state" / f"{detector}.json"


def make_source(spec: str, asset: str | None, speed: str | None, timestamp_col: str,
                value_cols: list[str] | None):
    """``csv:FILE`` or ``mqtt://HOST:PORT/TOPIC`` -> a reading source."""
    if spec.startswith("csv:"):
        return CsvSource(spec[4:], timestamp_col, value_cols, asset=asset, speed=parse_speed(speed))
    if spec.startswith("mqtt://"):
        from .mqtt import MqttSource, parse_url

        host, port, topic = parse_url(spec)
        return MqttSource(host, port, topic)
    raise MonitorError(f"bad source {spec!r}; use csv:FILE or mqtt://HOST:PORT/TOPIC")


def run_monitor(settings, source: str, detector: str, asset: str | None = None,
                speed: str | None = "max", warmup: int = 1000, timestamp_col: str = "timestamp",
                value_cols: list[str] | None = None, publish: bool | None = None,
                until: float | None = None) -> tuple[MonitorStats, Path]:
    """Run until the source ends, a reading is later than ``until`` (POSIX
    seconds; a replay stopped mid-stream, as if live) or Ctrl-C; state is
    saved either way."""
    src = make_source(source, asset, speed, timestamp_col, value_cols)
    sinks, pub = [], None
    if publish or (publish is None and source.startswith("mqtt://")):
        from .mqtt import MqttPublisher, parse_url

        host, port = (parse_url(source)[:2] if source.startswith("mqtt://")
                      else (settings.mqtt_host, settings.mqtt_port))
        pub = MqttPublisher(host, port)
        sinks.append(pub)
    mon = Monitor(detector, filter_params={"warmup": warmup}, store=AlertStore(settings.kb), sinks=sinks)
    path = state_path(settings.kb, detector)
    if mon.load(path):
        log.warning("resumed detector state from %s", path)
    try:
        mon.run(src if until is None else itertools.takewhile(lambda r: r.timestamp <= until, src))
    except KeyboardInterrupt:
        log.warning("interrupted; saving state")
    finally:
        mon.save(path)
        if pub is not None:
            pub.close()
    return mon.stats, path


def score_csv(input_csv, out, detector: str, timestamp_col: str = "timestamp",
              value_cols: list[str] | None = None) -> tuple[int, int]:
    """Copy INPUT's rows to OUT with an ``anomaly_score`` column; returns (rows, skipped)."""
    src = CsvSource(input_csv, timestamp_col, value_cols, asset="stream")
    det = make_detector(detector)
    n = 0
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = None
        for row, reading in src.rows():
            if writer is None:
                writer = csv.DictWriter(fh, [*row.keys(), "anomaly_score"])
                writer.writeheader()
            score = ""
            if reading is not None:
                score = f"{det.score_one(reading):.6f}"
                det.learn_one(reading)
            writer.writerow({**row, "anomaly_score": score})
            n += 1
    return n, src.skipped


def evaluate(labels_path, data, detector: str, threshold: float | None = None, warmup: int = 1000,
             timestamp_col: str = "timestamp", value_cols: list[str] | None = None) -> dict:
    """NAB score per profile plus alert-level metrics, with printable ``lines``."""
    labels = load_windows(labels_path)
    items = [load_labelled(p, labels, timestamp_col, value_cols) for p in data]
    series = [as_nab(it, it.scores if it.scores is not None else score_readings(it.readings, detector))
              for it in items]
    how = f"fixed threshold {threshold}" if threshold is not None else "threshold tuned on this data (NAB's optimiser)"
    lines = [f"NAB scores ({how}); detector: {detector if any(i.scores is None for i in items) else 'scores from file'}"]
    nab = {}
    for profile in PROFILES:
        res = nab_score(series, profile, threshold)
        nab[profile] = res
        lines.append(f"  {profile:20s} {res.score:7.2f}  threshold {res.threshold:.4f}  "
                     f"windows {res.detected}/{res.windows}  FP points {res.false_positives}")
    events = {}
    if all(i.scores is None for i in items):
        lines.append(f"Alerts (threshold filter, calibrated on the first {warmup} readings, labels unused):")
        for it in items:
            runs = alert_runs(it.readings, detector, warmup=warmup)
            m = event_metrics(runs, it.windows, [r.timestamp for r in it.readings])
            events[it.name] = m
            fixed = nab_score([as_nab(it, onset_scores(runs, len(it.readings)))], "standard", 0.5).score
            delay = f"{m.mean_delay_s / 3600:.1f} h" if m.mean_delay_s is not None else "-"
            lines.append(f"  {it.name}: alerts {m.alerts}, precision {m.precision:.2f}, recall {m.recall:.2f}, "
                         f"F1 {m.f1:.2f}, mean delay from window start {delay}, NAB standard {fixed:.1f}")
    return {"nab": nab, "events": events, "lines": lines}
