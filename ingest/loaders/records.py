"""Rows of a table export -> WorkOrder records, or a table document.

A table whose columns map to a work-order log (:meth:`ColumnMapping.is_work_order_log`)
becomes one WorkOrder per row; values are cleaned on the way and empty fields
are filled from the role's fallbacks, in order:

* id: the order number, else the notification number, else ``<file stem>-row<N>``;
* asset: the asset id, else the asset name, else the (functional) location;
* time: the reported / failure date (with its time-of-day column), else the
  actual start, else the actual finish; ISO 8601, date order decided per column;
* code: the fault / problem code, else the failure class, else the secondary code;
* symptom: the description, else the code's description;
* downtime (hours): the downtime column, else the duration column, else
  actual finish - actual start;
* work type: ``preventive`` / ``corrective`` from a work-type or preventive-flag column.

Mapped columns that are not WorkOrder fields (secondary code, location ...)
are kept in ``extra`` under their own header, as unmapped columns are.

Any other table (an FMEA sheet, an asset register, a fault-code list, a parts
list), unless an explicit ``--mapping`` names one of its columns, becomes a
table document: one table-row block per row, with the header names repeated
(``Header: value | Header: value``). FMEA tables, recognised by their
``pattern`` / ``failure_mode`` columns, get the doc type ``fmea`` (the
chunker stores none of their rows: ``assistant.alerts.fmea`` reads the files).
Problems that cost one value, not the file, are reported in the notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from knowledge_base.errors import EmptyInput
from knowledge_base.types import FAULT_LOG, FMEA, FMEA_COLUMNS, TABLE, TABLE_ROW, Block, ParsedDocument, WorkOrder

from .columns import ColumnMapping, column_samples, map_columns
from .options import LoadOptions
from .structure import row_text
from .values import day_first, is_flag_column, parse_downtime, parse_timestamp, time_of_day, to_datetime, work_type

__all__ = ["build_log", "parse_downtime", "parse_timestamp"]

_AUX = ("notification", "asset_name", "location", "failure_class", "fault_code_2", "code_text", "time", "start",
        "start_time", "finish", "finish_time", "duration_h", "duration_min", "work_type")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return " ".join(str(value).split())


def build_log(path: Path, headers: list[str], rows: Iterable[tuple[int, Mapping[str, object]]],
              options: LoadOptions) -> ParsedDocument:
    """A FAULT_LOG ParsedDocument from ``(row number, {header: value})`` pairs, or a table document."""
    rows = [(n, r) for n, r in rows]
    filled = [(n, r) for n, r in rows if any(_cell(v) for v in r.values())]
    if not filled:
        raise EmptyInput(path, "header but no records")
    blank = len(rows) - len(filled)
    mapping = map_columns(headers, options.column_mapping, column_samples(headers, [r for _, r in filled]))
    explicit = set(options.column_mapping or {}) & set(mapping.fields.values())
    if not mapping.is_work_order_log() and not explicit:  # a --mapping that fits says it is a log
        return _table(path, headers, filled, blank, options)
    reader = _RowReader(path, mapping, [r for _, r in filled], options)
    records = [reader.record(n, r) for n, r in filled]
    notes = list(reader.notes(blank))
    models = {r.equipment_model for r in records}
    model = options.asset_model or (models.pop() if len(models) == 1 else None)
    return ParsedDocument(source=str(path), title=path.stem, doc_type=FAULT_LOG, records=tuple(records),
                          equipment_model=model, notes=tuple(notes))


def _table(path: Path, headers: list[str], rows: list[tuple[int, Mapping[str, object]]], blank: int,
           options: LoadOptions) -> ParsedDocument:
    is_fmea = set(FMEA_COLUMNS[:3]) <= {h.strip().lower() for h in headers}
    blocks = tuple(Block(row_text(headers, [_cell(r.get(h)) for h in headers]), TABLE_ROW) for _, r in rows)
    models = {_cell(r.get(h)) for _, r in rows for h in headers if h.strip().lower() == "equipment_model"}
    model = options.asset_model or (models.pop() if len(models) == 1 else None)
    if is_fmea:
        notes = [f"an FMEA table ({len(blocks)} failure modes): the alert analyst reads FMEA files from the "
                 "fmea setting; not stored as passages or work orders"]
    else:
        notes = [f"read as a table document, not work orders: no work-order columns (needs an id or date, "
                 f"and an asset, code or text); {len(blocks)} rows"]
    if blank:
        notes.append(f"skipped {blank} empty row(s)")
    return ParsedDocument(source=str(path), title=path.stem, doc_type=FMEA if is_fmea else TABLE, blocks=blocks,
                          equipment_model=model or None, notes=tuple(notes))


class _RowReader:
    """Turns rows into WorkOrders with one mapping and per-column date order."""

    def __init__(self, path: Path, mapping: ColumnMapping, rows: list[Mapping[str, object]],
                 options: LoadOptions) -> None:
        self.path, self.options, self.mapping = path, options, mapping
        self.col = {role: header for header, role in mapping.fields.items()}
        self.dayfirst = {role: day_first(r.get(h) for r in rows) for role, h in self.col.items()}
        wt = self.col.get("work_type")
        self.flag = wt is not None and is_flag_column(r.get(wt) or "" for r in rows)
        self.bad_downtime: list[int] = []
        self.derived: dict[str, int] = {}

    def notes(self, blank: int) -> Iterable[str]:
        m = self.mapping
        if m.unmapped:
            yield f"unmapped columns: {', '.join(m.unmapped)}"
        if m.missing:
            yield f"mapped columns not found: {', '.join(m.missing)}"
        if blank:
            yield f"skipped {blank} empty row(s)"
        if self.bad_downtime:
            yield f"unreadable downtime kept in extra, rows {', '.join(map(str, self.bad_downtime[:10]))}"
        for what, n in self.derived.items():
            yield f"{what} on {n} row(s)"

    def _raw(self, row: Mapping[str, object], role: str) -> object:
        h = self.col.get(role)
        return row.get(h) if h is not None else None

    def _text(self, row: Mapping[str, object], *roles: str) -> str:
        return next((t for t in (_cell(self._raw(row, r)) for r in roles) if t), "")

    def _when(self, row: Mapping[str, object], role: str, time_role: str) -> dt.datetime | None:
        when = to_datetime(self._raw(row, role), self.dayfirst.get(role))
        tod = time_of_day(self._raw(row, time_role))
        if when is not None and tod is not None and when.time() == dt.time(0):
            when = dt.datetime.combine(when.date(), tod)
        return when

    def _timestamp(self, row: Mapping[str, object]) -> str | None:
        """The first of reported / start / finish that reads as a date; else the first as written."""
        written = None
        for role, time_role in (("timestamp", "time"), ("start", "start_time"), ("finish", "finish_time")):
            raw = self._raw(row, role)
            if not _cell(raw):
                continue
            when = self._when(row, role, time_role)
            if when is None:
                written = written or parse_timestamp(raw)
                continue
            self._count(f"time from the {role} column", role != "timestamp")
            has_time = isinstance(raw, dt.datetime) or ":" in _cell(raw) or bool(_cell(self._raw(row, time_role)))
            return when.isoformat() if has_time else when.date().isoformat()
        return written

    def _downtime(self, row: Mapping[str, object], number: int, extra: list) -> float | None:
        for role in ("downtime_h", "downtime_min", "duration_h", "duration_min"):
            raw = self._raw(row, role)
            if not _cell(raw):
                continue
            hours = parse_downtime(raw, minutes=role.endswith("_min"))
            if hours is not None:
                self._count("downtime from the duration column", role.startswith("duration"))
                return hours
            self.bad_downtime.append(number)
            extra.append((self.col[role], _cell(raw)))
            return None
        start, finish = self._when(row, "start", "start_time"), self._when(row, "finish", "finish_time")
        if start is not None and finish is not None and finish >= start:
            self._count("downtime from actual finish - actual start", True)
            return (finish - start).total_seconds() / 3600
        return None

    def _count(self, what: str, really: bool) -> None:
        if really:
            self.derived[what] = self.derived.get(what, 0) + 1

    def record(self, number: int, row: Mapping[str, object]) -> WorkOrder:
        m = self.mapping
        extra = [(h, _cell(row.get(h))) for h in m.unmapped if _cell(row.get(h))]
        extra += [(self.col[r], _cell(self._raw(row, r))) for r in _AUX
                  if r in self.col and r not in ("duration_h", "duration_min") and _cell(self._raw(row, r))]
        kind = work_type(self.col["work_type"], self._raw(row, "work_type"), self.flag) if "work_type" in self.col \
            else None
        return WorkOrder(
            wo_id=self._text(row, "wo_id", "notification") or f"{self.path.stem}-row{number}",
            asset_id=self._text(row, "asset_id", "asset_name", "location") or None,
            timestamp=self._timestamp(row),
            fault_code=self._text(row, "fault_code", "failure_class", "fault_code_2") or None,
            symptom=self._text(row, "symptom", "code_text"), cause=self._text(row, "cause"),
            action=self._text(row, "action"),
            downtime_h=self._downtime(row, number, extra),
            equipment_model=self._text(row, "equipment_model") or self.options.asset_model,
            extra=tuple(extra), work_type=kind,
        )
