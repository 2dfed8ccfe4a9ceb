"""CSV replay, bad rows, out-of-order timestamps, the score command and MQTT round trip."""

from __future__ import annotations

import csv
import json
import threading
import time

import pytest
from click.testing import CliRunner

from knowledge_base.errors import PayloadError
from assistant.cli.monitor import eval_monitors, monitor
from monitors.monitor import Monitor
from monitors.mqtt import parse_message
from monitors.sources import CsvSource
from monitors.types import Reading

BAD_CSV = """timestamp,value
2024-01-01 00:00:00,1.0
2024-01-01 00:01:00,oops
,2.0
2024-01-01 00:02:00,1.1
2024-01-01 00:01:30,1.2
2024-01-01 00:03:00,nan
2024-01-01 00:04:00,1.3
"""


@pytest.mark.unit
def test_bad_rows_and_out_of_order_are_skipped(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV)
    src = CsvSource(path, asset="X")
    mon = Monitor(filter_params={"warmup": 2})
    stats = mon.run(src)
    # 7 rows: 'oops', missing timestamp and 'nan' fail to parse; 00:01:30 is out of order
    assert (stats.readings, stats.skipped) == (3, 4)


@pytest.mark.unit
@pytest.mark.parametrize("topic,payload", [
    ("plant/P-3/rms", b"not a number"), ("plant/P-3/rms", b'{"val": 1}'),
    ("plant", b"1.0"), ("plant/P-3/rms", b'{"value": 1, "timestamp": "yesterday"}'),
    ("plant/P-3/rms", b"\xff\xfe"), ("plant/P-3/rms", b"NaN"),
    ("plant/P-3/rms", b"1" + b"0" * 400), ("plant/P-3/rms", b"[" * 5000),
    ("plant/P-3/rms", b'{"value": 1, "timestamp": 1' + b"0" * 400 + b"}"),
])
def test_malformed_payloads_raise_payload_error(topic, payload):
    with pytest.raises(PayloadError):
        parse_message(topic, payload, 0.0)


@pytest.mark.unit
def test_score_command_writes_rows_in_order(tmp_path):
    src = tmp_path / "in.csv"
    rows = [("2024-01-01T00:%02d:00" % (i % 60) if i < 60 else "2024-01-01T01:%02d:00" % (i - 60),
             20.0 + 0.1 * (i % 5) + (15.0 if i == 100 else 0.0), int(i == 100)) for i in range(120)]
    with open(src, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["timestamp", "value", "label"])
        w.writerows(rows)
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(monitor, ["score", str(src), "--out", str(out), "--detector", "zscore"])
    assert res.exit_code == 0, res.output
    got = list(csv.DictReader(open(out)))
    assert [r["timestamp"] for r in got] == [r[0] for r in rows]
    assert list(got[0]) == ["timestamp", "value", "label", "anomaly_score"]
    scores = [float(r["anomaly_score"]) for r in got]
    assert all(0 <= s <= 1 for s in scores) and scores.index(max(scores)) == 100


@pytest.mark.unit
def test_cli_errors_are_one_line(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("time,value\n1,2\n")
    res = CliRunner().invoke(monitor, ["score", str(src), "--out", str(tmp_path / "o.csv")])
    assert res.exit_code == 1 and "no timestamp column 'timestamp'" in res.output
    assert len(res.output.strip().splitlines()) == 1


@pytest.mark.integration
def test_run_csv_then_list_alerts_and_eval(tmp_path):
    from pathlib import Path

    streams = Path(__file__).resolve().parents[2] / "knowledge_base" / "samples" / "streams"
    kb = tmp_path / "kb"
    res = CliRunner().invoke(monitor, ["run", "--source", f"csv:{streams / 'pump_P-1.csv'}",
                                       "--kb", str(kb), "--warmup", "1000"])
    assert res.exit_code == 0, res.output
    assert (kb / "monitor_state" / "auto.json").exists() and (kb / "alerts.sqlite").exists()
    listed = CliRunner().invoke(monitor, ["alerts", "--kb", str(kb), "--asset", "P-1", "--json"])
    alerts = json.loads(listed.output)
    assert alerts and all(a["asset"] == "P-1" for a in alerts)
    ev = CliRunner().invoke(eval_monitors, ["--labels", str(streams / "labels.json"),
                                            str(streams / "pump_P-1.csv"), "--kb", str(kb)])
    assert ev.exit_code == 0 and "standard" in ev.output and "precision" in ev.output


@pytest.mark.integration
def test_mqtt_round_trip(mosquitto, tmp_path):
    import paho.mqtt.client as mqtt

    from monitors.mqtt import MqttPublisher, MqttSource
    from monitors.store import AlertStore

    host, port = mosquitto
    src = MqttSource(host, port, "plant/#")
    pub = MqttPublisher(host, port)
    store = AlertStore(tmp_path)
    mon = Monitor(filter_params={"warmup": 100, "min_on": 2}, params={"single": {"context": {"warmup": 10}, "ensemble": {"warmup": 10}}}, store=store, sinks=[pub])
    worker = threading.Thread(target=mon.run, args=(src,), daemon=True)
    worker.start()

    received = []
    sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    sub.on_message = lambda c, u, m: received.append((m.topic, json.loads(m.payload)))
    sub.connect(host, port)
    sub.subscribe("faultdesk/alerts/#", qos=1)
    sub.loop_start()
    feeder = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    feeder.connect(host, port)
    feeder.loop_start()
    assert src.subscribed.wait(5)
    t0 = 1_700_000_000
    msgs = [(f"plant/P-3/bearing_de_rms", json.dumps({"value": 2.0 + 0.01 * (i % 5), "timestamp": t0 + i}))
            for i in range(300)]
    msgs.insert(150, ("plant/P-3/bearing_de_rms", "garbage{"))          # malformed
    msgs.insert(160, ("plant/P-3/bearing_de_rms", json.dumps({"value": 2.0, "timestamp": t0})))  # old
    msgs += [("plant/P-3/bearing_de_rms", json.dumps({"value": 9.0, "timestamp": t0 + 300 + i}))
             for i in range(60)]
    for topic, payload in msgs:
        feeder.publish(topic, payload, qos=1).wait_for_publish(5)
    deadline = time.monotonic() + 15
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    src.stop()
    worker.join(5)
    for c in (feeder, sub):
        c.loop_stop()
        c.disconnect()
    pub.close()
    assert received, "no alert arrived on faultdesk/alerts/P-3"
    topic, body = received[0]
    assert topic == "faultdesk/alerts/P-3" and body["asset"] == "P-3"
    assert body["top_signals"] == ["bearing_de_rms"]
    assert src.skipped == 1 and mon.stats.skipped >= 1  # malformed and out-of-order both skipped
    assert store.get(body["id"]) is not None
