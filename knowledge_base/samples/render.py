"""Renders a parsed sample manual to PDF with reportlab.

Layout rules (the ingest loaders and the gold set rely on them):

* the title and every heading are their own bold paragraph, headings keep
  their number ("5.3 Replacing the drive-end bearing"); each ``##`` chapter
  starts on a new page;
* each numbered step is its own paragraph beginning "1. ";
* WARNING/CAUTION/DANGER paragraphs are drawn in a box and begin with the
  keyword;
* tables are reportlab Tables of Paragraph cells, drawn row by row, never
  split inside a row, header row repeated on each page;
* every page has the footer "<model> Service Manual — page N of M".

Output is byte-identical across runs (``invariant=1``, standard fonts only).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .mdsource import Element

MARGIN = 2 * cm
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=6)
TITLE = ParagraphStyle("title", parent=BODY, fontName="Helvetica-Bold", fontSize=20, leading=25,
                       spaceBefore=60, spaceAfter=18)
H2 = ParagraphStyle("h2", parent=BODY, fontName="Helvetica-Bold", fontSize=15, leading=19, spaceAfter=10,
                    keepWithNext=1)
H3 = ParagraphStyle("h3", parent=BODY, fontName="Helvetica-Bold", fontSize=11.5, leading=15,
                    spaceBefore=10, spaceAfter=5, keepWithNext=1)
STEP = ParagraphStyle("step", parent=BODY, leftIndent=18, firstLineIndent=-14, spaceAfter=3)
BULLET = ParagraphStyle("bullet", parent=STEP)
BOX = ParagraphStyle("box", parent=BODY, fontName="Helvetica-Bold", fontSize=9.5, leading=12.5,
                     borderWidth=1, borderColor=colors.black, borderPadding=6,
                     backColor=colors.HexColor("#f2f2f2"), spaceBefore=10, spaceAfter=12,
                     leftIndent=6, rightIndent=6)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=10.5, spaceAfter=0)
HEAD_CELL = ParagraphStyle("headcell", parent=CELL, fontName="Helvetica-Bold")

# Relative column widths by number of columns (the fault table is 4 wide).
_COLS = {2: (0.4, 0.6), 3: (0.3, 0.5, 0.2), 4: (0.12, 0.24, 0.30, 0.34), 5: (0.28, 0.12, 0.22, 0.19, 0.19)}


def _footer_canvas(footer: str) -> type[Canvas]:
    """A Canvas class that stamps "<footer> — page N of M" on every page."""

    class FooterCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont("Helvetica", 8)
                self.drawCentredString(A4[0] / 2, 1.1 * cm, f"{footer} — page {number} of {total}")
                super().showPage()
            super().save()

    return FooterCanvas


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(rows: tuple[tuple[str, ...], ...]) -> Table:
    width = A4[0] - 2 * MARGIN
    ncols = len(rows[0])
    fractions = _COLS.get(ncols, tuple(1 / ncols for _ in range(ncols)))
    data = [[_para(c, HEAD_CELL if r == 0 else CELL) for c in row] for r, row in enumerate(rows)]
    table = Table(data, colWidths=[f * width for f in fractions], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def flowables(elements: list[Element]) -> list:
    """The reportlab story for a list of elements."""
    story: list = []
    seen_chapter = False
    for el in elements:
        if el.kind == "h2":
            if seen_chapter or story:
                story.append(PageBreak())
            seen_chapter = True
            story.append(_para(el.text, H2))
        elif el.kind == "h3":
            story.append(_para(el.text, H3))
        elif el.kind == "table":
            story.extend([_table(el.rows), Spacer(1, 8)])
        else:
            style = {"title": TITLE, "step": STEP, "warning": BOX, "para": BODY}.get(el.kind, BULLET)
            text = f"• {el.text}" if el.kind == "bullet" else el.text
            story.append(KeepTogether(_para(text, style)) if el.kind == "warning" else _para(text, style))
    return story


def render(elements: list[Element], model: str, title: str, out: Path) -> int:
    """Write the PDF for one manual and return its page count."""
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=title, author="faultdesk sample knowledge base (fictional)",
        subject=f"{model} service manual", creator="knowledge_base.samples.build", invariant=1,
    )
    doc.build(flowables(elements), canvasmaker=_footer_canvas(f"{model} Service Manual"))
    return doc.page
