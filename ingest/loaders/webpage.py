"""HTML manuals (.html, .htm), walked with BeautifulSoup.

h1-h6 give the section path, ``<ol>`` is a procedure, each ``<table>`` row a
block, and a p/div that starts with WARNING (or whose class says
warning/danger/caution) a warning. Scripts, styles and navigation are dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

from knowledge_base.errors import CorruptInput
from knowledge_base.types import MANUAL, ParsedDocument

from .images import html_images, skipped_note
from .options import LoadOptions
from .structure import BlockBuilder
from .textio import find_model, read_text

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_DROP = ("script", "style", "nav", "noscript", "template", "head")
_CONTAINERS = {"body", "html", "main", "article", "section", "div", "header", "footer", "aside", "form",
               "blockquote", "center", "details", "figure"}
_BLOCKS = set(_HEADINGS) | _CONTAINERS | {"p", "ol", "ul", "dl", "table", "pre", "li", "dd", "dt", "hr", "br"}
_ALERT_CLASSES = ("warning", "danger", "caution")
# Generated manuals' page navigation: Sphinx's sidebar and "related" bar, DocBook's
# navheader / navfooter, texinfo's nav-panel and its "Next: .., Previous: .., Up: .." line.
_NAV_CLASSES = frozenset({"sphinxsidebar", "related", "navheader", "navfooter", "nav-panel", "navigation",
                          "breadcrumbs", "toc-sidebar"})
_NAV_LINE = re.compile(r"^\s*(?:Next|Previous|Prev|Up)\s*:", re.IGNORECASE)


def load_html(path: Path, options: LoadOptions) -> ParsedDocument:
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(read_text(path), "lxml")
        page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
        for tag in soup.find_all(_DROP):
            tag.decompose()
        for tag in soup.find_all(_is_navigation):
            tag.decompose()
        images = html_images(soup)
        walker = _Walker(page_title)
        walker.walk(soup.body or soup)
        text_lines = soup.get_text("\n").splitlines()
    except RecursionError:  # the walk (and parts of bs4) recurse once per level of nesting
        raise CorruptInput(path, "HTML nested too deeply (elements inside some 1,000 others)") from None
    return ParsedDocument(
        source=str(path), title=page_title or walker.builder.first_heading or walker.title or path.stem,
        doc_type=MANUAL, blocks=walker.builder.blocks(),
        equipment_model=options.asset_model or find_model(line for line in text_lines if line.strip()),
        notes=skipped_note(images),
    )


def _text(tag) -> str:
    # get_text(" ") also pads inline tags ("the <b>guard</b>." -> "guard ."); undo that before punctuation.
    return re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(tag.get_text(" ", strip=True).split()))


class _Walker:
    def __init__(self, page_title: str) -> None:
        self.builder = BlockBuilder()
        self.page_title = page_title
        self.title: str | None = None  # a leading h1 used as the title, not as a section

    def walk(self, node) -> None:
        inline: list[str] = []
        for child in node.children:
            name = getattr(child, "name", None)
            if name is None or name not in _BLOCKS:
                text = child.get_text(" ") if name else str(child)
                if text.strip():
                    inline.append(text)
                continue
            self._paragraph(" ".join(inline))
            inline = []
            self._element(child, name)
        self._paragraph(" ".join(inline))

    def _paragraph(self, text: str) -> None:
        self.builder.paragraph(" ".join(text.split()))

    def _element(self, tag, name: str) -> None:
        if name in _HEADINGS:
            self._heading(_text(tag), _HEADINGS[name])
        elif _is_alert(tag):
            self.builder.warning(_text(tag))
        elif name == "ol":
            self.builder.procedure([f"{i}. {_text(li)}" for i, li in enumerate(tag.find_all("li", recursive=False), 1)])
        elif name == "ul":
            self.builder.items([_text(li) for li in tag.find_all("li", recursive=False)])
        elif name == "dl":
            self._definitions(tag)
        elif name == "table":
            self._table(tag)
        elif name == "pre":
            self.builder.text(tag.get_text())
        elif name in _CONTAINERS or name == "li":
            self.walk(tag)
        elif name == "p":
            self._paragraph(_text(tag))

    def _definitions(self, dl) -> None:
        """Each ``<dt>`` with the ``<dd>``s after it: one definition item."""
        term, body = None, []
        for child in dl.find_all(["dt", "dd"], recursive=False):
            if child.name == "dt":
                if term is not None or body:
                    self.builder.definition(term or "", " ".join(body))
                term, body = _text(child), []
            else:
                body.append(_text(child))
        if term is not None or body:
            self.builder.definition(term or "", " ".join(body))

    def _heading(self, text: str, level: int) -> None:
        first = self.builder.first_heading is None and not self.builder.blocks()
        if first and level == 1 and (not self.page_title or text == self.page_title):
            self.title = text
        else:
            self.builder.heading(text, level)

    def _table(self, table) -> None:
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        if not rows:
            return
        # Cells of this row only (recursive=False): a nested table's cells are in its own
        # rows, and collecting them for every level made deep nesting quadratic.
        first = rows[0].find_all(["th", "td"], recursive=False)
        has_header = table.find("thead") is not None or all(c.name == "th" for c in first)
        grid = _grid(rows)
        headers = grid[0] if has_header else []
        for cells in grid[1:] if has_header else grid:
            self.builder.table_row(headers, cells)


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), 500))
    except ValueError:
        return 1


def _grid(rows) -> list[list[str]]:
    """Each row's cell texts with ``rowspan`` / ``colspan`` cells repeated
    where they span, so a cell stays under its own header. A device list's
    manufacturer cell spans its ten models' rows; read row by row, the nine
    rows below it shifted every value one header to the left ("Manufacturer:
    Perfection 2400 | Model: USB")."""
    carry: dict[int, tuple[int, str]] = {}  # column -> (rows still spanned, text)
    grid = []
    for tr in rows:
        out: list[str] = []
        cells = iter(tr.find_all(["th", "td"], recursive=False))
        col = 0
        while True:
            if col in carry:
                left, text = carry[col]
                out.append(text)
                carry[col] = (left - 1, text)
                if left - 1 <= 0:
                    del carry[col]
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                if any(c >= col for c in carry):
                    col = min(c for c in carry if c >= col)
                    out.extend([""] * (col - len(out)))
                    continue
                break
            text = _text(cell)
            down = _span(cell, "rowspan")
            for _ in range(_span(cell, "colspan")):
                if down > 1:
                    carry[col] = (down - 1, text)
                out.append(text)
                col += 1
        grid.append(out)
    return grid


def _is_navigation(tag) -> bool:
    """Whether ``tag`` is page navigation, not content: a navigation role or
    class, or a short paragraph that is a "Next: .., Previous: .." line (the
    same lines in every page of a manual outrank its text in search)."""
    if tag.get("role") in ("navigation", "search") or _NAV_CLASSES & set(tag.get("class") or ()):
        return True
    if tag.name != "p":
        return False
    text = tag.get_text(" ", strip=True)
    return len(text) < 400 and bool(_NAV_LINE.match(text))


def _is_alert(tag) -> bool:
    classes = " ".join(tag.get("class") or []).lower()
    return tag.name in ("div", "p", "aside", "section") and any(c in classes for c in _ALERT_CLASSES)
