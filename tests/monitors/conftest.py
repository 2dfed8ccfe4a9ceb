"""Fixtures for monitor tests: a real mosquitto broker on a free loopback port."""

from __future__ import annotations

import pytest

from .harness import Mosquitto


@pytest.fixture
def mosquitto(tmp_path):
    """Start ``mosquitto -c CONF`` bound to 127.0.0.1:PORT; yields (host, port)."""
    broker = Mosquitto(tmp_path, "persistence false")
    broker.start()
    yield broker.host, broker.port
    broker.stop()
