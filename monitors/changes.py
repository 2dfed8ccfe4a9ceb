"""Declared operating changes: set-point tags and an operations log.

A lasting step in one signal is, from the sensors alone, the same evidence as
a sensor offset or a developing fault. A plant knows the difference: its
historian records set-points, its operators log planned stops and set-point
changes. Both reach the monitor as :class:`~monitors.types.Change` and the
alert layer tells the detector (``declare``), which re-baselines the signals
concerned once they have settled instead of alerting (:mod:`monitors.declared`).
Nothing else is suppressed: an undeclared step still alerts.

Two inputs, the same for CSV replay, ``monitor run`` and MQTT:

- **Set-point tags.** A value named ``<name>_sp`` or ``<name>_setpoint`` (a CSV
  column, a key of an MQTT JSON ``values`` object) is a set-point, never
  scored as a sensor. When it changes from the asset's previous value the
  operating point is declared changed; a set-point moves the whole process
  (current and temperatures settle with a pressure), so every signal of the
  asset is concerned and each re-baselines by the shift it actually shows.
- **Operations log** (``--changes FILE``): CSV with a header, or JSON (a list
  of objects), with fields ``asset``, ``time`` (ISO 8601, UTC if no zone, or
  POSIX seconds), ``kind`` (``setpoint``, ``stop``, ``start`` or another word)
  and optional ``signals`` (names separated by ``;`` or spaces; empty = all)
  and ``note``. Each entry is attached to its asset's first reading at or
  after its time; entries older than the asset's first reading in the run
  (already applied before a restart) are dropped. A bad entry is one logged
  line naming the file and the entry; the others still apply.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator

from knowledge_base.errors import MonitorError, PayloadError

from .sources import parse_time
from .types import Change, Reading

log = logging.getLogger(__name__)

SUFFIXES = ("_sp", "_setpoint")


def is_setpoint(name: str) -> bool:
    """A set-point tag by the naming rule.

    >>> is_setpoint("discharge_pressure_bar_sp"), is_setpoint("Flow_SetPoint"), is_setpoint("speed")
    (True, True, False)
    """
    return name.lower().endswith(SUFFIXES)


def split(values: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """``(sensors, set-points)`` of a reading's values.

    >>> split({"p": 7.2, "p_sp": 7.2})
    ({'p': 7.2}, {'p_sp': 7.2})
    """
    sps = {k: v for k, v in values.items() if is_setpoint(k)}
    if not sps:
        return values, sps
    return {k: v for k, v in values.items() if k not in sps}, sps


def setpoint_changes(reading: Reading, last: dict[str, float],
                     sps: dict[str, float]) -> list[Change]:
    """Changes of the set-points ``sps`` against ``last`` (updated in place);
    the first value of a tag is no change."""
    out = []
    for name, value in sps.items():
        before = last.get(name)
        last[name] = value
        if before is not None and value != before:
            out.append(Change(reading.asset, reading.timestamp, "setpoint", (),
                              f"{name} {before:g} -> {value:g}"))
    return out


def _entry(item: dict, where: str) -> Change:
    asset, kind = str(item.get("asset") or "").strip(), str(item.get("kind") or "").strip().lower()
    if not asset or not kind:
        raise PayloadError("needs 'asset' and 'kind'")
    signals = item.get("signals") or ()
    if isinstance(signals, str):
        signals = signals.replace(";", " ").split()
    note = str(item.get("note") or "").strip()
    return Change(asset, parse_time(item.get("time")), kind, tuple(str(s) for s in signals),
                  f"{where}{': ' + note if note else ''}")


def load_changes(path: str | Path) -> list[Change]:
    """An operations log (CSV or JSON, see the module docstring), sorted by time."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise MonitorError(f"{path}: cannot read the operations log: {err.strerror}") from err
    if path.suffix.lower() == ".json":
        try:
            items = json.loads(text)
        except ValueError as err:
            raise MonitorError(f"{path}: not JSON: {err}") from err
        if not isinstance(items, list):
            raise MonitorError(f"{path}: the operations log must be a JSON list of entries")
        rows = [(f"{path.name} entry {n}", it) for n, it in enumerate(items, start=1)]
    else:
        rows = [(f"{path.name} line {n}", it)
                for n, it in enumerate(csv.DictReader(text.splitlines()), start=2)]
    out = []
    for where, item in rows:
        try:
            if not isinstance(item, dict):
                raise PayloadError("not an object")
            out.append(_entry(item, where))
        except PayloadError as err:
            log.warning("%s skipped: %s", where, err)
    return sorted(out, key=lambda c: c.timestamp)


class WithChanges:
    """A reading source with an operations log's changes attached to each
    asset's first reading at or after their time; ``skipped`` is the source's."""

    def __init__(self, source: Iterable[Reading], changes: list[Change]) -> None:
        self.source = source
        self._pending: dict[str, list[Change]] = {}
        for c in changes:
            self._pending.setdefault(c.asset, []).append(c)

    @property
    def skipped(self) -> int:
        return getattr(self.source, "skipped", 0)

    def __iter__(self) -> Iterator[Reading]:
        seen: set[str] = set()
        for r in self.source:
            todo = self._pending.get(r.asset)
            if todo and todo[0].timestamp <= r.timestamp:
                due = [c for c in todo if c.timestamp <= r.timestamp]
                self._pending[r.asset] = todo[len(due):]
                if r.asset in seen:
                    r = replace(r, changes=r.changes + tuple(due))
                else:
                    log.info("%s: %d declared change(s) before the first reading dropped", r.asset, len(due))
            seen.add(r.asset)
            yield r
