"""Real processes for MQTT tests: a mosquitto that can be stopped and started
again on the same port, ``faultdesk monitor run`` workers whose log lines
can be waited on, a QoS 1 publisher and an alert listener with a barrier.

Every wait is bounded and names what it waited for when it times out.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes import free_port

FAULTDESK = Path(sys.executable).with_name("faultdesk")


def wait_until(check: Callable[[], bool], timeout: float, what: str, every: float = 0.05) -> None:
    """Poll ``check`` until true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


class Mosquitto:
    """``mosquitto -c CONF`` on 127.0.0.1; ``extra`` config lines (e.g.
    ``persistence true``) are appended. :meth:`start` returns once it listens."""

    def __init__(self, folder: Path, extra: str = "") -> None:
        # FAULTDESK_TEST_MOSQUITTO names another executable (tests of the CI skip rule point it nowhere)
        self.exe = os.environ.get("FAULTDESK_TEST_MOSQUITTO") or shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not shutil.which(self.exe):
            pytest.skip("mosquitto is not installed (apt-get install -y mosquitto)")
        self.host, self.port = "127.0.0.1", free_port()
        self.conf = Path(folder) / "mosquitto.conf"
        # user: as root mosquitto would switch to user 'mosquitto', who cannot write its files here
        self.conf.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
                             f"user {getpass.getuser()}\n{extra}\n")
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([self.exe, "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    pytest.fail(f"mosquitto exited: {self.proc.stderr.read().decode()}")
                time.sleep(0.05)
        self.stop()
        pytest.fail("mosquitto did not start listening within 10 s")

    def stop(self) -> None:
        """SIGTERM (mosquitto saves its persistence file), SIGKILL after 5 s."""
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


class Worker:
    """``faultdesk monitor run ARGS`` in a subprocess; its stderr lines are kept."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([str(FAULTDESK), "monitor", "run", *args], env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines: list[str] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:  # end of output: wake a waiter to see the exit
            self._cond.notify_all()

    def wait_line(self, text: str, count: int = 1, timeout: float = 15) -> str:
        """The ``count``-th stderr line containing ``text``."""
        def found() -> list[str]:
            return [ln for ln in self.lines if text in ln]

        with self._cond:
            if not self._cond.wait_for(lambda: len(found()) >= count or self.proc.poll() is not None,
                                       timeout):
                pytest.fail(f"worker did not log {text!r} x{count} in {timeout} s: {self.lines}")
            if len(found()) < count:
                pytest.fail(f"worker exited ({self.proc.returncode}) before logging {text!r}: {self.lines}")
            return found()[count - 1]

    def interrupt(self, timeout: float = 15) -> str:
        """Ctrl-C (saves state and stats); returns stdout; fails unless it exits 0."""
        self.proc.send_signal(signal.SIGINT)
        try:
            out, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            pytest.fail(f"worker did not stop within {timeout} s of SIGINT: {self.lines}")
        assert self.proc.returncode == 0, self.lines
        return out

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def mqtt_client(broker: Mosquitto):
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.connect(broker.host, broker.port)
    client.loop_start()
    return client


def publish_all(broker: Mosquitto, messages: list[tuple[str, bytes | str]], timeout: float = 60) -> None:
    """Publish with QoS 1, in order, and wait until the broker acknowledged all."""
    client = mqtt_client(broker)
    try:
        infos = [client.publish(topic, payload, qos=1) for topic, payload in messages]
        deadline = time.monotonic() + timeout
        for info in infos:
            info.wait_for_publish(max(0.1, deadline - time.monotonic()))
            assert info.is_published(), f"broker did not acknowledge all messages within {timeout} s"
    finally:
        client.loop_stop()
        client.disconnect()


class AlertListener:
    """Collects every alert published to ``faultdesk/alerts/#`` (QoS 1)."""

    BARRIER = "faultdesk-test/barrier"

    def __init__(self, broker: Mosquitto) -> None:
        self.alerts: list[dict] = []
        self._subscribed, self._barrier = threading.Event(), threading.Event()
        self.client = mqtt_client(broker)
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *a: self._subscribed.set()
        self.client.subscribe([("faultdesk/alerts/#", 1), (self.BARRIER, 1)])
        assert self._subscribed.wait(10), "alert listener not subscribed within 10 s"

    def _on_message(self, client, userdata, msg) -> None:
        if msg.topic == self.BARRIER:
            self._barrier.set()
        else:
            self.alerts.append(json.loads(msg.payload))

    def barrier(self, timeout: float = 10) -> list[dict]:
        """Every alert the broker had before this call: mosquitto handles
        messages in order, so once our marker is back, earlier ones are in."""
        self._barrier.clear()
        self.client.publish(self.BARRIER, b"", qos=1)
        assert self._barrier.wait(timeout), f"barrier message not back within {timeout} s"
        return list(self.alerts)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()
