"""The exact fault-code lane: which codes a question names, which chunks carry
them, and which definitions lead the fused ranking.

A question's codes are the configured-pattern codes (``codes.CodeMatcher``;
loosely typed ones only when the knowledge base knows them, strictly
written ones always, so "E-999" finds nothing) plus every code-shaped token
(``vocabulary.question_candidates``) that is in the knowledge base's
learned vocabulary. A named code that the knowledge base does not define
but whose family it knows (``CUPS_BACKEND_PAUSE`` beside
``CUPS_BACKEND_STOP``, "bit 8" beside bits 0-7) is *unknown*: the abstainer
answers "not found" and names the nearest codes of that family.

The same code may be defined several times (one entry per model or
variant): every definition is pinned, the one in the asked model's chunks
first, then in the order the other lanes ranked them (the contextual header
"Matrix-UPS > Register 1" makes BM25 and the embedding prefer the right one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .codes import CodeMatcher
from .index import SqliteIndex
from .named_docs import NamedDocuments, stem_words
from .types import DEFINING_KINDS, DEFINITION, PROCEDURE, TABLE_ROW, WARNING, WORK_ORDER, Hit
from .vocabulary import family, heading_codes, known_form, question_candidates

_KIND_ORDER = {TABLE_ROW: 0, DEFINITION: 0, PROCEDURE: 1, WARNING: 2, WORK_ORDER: 4}
_QUALIFIED = re.compile(r"^[A-Z]+(\d+)$")
_PATH = re.compile(r"(?<![\w/])/(?:[\w.-]+/)+[\w.-]*")


def without_paths(text: str) -> str:
    """``text`` with its absolute file paths blanked: ``/dev/md0`` names a
    device, not code MD0 (a path's parts are still keywords for BM25).

    >>> without_paths("mdadm --detail /dev/md0 says Fail; see md/sync_action")
    'mdadm --detail   says Fail; see md/sync_action'
    """
    return _PATH.sub(" ", text)


class CodeLane:
    """Finds codes in questions and ranks the chunks that carry them."""

    def __init__(self, index: SqliteIndex, matcher: CodeMatcher) -> None:
        self.index, self.matcher = index, matcher
        self.refresh()

    def refresh(self) -> None:
        """Re-read the vocabulary (every code some chunk carries)."""
        self.known = self.index.known_codes()
        self.families = {family(c) for c in self.known}
        self.named = NamedDocuments(self.index.files())

    def named_documents(self, text: str) -> tuple[str, ...]:
        """The documents the question names by their file's name (``named_docs``)."""
        return self.named.find(without_paths(text))

    def question_codes(self, text: str) -> tuple[str, ...]:
        text = without_paths(text)
        strict = set(self.matcher.find(text))
        seed = [c for c in self.matcher.find(text, lenient=True) if c in self.known or c in strict]
        learned = []
        for c in question_candidates(text):
            form = known_form(c, self.known)
            if form is not None and (form == c or not c.startswith(form)):
                learned.append(form)  # REBUILD40 -> REBUILDNN; a model's revision (RX300S2) names no code
        return tuple(dict.fromkeys(seed + learned))

    def unknown_codes(self, text: str) -> tuple[str, ...]:
        """Code-shaped tokens of a family the knowledge base uses, that it does
        not define and (for plain capital words) never even mentions."""
        out = []
        cands = question_candidates(without_paths(text))
        for c in cands:
            fam = family(c)
            if known_form(c, self.known) is not None or fam not in self.families or fam == "#NUM":
                continue
            if fam in ("#CAPS",) or "_" in c or "." in c:
                if self.index.term_count(c.lower()):
                    continue  # the word occurs in the documents: not an invented code
            out.append(c)
        return tuple(out)

    def search(self, codes: Sequence[str], k: int, where=None, model: str | None = None,
               docs: Sequence[str] = ()) -> list[Hit]:
        """Chunks carrying the codes: most of the named codes first, those of
        the documents the question names (``docs``: file paths), the asked
        model's, definitions before procedures and warnings before work orders."""
        rows = self.index.code_matches(list(codes), k * 4, where)
        for path in docs:  # a code defined on 40 pages: the named page's chunks are never cut off
            rows += self.index.code_matches(list(codes), k, {**(where or {}), "source": path})
        rows = list({r[0]: r for r in rows}.values())
        chunks = self.index.chunks([r[0] for r in rows])
        named = set(docs)

        def key(r):
            c = chunks[r[0]]
            head = set(self.matcher.find(c.text.split("|")[0], lenient=True))
            return (-r[1], c.source not in named if named else 0, c.equipment_model != model if model else 0,
                    _KIND_ORDER.get(r[3], 3), not head & set(codes), r[2])

        ranked = sorted((r for r in rows if r[0] in chunks), key=key)[:k]
        return [Hit(chunks[r[0]], float(r[1]), "code") for r in ranked]


def defines(hit: Hit, code: str) -> bool:
    """Whether the chunk is a definition of ``code`` (a table row, a definition
    item, or a chunk under a heading that is the code)."""
    c = hit.chunk
    if code not in c.fault_codes:
        return False
    return c.kind in DEFINING_KINDS or code in heading_codes(c.section[-1] if c.section else "")


def pin_definitions(fused: list[Hit], code_hits: Sequence[Hit], codes: Sequence[str],
                    model: str | None = None, per_code: int = 3, docs: Sequence[str] = ()) -> list[Hit]:
    """Put the definitions of each named code first: an exact code match
    outranks any similarity. Every definition of a code (up to ``per_code``):
    those carrying more of the named codes first ("REG3 bit1"), then those of
    a document the question names by its file's name (``docs``), then the asked
    model's, then in fused order; a bare number is pinned
    only when no qualified form of it ("STATUS2") was named. When two or more
    are pinned, the fused ranking's best passage, if not one of them, comes second."""
    qualified = {m.group(1) for c in codes if (m := _QUALIFIED.match(c))}
    # a named page's own name ("modbus_new_tcp", learned from its NAME line) is
    # the question's subject, not the code asked about: its line is pinned last
    names = {"".join(stem_words(d)).upper() for d in docs}
    codes = sorted(codes, key=lambda c: re.sub(r"[\W_]", "", c.upper()) in names)
    order = {h.chunk.id: i for i, h in enumerate(fused)}
    pins: list[str] = []
    for code in codes:
        if code in qualified:
            continue
        defs = [h for h in code_hits if defines(h, code)] or \
            [h for h in code_hits if code in h.chunk.fault_codes][:1]
        defs.sort(key=lambda h: (-len(set(codes) & set(h.chunk.fault_codes)),
                                 bool(docs) and h.chunk.source not in docs,
                                 bool(model) and h.chunk.equipment_model != model and
                                 model.lower() not in h.chunk.embed_text().lower(),
                                 order.get(h.chunk.id, len(order))))
        for h in defs[:per_code]:
            if h.chunk.id not in pins:
                pins.append(h.chunk.id)
    if not pins:
        return fused
    top = max((h.score for h in fused), default=1.0)
    by_id = {h.chunk.id: h for h in fused}
    by_id.update({h.chunk.id: h for h in code_hits if h.chunk.id not in by_id})
    pinned = [replace(by_id[c], score=top + len(pins) - i) for i, c in enumerate(pins) if c in by_id]
    rest = [h for h in fused if h.chunk.id not in pins]
    if len(pinned) > 1 and rest and fused[0] is rest[0]:
        # the other lanes' best passage stays second: a question about one thing of a named
        # code ("stm32f1x unlock - does it erase?") is answered there, not by its 3rd definition
        pinned.insert(1, replace(rest.pop(0), score=pinned[0].score - 0.5))
    return pinned + rest
