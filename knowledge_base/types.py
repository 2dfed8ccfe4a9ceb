"""Frozen dataclasses passed between stages.

Document flow:  file -> ParsedDocument(blocks, records) -> Chunk -> Hit
Fault logs:     file -> WorkOrder (structured row) and one Chunk each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Block / chunk kinds. A procedure, warning, table row or definition-list item
# ("TERM  what it means", its term first) is never split or merged.
TEXT, HEADING, PROCEDURE, WARNING, TABLE_ROW, WORK_ORDER, DEFINITION = (
    "text", "heading", "procedure", "warning", "table_row", "work_order", "definition",
)
WHOLE_KINDS = frozenset({PROCEDURE, WARNING, TABLE_ROW, WORK_ORDER, DEFINITION})
# Kinds that define a code: a fault-table row, a definition-list item.
DEFINING_KINDS = frozenset({TABLE_ROW, DEFINITION})

# Document types: a table that is not a work-order log is a TABLE (or an FMEA table) of table rows.
MANUAL, FAULT_LOG, TABLE, FMEA = "manual", "fault_log", "table", "fmea"
#: The columns of an FMEA table (``assistant.alerts.fmea`` reads them; ingest recognises them).
FMEA_COLUMNS = ("equipment_model", "pattern", "failure_mode", "fault_codes", "keywords")
#: WorkOrder.work_type values; None is unknown (counted as corrective when it has a fault code).
PREVENTIVE, CORRECTIVE = "preventive", "corrective"


@dataclass(frozen=True)
class Block:
    """One structural unit a loader found: a paragraph, a numbered procedure,
    a WARNING/CAUTION/DANGER block, or one row of a table.

    ``page`` is 1-based for paged formats (PDF) and None elsewhere;
    ``section`` is the heading path above the block, outermost first.
    """

    text: str
    kind: str = TEXT
    page: int | None = None
    section: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkOrder:
    """One fault-log / work-order record, with canonical field names."""

    wo_id: str
    asset_id: str | None = None
    timestamp: str | None = None  # ISO 8601
    fault_code: str | None = None
    symptom: str = ""
    cause: str = ""
    action: str = ""
    downtime_h: float | None = None
    equipment_model: str | None = None
    extra: tuple[tuple[str, str], ...] = ()
    work_type: str | None = None  # PREVENTIVE, CORRECTIVE or None (not said)

    def is_failure(self) -> bool:
        """A failure is a work order with a fault code that is not preventive work."""
        return bool(self.fault_code and self.fault_code.strip()) and self.work_type != PREVENTIVE

    def as_text(self) -> str:
        """The searchable one-paragraph form of the record."""
        parts = [f"Work order {self.wo_id}"]
        if self.asset_id:
            parts.append(f"asset {self.asset_id}" + (f" ({self.equipment_model})" if self.equipment_model else ""))
        if self.timestamp:
            parts.append(f"date {self.timestamp}{_month_words(self.timestamp)}")
        if self.fault_code:
            parts.append(f"fault code {self.fault_code}")
        for label, value in (("symptom", self.symptom), ("cause", self.cause), ("action", self.action)):
            if value:
                parts.append(f"{label}: {value}")
        if self.downtime_h is not None:
            parts.append(f"downtime {self.downtime_h:g} h")
        if self.work_type:
            parts.append(f"{self.work_type} work")
        parts.extend(f"{k}: {v}" for k, v in self.extra if v)
        return "; ".join(parts) + "."


_MONTHS = ("January February March April May June July August September October November "
           "December").split()


def _month_words(iso: str) -> str:
    """" (November 2025)" for an ISO date, so "in November 2025" finds it."""
    try:
        year, month = int(iso[:4]), int(iso[5:7])
    except ValueError:
        return ""
    return f" ({_MONTHS[month - 1]} {year})" if 1 <= month <= 12 and iso[4:5] == "-" else ""


@dataclass(frozen=True)
class ParsedDocument:
    """What a loader returns for one file. Manuals fill ``blocks``; fault-log
    exports fill ``records``. ``notes`` carries non-fatal remarks such as
    unmapped columns or skipped rows, shown in the ingest summary."""

    source: str
    title: str
    doc_type: str = MANUAL
    blocks: tuple[Block, ...] = ()
    records: tuple[WorkOrder, ...] = ()
    equipment_model: str | None = None
    pages: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """One searchable unit of the knowledge base."""

    id: str
    text: str
    source: str
    ordinal: int = 0
    page: int | None = None
    section: tuple[str, ...] = ()
    title: str = ""
    equipment_model: str | None = None
    fault_codes: tuple[str, ...] = ()  # normalised, e.g. ("E104",)
    doc_type: str = MANUAL
    kind: str = TEXT
    asset_id: str | None = None

    def header(self) -> str:
        """The contextual header: document title and section path, outermost first.

        >>> Chunk("i", "Motor too hot.", "m.md", section=("Faults", "BRAKE_OVERHEAT"), title="X manual").header()
        'X manual > Faults > BRAKE_OVERHEAT'
        """
        return " > ".join(s for s in (self.title, *self.section) if s)

    def embed_text(self) -> str:
        """The text given to the embedder: the contextual header, then the body.
        A body that never names the code its heading defines is still found."""
        head = self.header()
        return f"{head}\n{self.text}" if head else self.text

    def index_text(self) -> str:
        """The text the keyword index holds for this chunk: the same as the
        embedder sees (header, then body), so both lanes know the section."""
        return self.embed_text()


@dataclass(frozen=True)
class FileRecord:
    """The catalog's entry for one ingested file.

    ``path`` (absolute) is the catalog key and the chunks' source; ``sha256``
    hashes the content salted with the settings that shape its chunks;
    ``content_sha`` hashes the bytes alone and ``rel_path`` is the path below
    the folder it was ingested from: together they identify the file when it
    is copied or moved (see ``ingest.identity``)."""

    path: str
    sha256: str
    size: int
    mtime: float
    chunk_count: int = 0
    doc_type: str = MANUAL
    content_sha: str = ""
    rel_path: str = ""


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its score from one lane or the fused ranking."""

    chunk: Chunk
    score: float
    lane: str = "hybrid"
    lanes: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    """Rank (1-based) of the chunk in each lane that found it."""

    def as_json(self, rank: int) -> dict:
        """The search result format of ``faultdesk search --json`` and ``GET /api/v1/search``."""
        c = self.chunk
        return {"rank": rank, "score": round(self.score, 6), "text": c.text, "source": c.source,
                "page": c.page, "section": " > ".join(c.section), "fault_codes": list(c.fault_codes),
                "doc_type": c.doc_type, "equipment_model": c.equipment_model}
