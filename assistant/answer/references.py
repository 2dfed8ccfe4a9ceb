"""Steps that point elsewhere: "lock out the pump as described in 3.2",
"pull the rotating assembly as in steps 2 to 4 of procedure 5.3".

An engineer following a procedure must not have to hunt for the step it
refers to. The assistant adds the referenced sections' procedures to the
sources (:func:`reference_chunks`), and the answer quotes the referenced
steps when a range is named, or links the section (its source label and
page) otherwise (:func:`pointer_line`).

>>> refs_in(["1. Lock out the pump (3.2), then pull it as in steps 2 to 4 of procedure 5.3."])
[('3.2', None), ('5.3', (2, 4))]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge_base.types import PROCEDURE, TEXT, Chunk

_RANGE = re.compile(r"\bsteps? (\d{1,2})(?:\s*(?:to|-|–|and)\s*(\d{1,2}))? of (?:procedure |section )?(\d{1,2}\.\d{1,2})",
                    re.I)
_SECTION = re.compile(r"(?:\(|\bsee |\bdescribed in |\bin section |\bas in )(\d{1,2}\.\d{1,2})\b", re.I)
MAX_REFS = 3
PROSE_LIMIT = 500  # characters of a referenced prose section quoted (whole sentences, in order)


def refs_in(steps: Sequence[str]) -> list[tuple[str, tuple[int, int] | None]]:
    """(section number, step range or None) referenced by ``steps``, in order."""
    out: dict[str, tuple[int, int] | None] = {}
    for step in steps:
        found = [(m.start(), m.group(3), (int(m.group(1)), int(m.group(2) or m.group(1))))
                 for m in _RANGE.finditer(step)]
        spans = [(m.start(), m.end()) for m in _RANGE.finditer(step)]
        found += [(m.start(), m.group(1), None) for m in _SECTION.finditer(step)
                  if not any(s <= m.start() < e for s, e in spans)]
        for _, number, span in sorted(found, key=lambda f: f[0]):
            out.setdefault(number, span)
    return list(out.items())[:MAX_REFS]


def _number(chunk: Chunk) -> str:
    from .focus import section_number

    return section_number(chunk)


def reference_chunks(index, procedures: Sequence[Chunk], have: Sequence[Chunk]) -> list[Chunk]:
    """The procedure chunks of the sections ``procedures`` refer to, not in
    ``have``; for a section written as prose ("Run the warm-up programme
    after every stop of more than 4 hours: 5 minutes at 4000 rpm, ..."),
    its first passage."""
    from .extractive import procedure_steps

    if not procedures:
        return []
    own = _number(procedures[0])
    steps = [s for c in procedures for s in procedure_steps(c.text)]
    out: list[Chunk] = []
    for number, _ in refs_in(steps):
        if number == own:
            continue
        found = (index.numbered_section_chunks(procedures[0].source, number, PROCEDURE)
                 or index.numbered_section_chunks(procedures[0].source, number, TEXT)[:1])
        out += [c for c in found if c not in have and c not in out]
    return out


def pointer_line(steps: Sequence[str], source: str, sources: Sequence = ()) -> str:
    """Lines under a procedure for the steps it refers to: the named steps
    quoted, or the section linked by its label and page; a section written
    as prose is quoted (its first sentences, up to :data:`PROSE_LIMIT`). ``sources``: the
    answer's numbered :class:`assistant.answer.types.Source` list."""
    from .extractive import passage, procedure_steps

    lines = []
    for number, span in refs_in(steps):
        group = [s for s in sources if s.chunk.source == source and s.chunk.kind == PROCEDURE
                 and _number(s.chunk) == number]
        prose = [s for s in sources if s.chunk.source == source and s.chunk.kind == TEXT
                 and _number(s.chunk) == number]
        if not group and prose:  # a section written as prose: its instruction quoted
            title = prose[0].chunk.section[-1] if prose[0].chunk.section else number
            page = f", p. {prose[0].chunk.page}" if prose[0].chunk.page else ""
            lines.append(f"{title}{page}: {passage(prose[0], '', PROSE_LIMIT)}")
            continue
        if not group:
            continue
        title = group[0].chunk.section[-1] if group[0].chunk.section else number
        labels = "".join(f"[{s.label}]" for s in group)
        page = f", p. {group[0].chunk.page}" if group[0].chunk.page else ""
        if span is None:
            lines.append(f"See {title}{page} {labels}")
            continue
        wanted = [s for g in group for s in procedure_steps(g.chunk.text)
                  if (m := re.match(r"(\d{1,2})", s)) and span[0] <= int(m.group(1)) <= span[1]]
        if wanted:
            lines.append(f"Steps {span[0]}-{span[1]} of {title}{page} {labels}:")
            lines += [f"  {s}" for s in wanted]
    return ("\n" + "\n".join(lines)) if lines else ""


def complete(index, sources: Sequence) -> list:
    """``sources`` with the first procedure whole (its other chunks follow
    it) and the procedures it refers to appended; numeric labels are given
    again in order ([A1] and [W1] labels are kept)."""
    from .focus import procedure_group
    from .prompt import compact
    from .types import Source

    chunks = [s.chunk for s in sources]
    first = next((c for c in chunks if c.kind == PROCEDURE), None)
    if first is None:
        return list(sources)
    group = procedure_group(index, first)
    at = chunks.index(first)
    ordered = [*chunks[:at], *group, *(c for c in chunks[at:] if c not in group)]
    ordered += reference_chunks(index, group, ordered)
    old = {s.chunk.id: s for s in sources}
    out, n = [], 0
    for c in ordered:
        label = old[c.id].label if c.id in old else ""
        if label[:1] in ("A", "W"):
            out.append(old[c.id])
            continue
        n += 1
        out.append(Source(str(n), c, old[c.id].text if c.id in old else compact(c)))
    return out
