"""Which passages an answer is built from, given what was asked.

Hooks for :meth:`assistant.answer.sources.SourceSelector.select` (pure functions of the
hits and the question, plus index look-ups):

* :func:`prefer_model`: a question scoped to an asset that names no kind of
  equipment of its own is about that asset's model: its manual's passages
  come first ("What belt tension?" on a compressor is not the conveyor's).
* :func:`diagnosis_section`: a symptom ("discharge temperature keeps
  rising") is answered from the manual's diagnosis section for it
  ("Diagnosing compressor overheating"), found among the hits or in the
  sections of the best manual hit's document.
* :func:`moves_on`: a follow-up that says the earlier advice was done or did
  not help ("alignment is within tolerance, still vibrating, what next?");
  the procedures the previous turn gave are then skipped, and a fault row's
  next referenced section is taken.
* :func:`procedure_group`: every chunk of a procedure that runs over
  several chunks (pages), in order, so no step is lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge_base.types import MANUAL, PROCEDURE, TEXT, Chunk

from .intent import equipment_words

_DIAGNOSIS = re.compile(r"\b(diagnos\w*|investigat\w*|troubleshoot\w*|fault[- ]finding|finding the cause|"
                        r"checking the cause)\b", re.I)
_MOVES_ON = re.compile(
    r"\b(next|what else|else|didn'?t help|doesn'?t help|did not help|does not help|still|"
    r"(is|are|was|were|looks?) (ok|okay|fine|good|clean|normal|within)|within tolerance|no (jam|leak)\w*|"
    r"spins? freely|between the marks|plenty of)\b", re.I)
_HOW = re.compile(r"\b(how (do|to|should|can|is|are) \w+|procedure|steps|sequence|walk me through|"
                  r"swap|replace|exchange[ds]?|re-?lag|change the)\b", re.I)
_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\s")


def section_number(chunk: Chunk) -> str:
    """``5.3`` from the innermost numbered heading, else ``""``."""
    for heading in reversed(chunk.section):
        if m := _NUMBER.match(heading + " "):
            return m.group(1)
    return ""


def section_key(chunk: Chunk) -> tuple[str, str]:
    return chunk.source, section_number(chunk) or " > ".join(chunk.section)


def prefer_model(hits: Sequence[Chunk], model: str | None, question: str, scoped: bool) -> list[Chunk]:
    """Hits of ``model`` first (stable), when the question is scoped to an
    asset and names no equipment kind and no other model of its own."""
    if not (scoped and model) or equipment_words(question):
        return list(hits)
    mine = [c for c in hits if c.equipment_model == model]
    return mine + [c for c in hits if c.equipment_model != model] if mine else list(hits)


def scoped_hits(retriever, query: str, retrieval, question: str, asset: str | None, k: int = 8) -> list[Chunk]:
    """The hits to answer from: :func:`prefer_model` of ``retrieval``; when
    none of the first three is of the asset's model, that model's own best
    passages (retrieved again, restricted to it) lead. A question naming a
    code keeps the retriever's order (the code's definitions lead)."""
    from knowledge_base.retrieval import Query

    if retrieval.codes:  # a named code's definitions are pinned first, whichever manual has them
        return [h.chunk for h in retrieval.hits]
    hits = prefer_model([h.chunk for h in retrieval.hits], retrieval.model, question, asset is not None)
    model = retrieval.model
    if asset is None or not model or equipment_words(question) or any(c.equipment_model == model for c in hits[:3]):
        return hits
    own = [h.chunk for h in retriever.retrieve(Query(query, k=k, asset=asset,
                                                     filters={"equipment_model": model})).hits]
    return own + [c for c in hits if c not in own]


def is_diagnosis(chunk: Chunk) -> bool:
    return chunk.doc_type == MANUAL and any(_DIAGNOSIS.search(h) for h in chunk.section[-1:])


def diagnosis_section(index, hits: Sequence[Chunk], limit: int = 8) -> list[Chunk]:
    """The diagnosis procedure for a symptom: the best-ranked hit (of the
    first ``limit``) under a diagnosis heading; its PROCEDURE chunks (or the
    hit alone), in order. Empty when no such hit was retrieved."""
    manual = [c for c in hits[:limit] if c.doc_type == MANUAL]
    found = next((c for c in manual if is_diagnosis(c)), None)
    if found is None:
        return []
    return procedure_group(index, found) or [found]


def procedure_group(index, chunk: Chunk) -> list[Chunk]:
    """Every PROCEDURE chunk of ``chunk``'s section, in document order."""
    if not chunk.section:
        return [chunk] if chunk.kind == PROCEDURE else []
    group = index.section_chunks(chunk.source, chunk.section, PROCEDURE)
    return group or ([chunk] if chunk.kind == PROCEDURE else [])


def lead(hits: Sequence[Chunk], question: str, depth: int = 8) -> Chunk:
    """The hit an answer leads with: the best one, except that a question
    asking how to do something leads with the best-ranked procedure of the
    first ``depth`` hits, else with the best manual passage (whose section's
    procedure then follows): a past work order or a spare-parts row does not
    answer "how do I ...". Only the procedures of the best manual passage's
    equipment model count: "how do I read the compressor's alarm log" is not
    answered with the spindle's lubrication procedure ranked eighth.

    >>> wo = Chunk("w", "Work order 1", "log.csv", kind="work_order", doc_type="fault_log")
    >>> text = Chunk("t", "The seal is a cartridge.", "m.pdf", section=("5.5 Seal",), kind="text")
    >>> lead([wo, text], "How do I replace the seal?").id, lead([wo, text], "seal leak history").id
    ('t', 'w')
    >>> other = Chunk("o", "1. Refill the oil.", "s.pdf", section=("5.2 Oil",), kind="procedure", equipment_model="S")
    >>> log = Chunk("l", "The log holds 100 alarms.", "c.pdf", section=("4.1 Log",), kind="text", equipment_model="C")
    >>> lead([log, other], "How do I read the alarm log?").id
    'l'

    """
    if asks_how(question) and hits[0].kind != PROCEDURE:
        top = hits[:depth]
        anchor = next((c for c in top if c.doc_type == MANUAL), None)
        if anchor is not None:  # the best manual's machine: not another machine's procedure further down
            top = [c for c in top if c.equipment_model == anchor.equipment_model or c.doc_type != MANUAL]
        return (next((c for c in top if c.kind == PROCEDURE), None)
                or next((c for c in top if c.kind == TEXT and c.doc_type == MANUAL and c.section), hits[0]))
    return hits[0]


def asks_how(question: str) -> bool:
    return bool(_HOW.search(question))


def is_safety_chapter(chunk: Chunk) -> bool:
    """A lockout or PPE section: a remedy's prerequisite, linked from the
    repair's own steps, not the repair."""
    return bool(chunk.section) and "safety" in chunk.section[0].lower()


def moves_on(question: str) -> bool:
    """The question reports earlier checks done or not helping."""
    return bool(_MOVES_ON.search(question))

