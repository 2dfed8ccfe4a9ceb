"""Safety text that must accompany an answer, quoted verbatim.

When an answer uses a passage of a procedure section, or a fault-table row
that points at one ("replace the bearing (5.3)"), every WARNING / CAUTION /
DANGER block filed under that heading of the same manual is quoted word for
word, as is any warning the answer cites. A "warning" that addresses the AI
(``knowledge_base.injection``), or one that advises defeating a safety device
and does not read as a warning (``unsafe.quotable``), is not the manual's
safety text and is never quoted.
"""

from __future__ import annotations

import re

from collections.abc import Sequence

from knowledge_base.index import SqliteIndex
from knowledge_base.injection import screen
from knowledge_base.types import FAULT_LOG, TABLE_ROW, WARNING, Chunk

from assistant.safety_filter.unsafe import quotable

HEADING = "Safety (quoted from the manual)"
_REF = re.compile(r"\((?:see\s+)?(\d{1,2}\.\d{1,2})\)|\bsee\s+(\d{1,2}\.\d{1,2})\b")


def referenced_sections(text: str) -> list[str]:
    """Section numbers a fault-table remedy points at: "(5.3)", "see 5.3".

    >>> referenced_sections("Check alignment (5.2); replace the bearing (see 5.3).")
    ['5.2', '5.3']
    """
    return list(dict.fromkeys(a or b for a, b in _REF.findall(text)))


def warnings_for(index: SqliteIndex, used: Sequence[Chunk], limit: int = 3) -> list[Chunk]:
    """Warning chunks that belong with the chunks an answer used, in order,
    without repeats, at most ``limit``."""
    out: dict[str, Chunk] = {}
    for c in used:
        if c.doc_type == FAULT_LOG:
            continue
        if c.kind == WARNING:
            out.setdefault(c.id, c)
        elif c.kind == TABLE_ROW:
            for number in referenced_sections(c.text):
                for w in index.numbered_section_chunks(c.source, number, WARNING):
                    out.setdefault(w.id, w)
        elif c.section:
            for w in index.section_chunks(c.source, c.section, WARNING):
                out.setdefault(w.id, w)
    return [w for w in out.values() if screen(w.text) is None and quotable(w.text)][:limit]


def quote_block(warnings: Sequence[Chunk], labels: dict[str, str], answer: str = "") -> str:
    """The safety paragraph appended to an answer: each warning verbatim,
    followed by its citation label; warnings the answer already quotes
    whole are not repeated."""
    said = " ".join(answer.split())
    quotes = [" ".join(w.text.split()) for w in warnings]
    lines = [f"> {q} [{labels[w.id]}]" for w, q in zip(warnings, quotes) if q not in said]
    return "\n".join([f"{HEADING}:", *lines]) if lines else ""
