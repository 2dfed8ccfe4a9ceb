"""Markdown manuals (.md, .markdown), read line by line.

ATX and setext headings give the section path (a leading ``# Title`` is the document
title), ordered lists are procedures, pipe tables give one row per block, a bulleted
WARNING is a warning and bullets that start with a code ("* 41 - supply under
voltage") are definition items,
blockquotes are paragraphs, fenced code is kept verbatim as text.
"""

from __future__ import annotations

import re
from pathlib import Path

from knowledge_base.types import MANUAL, ParsedDocument

from .options import LoadOptions
from .structure import BlockBuilder
from .textio import find_model, read_text

# No two repeats that can match the same characters side by side (such as "(.*?)\s*#*\s*$"
# or "\s*\|?\s*"): on long runs of spaces or '#' those backtracked in quadratic or cubic time.
# A heading's closing #s are stripped in Python; link text and target cannot contain
# another bracket, so each character is scanned from one '[' or '(' only.
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_ORDERED = re.compile(r"^\s{0,3}\d{1,3}[.)]\s+")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+")
_TABLE_SEP = re.compile(r"^\s*(?:\|\s*)?:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*(?:\|\s*)?$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")  # a setext heading's underline
_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")


def inline(text: str) -> str:
    """Drop inline markup that only gets in the way of search.

    >>> inline("**WARNING:** see [the table](#t) and `P-101`")
    'WARNING: see the table and P-101'
    """
    text = _LINK.sub(r"\1", text)
    return re.sub(r"\*\*|__|`", "", text).strip()


def load_markdown(path: Path, options: LoadOptions) -> ParsedDocument:
    lines = read_text(path).splitlines()
    reader = _Reader(lines)
    reader.run()
    return ParsedDocument(
        source=str(path), title=reader.title or reader.builder.first_heading or path.stem, doc_type=MANUAL,
        blocks=reader.builder.blocks(), equipment_model=options.asset_model or find_model(lines),
    )


def split_row(line: str) -> list[str]:
    """Cells of a pipe-table line.

    >>> split_row("| E-104 | Motor hot | Fan |")
    ['E-104', 'Motor hot', 'Fan']
    """
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [inline(c.replace("\\|", "|")) for c in re.split(r"(?<!\\)\|", line)]


class _Reader:
    """A one-pass reader: each ``_*`` method consumes one construct from ``self.i``."""

    def __init__(self, lines: list[str]) -> None:
        self.lines, self.i = lines, 0
        self.builder = BlockBuilder()
        self.title: str | None = None
        self.para: list[str] = []

    def run(self) -> None:
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if not line.strip():
                self._flush()
                self.i += 1
            elif _FENCE.match(line):
                self._fence()
            elif _HEADING.match(line):
                self._heading(line)
            elif not self.para and self.i + 1 < len(self.lines) and _SETEXT.match(self.lines[self.i + 1]) \
                    and not _BULLET.match(line) and not line.startswith((" ", "\t", ">", "|")):
                level = 1 if self.lines[self.i + 1].strip()[0] == "=" else 2
                self._heading("#" * level + " " + line.strip())
                self.i += 1  # the underline
            elif "|" in line and self.i + 1 < len(self.lines) and _TABLE_SEP.match(self.lines[self.i + 1]):
                self._table()
            elif _ORDERED.match(line) and not self.para:
                self._list(_ORDERED, ordered=True)
            elif _BULLET.match(line) and not self.para:
                self._list(_BULLET, ordered=False)
            elif line.lstrip().startswith(">"):
                self._flush()
                self._quote()
            else:
                self.para.append(line.strip())
                self.i += 1
        self._flush()

    def _flush(self) -> None:
        if self.para:
            self.builder.paragraph(inline(" ".join(self.para)))
            self.para = []

    def _heading(self, line: str) -> None:
        self._flush()
        hashes, text = _HEADING.match(line).groups()
        text = inline(text.rstrip().rstrip("#").rstrip())
        # The first top-level heading, before any content, names the document.
        if self.title is None and len(hashes) == 1 and self.builder.first_heading is None \
                and not self.builder.blocks():
            self.title = text
        else:
            self.builder.heading(text, len(hashes))
        self.i += 1

    def _fence(self) -> None:
        self._flush()
        marker = _FENCE.match(self.lines[self.i]).group(1)
        self.i += 1
        body = []
        while self.i < len(self.lines) and not self.lines[self.i].lstrip().startswith(marker):
            body.append(self.lines[self.i])
            self.i += 1
        self.i += 1  # the closing fence
        self.builder.text("\n".join(body))

    def _table(self) -> None:
        self._flush()
        headers = split_row(self.lines[self.i])
        self.i += 2
        while self.i < len(self.lines) and "|" in self.lines[self.i] and self.lines[self.i].strip():
            self.builder.table_row(headers, split_row(self.lines[self.i]))
            self.i += 1

    def _list(self, marker: re.Pattern[str], ordered: bool) -> None:
        items: list[str] = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if marker.match(line):
                items.append(inline(line.strip()) if ordered else inline(marker.sub("", line)))
            elif line.strip() and items and line.startswith((" ", "\t")) or \
                    line.strip() and not self._starts_block(line):
                items[-1] += " " + inline(line.strip())  # a wrapped or indented continuation line
            elif not line.strip() and self._next_is_item(marker):
                pass  # a loose list: blank lines between items
            else:
                break
            self.i += 1
        if ordered:
            self.builder.procedure(items)
        else:  # a bulleted WARNING, or "CODE: meaning" items, are kept apart
            self.builder.items(items)

    def _starts_block(self, line: str) -> bool:
        return bool(_HEADING.match(line) or _FENCE.match(line) or _ORDERED.match(line)
                    or _BULLET.match(line) or line.lstrip().startswith((">", "|")))

    def _next_is_item(self, marker: re.Pattern[str]) -> bool:
        j = self.i + 1
        while j < len(self.lines) and not self.lines[j].strip():
            j += 1
        return j < len(self.lines) and (bool(marker.match(self.lines[j])) or self.lines[j].startswith("   "))

    def _quote(self) -> None:
        body = []
        while self.i < len(self.lines) and self.lines[self.i].lstrip().startswith(">"):
            body.append(self.lines[self.i].lstrip()[1:].strip())
            self.i += 1
        for chunk in "\n".join(body).split("\n\n"):
            self.builder.paragraph(inline(" ".join(chunk.split("\n"))))
