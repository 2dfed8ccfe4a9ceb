"""MQTT in and out (paho-mqtt 2.x, MQTT v5): readings from ``plant/<asset>/<signal>``,
alerts to ``faultdesk/alerts/<asset>``.

Payloads accepted on ``plant/<asset>/<signal>``: a plain number (timestamped
on arrival), or JSON ``{"value": 2.1, "timestamp": "2024-03-04T10:00:00Z"}``.
On ``plant/<asset>`` a JSON object ``{"timestamp": ..., "values": {...}}``
carries several signals at once. Anything else is logged and skipped.

Broker faults. paho's network thread reconnects on its own, waiting 1 s,
then twice as long each time up to 30 s; the source subscribes again on
every connect. With a client id and ``session_expiry`` the source's session
is persistent (clean start off): while it is disconnected the broker keeps
its subscription and queues the QoS 1 readings for it, so readings
published while the monitor is away (a broker restart, if the broker saves
sessions -- mosquitto's ``persistence true`` --, or a monitor restart) are
scored when it is back. Readings sent with QoS 0, or while the broker itself
is down, or beyond the broker's queue limit (mosquitto:
``max_queued_messages``, 1000 per client by default) are lost. A reading
delivered twice (QoS 1 is at least once) is dropped by the monitor's
timestamp order check, if the payload carries its timestamp. Alerts are
published with QoS 1; paho keeps unacknowledged ones in memory and sends
them again after a reconnect.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator

from knowledge_base.errors import MonitorError, PayloadError

from .partition import Partition
from .sources import parse_time, parse_value
from .types import Alert, Reading

log = logging.getLogger(__name__)
ALERT_PREFIX = "faultdesk/alerts"
RECONNECT_DELAY = (1, 30)  # seconds: paho's first wait, doubled per failure up to the second


def topic_asset(topic: str) -> str:
    """The asset of a reading topic (``""`` when the topic has none).

    >>> topic_asset("plant/P-3/bearing_de_rms"), topic_asset("plant")
    ('P-3', '')
    """
    parts = topic.split("/", 2)
    return parts[1] if len(parts) > 1 else ""


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
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: [[[[... nested too deep
        raise PayloadError(f"{topic!r}: payload {payload[:40]!r} is neither a number nor JSON") from None
    if isinstance(data, dict):
        ts = parse_time(data["timestamp"]) if "timestamp" in data else now
        if isinstance(data.get("values"), dict):
            values = {str(k): parse_value(v, str(k)) for k, v in data["values"].items()}
        elif len(parts) >= 3 and "value" in data:
            values = {parts[2]: parse_value(data["value"], parts[2])}
        else:
            raise PayloadError(f"{topic!r}: JSON payload has no 'value' or 'values'")
    elif len(parts) >= 3 and not isinstance(data, (list, bool)):
        ts, values = now, {parts[2]: parse_value(data, parts[2])}
    else:
        raise PayloadError(f"{topic!r}: payload {payload[:40]!r} not understood")
    if not values:
        raise PayloadError(f"{topic!r}: no values")
    return Reading(parts[1], ts, values)


def _client(client_id: str = ""):
    import paho.mqtt.client as mqtt  # lazy: keeps doctest collection light

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.reconnect_delay_set(*RECONNECT_DELAY)
    return client


def _connect(client, host: str, port: int, session_expiry: int = 0) -> None:
    """Connect; ``session_expiry`` > 0 resumes and keeps a persistent session."""
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = session_expiry
    try:
        client.connect(host, port, keepalive=30, clean_start=session_expiry == 0, properties=props)
    except OSError as err:
        raise MonitorError(f"cannot connect to MQTT broker {host}:{port}: {err}") from err


class MqttSource:
    """Subscribes to ``topic`` (QoS 1) and yields readings until :meth:`stop`.

    ``client_id`` with ``session_expiry`` seconds > 0 makes the session
    persistent (see the module docstring); one process per client id, or the
    broker hands the session back and forth. With a ``partition`` only the
    assets it owns are parsed and yielded; other messages are dropped
    unparsed and uncounted. Messages that cannot be parsed are logged and
    counted in ``skipped``. ``on_idle``, if set to a function, is called
    from the iterating thread whenever no reading came for ``poll`` seconds
    (a caught-up worker).
    Connection events are logged: connected and subscribed at INFO, lost and
    failed reconnects at WARNING.
    """

    def __init__(self, host: str, port: int, topic: str = "plant/#", poll: float = 0.2,
                 client_id: str = "", session_expiry: int = 0, partition: Partition | None = None) -> None:
        self.host, self.port, self.topic, self.poll = host, port, topic, poll
        self.client_id, self.session_expiry = client_id, session_expiry if client_id else 0
        self.partition = partition
        self.on_idle: Callable[[], None] | None = None
        self.skipped = 0
        self.subscribed = threading.Event()
        self._stop = threading.Event()
        self._q: queue.Queue = queue.Queue(maxsize=100_000)

    def stop(self) -> None:
        self._stop.set()

    def _on_connect(self, client, userdata, flags, reason_code, properties=None) -> None:
        if reason_code.is_failure:
            log.warning("MQTT broker %s:%d refused the connection: %s", self.host, self.port, reason_code)
            return
        log.info("MQTT connected to %s:%d (%s session)", self.host, self.port,
                 "resumed" if flags.session_present else "new")
        client.subscribe(self.topic, qos=1)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties=None) -> None:
        if any(rc.is_failure for rc in reason_codes):
            log.error("MQTT broker refused the subscription to %s: %s", self.topic, reason_codes[0])
            return
        log.info("MQTT subscribed to %s%s", self.topic,
                 f" (partition {self.partition})" if self.partition else "")
        self.subscribed.set()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties=None) -> None:
        if not self._stop.is_set():
            log.warning("MQTT connection to %s:%d lost (%s); reconnecting", self.host, self.port, reason_code)

    def _on_connect_fail(self, client, userdata) -> None:
        log.warning("MQTT broker %s:%d unreachable; retrying", self.host, self.port)

    def _on_message(self, client, userdata, msg) -> None:
        if self.partition is not None and not self.partition.owns(topic_asset(msg.topic)):
            return
        try:
            self._q.put(parse_message(msg.topic, msg.payload, time.time()))
        except PayloadError as err:
            self.skipped += 1
            log.warning("MQTT message skipped: %s", err)
        except Exception:  # a parser bug must not end paho's network thread: the worker would go deaf
            self.skipped += 1
            log.exception("MQTT message on %s skipped: unexpected parser error", msg.topic)

    def __iter__(self) -> Iterator[Reading]:
        client = _client(self.client_id)
        client.on_connect, client.on_message = self._on_connect, self._on_message
        client.on_subscribe, client.on_disconnect = self._on_subscribe, self._on_disconnect
        client.on_connect_fail = self._on_connect_fail
        _connect(client, self.host, self.port, self.session_expiry)
        client.loop_start()
        try:
            while not self._stop.is_set():
                try:
                    reading = self._q.get(timeout=self.poll)
                except queue.Empty:
                    if self.on_idle is not None:
                        self.on_idle()
                    continue
                yield reading
        finally:
            self._stop.set()
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
        """Stop after the broker has acknowledged every alert (while connected)."""
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
