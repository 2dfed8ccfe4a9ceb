"""The broker restarts under a running ``faultdesk monitor run``: the monitor
reconnects to its persistent session, scores the readings published after
the restart (even those sent before it was back), and ends with exactly the
detector state and alerts of a monitor that never saw the broker go away."""

from __future__ import annotations

import json

import pytest

from monitors.monitor import Monitor
from monitors.runner import state_path
from monitors.store import AlertStore
from monitors.types import Reading

from .harness import AlertListener, Mosquitto, Worker, publish_all, wait_until

ASSETS = ("P-1", "P-3")
BEFORE, AFTER, WARMUP, T0 = 80, 60, 60, 1_700_000_000  # readings before / after the restart


def value(asset: str, i: int) -> float:
    """A steady ripple; P-3 steps up for the last 25 readings (after the restart)."""
    fault = 9.0 if asset == "P-3" and i >= BEFORE + AFTER - 25 else 0.0
    return 20.0 + 0.1 * ((7 * i) % 11) + fault


def messages(first: int, last: int) -> list[tuple[str, bytes]]:
    return [(f"plant/{a}/bearing_de_rms", json.dumps({"value": value(a, i), "timestamp": T0 + 60 * i}).encode())
            for i in range(first, last) for a in ASSETS]


@pytest.mark.integration
@pytest.mark.slow
def test_monitor_survives_broker_restart_with_its_state(tmp_path):
    broker = Mosquitto(tmp_path, f"persistence true\npersistence_location {tmp_path}/\n")
    broker.start()
    kb, stats = tmp_path / "kb", tmp_path / "stats.json"
    worker = Worker("--source", f"mqtt://{broker.host}:{broker.port}/plant/#", "--kb", str(kb),
                    "--detector", "zscore", "--warmup", str(WARMUP), "--stats-json", str(stats))

    def scored() -> int:
        return json.loads(stats.read_text())["readings"] if stats.exists() else 0
    try:
        worker.wait_line("MQTT subscribed to plant/#")
        publish_all(broker, messages(0, BEFORE))
        wait_until(lambda: scored() == BEFORE * len(ASSETS), 20, "the readings before the restart scored")

        broker.stop()
        worker.wait_line("MQTT connection to")  # it noticed
        worker.wait_line("unreachable; retrying")  # a reconnect failed: the next one is 2 s away
        broker.start()
        listener = AlertListener(broker)
        publish_all(broker, messages(BEFORE, BEFORE + AFTER))
        assert sum("MQTT connected to" in ln for ln in worker.lines) == 1  # published while it was away
        assert "resumed session" in worker.wait_line("MQTT connected to", count=2)
        worker.wait_line("MQTT subscribed to plant/#", count=2)
        wait_until(lambda: scored() == (BEFORE + AFTER) * len(ASSETS), 20, "the readings after the restart scored")
        out = worker.interrupt()
        got = listener.barrier()
        listener.close()
    finally:
        worker.kill()
        broker.stop()

    alerts: list[dict] = []
    ref = Monitor("zscore", filter_params={"warmup": WARMUP}, sinks=[lambda a: alerts.append(a.to_dict())])
    for i in range(BEFORE + AFTER):
        for a in ASSETS:
            ref.process(Reading(a, float(T0 + 60 * i), {"bearing_de_rms": value(a, i)}))
    saved = json.loads(state_path(kb, "zscore").read_text())
    assert saved == json.loads(json.dumps(ref.state()))  # no reading lost or repeated, no re-warm-up
    assert alerts and {a["asset"] for a in alerts} == {"P-3"}  # the fault, 25 readings after the restart
    assert got == json.loads(json.dumps(alerts))  # published once each, after the restart
    assert [a.id for a in AlertStore(kb).history()] == [alerts[0]["id"]]
    assert f"{(BEFORE + AFTER) * len(ASSETS)} readings, 0 skipped" in out
