"""From a monitor's alert to the evidence an engineer needs.

:class:`AlertAnalyst` reads an :class:`~monitors.types.Alert` as the FMEA
table does (:mod:`assistant.alerts.fmea`): its top signals and the direction each
moved give candidate failure modes and fault codes. Each candidate becomes a
retrieval query restricted to the asset's equipment model, and the manual
sections found are ranked as procedures:

* within one candidate, the sections its codes' fault-table rows point at
  come first ("check alignment (5.2); replace the bearing (5.3)", in the
  row's order: the manual's own first check), then the sections of the
  other passages retrieved for it that hold a procedure;
* across candidates, a section earns ``candidate score / (1 + rank)`` from
  every candidate that found it.

:meth:`AlertAnalyst.analyse` adds the fault-table rows of the candidate codes
and the most similar past work orders (:mod:`assistant.alerts.history`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from knowledge_base.codes import normalize_code
from knowledge_base.retrieval import HybridRetriever, Query
from knowledge_base.types import MANUAL, PROCEDURE, TABLE_ROW, Chunk

from assistant.answer import safety
from .fmea import AlertPattern, Candidate, FailureMode, FmeaTable, codes_of
from .history import PastFault, similar_work_orders

_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\s")


@dataclass(frozen=True)
class ProcedureRef:
    """A manual section judged relevant to an alert: file, number, title and
    the passage that stands for it (its first procedure chunk)."""

    source: str
    number: str
    title: str
    chunk: Chunk
    score: float


@dataclass(frozen=True)
class AlertContext:
    """Everything the assistant and the report use to explain one alert."""

    alert: object  # monitors.types.Alert
    equipment_model: str | None
    pattern: AlertPattern
    candidates: tuple[Candidate, ...]
    procedures: tuple[ProcedureRef, ...]
    rows: tuple[Chunk, ...]  # fault-table rows of the candidate codes
    past: tuple[PastFault, ...]


def section_number(chunk: Chunk) -> str | None:
    """The number of the chunk's innermost numbered heading ("5.3"), or None."""
    for heading in reversed(chunk.section):
        if m := _NUMBER.match(heading + " "):
            return m.group(1)
    return None


#: Weight of the signal-words query beside the FMEA candidates: below any
#: matched FMEA row, so it only ranks sections that the table does not reach.
SIGNAL_QUERY_WEIGHT = 0.3


def signal_candidate(pattern: AlertPattern) -> Candidate:
    """A pseudo failure mode whose query is the alert's signal names and
    directions ("bearing_de_rms falling"): the manuals name signals in their
    fault tables and limits, so this finds sections no FMEA row covers."""
    words = " ".join(f"{s} {_WORD.get(pattern.trends.get(s), '')}".strip() for s in pattern.top_signals)
    mode = FailureMode(pattern.equipment_model or "", (), "signal pattern", (), words)
    return Candidate(mode, SIGNAL_QUERY_WEIGHT, f"the manual names {', '.join(pattern.top_signals)}")


_WORD = {"up": "high rising", "down": "low falling"}


def _is_safety(chunk: Chunk) -> bool:
    """Under a top-level "Safety" chapter: a prerequisite of any repair, not a fix."""
    return bool(chunk.section) and "safety" in chunk.section[0].lower()


def _defines(row: Chunk) -> str | None:
    """The code a fault-table row defines (its first code; others are mentions)."""
    return row.fault_codes[0] if row.fault_codes else None


def when(ts: float) -> str:
    """``2024-03-14 10:38 UTC`` from POSIX seconds."""
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def describe(alert, pattern: AlertPattern | None = None) -> str:
    """One line an engineer reads (and the generator quotes) for an alert."""
    state = "active" if alert.closed is None else f"closed {when(alert.closed)}"
    signals = pattern.describe() if pattern is not None else ", ".join(alert.top_signals)
    thr = f" (threshold {alert.threshold:.2f})" if alert.threshold is not None else ""
    return (f"{alert.severity} on {alert.asset} since {when(alert.started)}, {state}, "
            f"score {alert.score:.2f}{thr}, top signals {signals}; detector {alert.detector}.")


class AlertAnalyst:
    """Turns alerts into candidate failure modes, procedures and past faults."""

    def __init__(self, retriever: HybridRetriever, fmea: FmeaTable, per_query: int = 12) -> None:
        self.retriever, self.fmea, self.per_query = retriever, fmea, per_query

    @property
    def index(self):
        return self.retriever.store.index

    def model_of(self, asset: str) -> str | None:
        return self.retriever.assets.model(asset)

    def procedures(self, pattern: AlertPattern, asset: str | None = None, k: int = 3,
                   candidates: Sequence[Candidate] | None = None) -> list[ProcedureRef]:
        """The ``k`` manual sections most relevant to ``pattern``, best first."""
        cands = list(candidates) if candidates is not None else self.fmea.candidates(pattern)
        cands.append(signal_candidate(pattern))  # fills in where the FMEA table has no row
        scores: dict[tuple[str, str], float] = {}
        chunks: dict[tuple[str, str], Chunk] = {}
        for cand in cands:
            for rank, chunk in enumerate(self._sections_for(cand, pattern.equipment_model, asset)):
                key = (chunk.source, section_number(chunk) or "")
                scores[key] = scores.get(key, 0.0) + cand.score / (1 + rank)
                chunks.setdefault(key, chunk)
        refs = []
        for key in sorted(scores, key=lambda key: -scores[key])[:k]:
            c = chunks[key]
            refs.append(ProcedureRef(*key, c.section[-1] if c.section else c.title, c, round(scores[key], 4)))
        return refs

    def _sections_for(self, cand: Candidate, model: str | None, asset: str | None) -> list[Chunk]:
        """One chunk per numbered section for this candidate, in its own order:
        first the sections its codes' fault-table rows point at (the manual's
        remedy, first check first), then the sections of the other passages
        retrieved for it that hold a procedure."""
        filters = {"doc_type": MANUAL} | ({"equipment_model": model} if model else {})
        # The candidate names its codes: none are guessed from the query text (signal tags
        # such as oil_temp_c look like codes to the learned vocabulary).
        codes = [normalize_code(c) for c in cand.mode.fault_codes]
        # Reciprocal-rank fusion here: this query is a bag of FMEA and signal words, not a
        # question; score fusion (the default) lost one alert-scenario gate case (final 17/20 vs 18/20).
        hits = self.retriever.retrieve(Query(cand.mode.query(), self.per_query, "hybrid", asset, filters,
                                             codes=tuple(codes), fusion="rrf")).hits
        rows = [h.chunk for h in hits if h.chunk.kind == TABLE_ROW and (_defines(h.chunk) in codes or not codes)]
        if codes:
            rows.sort(key=lambda r: codes.index(_defines(r)))
        else:  # the signal query: only the rows that name a top signal
            rows = [r for r in rows if any(sig in r.text for sig in cand.mode.keywords.split())][:2]
        found: list[Chunk] = []
        for row in rows:  # in the order the FMEA row lists its codes (main code first)
            for number in safety.referenced_sections(row.text):
                found += self._section_chunk(row.source, number)
        for c in (h.chunk for h in hits if h.chunk.kind != TABLE_ROW):
            if (n := section_number(c)) is not None:
                found += [p for p in self._section_chunk(c.source, n) if p.kind == PROCEDURE]
        out: dict[str, Chunk] = {}
        for c in found:
            if not _is_safety(c):  # lockout etc. come with every repair, quoted by ``safety``
                out.setdefault(f"{c.source}#{section_number(c)}", c)
        return list(out.values())

    def _section_chunk(self, source: str, number: str) -> list[Chunk]:
        """The passage standing for section ``number``: its first procedure chunk, else its first chunk."""
        chunks = (self.index.numbered_section_chunks(source, number, PROCEDURE)
                  or self.index.numbered_section_chunks(source, number))
        return chunks[:1]

    def fault_rows(self, codes: Sequence[str], model: str | None, limit: int = 2) -> list[Chunk]:
        """The fault-table rows that define ``codes`` (for ``model``), in order."""
        rows: list[Chunk] = []
        for code in codes:
            hits = self.retriever.retrieve(Query(code, 3, "code", None, {"doc_type": MANUAL}
                                                 | ({"equipment_model": model} if model else {}))).hits
            rows += [h.chunk for h in hits[:1] if h.chunk.kind == TABLE_ROW and h.chunk not in rows]
            if len(rows) >= limit:
                break
        return rows

    def analyse(self, alert, k_procedures: int = 3, k_past: int = 3) -> AlertContext:
        """Candidates, procedures, fault rows and similar past faults for ``alert``."""
        model = self.model_of(alert.asset)
        pattern = AlertPattern.from_alert(alert, model)
        cands = self.fmea.candidates(pattern)
        procs = self.procedures(pattern, alert.asset, k_procedures, cands)
        codes = codes_of(cands)
        rows = self.fault_rows(codes, model)
        text = " ".join([*codes, *(c.mode.failure_mode for c in cands[:1]), *alert.top_signals])
        past = similar_work_orders(self.retriever, text, alert.asset, k_past) if text.strip() else []
        return AlertContext(alert, model, pattern, tuple(cands), tuple(procs), tuple(rows), tuple(past))


class AlertFeed:
    """The alerts an answer about some assets should address: each asset's
    active alerts, then those closed within ``recent_h`` hours (wall clock),
    newest first, at most ``limit`` in all."""

    def __init__(self, store, recent_h: float = 24.0, limit: int = 2,
                 clock: Callable[[], float] = time.time) -> None:
        self.store, self.recent_h, self.limit, self.clock = store, recent_h, limit, clock

    def for_assets(self, assets: Sequence[str]) -> list:
        active, recent = [], []
        horizon = self.clock() - self.recent_h * 3600
        for asset in assets:
            active += self.store.active(asset=asset)
            recent += [a for a in self.store.history(asset=asset, limit=20)
                       if a.closed is not None and a.closed >= horizon]
        return (sorted(active, key=lambda a: -a.started) + sorted(recent, key=lambda a: -a.started))[:self.limit]
