"""Matching fault-log headers to the canonical WorkOrder fields.

Headers are compared after normalising case, spaces, underscores and
punctuation (``Failure Code`` == ``failure_code`` == ``FAILURE-CODE``). An
explicit mapping (``{canonical_field: "Source Header"}``) wins over synonyms.

>>> mapping = map_columns(["WO#", "Equipment", "Failure Code", "Downtime (min)", "Technician"])
>>> mapping.fields
{'WO#': 'wo_id', 'Equipment': 'asset_id', 'Failure Code': 'fault_code', 'Downtime (min)': 'downtime_min'}
>>> mapping.unmapped
['Technician']
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from knowledge_base.errors import ConfigError

# downtime_min is not a WorkOrder field: its values are converted to hours.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "wo_id": ("wo", "wo_no", "wo_number", "work_order", "work_order_id", "work_order_no", "workorder",
              "order_no", "order_id", "ticket", "ticket_id", "id"),
    "asset_id": ("asset", "asset_id", "asset_no", "equipment", "equipment_id", "machine", "machine_id",
                 "tag", "functional_location", "floc"),
    "timestamp": ("date", "timestamp", "time", "datetime", "reported", "reported_at", "created",
                  "created_at", "opened", "failure_date", "date_reported"),
    "fault_code": ("fault_code", "failure_code", "code", "alarm", "alarm_code", "error_code", "fault"),
    "symptom": ("problem", "symptom", "description", "complaint", "issue", "fault_description"),
    "cause": ("cause", "root_cause", "failure_cause", "cause_code"),
    "action": ("action", "remedy", "corrective_action", "resolution", "work_done", "repair", "action_taken"),
    "downtime_h": ("downtime", "downtime_h", "downtime_hours", "downtime_hrs", "hours_down", "down_hours"),
    "downtime_min": ("downtime_min", "downtime_mins", "downtime_minutes", "minutes_down", "down_minutes"),
    "equipment_model": ("model", "equipment_model", "asset_model", "machine_model"),
}
CANONICAL = frozenset(SYNONYMS)
_DOWNTIME = frozenset({"downtime_h", "downtime_min"})  # one downtime column is read, not two


def normalize_header(header: str) -> str:
    """``'Failure Code'`` / ``'failure_code'`` / ``'WO#'`` -> ``'failurecode'`` / ... / ``'wo'``.

    >>> normalize_header(" Failure_Code "), normalize_header("WO#"), normalize_header("Downtime [h]")
    ('failurecode', 'wo', 'downtimeh')
    """
    return re.sub(r"[^0-9a-z]+", "", header.lower())


_LOOKUP = {normalize_header(s): canon for canon, syns in SYNONYMS.items() for s in syns}


@dataclass
class ColumnMapping:
    """Source header -> canonical field, and the headers left over."""

    fields: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # explicit mappings naming absent headers


def map_columns(headers: Sequence[str], explicit: Mapping[str, str] | None = None) -> ColumnMapping:
    """Map each header to at most one canonical field (first header wins)."""
    result = ColumnMapping()
    taken: set[str] = set()
    by_norm = {normalize_header(h): h for h in reversed(headers)}
    for canon, source in (explicit or {}).items():
        header = source if source in headers else by_norm.get(normalize_header(source))
        if header is None:
            result.missing.append(source)
        else:
            result.fields[header] = canon
            taken.add(canon)
    for header in headers:
        if header in result.fields:
            continue
        canon = _LOOKUP.get(normalize_header(header))
        if canon is None or canon in taken or (canon in _DOWNTIME and _DOWNTIME & taken):
            result.unmapped.append(header)
            continue
        result.fields[header] = canon
        taken.add(canon)
    return result


def load_mapping_file(path: Path | str) -> dict[str, str]:
    """Read an explicit column mapping from JSON or YAML: ``{canonical_field: "Source Header"}``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read column mapping: {_one_line(exc)}") from None
    except Exception as exc:  # yaml.YAMLError and friends
        raise ConfigError(f"{path}: cannot read column mapping: {_one_line(exc)}") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ConfigError(f"{path}: column mapping must be an object of field name -> source header")
    unknown = sorted(set(data) - CANONICAL)
    if unknown:
        raise ConfigError(f"{path}: unknown work-order field(s) {', '.join(map(repr, unknown))}; "
                          f"expected some of {', '.join(sorted(CANONICAL))}")
    by_column: dict[str, str] = {}
    for canon, source in data.items():
        other = by_column.setdefault(normalize_header(source), canon)
        if other != canon:  # map_columns would silently keep only the last of the two
            raise ConfigError(f"{path}: fields {other} and {canon} both name the column {source!r}")
    return dict(data)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
