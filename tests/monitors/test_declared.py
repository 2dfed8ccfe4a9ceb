"""Declared operating changes (set-point tags, an operations log) through the
real CLI: a declared change re-baselines instead of alerting; nothing else is
suppressed (an undeclared step still alerts, a fault during or after a
declared change still alerts)."""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import subprocess
from pathlib import Path

import pytest

from monitors.changes import WithChanges, is_setpoint, load_changes, split
from monitors.factory import make_detector
from monitors.sources import parse_time
from monitors.threshold import ThresholdFilter
from monitors.types import Change, Reading

from .harness import FAULTDESK

STREAMS = Path(__file__).resolve().parents[2] / "knowledge_base" / "samples" / "streams"
AC2 = STREAMS / "compressor_AC-2_normal.csv"
TAG = "discharge_pressure_bar_sp"
CHANGE_AT = "2024-03-09 10:00:00"  # the set-point change the sample's generator makes


def rows() -> list[dict]:
    with open(AC2, newline="") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, data: list[dict], drop: tuple[str, ...] = ()) -> Path:
    cols = [c for c in data[0] if c not in drop]
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(data)
    return path


def faultdesk(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    out = subprocess.run([str(FAULTDESK), *args], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout + out.stderr


def eval_alerts(tmp_path: Path, data: Path, windows: list | None = None, changes: Path | None = None) -> str:
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({data.name: windows or []}))
    extra = ["--changes", str(changes)] if changes else []
    out = faultdesk("eval", "monitors", "--labels", str(labels), str(data), *extra)
    return next(ln for ln in out.splitlines() if ln.strip().startswith(data.name))


def n_alerts(line: str) -> int:
    return int(re.search(r"alerts (\d+)", line).group(1))


@pytest.mark.unit
def test_setpoint_naming_rule_and_split():
    assert is_setpoint(TAG) and is_setpoint("flow_SETPOINT") and not is_setpoint("spindle_speed")
    assert split({"p": 1.0, "p_sp": 2.0}) == ({"p": 1.0}, {"p_sp": 2.0})


@pytest.mark.unit
def test_setpoint_tags_are_inputs_never_scored():
    f = ThresholdFilter(make_detector("auto"), warmup=50)
    for i in range(120):
        f.process_one(Reading("A", float(i), {"x": 1.0 + 0.01 * (i % 7), "y": 2.0 + 0.01 * (i % 5),
                                              "x_sp": 1.0 if i < 60 else 9.0}))
    assert f.detector._inner._s["names"] == ["x", "y"]
    assert f.state()["filter"]["sp"] == {"x_sp": 9.0}


@pytest.mark.unit
def test_operations_log_csv_and_json_bad_entries_are_one_line_each(tmp_path, caplog):
    log_csv = tmp_path / "ops.csv"
    log_csv.write_text("asset,time,kind,signals,note\n"
                       "AC-2,2024-03-09T10:00,setpoint,discharge_pressure_bar;oil_temp_c,raised to 7.9\n"
                       "AC-2,not a time,stop,,\n"
                       ",2024-03-09T11:00,stop,,\n")
    with caplog.at_level(logging.WARNING):
        got = load_changes(log_csv)
    assert got == [Change("AC-2", parse_time("2024-03-09T10:00"), "setpoint",
                          ("discharge_pressure_bar", "oil_temp_c"), "ops.csv line 2: raised to 7.9")]
    bad = [r.getMessage() for r in caplog.records]
    assert len(bad) == 2 and "ops.csv line 3" in bad[0] and "ops.csv line 4" in bad[1]
    log_json = tmp_path / "ops.json"
    log_json.write_text(json.dumps([{"asset": "P-2", "time": 100, "kind": "Stop"}, "junk"]))
    assert load_changes(log_json) == [Change("P-2", 100.0, "stop", (), "ops.json entry 1")]


@pytest.mark.unit
def test_log_entries_attach_to_the_next_reading_and_old_ones_are_dropped():
    changes = [Change("A", 5.0, "setpoint"), Change("A", 12.5, "stop"), Change("B", 1.0, "start")]
    readings = [Reading(a, float(t), {"v": 1.0}) for t in (10, 11, 12, 13, 14) for a in ("A", "B")]
    out = list(WithChanges(readings, changes))
    got = [(r.asset, r.timestamp, [c.kind for c in r.changes]) for r in out if r.changes]
    assert got == [("A", 13.0, ["stop"])]  # 5.0 and 1.0 precede each asset's first reading: already applied


@pytest.mark.integration
def test_the_samples_setpoint_tag_declares_the_change_and_undeclared_it_alerts(tmp_path):
    data = rows()
    assert n_alerts(eval_alerts(tmp_path, AC2)) == 0  # the sample with its historian tag
    bare = write(tmp_path / "compressor_AC-2_untagged.csv", data, drop=(TAG,))
    assert n_alerts(eval_alerts(tmp_path, bare)) >= 1  # the same sensor data, nothing declared
    ops = tmp_path / "operations.csv"
    ops.write_text(f"asset,time,kind\nAC-2,{CHANGE_AT},setpoint\n")
    assert n_alerts(eval_alerts(tmp_path, bare, changes=ops)) == 0  # declared by the operations log
    out = faultdesk("monitor", "run", "--source", f"csv:{bare}", "--kb", str(tmp_path / "kb"),
                    "--changes", str(ops))
    assert re.search(r"10080 readings, 0 skipped, 0 alerts", out), out


@pytest.mark.integration
def test_a_fault_after_a_declared_change_still_alerts(tmp_path):
    data = rows()
    start = next(i for i, r in enumerate(data) if r["timestamp"] == "2024-03-11 06:00:00")
    for k, r in enumerate(data[start:start + 360]):  # oil overheating, +8 K over 12 h
        r["oil_temp_c"] = f"{float(r['oil_temp_c']) + 8.0 * (k + 1) / 360:.4f}"
    for r in data[start + 360:]:
        r["oil_temp_c"] = f"{float(r['oil_temp_c']) + 8.0:.4f}"
    faulty = write(tmp_path / "compressor_AC-2_fault.csv", data)
    line = eval_alerts(tmp_path, faulty, [["2024-03-11 06:00:00", "2024-03-17 23:58:00"]])
    assert "recall 1.00" in line, line


@pytest.mark.integration
def test_a_fault_in_another_signal_during_a_declared_hold_still_alerts(tmp_path):
    data = [r for r in rows() if r["timestamp"] < CHANGE_AT]  # days 1-5: no real change
    ops = tmp_path / "operations.json"
    ops.write_text(json.dumps([{"asset": "AC-2", "time": "2024-03-07 10:00", "kind": "setpoint",
                                "signals": "discharge_pressure_bar"}]))
    calm = write(tmp_path / "ac2_declared.csv", data, drop=(TAG,))
    assert n_alerts(eval_alerts(tmp_path, calm, changes=ops)) == 0  # the declaration alone: nothing
    start = next(i for i, r in enumerate(data) if r["timestamp"] == "2024-03-07 10:30:00")
    for r in data[start:start + 120]:  # the motor current jumps 25 A for 4 h, inside the 5 h hold
        r["motor_current_a"] = f"{float(r['motor_current_a']) + 25.0:.4f}"
    faulty = write(tmp_path / "ac2_declared_fault.csv", data, drop=(TAG,))
    line = eval_alerts(tmp_path, faulty, [["2024-03-07 10:30:00", "2024-03-07 14:30:00"]], changes=ops)
    assert "recall 1.00" in line, line
    assert float(re.search(r"delay from window start ([\d.]+) h", line).group(1)) <= 0.5  # inside the hold


@pytest.mark.integration
@pytest.mark.slow
def test_mqtt_setpoint_key_and_operations_log_declare_the_change(tmp_path):
    """Over MQTT: AC-2's readings (days 1-6, 500 past the change) as JSON with the
    set-point among the values, and a copy (AC-2b) without it but declared by
    ``--changes``: neither alerts (undeclared, the same data alerts:
    :func:`test_the_samples_setpoint_tag_declares_the_change_and_undeclared_it_alerts`)."""
    from .harness import Mosquitto, Worker, publish_all, wait_until

    data = rows()[:4400]  # from the run's start (a warm-up that sees a day and a night)
    ops = tmp_path / "operations.csv"
    ops.write_text(f"asset,time,kind\nAC-2b,{CHANGE_AT},setpoint\n")
    msgs = []
    for r in data:
        values = {k: float(v) for k, v in r.items() if k not in ("timestamp", "asset")}
        bare = {k: v for k, v in values.items() if k != TAG}
        for asset, vals in (("AC-2", values), ("AC-2b", bare)):
            msgs.append((f"plant/{asset}", json.dumps({"timestamp": r["timestamp"], "values": vals})))
    broker = Mosquitto(tmp_path, "max_queued_messages 0")  # the default 1,000 drops a backlog
    broker.start()
    kb, stats = tmp_path / "kb", tmp_path / "stats.json"
    worker = Worker("--source", f"mqtt://{broker.host}:{broker.port}/plant/#", "--kb", str(kb),
                    "--changes", str(ops), "--stats-json", str(stats), "--no-publish")
    try:
        worker.wait_line("MQTT subscribed to plant/#")
        publish_all(broker, msgs, timeout=600)
        wait_until(lambda: stats.exists() and json.loads(stats.read_text())["readings"] == len(msgs), 600,
                   "every reading scored")
        worker.interrupt()
    finally:
        worker.kill()
        broker.stop()
    from monitors.store import AlertStore

    alerted = {a.asset for a in AlertStore(kb).history()}
    assert alerted == set(), alerted
