"""``faultdesk ingest --suggest-mapping FILE``: the proposed column mapping, for a person to confirm.

The export is read as ingest reads it, its columns are matched with
:func:`~.columns.map_columns` (header vocabularies weighed by the values),
and the result is shown with a confidence per field, the share of rows that
fill it, and the columns left over. :meth:`Suggestion.mapping_file` is the
same mapping in the form ``--mapping`` reads (YAML, each line commented with
its confidence), so a person can check it, correct a line and ingest with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.errors import UnsupportedFormat

from .columns import column_samples, map_columns
from .logs import TABLE_READERS
from .vocab import ROLES


@dataclass(frozen=True)
class Suggestion:
    """A proposed mapping: (role, column, confidence, share of rows filled) per field."""

    path: str
    rows: int
    fields: tuple[tuple[str, str, float, float], ...]
    unmapped: tuple[str, ...]
    work_order_log: bool

    def mapping(self) -> dict[str, str]:
        return {role: column for role, column, _, _ in self.fields}

    def as_json(self) -> dict:
        return {"path": self.path, "rows": self.rows, "work_order_log": self.work_order_log,
                "fields": [{"field": r, "column": c, "confidence": conf, "filled": round(f, 4)}
                           for r, c, conf, f in self.fields], "unmapped": list(self.unmapped)}

    def as_text(self) -> str:
        kind = "a work-order log" if self.work_order_log else \
            "NOT a work-order log (no id or date, or no asset, code or text): it would be a table document"
        lines = [f"Proposed mapping for {self.path} ({self.rows:,} rows): {kind}",
                 f"  {'field':<16}{'column':<32}{'confidence':>10}{'filled':>8}  meaning"]
        for role, column, conf, filled in self.fields:
            lines.append(f"  {role:<16}{column[:31]:<32}{conf:>10.2f}{filled:>8.0%}  {ROLES[role]}")
        missing = [r for r in ("wo_id", "asset_id", "timestamp", "fault_code", "symptom", "downtime_h")
                   if r not in self.mapping() and not _covered(r, self.mapping())]
        if missing:
            lines.append(f"  not found: {', '.join(missing)}")
        lines.append(f"Unmapped columns (kept as text in each work order): {', '.join(self.unmapped) or 'none'}")
        return "\n".join(lines)

    def mapping_file(self) -> str:
        """YAML that ``--mapping`` accepts, one ``field: column`` line each, with its confidence."""
        import yaml

        out = [f"# Column mapping proposed for {Path(self.path).name}; check each line, then run",
               f"#   faultdesk ingest {Path(self.path).name} --mapping THIS_FILE"]
        for role, column, conf, filled in self.fields:
            line = yaml.safe_dump({role: column}, allow_unicode=True, width=10**6).strip()
            out.append(f"{line}  # confidence {conf:.2f}, filled on {filled:.0%} of rows")
        out += [f"# unmapped: {c}" for c in self.unmapped]
        return "\n".join(out) + "\n"


# Fields that a fallback role fills when the field's own column is absent.
_FALLBACKS = {"wo_id": ("notification",), "asset_id": ("asset_name", "location"),
              "timestamp": ("start", "finish"), "fault_code": ("failure_class", "fault_code_2"),
              "symptom": ("code_text",), "downtime_h": ("downtime_min", "duration_h", "duration_min")}


def _covered(role: str, mapping: Mapping[str, str]) -> bool:
    if role == "downtime_h" and {"start", "finish"} <= set(mapping):
        return True
    return any(r in mapping for r in _FALLBACKS.get(role, ()))


def suggest_mapping(path: Path | str, explicit: Mapping[str, str] | None = None) -> Suggestion:
    """The mapping ingest would use for the export at ``path`` (IngestError when it cannot be read)."""
    path = Path(path)
    reader = TABLE_READERS.get(path.suffix.lower())
    if reader is None:
        raise UnsupportedFormat(path, f"not a table export; --suggest-mapping reads "
                                      f"{' '.join(sorted(TABLE_READERS))}")
    headers, rows = reader(path)
    body = [r for _, r in rows if any(v is not None and str(v).strip() for v in r.values())]
    mapping = map_columns(headers, explicit, column_samples(headers, body))
    n = max(len(body), 1)
    filled = {h: sum(1 for r in body if r.get(h) is not None and str(r.get(h)).strip()) / n for h in headers}
    order = {role: i for i, role in enumerate(ROLES)}
    fields = sorted(((role, h, mapping.confidence.get(h, 1.0), filled[h]) for h, role in mapping.fields.items()),
                    key=lambda f: order[f[0]])
    return Suggestion(str(path), len(body), tuple(fields), tuple(mapping.unmapped), mapping.is_work_order_log())
