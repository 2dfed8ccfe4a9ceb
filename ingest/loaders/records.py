"""Rows of a fault-log export -> WorkOrder records.

Values are cleaned on the way: timestamps to ISO 8601 where they parse,
downtime to hours as a float (``"2,5"``, ``"1.5 h"``, ``"90 min"``), a missing
work-order id to ``<file stem>-row<N>``. Problems that cost one value, not the
file, are reported in the notes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from knowledge_base.errors import EmptyInput, MalformedRecords
from knowledge_base.types import FAULT_LOG, ParsedDocument, WorkOrder

from .columns import map_columns
from .options import LoadOptions

# The unit's spaces sit inside its optional group: "\s*(unit)?\s*" took quadratic time on "1      x".
_DURATION = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)(?:\s*(h|hr|hrs|hours?|m|min|mins|minutes?))?\s*$",
                       re.IGNORECASE)
_HHMM = re.compile(r"^\s*(\d{1,3}):(\d{2})\s*$")


def parse_downtime(value: object, minutes: bool = False) -> float | None:
    """Hours as a float, or None when the value does not read as a duration.

    >>> parse_downtime("2,5"), parse_downtime("1.5 h"), parse_downtime("90 min"), parse_downtime("1:30")
    (2.5, 1.5, 1.5, 1.5)
    >>> parse_downtime("45", minutes=True), parse_downtime("n/a")
    (0.75, None)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) / 60 if minutes else float(value)
    text = str(value or "").strip()
    if m := _HHMM.match(text):
        return int(m.group(1)) + int(m.group(2)) / 60
    m = _DURATION.match(text)
    if not m:
        return None
    number = float(m.group(1).replace(",", "."))
    unit = (m.group(2) or ("min" if minutes else "h")).lower()
    return number / 60 if unit.startswith("m") else number


def parse_timestamp(value: object) -> str | None:
    """ISO 8601 when the value reads as a date, else the value as written.

    >>> parse_timestamp("2025-01-03 13:09"), parse_timestamp("03.01.2025"), parse_timestamp("last week")
    ('2025-01-03T13:09:00', '2025-01-03', 'last week')
    """
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    if not text:
        return None
    from dateutil import parser

    try:
        # "03.01.2025" is day first (European); "2025-01-03" parses the same either way.
        parsed = parser.parse(text, dayfirst="." in text)
    except (ValueError, OverflowError):
        return text
    has_time = bool(re.search(r"\d:\d", text))
    return parsed.isoformat() if has_time else parsed.date().isoformat()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return " ".join(str(value).split())


def build_log(path: Path, headers: list[str], rows: Iterable[tuple[int, Mapping[str, object]]],
              options: LoadOptions) -> ParsedDocument:
    """A FAULT_LOG ParsedDocument from ``(row number, {header: value})`` pairs."""
    mapping = map_columns(headers, options.column_mapping)
    if not mapping.fields:
        raise MalformedRecords(path, f"no column maps to a work-order field: {', '.join(headers)[:200]}")
    notes: list[str] = []
    if mapping.unmapped:
        notes.append(f"unmapped columns: {', '.join(mapping.unmapped)}")
    if mapping.missing:
        notes.append(f"mapped columns not found: {', '.join(mapping.missing)}")
    records, blank, bad_downtime = [], 0, []
    for number, row in rows:
        if not any(_cell(v) for v in row.values()):
            blank += 1
            continue
        record, downtime_ok = _record(path, number, row, mapping.fields, mapping.unmapped, options)
        records.append(record)
        if not downtime_ok:
            bad_downtime.append(number)
    if not records:
        raise EmptyInput(path, "header but no records")
    if blank:
        notes.append(f"skipped {blank} empty row(s)")
    if bad_downtime:
        notes.append(f"unreadable downtime kept in extra, rows {', '.join(map(str, bad_downtime[:10]))}")
    models = {r.equipment_model for r in records}
    model = options.asset_model or (models.pop() if len(models) == 1 else None)
    return ParsedDocument(source=str(path), title=path.stem, doc_type=FAULT_LOG, records=tuple(records),
                          equipment_model=model, notes=tuple(notes))


def _record(path: Path, number: int, row: Mapping[str, object], fields: Mapping[str, str],
            unmapped: list[str], options: LoadOptions) -> tuple[WorkOrder, bool]:
    values: dict[str, object] = {}
    extra = [(h, _cell(row.get(h))) for h in unmapped if _cell(row.get(h))]
    downtime_ok = True
    for header, canon in fields.items():
        raw = row.get(header)
        if canon in ("downtime_h", "downtime_min"):
            if _cell(raw):
                hours = parse_downtime(raw, minutes=canon == "downtime_min")
                downtime_ok = hours is not None
                if hours is None:
                    extra.append((header, _cell(raw)))
                values["downtime_h"] = hours
        elif canon == "timestamp":
            values[canon] = parse_timestamp(raw)
        else:
            values[canon] = _cell(raw)
    wo = WorkOrder(
        wo_id=str(values.get("wo_id") or f"{path.stem}-row{number}"),
        asset_id=values.get("asset_id") or None,
        timestamp=values.get("timestamp"),
        fault_code=values.get("fault_code") or None,
        symptom=values.get("symptom", ""), cause=values.get("cause", ""), action=values.get("action", ""),
        downtime_h=values.get("downtime_h"),
        equipment_model=values.get("equipment_model") or options.asset_model,
        extra=tuple(extra),
    )
    return wo, downtime_ok
