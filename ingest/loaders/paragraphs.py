"""Line-oriented structure recovery shared by the plain-text and PDF loaders.

Both formats arrive as lines of text with no markup. The loader cuts them into
:class:`Para` pieces (a heading line, or lines that belong together); this
module joins wrapped lines, groups consecutive numbered steps into one
procedure and hands everything to a BlockBuilder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .structure import BlockBuilder, step_number


@dataclass
class Para:
    """Consecutive lines that belong together, or one heading line."""

    lines: list[str]
    page: int | None = None
    heading_level: int | None = None
    definition: tuple[str, str] | None = None  # (term, body) of a definition-list item
    row: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # (headers, cells) of a table row

    @property
    def first(self) -> str:
        return self.lines[0]


def join_lines(lines: Sequence[str]) -> str:
    """Join wrapped lines; a line ending in a hyphen runs on without a space.

    >>> join_lines(["Remove the drive-", "end bearing and the", "seal."])
    'Remove the drive-end bearing and the seal.'
    >>> join_lines(["the DE\u2010", "VICE"])
    'the DEVICE'
    """
    out = ""
    for line in (s.strip() for s in lines):
        if not line:
            continue
        if out.endswith("\u2010") and len(out) > 1 and out[-2].isalpha():
            out = out[:-1] + line  # a man page's hyphenation break (U+2010): the word runs on
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            out += line
        else:
            out = f"{out} {line}" if out else line
    return out


def emit_paras(builder: BlockBuilder, paras: Sequence[Para]) -> None:
    """Feed paragraphs to ``builder``: headings, procedures, warnings, text."""
    i = 0
    while i < len(paras):
        para = paras[i]
        if para.heading_level is not None:
            builder.heading(join_lines(para.lines), para.heading_level)
            i += 1
        elif para.definition is not None:
            builder.definition(*para.definition, para.page)
            i += 1
        elif para.row is not None:
            builder.table_row(*para.row, para.page)
            i += 1
        elif step_number(para.first) is not None:
            i = _emit_procedure(builder, paras, i)
        else:
            builder.paragraph(join_lines(para.lines), para.page)
            i += 1


def _emit_procedure(builder: BlockBuilder, paras: Sequence[Para], i: int) -> int:
    """Emit the run of steps numbered n, n+1, ... starting at ``paras[i]``; return the next index."""
    steps = [join_lines(paras[i].lines)]
    number = step_number(paras[i].first)
    page = paras[i].page
    j = i + 1
    while j < len(paras) and paras[j].heading_level is None and paras[j].page == page \
            and step_number(paras[j].first) == number + 1:
        number += 1
        steps.append(join_lines(paras[j].lines))
        j += 1
    builder.procedure(steps, page)
    return j
