"""MQTT in and out (paho-mqtt 2.x): readings from ``plant/<asset>/<signal>``,
alerts to ``faultdesk/alerts/<asset>``.

Payloads accepted on ``plant/<asset>/<signal>``: a plain number (timestamped
on arrival), or JSON ``{"value": 2.1, "timestamp": "2024-03-04T10:00:00Z"}``.
On ``plant/<asset>`` a JSON object ``{"timestamp": ..., "values": {...}}``
carries several signals at once. Anything else is logged and skipped.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from typing import Iterator

from knowledge_base.errors import MonitorError, PayloadError

from .sources import parse_time, parse_value
from .types import Alert, Reading

log = logging.getLogger(__name__)
ALERT_PREFIX = "faultdesk/alerts"


def parse_message(topic: str, payload: bytes, now: float) -> Reading:
    """One MQTT message -> Reading, or PayloadError.

    >>> parse_message("plant/P-3/bearing_de_rms", b"2.5", 10.0)
    Reading(asset='P-3', timestamp=10.0, values={'bearing_de_rms': 2.5})
    >>> parse_message("plant/P-3", b'{"timestamp": 5, "values": {"a": 1}}', 10.0).values
    {'a': 1.0}
    """
    parts = topic.split("/")
    if len(parts) < 2 or not parts[1]:
        raise PayloadError(f"topic {topic!r} is not plant/<asset>[/<signal>]")
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PayloadError(f"{topic}: payload {payload[:40]!r} is neither a number nor JSON") from None
    if isinstance(data, dict):
        ts = parse_time(data["timestamp"]) if "timestamp" in data else now
        if isinstance(data.get("values"), dict):
            values = {str(k): parse_value(v, str(k)) for k, v in data["values"].items()}
        elif len(parts) >= 3 and "value" in data:
            values = {parts[2]: parse_value(data["value"], parts[2])}
        else:
            raise PayloadError(f"{topic}: JSON payload has no 'value' or 'values'")
    elif len(parts) >= 3 and not isinstance(data, (list, bool)):
        ts, values = now, {parts[2]: parse_value(data, parts[2])}
    else:
        raise PayloadError(f"{topic}: payload {payload[:40]!r} not understood")
    if not values:
        raise PayloadError(f"{topic}: no values")
    return Reading(parts[1], ts, values)


def _client(client_id: str = ""):
    import paho.mqtt.client as mqtt  # lazy: keeps doctest collection light

    return mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)


def _connect(client, host: str, port: int) -> None:
    try:
        client.connect(host, port, keepalive=30)
    except OSError as err:
        raise MonitorError(f"cannot connect to MQTT broker {host}:{port}: {err}") from err


class MqttSource:
    """Subscribes to ``topic`` and yields readings until :meth:`stop`."""

    def __init__(self, host: str, port: int, topic: str = "plant/#", poll: float = 0.2) -> None:
        self.host, self.port, self.topic, self.poll = host, port, topic, poll
        self.skipped = 0
        self.subscribed = threading.Event()
        self._stop = threading.Event()
        self._q: queue.Queue = queue.Queue(maxsize=100_000)

    def stop(self) -> None:
        self._stop.set()

    def _on_connect(self, client, userdata, flags, reason_code, properties=None) -> None:
        client.subscribe(self.topic, qos=1)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties=None) -> None:
        self.subscribed.set()

    def _on_message(self, client, userdata, msg) -> None:
        try:
            self._q.put(parse_message(msg.topic, msg.payload, time.time()))
        except PayloadError as err:
            self.skipped += 1
            log.warning("MQTT message skipped: %s", err)

    def __iter__(self) -> Iterator[Reading]:
        client = _client()
        client.on_connect, client.on_message = self._on_connect, self._on_message
        client.on_subscribe = self._on_subscribe
        _connect(client, self.host, self.port)
        client.loop_start()
        try:
            while not self._stop.is_set():
                try:
                    yield self._q.get(timeout=self.poll)
                except queue.Empty:
                    continue
        finally:
            client.loop_stop()
            client.disconnect()


class MqttPublisher:
    """Publishes alerts as JSON to ``<prefix>/<asset>`` (QoS 1)."""

    def __init__(self, host: str, port: int, prefix: str = ALERT_PREFIX) -> None:
        self.prefix = prefix
        self._client = _client()
        _connect(self._client, host, port)
        self._client.loop_start()

    def __call__(self, alert: Alert) -> None:
        self._client.publish(f"{self.prefix}/{alert.asset}", json.dumps(alert.to_dict()), qos=1)

    def close(self) -> None:
        self._client.loop_stop()
        self._client.disconnect()


def parse_url(url: str) -> tuple[str, int, str]:
    """``mqtt://HOST:PORT/TOPIC`` -> (host, port, topic); topic defaults to ``plant/#``.

    >>> parse_url("mqtt://127.0.0.1:1884/plant/#")
    ('127.0.0.1', 1884, 'plant/#')
    """
    rest = url[len("mqtt://"):] if url.startswith("mqtt://") else ""
    netloc, _, topic = rest.partition("/")
    host, _, port = netloc.partition(":")
    if not host or (port and not port.isdigit()):
        raise MonitorError(f"bad MQTT source {url!r}; use mqtt://HOST:PORT/TOPIC")
    return host, int(port or 1883), topic or "plant/#"
