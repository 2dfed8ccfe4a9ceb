"""Shared rules for turning a document's parts into Blocks.

Every manual loader finds headings, paragraphs, numbered steps and table
rows in its own way, then hands them to a :class:`BlockBuilder`, which keeps
the heading path, classifies warnings, joins a procedure with its lead-in
sentence and writes table rows so each stands alone.

>>> b = BlockBuilder()
>>> b.heading("5 Troubleshooting", 1); b.heading("5.3 Replacing the bearing", 2)
>>> b.paragraph("To replace the bearing:")
>>> b.procedure(["1. Stop the pump.", "2. Pull the bearing."])
>>> b.table_row(["Code", "Remedy"], ["E-104", "Clean the fan"])
>>> [(x.kind, x.section[-1]) for x in b.blocks()]
[('procedure', '5.3 Replacing the bearing'), ('table_row', '5.3 Replacing the bearing')]
>>> b.blocks()[1].text
'Code: E-104 | Remedy: Clean the fan'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge_base.types import DEFINITION, PROCEDURE, TABLE_ROW, TEXT, WARNING, Block
from knowledge_base.vocabulary import split_term

# "WARNING: ...", "CAUTION! ...", "DANGER - ...", "Warning: ..." (\W*? covers the spaces:
# a \s* after it made a long run of spaces take quadratic time)
_WARNING = re.compile(r"^\W*(?:WARNING|CAUTION|DANGER|Warning|Caution|Danger)\W*?(?::|!|\s[-\u2013\u2014]\s)")
# A bare heading-ish label on its own line: "WARNING", "**DANGER**"
_WARNING_LABEL = re.compile(r"^\W*(?:WARNING|CAUTION|DANGER)\W*$")
# "1. Text" or "1) Text" - a numbered step.
STEP = re.compile(r"^\s*(?P<num>\d{1,2})[.)]\s+\S")
# "5.3 Replacing the bearing" - a numbered heading: no dot after the number,
# a capital letter first, short, no full stop at the end.
NUMBERED_HEADING = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})\s+(?P<title>[A-Z][^\n]{0,78})$")
# Lead-ins longer than this are paragraphs of their own, not part of the procedure.
LEAD_IN_MAX = 200


def is_warning(text: str) -> bool:
    """True for a paragraph that starts with WARNING / CAUTION / DANGER.

    >>> is_warning("WARNING: hot surface"), is_warning("**CAUTION!** Hot"), is_warning("Warning lights flash")
    (True, True, False)
    """
    return bool(_WARNING.match(text)) or is_warning_label(text.split("\n", 1)[0])


def is_warning_label(line: str) -> bool:
    """True for a line that is only the word WARNING / CAUTION / DANGER."""
    return bool(_WARNING_LABEL.match(line.strip()))


def step_number(line: str) -> int | None:
    """The number of a ``1. text`` step line, else None.

    >>> step_number("2. Remove the guard"), step_number("2.5 Data")
    (2, None)
    """
    m = STEP.match(line)
    return int(m.group("num")) if m else None


def numbered_heading_level(line: str) -> int | None:
    """Depth of a numbered heading (``5`` -> 1, ``5.3`` -> 2), else None.

    >>> numbered_heading_level("5.3 Replacing the drive-end bearing"), numbered_heading_level("1. Stop it")
    (2, None)
    >>> numbered_heading_level("3 Safety"), numbered_heading_level("10 Pull the pump out of the pit.")
    (1, None)
    """
    line = line.strip()
    m = NUMBERED_HEADING.match(line)
    if not m or line.endswith((".", ":", ";", ",")) or STEP.match(line):
        return None
    return m.group("num").count(".") + 1


def row_text(headers: Sequence[str], cells: Sequence[str]) -> str:
    """One table row as ``Header: value | Header: value``; empty cells are left out.

    >>> row_text(["Code", "Cause", ""], ["E-1", "", "x"])
    'Code: E-1 | Column 3: x'
    """
    parts = []
    for i, cell in enumerate(cells):
        # " | " separates the cells: one inside a cell ("0x04 | start-crypto-erase") is written " / "
        cell = " ".join(cell.split()).replace(" | ", " / ")
        if cell:
            name = " ".join(headers[i].split()) if i < len(headers) and headers[i].strip() else f"Column {i + 1}"
            parts.append(f"{name}: {cell}")
    return " | ".join(parts)


class BlockBuilder:
    """Collects Blocks in reading order under the current heading path."""

    def __init__(self) -> None:
        self._blocks: list[Block] = []
        self._stack: list[tuple[int, str]] = []  # (level, heading text)
        self.first_heading: str | None = None
        self._label: str | None = None  # a bare "WARNING" line waiting for its paragraph

    @property
    def section(self) -> tuple[str, ...]:
        return tuple(text for _, text in self._stack)

    def heading(self, text: str, level: int) -> None:
        """Open a section: it replaces every heading at its level or deeper.
        An empty ``text`` only closes the sections at ``level`` or deeper (a
        man page's nested list ends)."""
        text = " ".join(text.split())
        if is_warning_label(text):  # "### WARNING" labels the next paragraph, not a section
            self._flush_label()
            self._label = text
            return
        if not text:
            while self._stack and self._stack[-1][0] >= level:
                self._stack.pop()
            return
        self._flush_label()
        if self.first_heading is None:
            self.first_heading = text
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, text))

    def paragraph(self, text: str, page: int | None = None) -> None:
        """A paragraph: a WARNING block if it starts like one, else TEXT."""
        text = text.strip()
        if not text:
            return
        if is_warning_label(text):
            self._flush_label()
            self._label = text
        elif self._label is not None:
            label, self._label = self._label, None
            self._add(f"{label}\n{text}", WARNING, page)
        else:
            self._add(text, WARNING if is_warning(text) else TEXT, page)

    def warning(self, text: str, page: int | None = None) -> None:
        """A block the source marks as a warning (e.g. by style or class)."""
        if text.strip():
            self._add(text.strip(), WARNING, page)

    def procedure(self, steps: Sequence[str], page: int | None = None) -> None:
        """A numbered procedure, joined with the lead-in sentence before it."""
        body = "\n".join(s.strip() for s in steps if s.strip())
        if not body:
            return
        last = self._blocks[-1] if self._blocks else None
        if (last is not None and last.kind == TEXT and last.text.endswith(":")
                and len(last.text) <= LEAD_IN_MAX and last.page == page and last.section == self.section):
            self._blocks.pop()
            body = f"{last.text}\n{body}"
        self._add(body, PROCEDURE, page)

    def table_row(self, headers: Sequence[str], cells: Sequence[str], page: int | None = None) -> None:
        text = row_text(headers, cells)
        if text:
            self._add(text, TABLE_ROW, page)

    def definition(self, term: str, body: str, page: int | None = None) -> None:
        """One definition-list item, its term first: never split from its body."""
        term, body = " ".join(term.split()), body.strip()
        if is_warning(term):
            self.paragraph(f"{term} {body}", page)
        elif term or body:
            self._add(f"{term}\n{body}" if body else term, DEFINITION, page)

    def items(self, items: Sequence[str], page: int | None = None) -> None:
        """A bulleted list: when most items start with a code-shaped term
        ("NG: self test failed", "41 - supply under voltage") each is a
        definition; a bulleted WARNING is a warning; else one text block.

        >>> b = BlockBuilder(); b.items(["NG: failed", "OK: passed", "WARNING: hot"])
        >>> [(x.kind, x.text) for x in b.blocks()]
        [('definition', 'NG\\nfailed'), ('definition', 'OK\\npassed'), ('warning', 'WARNING: hot')]
        """
        items = [" ".join(i.split()) for i in items if i.strip()]
        terms = [split_term(i) for i in items]
        if items and sum(t is not None for t in terms) * 2 >= len(items):
            for item, t in zip(items, terms):
                if is_warning(item) or t is None:
                    self.paragraph(item, page)
                else:
                    self.definition(*t, page)
            return
        run: list[str] = []  # plain items in a row make one text block; warnings stay in place
        for i in items:
            if is_warning(i):
                if run:
                    self.text("\n".join(f"- {x}" for x in run), page)
                    run = []
                self.paragraph(i, page)
            else:
                run.append(i)
        if run:
            self.text("\n".join(f"- {x}" for x in run), page)

    def text(self, text: str, page: int | None = None) -> None:
        """Plain text that is never a warning (code listings, bullet lists)."""
        if text.strip():
            self._add(text.strip(), TEXT, page)

    def _flush_label(self) -> None:
        if self._label is not None:
            label, self._label = self._label, None
            self._add(label, WARNING, None)

    def _add(self, text: str, kind: str, page: int | None) -> None:
        if self._label is not None and kind != WARNING:
            self._flush_label()
        self._blocks.append(Block(text=text, kind=kind, page=page, section=self.section))

    def blocks(self) -> tuple[Block, ...]:
        self._flush_label()
        return tuple(self._blocks)
