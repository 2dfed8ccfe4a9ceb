"""Font size and reading order for OCR'd words, so the PDF layout reader sees
what a text PDF would give it.

* **Size.** A word box is as tall as the letters in it: ``men`` is an x-height
  tall, ``Type`` a full em. Each word's em is estimated from its height and
  which letter zones it touches; a row's size is the median over its words.
  Rows whose sizes lie within :data:`SAME_SIZE` of each other are snapped to
  one value, so 10 pt body text next to an 8.5 pt table stays two sizes (the
  paragraph reader breaks paragraphs on a size change and on a gap larger
  than 1.5 sizes).
* **Reading order.** A text PDF draws a table cell by cell (all lines of a
  cell, then the next cell); OCR reads it row of pixels by row of pixels. A
  visual row with several cells opens a *table row*; rows below it that have
  no cell in its first column are wrapped cell text and join it (in a table
  whose rows start with fault codes, only a row starting with a code opens a
  new one, and it always does, even when its code's box starts a little off the
  column because tesseract boxed a table rule with it). Each table row is
  emitted column by column, top to bottom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from .pdflayout import code_at_start

SAME_SIZE = 0.07  # relative size difference under which two rows have the same font size
_CURRENCY_E = re.compile(r"^[€£](?=-?\d)")  # E read as a currency sign before a code's digits
_SECTION_5 = re.compile(r"^§(?=[.]?\d)")  # 5 read as a section sign in a heading number ("§.2")
_O_IN_DIGITS = re.compile(r"^([A-Z]{1,3}-?)([0-9Oo]*[Oo][0-9Oo]*)([:.,;)]?)$")
_ASC = set("bdfhijklt0123456789()[]{}/|!?%&#@$\\'\"") | {chr(c) for c in range(65, 91)}
_DESC = set("gjpqy()[]{}|;,_")


@dataclass(frozen=True)
class Cell:
    """Words side by side in one visual row: left edge, centre y (pixels, y down), size in pixels."""

    text: str
    x: float
    y: float
    size: float
    right: float = 0.0  # right edge (0: unknown)


def fix_code(text: str) -> str:
    """Undo the OCR confusions that break fault codes: ``€-104`` for ``E-104``,
    ``FO023`` or ``Foo21`` for ``F0023``, ``F0021`` (letter O or o among at least two digits),
    ``§.2`` for the heading number ``5.2``.

    >>> [fix_code(t) for t in ("€-104", "£-109:", "FO023", "SP1O7", "CO2", "ON", "E-104", "Fo012", "Foo21", "Foot")]
    ['E-104', 'E-109:', 'F0023', 'SP107', 'CO2', 'ON', 'E-104', 'F0012', 'F0021', 'Foot']
    >>> fix_code("§.2"), fix_code("§")
    ('5.2', '§')
    """
    text = _SECTION_5.sub("5", _CURRENCY_E.sub("E", text))
    m = _O_IN_DIGITS.match(text)
    if m and sum(c.isdigit() for c in m.group(2)) >= 2:
        return m.group(1) + m.group(2).replace("O", "0").replace("o", "0") + m.group(3)
    return text


def word_em(text: str, height: float) -> float:
    """The font size (em, in the box's units) a word box of ``height`` implies.

    >>> round(word_em("men", 10.4), 1), round(word_em("Type", 18.6), 1), round(word_em("the", 14.4), 1)
    (20.0, 20.0, 20.0)
    """
    asc = any(c in _ASC or (c.isalpha() and not c.isascii()) for c in text)
    desc = any(c in _DESC for c in text)
    return height / (0.93 if asc and desc else 0.72 if asc else 0.73 if desc else 0.52)


def snap_sizes(sizes: list[float]) -> list[float]:
    """Each size replaced by the median of its cluster (sorted, neighbours within SAME_SIZE).

    >>> snap_sizes([10.0, 8.4, 10.3, 8.6, 9.9, 14.0])
    [10.0, 8.5, 10.0, 8.5, 10.0, 14.0]
    """
    order = sorted(range(len(sizes)), key=lambda i: sizes[i])
    out = list(sizes)
    cluster: list[int] = []
    for i in order + [None]:
        if i is not None and cluster and sizes[i] <= sizes[cluster[-1]] * (1 + SAME_SIZE):
            cluster.append(i)
            continue
        if cluster:
            mid = median(sizes[j] for j in cluster)
            for j in cluster:
                out[j] = mid
        cluster = [i] if i is not None else []
    return out


def _column(x: float, first: float, tol: float) -> bool:
    return abs(x - first) <= tol


def reading_order(rows: list[list[Cell]], tol: float) -> list[Cell]:
    """Cells of visual rows (top to bottom, each left to right) in text-PDF order.

    ``tol``: how far (pixels) two left edges may differ and still be one column.
    """
    out: list[Cell] = []
    group: list[list[Cell]] = []

    def flush() -> None:
        cells = [c for row in group for c in row]
        starts: list[float] = []
        for x in sorted(c.x for c in cells):
            if not starts or x - starts[-1] > tol:
                starts.append(x)
        # a start that a cell of an earlier column runs across is a gap inside that column's text
        starts = [s for s in starts if not any(c.x < s - tol and c.right > s + tol for c in cells)]
        col = {id(c): max(i for i, s in enumerate(starts) if s <= c.x + tol) for c in cells}
        out.extend(sorted(cells, key=lambda c: (col[id(c)], round(c.y / tol), c.x)))
        group.clear()

    for row in rows:
        if group:
            first = group[0][0]
            coded = code_at_start(first.text)
            in_first = _column(row[0].x, first.x, tol)
            starts_code = code_at_start(row[0].text)
            joins = ((not in_first and row[0].x > first.x) or (
                coded and in_first and len(row) > 1 and not starts_code)) and not (coded and starts_code)
            if joins and row[0].y - group[-1][0].y < 3 * row[0].size:
                group.append(row)
                continue
            flush()
        if len(row) > 1:
            group.append(row)
        else:
            out.extend(row)
    if group:
        flush()
    return out
