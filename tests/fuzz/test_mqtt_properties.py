"""Property tests: the MQTT payload parser on arbitrary topics and payloads.

Any topic and payload give a Reading with finite values for the topic's asset,
or a one-line PayloadError; a well-formed message round-trips.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge_base.errors import PayloadError
from monitors.mqtt import parse_message

from .bounds import FAST, time_limit
from .checks import check_message

pytestmark = pytest.mark.unit

name = st.text(st.characters(exclude_characters="/"), min_size=1, max_size=10)
topic = st.text(max_size=40) | st.builds("plant/{}/{}".format, name, name) | st.builds("plant/{}".format, name)
number = (st.integers() | st.floats() | st.sampled_from([10**400, -(10**400), 1e308, "1e999", "nan", "2.5", ""]))
stamp = number | st.datetimes().map(str) | st.text(max_size=30) | st.sampled_from(
    ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "2024-03-04T10:00:00Z", "1e20"])
json_value = st.recursive(st.none() | st.booleans() | number | st.text(max_size=10),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=3), max_leaves=10)
reading = st.fixed_dictionaries({}, optional={"timestamp": stamp, "value": json_value,
                                              "values": st.dictionaries(name, number, max_size=4) | json_value})


def encode(value) -> bytes:
    return json.dumps(value).encode()


@FAST
@given(topic=topic, payload=st.binary(max_size=200) | number.map(encode) | json_value.map(encode)
       | reading.map(encode), now=st.floats(0, 2e9))
def test_any_message(topic, payload, now):
    with time_limit():
        check_message(topic, payload, now)


@FAST
@given(asset=name, signal=name, value=st.floats(allow_nan=False, allow_infinity=False), now=st.floats(0, 2e9))
def test_a_plain_number_round_trips(asset, signal, value, now):
    reading = parse_message(f"plant/{asset}/{signal}", repr(value).encode(), now)
    assert (reading.asset, reading.timestamp, reading.values) == (asset, now, {signal: value})


@FAST
@given(asset=name, values=st.dictionaries(name, st.floats(-1e300, 1e300), min_size=1, max_size=5),
       ts=st.floats(0, 2e9))
def test_a_values_object_round_trips(asset, values, ts):
    reading = parse_message(f"plant/{asset}", encode({"timestamp": ts, "values": values}), 0.0)
    assert reading.asset == asset and math.isclose(reading.timestamp, ts) and reading.values == values


@pytest.mark.parametrize(("topic", "payload"), [
    ("plant/P-3\n/x", b"x"),                     # a line break in the topic
    ("plant/P-3", b'{"values": {"a\\nb": "x"}}'),  # ... in a signal name
    ("plant/P-3/x", b"1" + b"0" * 400),          # an integer beyond float range
    ("plant/P-3/x", b"[" * 100_000),             # nesting past the recursion limit
])
def test_found_messages_are_one_line_payload_errors(topic, payload):
    assert isinstance(check_message(topic, payload, 0.0), PayloadError)
