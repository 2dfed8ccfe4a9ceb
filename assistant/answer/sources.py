"""Source selection: which retrieved chunks an answer is written from, and their labels.

:class:`SourceSelector` picks and orders the chunks (a procedure's steps whole,
a symptom's diagnosis section, at most two past work orders beside the manual),
:func:`number_sources` labels them [1].. and [W1].., and :func:`prompt_sources`
is the part of them a model reads.

>>> from knowledge_base.types import Chunk, WORK_ORDER
>>> chunks = [Chunk("a", "Check alignment.", "m.md"), Chunk("w", "Replaced seal.", "wo.csv", kind=WORK_ORDER),
...           Chunk("b", "Clean the fins.", "m.md")]
>>> [s.label for s in number_sources(chunks)]
['1', 'W1', '2']
>>> [s.label for s in prompt_sources(number_sources(chunks), 1)]
['1', 'W1']
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge_base.index import SqliteIndex
from knowledge_base.retrieval import HybridRetriever, Query
from knowledge_base.types import PROCEDURE, TABLE_ROW, TEXT, WARNING, WORK_ORDER, Chunk

from . import safety
from .focus import diagnosis_section, is_safety_chapter, lead, moves_on, procedure_group, section_key
from .intent import is_symptom
from .next_step import given_before
from .prompt import compact
from .reading import explanation
from .types import Source


class SourceSelector:
    """Chooses the chunks to number as sources from ranked hits, over the
    retriever's index; ``n_sources`` is how many an answer normally gets."""

    def __init__(self, retriever: HybridRetriever, n_sources: int = 4) -> None:
        self.retriever, self.n_sources = retriever, n_sources

    @property
    def index(self) -> SqliteIndex:
        return self.retriever.store.index

    def select(self, hits: Sequence[Chunk], question: str = "",
               skip: frozenset = frozenset()) -> list[Chunk]:
        """The chunks to number as sources, best first.

        The best hit leads. If it is a fault-table row whose remedy points at
        a procedure ("check alignment (5.2)"), or a passage in a section
        that has a numbered procedure, that procedure comes second: the
        steps are what an engineer needs, every chunk of it (``focus``). A
        symptom leads with its explanation and the manual's diagnosis
        section, the explanation being the passage whose sentence reads the
        observation (``reading``). Sections in ``skip`` (done in the previous turn) are left
        out and a fault row's next referenced procedure is taken. Work orders
        are capped at two unless the best hit is one (a history question), so
        similar past faults do not crowd out the manual.
        """
        hits = [c for c in hits if section_key(c) not in skip] or list(hits)
        if not hits:
            return []
        chosen: list[Chunk] = []
        rest = hits[1:]  # the best hit leads, or is passed over on purpose (a "how do I" question)
        if is_symptom(question) and hits[0].kind != TABLE_ROW and (diag := diagnosis_section(self.index, hits)):
            chosen = [c for c in (explanation(hits, diag, question),) if c] + diag
            rest = hits  # the best hit still follows when another passage explains the symptom
        else:
            top = lead(hits, question)
            chosen = procedure_group(self.index, top) if top.kind == PROCEDURE else [top]
            for proc in self.procedures_for(top, skip)[:1]:
                chosen += [p for p in procedure_group(self.index, proc) if p not in chosen]
        top = chosen[0]
        limit = max(self.n_sources, len(chosen) + 1)
        cap = self.n_sources if top.kind == WORK_ORDER else 2
        for c in rest:
            if len(chosen) >= limit:
                break
            if c in chosen or (c.kind == WORK_ORDER and sum(x.kind == WORK_ORDER for x in chosen) >= cap):
                continue
            chosen.append(c)
        return chosen

    def procedures_for(self, top: Chunk, skip: frozenset = frozenset()) -> list[Chunk]:
        """The procedure ``top`` leads to: the first section a fault row's remedy
        refers to (not a safety chapter, not in ``skip``), or the numbered
        procedure of a passage's own section; at most one chunk, empty when none."""
        if top.kind == TABLE_ROW:
            for n in safety.referenced_sections(top.text):
                found = self.index.numbered_section_chunks(top.source, n, PROCEDURE)
                if found and section_key(found[0]) not in skip and not is_safety_chapter(found[0]):
                    return found[:1]
            return []
        if top.kind in (TEXT, WARNING) and top.section:
            return self.index.section_chunks(top.source, top.section, PROCEDURE)[:1]
        return []

    def done_before(self, question: str, history: Sequence[str],
                    asset: str | None) -> tuple[frozenset, tuple[str, ...]]:
        """What the previous turn gave and ``question`` moves on from (it says
        it was done or did not help), and the codes of a diagnosis it gave
        whole: ``next_step.given_before``."""
        if not history or not moves_on(question):
            return frozenset(), ()
        prev = self.retriever.retrieve(Query(history[-1], k=max(8, self.n_sources), asset=asset))
        return given_before(self.select([h.chunk for h in prev.hits], history[-1]), question, self.index)


def prompt_sources(sources: Sequence[Source], n: int) -> list[Source]:
    """What the model reads: the alerts, past work orders and the first ``n``
    manual sources (a long prompt stalls a small model on a busy CPU; the
    procedure's other chunks and referenced steps are added to its answer
    verbatim instead)."""
    manual = [s for s in sources if s.label.isdigit()][:n]
    return [s for s in sources if not s.label.isdigit() or s in manual]


def number_sources(chunks: Sequence[Chunk]) -> list[Source]:
    """Label sources in order: past work orders W1, W2, ..., the rest 1, 2, ..."""
    counts = {"W": 0, "": 0}
    out = []
    for c in chunks:
        prefix = "W" if c.kind == WORK_ORDER else ""
        counts[prefix] += 1
        out.append(Source(f"{prefix}{counts[prefix]}", c, compact(c)))
    return out
