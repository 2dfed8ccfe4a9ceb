"""Text lines with positions from PDF pages: pypdf first, pypdfium2 as fallback.

Each page becomes a list of :class:`Line` in content order (the order the
producer drew them, which keeps table cells row by row), with position, font
size and - from pypdf - whether the font is bold. The PDF loader decides per
page whether pypdf's text is usable (:func:`looks_unspaced`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


@dataclass
class Line:
    """One line of text as drawn: x, y of its start (PDF points, y upwards)."""

    text: str
    x: float = 0.0
    y: float = 0.0
    size: float = 10.0
    bold: bool | None = None  # None: the extractor cannot tell


def looks_unspaced(text: str) -> bool:
    """True when extracted text has lost the spaces between words.

    Some producers position every word separately and ship fonts whose space
    width is wrong; pypdf then runs the words together. English words average
    about 5 characters, so a very long average word length means lost spaces.
    A page of short list items ("- P - number of turns") keeps a low average
    while its sentences run together, so runs of 16 or more letters (few
    English words are that long) holding a fifth of the page's letters also
    mean lost spaces.

    >>> looks_unspaced("Thespindledriveusesaclosedloopwithencoderfeedback.\\nKeephandsclear.")
    True
    >>> looks_unspaced("The spindle drive uses a closed loop.\\nE-104\\nMotor hot")
    False
    >>> looks_unspaced("- Y-helix\\n- I-Xoffset\\n- K-Zoffset\\nItisanerrorif:\\n- NofeedrateissetwiththeFword.\\n"
    ...                "- Nooffsetsareprogrammed.\\n- P-numberofturns\\n- X-helix\\n- J-Yoffset")
    True
    """
    words = text.split()
    chars = sum(len(w) for w in words)
    if chars >= 30 and chars / len(words) > 15:
        return True
    letters = sum(len(r) for r in re.findall(r"[^\W\d_]+", text))
    long_runs = sum(len(r) for r in re.findall(r"[^\W\d_]{16,}", text))
    return letters >= 60 and long_runs >= 0.2 * letters


class _Collector:
    """A pypdf ``visitor_text`` that assembles fragments into positioned lines."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._start: Line | None = None

    def __call__(self, text, cm, tm, font, size) -> None:
        pieces = text.split("\n")
        for k, piece in enumerate(pieces):
            if piece.strip() and self._start is None:
                self._start = _position(cm, tm, font, size)
            self._parts.append(piece)
            if k < len(pieces) - 1:
                self.end_line()

    def end_line(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text and self._start is not None:
            self._start.text = text
            self.lines.append(self._start)
        self._parts, self._start = [], None


def _position(cm, tm, font, size) -> Line:
    # The text matrix is in user space only after multiplying by the CTM.
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]) or 1.0
    name = str(font.get("/BaseFont", "")) if font else ""
    bold = bool(re.search(r"Bold|Black|Heavy|Semibold|Demi", name, re.IGNORECASE))
    return Line("", x, y, float(size) * scale, bold)


def pypdf_lines(page) -> tuple[str, list[Line]]:
    """The page's plain text and its positioned lines, via pypdf."""
    collector = _Collector()
    text = page.extract_text(visitor_text=collector)
    collector.end_line()
    return text, collector.lines


def pdfium_lines(pdf, index: int) -> list[Line]:
    """Positioned lines of page ``index`` via pypdfium2.

    pdfium reports text as rectangles in content order; rectangles on one
    baseline and close together are one line. Font size, weight and the
    baseline come from the first character of each rectangle.
    """
    textpage = pdf[index].get_textpage()
    lines: list[Line] = []
    right = 0.0
    for i in range(textpage.count_rects()):
        left, bottom, rect_right, top = textpage.get_rect(i)
        text = " ".join(textpage.get_text_bounded(left, bottom, rect_right, top).split())
        if not text:
            continue
        x, y, size, bold = _pdfium_char(textpage, left, bottom, rect_right, top)
        last = lines[-1] if lines else None
        if last and abs(last.y - y) < 0.3 * size and -1.0 <= left - right < 1.5 * size:
            last.text = f"{last.text} {text}"
        else:
            lines.append(Line(text, x, y, size, bold))
        right = rect_right
    return lines


def _pdfium_char(textpage, left: float, bottom: float, right: float, top: float):
    """(x, baseline y, font size, bold or None) of the character inside a rectangle."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    index = textpage.get_index((left + right) / 2, (bottom + top) / 2, 2, 2)
    if index is None or index < 0:
        return left, bottom, max(top - bottom, 1.0) * 1.3, None
    x, y = ctypes.c_double(), ctypes.c_double()
    if not pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y)):
        x.value, y.value = left, bottom
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) or max(top - bottom, 1.0) * 1.3
    weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index)
    return left, y.value, float(size), (weight >= 600) if weight > 0 else None


def merge_split_lines(lines: list[Line]) -> list[Line]:
    """Join a list number or bullet drawn apart from its text on the same
    baseline (``1.`` + ``Stop the pump``) - but not table cells side by side.

    >>> merged = merge_split_lines([Line("1.", 78, 500), Line("Stop the pump.", 92, 500), Line("Remedy", 300, 500)])
    >>> [m.text for m in merged]
    ['1. Stop the pump.', 'Remedy']
    """
    out: list[Line] = []
    for line in lines:
        last = out[-1] if out else None
        if (last is not None and _MARKER.match(last.text) and abs(last.y - line.y) < 0.3 * line.size
                and 0 < line.x - last.x < 4 * line.size):
            last.text = f"{last.text} {line.text}"
            continue
        out.append(line)
    return out


_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[\u2022\u2013\u25aa\u25cf*-])$")
