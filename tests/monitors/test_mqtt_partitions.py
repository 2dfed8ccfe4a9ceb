"""Partitioned workers. Three ``faultdesk monitor run --partition K/3``
workers share 300 streams from one broker: every stream is scored by exactly
one worker, every reading once, bad payloads are skipped once, and the alerts
(in MQTT and in the store) are exactly those of one monitor scoring all
streams alone. Plus the source's partition filter and option errors."""

from __future__ import annotations

import json
import random
import time
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from monitors import mqtt
from assistant.cli.monitor import monitor
from monitors.monitor import Monitor
from monitors.partition import Partition
from monitors.store import AlertStore
from monitors.types import Reading

from .harness import AlertListener, Mosquitto, Worker, publish_all, wait_until

ASSETS = [f"pump-{j:03d}" for j in range(300)]
FAULTY = ASSETS[::10]
N, WARMUP, T0 = 90, 60, 1_700_000_000  # readings per stream, threshold warm-up, first timestamp
BAD = [b"garbage{", b"1" + b"0" * 400, b"[" * 5000, b'{"value": 1, "timestamp": 1e999}', b"\xff\xfe"]


def streams() -> dict[str, list[float]]:
    """Noisy level per stream; the faulty ones step up 15 sigma for their last 25 readings."""
    out = {}
    for asset in ASSETS:
        rng = random.Random(asset)
        base, step = rng.uniform(20, 80), 15.0 if asset in FAULTY else 0.0
        out[asset] = [round(base + rng.gauss(0, 1) + (step if i >= N - 25 else 0.0), 4) for i in range(N)]
    return out


def messages(data: dict[str, list[float]]) -> tuple[list[tuple[str, bytes]], dict[str, int]]:
    """Readings interleaved across streams, a bad payload on every third
    stream half-way, one on a topic without asset; bad ones per asset."""
    msgs, bad = [], {}
    for i in range(N):
        for j, asset in enumerate(ASSETS):
            topic = f"plant/{asset}/temp"
            msgs.append((topic, json.dumps({"value": data[asset][i], "timestamp": T0 + 60 * i}).encode()))
            if i == N // 2 and j % 3 == 0:
                msgs.append((topic, BAD[j % len(BAD)]))
                bad[asset] = 1
    msgs.append(("plant", b"1.0"))
    bad[""] = 1
    return msgs, bad


def reference_alerts(data: dict[str, list[float]]) -> list[dict]:
    """What one monitor scoring every stream alone publishes."""
    alerts: list[dict] = []
    mon = Monitor("zscore", filter_params={"warmup": WARMUP}, sinks=[lambda a: alerts.append(a.to_dict())])
    for i in range(N):
        for asset in ASSETS:
            mon.process(Reading(asset, float(T0 + 60 * i), {"temp": data[asset][i]}))
    return json.loads(json.dumps(alerts))


def _key(alert: dict) -> str:
    return json.dumps(alert, sort_keys=True)


@pytest.mark.integration
@pytest.mark.slow
def test_three_workers_score_each_stream_once_and_publish_each_alert_once(tmp_path):
    broker = Mosquitto(tmp_path, "max_queued_messages 100000")
    broker.start()
    kb, workers = tmp_path / "kb", []
    try:
        for k in (1, 2, 3):
            workers.append(Worker("--source", f"mqtt://{broker.host}:{broker.port}/plant/#", "--kb", str(kb),
                                  "--detector", "zscore", "--warmup", str(WARMUP), "--partition", f"{k}/3",
                                  "--stats-json", str(tmp_path / f"stats{k}.json")))
        for w in workers:
            w.wait_line("MQTT subscribed to plant/#")
        listener = AlertListener(broker)
        data = streams()
        msgs, bad = messages(data)
        expected = reference_alerts(data)
        assert {a["asset"] for a in expected} == set(FAULTY)  # the test's data raise alerts

        t0 = time.monotonic()
        publish_all(broker, msgs)
        files = [tmp_path / f"stats{k}.json" for k in (1, 2, 3)]

        def scored() -> int:
            return sum(json.loads(f.read_text())["readings"] for f in files if f.exists())
        wait_until(lambda: scored() == N * len(ASSETS), 45, f"{N * len(ASSETS)} readings scored")
        elapsed = time.monotonic() - t0
        for w in workers:
            w.interrupt()
        got = listener.barrier()
        listener.close()
    finally:
        for w in workers:
            w.kill()
        broker.stop()

    stats = [json.loads(f.read_text()) for f in files]
    for k, st in enumerate(stats, 1):
        part = Partition(k, 3)
        assert st["partition"] == f"{k}/3"
        assert set(st["assets"]) == {a for a in ASSETS if part.owns(a)}  # its streams, all of them
        assert set(st["assets"].values()) == {N}  # every reading once
        assert st["skipped"] == sum(n for a, n in bad.items() if part.owns(a))  # bad payloads once
        assert len(st["assets"]) >= 60  # the hash spreads the streams
    assert sum(len(st["assets"]) for st in stats) == len(ASSETS)
    assert sorted(map(_key, got)) == sorted(map(_key, expected))  # each alert published once, as if alone
    stored = AlertStore(kb).history(limit=1000)
    assert sorted(a.id for a in stored) == sorted({a["id"] for a in expected})
    print(f"\n{len(msgs)} messages, 3 workers: all scored {elapsed:.1f} s after publishing began")


@pytest.mark.unit
def test_source_drops_other_partitions_unparsed_and_survives_a_parser_bug(monkeypatch):
    part = Partition(1, 2)
    mine, other = next(a for a in ASSETS if part.owns(a)), next(a for a in ASSETS if not part.owns(a))
    src = mqtt.MqttSource("127.0.0.1", 1, partition=part)
    for asset in (mine, other):
        src._on_message(None, None, SimpleNamespace(topic=f"plant/{asset}/t", payload=b"bad{"))
    assert src.skipped == 1  # the other partition's message was not even parsed

    def bug(*args):
        raise RuntimeError("parser bug")
    monkeypatch.setattr(mqtt, "parse_message", bug)
    src._on_message(None, None, SimpleNamespace(topic=f"plant/{mine}/t", payload=b"1.0"))
    assert src.skipped == 2  # logged and counted; paho's network thread lives on


@pytest.mark.unit
@pytest.mark.parametrize("source,partition,message", [
    ("csv:x.csv", "1/2", "needs an mqtt:// source"),
    ("mqtt://127.0.0.1:1/plant/#", "0/3", "need 1 <= K <= N"),
    ("mqtt://127.0.0.1:1/plant/#", "one/3", "use K/N"),
])
def test_bad_partition_is_a_one_line_error(tmp_path, source, partition, message):
    res = CliRunner().invoke(monitor, ["run", "--source", source, "--partition", partition,
                                       "--kb", str(tmp_path)])
    assert res.exit_code == 1 and message in res.output, res.output
