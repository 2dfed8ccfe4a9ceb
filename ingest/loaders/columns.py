"""Matching export headers to work-order roles, with a confidence per role.

Each header gets candidate roles from the vocabularies (:mod:`.vocab`: exact
names of generic, Maximo, SAP PM and Infor EAM exports, then word patterns),
each with a header score. When sample values are given, each candidate is
weighed by how well the column's values fit the role (dates parse, times of
day look like times, durations read as durations, ids are mostly unique,
codes are short). Candidates are then assigned best first: each header to at
most one role, each role to at most one header (one downtime column, one
duration column), earlier headers winning ties. An explicit mapping
(``{role: "Source Header"}``) wins over all of it.

>>> mapping = map_columns(["WO#", "Equipment", "Failure Code", "Downtime (min)", "Technician"])
>>> mapping.fields
{'WO#': 'wo_id', 'Equipment': 'asset_id', 'Failure Code': 'fault_code', 'Downtime (min)': 'downtime_min'}
>>> mapping.unmapped
['Technician']
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from knowledge_base.errors import ConfigError

from .values import is_date, parse_downtime, time_of_day
from .vocab import DATE_ROLES, DURATION_ROLES, EXACT, EXCLUSIVE, ROLES, TIME_ROLES, header_candidates, normalize_header

CANONICAL = frozenset(ROLES)
SYNONYMS: dict[str, tuple[str, ...]] = {}
for _name, _cands in EXACT.items():
    for _role, _score in _cands:
        if _score == 1.0:
            SYNONYMS[_role] = SYNONYMS.get(_role, ()) + (_name,)
MIN_CONFIDENCE = 0.3
SAMPLE_ROWS = 200

# A table is a work-order log when it says which order or when, and what or where.
_WHEN = frozenset({"wo_id", "notification", "timestamp", "start", "finish"})
_WHAT = frozenset({"asset_id", "asset_name", "location", "fault_code", "failure_class", "fault_code_2", "symptom",
                   "action", "cause", "code_text"})

__all__ = ["CANONICAL", "SYNONYMS", "ColumnMapping", "load_mapping_file", "map_columns", "normalize_header"]


@dataclass
class ColumnMapping:
    """Source header -> role, the headers left over, and how sure each match is."""

    fields: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # explicit mappings naming absent headers
    confidence: dict[str, float] = field(default_factory=dict)  # header -> 0..1 (1.0 when explicit)

    def column(self, role: str) -> str | None:
        """The header mapped to ``role``, if any."""
        return next((h for h, r in self.fields.items() if r == role), None)

    def is_work_order_log(self) -> bool:
        """Does the mapping name an order or a time, and an asset, code or text?"""
        roles = set(self.fields.values())
        return bool(roles & _WHEN) and bool(roles & _WHAT)

    def as_file(self) -> dict[str, str]:
        """``{role: header}``: the form ``--mapping`` reads back."""
        return {role: header for header, role in self.fields.items()}


def map_columns(headers: Sequence[str], explicit: Mapping[str, str] | None = None,
                samples: Mapping[str, Sequence[object]] | None = None) -> ColumnMapping:
    """Map each header to at most one role; ``samples`` are each header's non-blank values."""
    result = ColumnMapping()
    taken: set[str] = set()
    by_norm = {normalize_header(h): h for h in reversed(headers)}
    for canon, source in (explicit or {}).items():
        header = source if source in headers else by_norm.get(normalize_header(source))
        if header is None:
            result.missing.append(source)
        else:
            result.fields[header] = canon
            result.confidence[header] = 1.0
            taken.add(canon)
    candidates = []
    for index, header in enumerate(headers):
        if header in result.fields:
            continue
        values = samples.get(header, ()) if samples is not None else None
        for role, score in header_candidates(header):
            conf = score * (value_fit(role, values) if values is not None else 1.0)
            if conf >= MIN_CONFIDENCE:
                candidates.append((-conf, index, role, header))
    for neg, _, role, header in sorted(candidates):
        if header in result.fields or role in taken or any(role in g and g & taken for g in EXCLUSIVE):
            continue
        result.fields[header] = role
        result.confidence[header] = round(-neg, 2)
        taken.add(role)
    result.fields = {h: result.fields[h] for h in dict.fromkeys(headers) if h in result.fields}
    result.unmapped = [h for h in headers if h not in result.fields]
    return result


def value_fit(role: str, values: Sequence[object]) -> float:
    """How well a column's non-blank values fit ``role``, 0..1 (1.0 without values)."""
    values = [v for v in values if v is not None and str(v).strip()][:SAMPLE_ROWS]
    if not values:
        return 0.5  # an empty column can be anything; prefer a filled one
    share = lambda test: sum(1 for v in values if test(v)) / len(values)  # noqa: E731
    if role in DATE_ROLES:
        fit = share(is_date)
    elif role in TIME_ROLES:
        fit = share(lambda v: time_of_day(v) is not None)
    elif role in DURATION_ROLES:
        fit = share(lambda v: parse_downtime(v) is not None)
    elif role in ("wo_id", "notification"):
        return max(0.4, len({str(v) for v in values}) / len(values))  # ids repeat on multi-line orders
    elif role in ("fault_code", "failure_class", "fault_code_2"):
        return share(lambda v: len(str(v)) <= 40 and len(str(v).split()) <= 4)
    elif role == "work_type":
        return 1.0 if len({str(v).strip().lower() for v in values}) <= 20 else 0.4
    else:
        return 1.0
    return fit if fit >= 0.5 else 0.0


def column_samples(headers: Sequence[str], rows: Sequence[Mapping[str, object]]) -> dict[str, list[object]]:
    """The first :data:`SAMPLE_ROWS` non-blank values of each header."""
    out: dict[str, list[object]] = {h: [] for h in headers}
    for row in rows:
        for h in headers:
            v = row.get(h)
            if v is not None and str(v).strip() and len(out[h]) < SAMPLE_ROWS:
                out[h].append(v)
    return out


def load_mapping_file(path: Path | str) -> dict[str, str]:
    """Read an explicit column mapping from JSON or YAML: ``{role: "Source Header"}``."""
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
