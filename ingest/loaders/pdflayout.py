"""Structure from positioned PDF lines: paragraphs, headings, steps, tables.

PDF text has no markup, so structure is read from the lines themselves:

* a numbered heading line (``5.3 Replacing the bearing``) in bold or a larger
  font opens a section;
* a paragraph ends where the vertical gap grows, the font size changes, the
  text moves left, or a line stops well short of the full line width;
* a table starts at a header row (short cells side by side); a line back in
  the first column after text in other columns starts a row (in a fault-code
  table it must start with a code), the other lines are wrapped cell text,
  placed in a column by their x position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge_base.codes import CodeMatcher, normalize_code

from .paragraphs import Para, emit_paras
from .pdftext import Line
from .structure import BlockBuilder, is_warning, is_warning_label, numbered_heading_level, step_number

_CODES = CodeMatcher()
_CHAR_EM = 0.5  # rough average glyph width in ems, to estimate where a line ends


def code_at_start(text: str) -> bool:
    """True when ``text`` starts with a fault code.

    >>> code_at_start("E-104"), code_at_start("ALARM 9 Overload"), code_at_start("See E-104")
    (True, True, False)
    """
    tokens = text.split()
    for k in (1, 2):
        head = " ".join(tokens[:k]).rstrip(":.,;")
        found = _CODES.find(head)
        if found and normalize_code(head) == found[0]:
            return True
    return False


@dataclass
class Table:
    """Column starts and header names of a table, kept across a page break."""

    columns: list[float]
    headers: list[str]
    coded: bool = False  # rows start with a fault code

    def column(self, x: float) -> int:
        return max((i for i, c in enumerate(self.columns) if c <= x + 4), default=-1)

    def fits_first_column(self, line: Line) -> bool:
        width = self.columns[1] - self.columns[0] if len(self.columns) > 1 else 80.0
        return self.column(line.x) == 0 and len(line.text) * _CHAR_EM * line.size <= width + line.size


class PageLayout:
    """Turns pages of lines into blocks, one page at a time, in order."""

    def __init__(self, builder: BlockBuilder, body_size: float) -> None:
        self.builder = builder
        self.body_size = body_size
        self.table: Table | None = None  # a table still open at the end of the last page

    def page(self, lines: Sequence[Line], page_no: int) -> None:
        paras: list[Para] = []
        i = 0
        if self.table and not (lines and self._starts_row(lines[0], -1)):
            self.table = None  # the next page does not go on with the table
        while i < len(lines):
            if self.table is None:
                found = self._header(lines, i)
                if found is not None:
                    self.table, used = found
                    i += used
            if self.table is not None:
                emit_paras(self.builder, paras)
                paras = []
                i = self._rows(lines, i, page_no)
                continue
            self._add_line(paras, lines, i, page_no)
            i += 1
        emit_paras(self.builder, paras)

    def is_heading(self, line: Line) -> int | None:
        level = numbered_heading_level(line.text)
        if level is None or len(line.text) > 80:
            return None
        return level if line.bold is not False or line.size > self.body_size + 0.5 else None

    def _add_line(self, paras: list[Para], lines: Sequence[Line], i: int, page_no: int) -> None:
        line = lines[i]
        level = self.is_heading(line)
        if level is not None:
            paras.append(Para([line.text], page_no, level))
        elif not paras or paras[-1].heading_level is not None or self._breaks(lines, i):
            paras.append(Para([line.text], page_no))
        else:
            paras[-1].lines.append(line.text)

    def _breaks(self, lines: Sequence[Line], i: int) -> bool:
        """Whether ``lines[i]`` starts a new paragraph rather than continuing the last."""
        prev, line = lines[i - 1], lines[i]
        if step_number(line.text) is not None or is_warning(line.text) or is_warning_label(prev.text):
            return True
        gap = prev.y - line.y
        if abs(prev.size - line.size) > 0.6 or gap <= 0 or gap > 1.5 * max(prev.size, line.size):
            return True
        if line.x < prev.x - 5 and step_number(prev.text) is None:
            return True
        full = max((len(x.text) for x in lines if abs(x.size - prev.size) < 0.6), default=0)
        return full >= 40 and len(prev.text) < 0.75 * full

    def _header(self, lines: Sequence[Line], i: int) -> tuple[Table, int] | None:
        """A table header starting at ``lines[i]`` and the number of lines it
        takes: short cells side by side in two or more columns, ended by the
        first line back in the first column (the first row)."""
        top = lines[i]
        run: list[Line] = []
        for line in lines[i:i + 16]:
            if run and abs(line.x - top.x) < 3 and any(x.x > top.x + 15 for x in run):
                break  # back in the first column: the first row starts here
            if len(line.text) > 40 or abs(top.y - line.y) > 3 * top.size or self.is_heading(line):
                return None
            run.append(line)
        else:
            return None
        if sum(abs(line.y - top.y) < 2 for line in run) < 2:
            return None  # header cells sit side by side; the first line must have a neighbour
        columns: list[float] = []
        for line in run:
            if not any(abs(line.x - c) < 3 for c in columns):
                columns.append(line.x)
        columns.sort()
        if min(b - a for a, b in zip(columns, columns[1:])) < 15:
            return None
        table = Table(columns, [""] * len(columns), coded=code_at_start(lines[i + len(run)].text))
        for line in run:
            col = table.column(line.x)
            table.headers[col] = f"{table.headers[col]} {line.text}".strip()
        return table, len(run)

    def _starts_row(self, line: Line, previous_column: int) -> bool:
        """A line in the first column after a line in another column starts a row
        (in a fault-code table it must start with a code); a first-column line
        after a first-column line is a wrapped cell."""
        table = self.table
        return (table.column(line.x) == 0 and previous_column != 0 and table.fits_first_column(line)
                and self.is_heading(line) is None and (not table.coded or code_at_start(line.text)))

    def _rows(self, lines: Sequence[Line], i: int, page_no: int) -> int:
        """Read table rows from ``lines[i]`` on; return the index after the table."""
        table = self.table
        row: list[str] | None = None
        previous = -1
        while i < len(lines):
            line = lines[i]
            col = table.column(line.x)
            if self._starts_row(line, previous):
                self._emit_row(row, page_no)
                row = [""] * len(table.columns)
            elif col < 0 or row is None or (col == 0 and previous != 0):
                break  # text back at the left margin that is no row: the table has ended
            row[col] = f"{row[col]} {line.text}".strip()
            previous = col
            i += 1
        self._emit_row(row, page_no)
        if i < len(lines):
            self.table = None
        return i

    def _emit_row(self, row: list[str] | None, page_no: int) -> None:
        if row:
            self.builder.table_row(self.table.headers, row, page_no)
