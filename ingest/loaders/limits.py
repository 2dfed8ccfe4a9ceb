"""Bounds on fault-log exports, checked around the column mapping of
:mod:`.records` (kept apart from it): a file may not make the loader build
rows of 100,000 columns, nor chunks of a megabyte.

* :func:`check_columns`: more than :data:`MAX_COLUMNS` columns is refused
  with one line, before any row is mapped;
* :func:`cap_records`: a work order whose text is longer than
  :data:`MAX_RECORD_CHARS` is cut (its fields shortened, extra columns
  dropped from the end) and the document says so in a note.

>>> from knowledge_base.types import WorkOrder, ParsedDocument, FAULT_LOG
>>> doc = ParsedDocument(source="x.csv", title="x", doc_type=FAULT_LOG,
...                      records=(WorkOrder("1", symptom="rattle " * 2000),))
>>> capped = cap_records(doc)
>>> len(capped.records[0].as_text()) <= MAX_RECORD_CHARS, capped.notes
(True, ('1 work order(s) longer than 4,000 characters were cut to that length (rows 1)',))
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from knowledge_base.errors import MalformedRecords
from knowledge_base.types import ParsedDocument, WorkOrder

MAX_COLUMNS = 500  # a work-order export has a few dozen
MAX_RECORD_CHARS = 4_000  # one work order is one chunk; the embedder reads about 1,000 characters
_CUT = " [...]"


def check_columns(path: Path, headers) -> None:
    """MalformedRecords when a log has more than :data:`MAX_COLUMNS` columns."""
    if len(headers) > MAX_COLUMNS:
        raise MalformedRecords(path, f"{len(headers):,} columns; a fault log may have at most {MAX_COLUMNS}")


def cap_records(doc: ParsedDocument) -> ParsedDocument:
    """``doc`` with every work order's text at most :data:`MAX_RECORD_CHARS` long (a note lists the cut ones)."""
    cut: list[int] = []
    records = []
    for n, wo in enumerate(doc.records, 1):
        if len(wo.as_text()) > MAX_RECORD_CHARS:
            wo = _cap(wo)
            cut.append(n)
        records.append(wo)
    if not cut:
        return doc
    note = (f"{len(cut)} work order(s) longer than {MAX_RECORD_CHARS:,} characters were cut to that length "
            f"(rows {', '.join(map(str, cut[:10]))}{', ...' if len(cut) > 10 else ''})")
    return replace(doc, records=tuple(records), notes=(*doc.notes, note))


def _cap(wo: WorkOrder) -> WorkOrder:
    share = MAX_RECORD_CHARS // 5  # id, asset and date are short; symptom, cause, action and extras share the rest
    wo = replace(wo, wo_id=_short(wo.wo_id, 100), asset_id=wo.asset_id and _short(wo.asset_id, 100),
                 timestamp=wo.timestamp and _short(wo.timestamp, 60), fault_code=wo.fault_code and
                 _short(wo.fault_code, 60), equipment_model=wo.equipment_model and _short(wo.equipment_model, 60),
                 symptom=_short(wo.symptom, share), cause=_short(wo.cause, share), action=_short(wo.action, share))
    extra, room = [], MAX_RECORD_CHARS - len(replace(wo, extra=()).as_text()) - len(_CUT) - 2
    for key, value in wo.extra:
        item = (_short(key, 60), _short(value, share))
        room -= len(item[0]) + len(item[1]) + 4
        if room < 0:
            break
        extra.append(item)
    return replace(wo, extra=tuple(extra))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - len(_CUT)] + _CUT
