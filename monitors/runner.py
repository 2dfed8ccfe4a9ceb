"""What the CLI commands do, as plain functions (the CLI only prints).

``run_monitor`` wires a source, the monitor, the alert store and MQTT;
``score_csv`` writes scores beside the input rows; ``evaluate`` builds the
``faultdesk eval monitors`` report.
"""

from __future__ import annotations

import csv
import itertools
import json
import logging
import zlib
from dataclasses import replace
from pathlib import Path

from knowledge_base.errors import ConfigError, MonitorError

from .changes import WithChanges, load_changes
from .evaluate import alert_runs, as_nab, onset_scores, event_metrics, load_labelled, load_windows, score_readings
from .alertmetrics import alert_report
from .factory import make_detector
from .monitor import Monitor, MonitorStats
from .mqtt import MqttPublisher, MqttSource, parse_url
from .nab import PROFILES, nab_score
from .threshold import WARMUP
from .partition import Partition
from .sources import CsvSource, parse_speed
from .store import AlertStore

log = logging.getLogger(__name__)


SESSION_EXPIRY = 3600  # seconds the broker keeps a stopped monitor's subscription and queued readings


def state_path(kb: Path, detector: str, partition: Partition | None = None) -> Path:
    """Where ``monitor run`` keeps its detector state (one file per partition)."""
    name = detector if partition is None else f"{detector}.part{partition.number}of{partition.count}"
    return Path(kb) / "monitor_state" / f"{name}.json"


def session_id(state: Path) -> str:
    """MQTT client id of the monitor that owns this state file: the persistent
    session follows the detector state (one process per state file).

    >>> session_id(Path("/kb/monitor_state/auto.json"))
    'faultdesk-monitor-3a170697'
    """
    return f"faultdesk-monitor-{zlib.crc32(str(Path(state).resolve()).encode()):08x}"


def make_source(spec: str, asset: str | None, speed: str | None, timestamp_col: str,
                value_cols: list[str] | None, partition: Partition | None = None, client_id: str = ""):
    """``csv:FILE`` or ``mqtt://HOST:PORT/TOPIC`` -> a reading source."""
    if spec.startswith("csv:"):
        if partition is not None:
            raise ConfigError(f"partition {partition} needs an mqtt:// source, not {spec!r}")
        return CsvSource(spec[4:], timestamp_col, value_cols, asset=asset, speed=parse_speed(speed))
    if spec.startswith("mqtt://"):
        host, port, topic = parse_url(spec)
        return MqttSource(host, port, topic, client_id=client_id, session_expiry=SESSION_EXPIRY,
                          partition=partition)
    raise MonitorError(f"bad source {spec!r}; use csv:FILE or mqtt://HOST:PORT/TOPIC")


class StatsFile:
    """The ``--stats-json`` file: a run's counts (readings and skipped, alerts,
    readings per asset) as JSON, replaced atomically when they changed."""

    def __init__(self, path: str | Path, partition: Partition | None) -> None:
        self.path, self.partition, self._last = Path(path), partition, None

    def write(self, stats: MonitorStats, unparsed: int = 0) -> None:
        """``unparsed``: the source's skipped messages not yet in ``stats``."""
        data = {"partition": None if self.partition is None else str(self.partition),
                "readings": stats.readings, "skipped": stats.skipped + unparsed,
                "alerts": stats.alerts, "assets": dict(stats.assets)}
        if data == self._last:
            return
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(self.path)
        self._last = data


def run_monitor(settings, source: str, detector: str, asset: str | None = None,
                speed: str | None = "max", warmup: int = WARMUP, timestamp_col: str = "timestamp",
                value_cols: list[str] | None = None, publish: bool | None = None,
                until: float | None = None, partition: str | None = None,
                stats_json: str | Path | None = None,
                changes: str | Path | None = None) -> tuple[MonitorStats, Path]:
    """Run until the source ends, a reading is later than ``until`` (POSIX
    seconds; a replay stopped mid-stream, as if live) or Ctrl-C; state is
    saved either way.

    ``partition`` (``"K/N"``, MQTT only): score only the assets of that
    partition (:mod:`monitors.partition`), with its own state file and MQTT
    session. ``stats_json``: a :class:`StatsFile`, rewritten whenever the
    MQTT input has caught up (no reading waiting) and at the end.
    ``changes``: an operations log of declared changes (:mod:`monitors.changes`).
    """
    part = Partition.parse(partition) if partition else None
    path = state_path(settings.kb, detector, part)
    src = make_source(source, asset, speed, timestamp_col, value_cols, part, session_id(path))
    mon = Monitor(detector, filter_params={"warmup": warmup}, store=AlertStore(settings.kb))
    stats = StatsFile(stats_json, part) if stats_json else None
    if stats is not None and isinstance(src, MqttSource):
        src.on_idle = lambda: stats.write(mon.stats, src.skipped)
    pub = None
    if publish or (publish is None and source.startswith("mqtt://")):
        host, port = (parse_url(source)[:2] if source.startswith("mqtt://")
                      else (settings.mqtt_host, settings.mqtt_port))
        pub = MqttPublisher(host, port)
        mon.sinks.append(pub)
    if mon.load(path):
        log.warning("resumed detector state from %s", path)
    feed = WithChanges(src, load_changes(changes)) if changes else src
    try:
        mon.run(feed if until is None else itertools.takewhile(lambda r: r.timestamp <= until, feed))
    except KeyboardInterrupt:
        log.warning("interrupted; saving state")
    finally:
        mon.save(path)
        if stats is not None:
            stats.write(mon.stats)
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


def evaluate(labels_path, data, detector: str, threshold: float | None = None, warmup: int = WARMUP,
             timestamp_col: str = "timestamp", value_cols: list[str] | None = None,
             changes: str | Path | None = None) -> dict:
    """NAB score per profile plus alert-level metrics, with printable ``lines``;
    ``changes``: an operations log whose entries reach the alert layer."""
    labels = load_windows(labels_path)
    items = [load_labelled(p, labels, timestamp_col, value_cols) for p in data]
    if changes:
        log_ = load_changes(changes)
        items = [replace(it, readings=list(WithChanges(it.readings, log_))) for it in items]
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
        per_run = []
        for it in items:
            runs = alert_runs(it.readings, detector, warmup=warmup)
            m = event_metrics(runs, it.windows, [r.timestamp for r in it.readings])
            events[it.name] = m
            if not it.windows:  # a fault-free run: precision, recall and a per-file NAB score mean nothing
                lines.append(f"  {it.name}: fault-free run, alerts {m.alerts} (any alert is a false alarm)")
            else:
                fixed = nab_score([as_nab(it, onset_scores(runs, len(it.readings)))], "standard", 0.5).score
                delay = f"{m.mean_delay_s / 3600:.1f} h" if m.mean_delay_s is not None else "-"
                lines.append(f"  {it.name}: alerts {m.alerts}, precision {m.precision:.2f}, recall {m.recall:.2f}, "
                             f"F1 {m.f1:.2f}, mean delay from window start {delay}, NAB standard {fixed:.1f}")
            flags = [False] * len(it.readings)
            for a, b in runs:
                flags[a:b + 1] = [True] * (b - a + 1)
            per_run.append((flags, it.windows, [r.timestamp for r in it.readings]))
        rep = alert_report(per_run)
        events["all"] = rep
        lines.append(f"  all files, point-wise: alert F1 {rep.f1:.2f}, false-alarm rate {100 * rep.false_alarm_rate:.1f}%, "
                     f"missed-alarm rate {100 * rep.missed_alarm_rate:.1f}%, faulty files alerted "
                     f"{rep.faulty_alerted}/{rep.faulty}, fault-free files alerted {rep.normal_alerted}/{rep.normal}")
    return {"nab": nab, "events": events, "lines": lines}
