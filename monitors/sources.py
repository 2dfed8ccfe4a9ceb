"""Reading sources: CSV replay, plus the payload and timestamp parsers.

A source is an iterable of :class:`~monitors.types.Reading`. Rows that cannot
be parsed are logged and skipped (counted in ``skipped``); the stream goes on.
The MQTT source lives in :mod:`monitors.mqtt`.
"""

from __future__ import annotations

import csv
import logging
import math
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from knowledge_base.errors import ConfigError, MonitorError, PayloadError

from .types import Reading

log = logging.getLogger(__name__)


def parse_time(value: object) -> float:
    """POSIX seconds from an ISO 8601 / ``YYYY-mm-dd HH:MM:SS`` string or a number.

    Naive times are taken as UTC.

    >>> parse_time("1970-01-01 00:01:00"), parse_time("60"), parse_time("1970-01-01T00:01:00+00:00")
    (60.0, 60.0, 60.0)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_value(value, "timestamp")
    text = str(value or "").strip()
    if not text:
        raise PayloadError("missing timestamp")
    try:
        return _finite(float(text), "timestamp")
    except ValueError:
        pass
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"bad timestamp {text!r}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def parse_value(value: object, name: str = "value") -> float:
    """A finite float, else PayloadError.

    >>> parse_value(" 2.5 ")
    2.5
    """
    name = " ".join(name.split())  # a signal name from a topic or JSON key: keep the error one line
    try:
        return _finite(float(value), name)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond float range
        raise PayloadError(f"bad {name} {value!r:.60}") from None


def _finite(x: float, name: str) -> float:
    if math.isnan(x) or math.isinf(x):
        raise PayloadError(f"bad {name} {x!r}")
    return x


def parse_speed(text: str | None) -> float | None:
    """``"600x"`` -> 600.0; ``"max"`` or None -> None (no waiting).

    >>> parse_speed("600x"), parse_speed("max")
    (600.0, None)
    """
    if text is None or str(text).lower() == "max":
        return None
    try:
        speed = float(str(text).lower().rstrip("x"))
    except ValueError:
        raise ConfigError(f"bad speed {text!r}; use e.g. 600x or max") from None
    if speed <= 0:
        raise ConfigError(f"bad speed {text!r}; must be positive")
    return speed


class CsvSource:
    """Replays a CSV file as readings.

    ``value_cols`` None = every column except the timestamp and asset columns.
    The asset comes from ``asset_col`` when the file has it, else ``asset``.
    ``speed`` (from :func:`parse_speed`) replays that many times faster than
    the timestamps say; None replays as fast as possible.
    """

    def __init__(self, path: str | Path, timestamp_col: str = "timestamp",
                 value_cols: list[str] | None = None, asset_col: str = "asset",
                 asset: str | None = None, speed: float | None = None) -> None:
        self.path, self.timestamp_col, self.value_cols = Path(path), timestamp_col, value_cols
        self.asset_col, self.asset, self.speed = asset_col, asset, speed
        self.skipped = 0

    def columns(self, header: list[str]) -> list[str]:
        """The value columns to read, checked against the header."""
        if self.timestamp_col not in header:
            raise MonitorError(f"{self.path}: no timestamp column {self.timestamp_col!r} in {header}")
        cols = self.value_cols or [c for c in header if c not in (self.timestamp_col, self.asset_col)]
        missing = [c for c in cols if c not in header]
        if missing or not cols:
            raise MonitorError(f"{self.path}: value columns {missing or cols} not in {header}")
        return cols

    def parse_row(self, row: dict, cols: list[str]) -> Reading:
        """One CSV row -> Reading (PayloadError when a field is bad)."""
        asset = self.asset or row.get(self.asset_col) or self.path.stem
        values = {c: parse_value(row.get(c), c) for c in cols}
        return Reading(asset, parse_time(row.get(self.timestamp_col)), values)

    def rows(self) -> Iterator[tuple[dict, Reading | None]]:
        """Every row with its Reading, or None (logged) when it cannot be parsed."""
        try:
            fh = open(self.path, newline="", encoding="utf-8")
        except OSError as err:
            raise MonitorError(f"{self.path}: cannot read: {err.strerror}") from err
        with fh:
            reader = csv.DictReader(fh)
            cols = self.columns(reader.fieldnames or [])
            for n, row in enumerate(reader, start=2):
                try:
                    yield row, self.parse_row(row, cols)
                except PayloadError as err:
                    self.skipped += 1
                    log.warning("%s line %d skipped: %s", self.path.name, n, err)
                    yield row, None

    def __iter__(self) -> Iterator[Reading]:
        first_ts = first_wall = None
        for _, reading in self.rows():
            if reading is None:
                continue
            if self.speed is not None:
                if first_ts is None:
                    first_ts, first_wall = reading.timestamp, time.monotonic()
                wait = first_wall + (reading.timestamp - first_ts) / self.speed - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            yield reading
