"""OCR of PDF pages without a text layer (tesseract), the notes that name them,
and the notes for images skipped in DOCX and HTML files."""

from __future__ import annotations

import io
import math

import pytest

from ingest.loaders import ocr
from ingest.loaders.options import LoadOptions
from ingest.loaders.pdf import load_pdf
from knowledge_base.errors import EmptyInput

ROW = ("E-104", "High bearing vibration, drive end", "Replace the drive-end bearing (5.3)")


def row_image(dpi: int = 200):
    """A fault-table row drawn as a picture (header + one row), as a scan would have it."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (int(7.5 * dpi), int(1.2 * dpi)), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=int(dpi * 11 / 72))
    for y, cells in ((20, ("Code", "Description", "Remedy")), (20 + int(dpi * 0.3), ROW)):
        for x, text in zip((20, int(1.3 * dpi), int(4.4 * dpi)), cells):
            draw.text((x, y), text, fill=0, font=font)
    return img


def mixed_pdf(path, text_page: bool = True):
    """Page 1 with a text layer (unless ``text_page`` is False), page 2 only an image."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    if text_page:
        c.setFont("Helvetica", 11)
        c.drawString(72, 760, "4 Fault codes")
        c.drawString(72, 740, "The PC-3 controller shows a fault code on its display when a limit is exceeded.")
        c.showPage()
    buf = io.BytesIO()
    row_image().save(buf, "PNG")
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 36, 600, width=7.5 * 72, height=1.2 * 72)
    c.showPage()
    c.save()
    return path


needs_tesseract = pytest.mark.skipif(ocr.engine() is None, reason="tesseract-ocr is not installed (make sysdeps)")


@pytest.mark.integration
@needs_tesseract
def test_the_image_page_of_a_mixed_pdf_is_read_and_named(tmp_path):
    doc = load_pdf(mixed_pdf(tmp_path / "mixed.pdf"), LoadOptions())
    assert doc.pages == 2 and doc.notes == ("page 2 read by OCR (tesseract; no text layer)",)
    page2 = " ".join(b.text for b in doc.blocks if b.page == 2)
    assert "E-104" in page2 and "bearing vibration" in page2 and "drive-end bearing" in page2
    assert any(b.kind == "table_row" and "Code: E-104" in b.text for b in doc.blocks)


@pytest.mark.integration
def test_without_tesseract_the_page_is_named_as_lost(tmp_path, monkeypatch):
    monkeypatch.setenv("FAULTDESK_TESSERACT", "/nonexistent/tesseract")
    doc = load_pdf(mixed_pdf(tmp_path / "mixed.pdf"), LoadOptions())
    assert doc.notes == ("page 2 has no text layer and OCR is not installed (apt-get install tesseract-ocr): "
                         "not searchable",)
    with pytest.raises(EmptyInput, match="OCR is not installed"):
        load_pdf(mixed_pdf(tmp_path / "scan.pdf", text_page=False), LoadOptions())


@pytest.mark.unit
def test_words_are_deskewed_into_rows_and_split_into_cells():
    angle = math.radians(1.5)  # the scan is turned: words of one row drift down to the right
    words = []
    for row, y in enumerate((100, 140)):
        for x, width, text in ((50, 50, "E-104"), (110, 50, "High"), (170, 70, "bearing"), (600, 60, "Replace"),
                               (670, 30, "the"), (710, 70, "bearing")):
            words.append(ocr.Word(text, x, y + x * math.tan(angle), width, 20, (1, row, 1)))
    lines = ocr.words_to_lines(words, scale=72 / 200, page_height=842)
    assert [x.text for x in lines] == ["E-104 High bearing", "Replace the bearing"] * 2
    assert abs(lines[0].y - lines[1].y) < 0.5 and abs(lines[0].x - lines[2].x) < 1.0  # one baseline; one column


@pytest.mark.unit
def test_images_in_docx_and_html_are_noted_as_skipped(tmp_path):
    import docx

    from ingest.loaders.webpage import load_html
    from ingest.loaders.word import load_docx

    png = tmp_path / "row.png"
    row_image(72).save(png)
    d = docx.Document()
    d.add_paragraph("Replace the drive-end bearing when E-104 recurs.")
    d.add_picture(str(png))
    d.save(tmp_path / "m.docx")
    assert load_docx(tmp_path / "m.docx", LoadOptions()).notes == (
        "1 image skipped: text inside images is not read in this file type",)
    (tmp_path / "m.html").write_text("<h1>Pump</h1><p>Check alignment.</p><img src='a.png'><img src='b.png'>")
    assert load_html(tmp_path / "m.html", LoadOptions()).notes == (
        "2 images skipped: text inside images is not read in this file type",)


def _row(y: float, cells, line: int, height: float = 20) -> list:
    """Words of one visual row: ``cells`` is ((x, text), ...), one word per 60 px."""
    words = []
    for x, text in cells:
        for k, word in enumerate(text.split()):
            words.append(ocr.Word(word, x + 60 * k, y, 50, height, (1, line, 1)))
    return words


@pytest.mark.unit
def test_a_table_row_with_wrapped_cells_is_read_cell_by_cell_as_a_text_pdf_draws_it():
    """OCR sees pixel rows; the layout reader needs each cell's lines together, cell after cell."""
    words = (_row(100, ((50, "Code"), (300, "Description"), (900, "Remedy")), 1)
             + _row(150, ((50, "E-101"), (300, "Motor overload"), (900, "Check rotation")), 2)
             + _row(180, ((300, "(current high)"), (900, "by hand")), 3)
             + _row(210, ((900, "after lockout"),), 4)
             + _row(260, ((50, "E-102"), (300, "Dry running"), (900, "Vent the pump")), 5)
             + _row(340, ((50, "The pump restarts by itself"),), 6))
    lines = ocr.words_to_lines(words, scale=72 / 300, page_height=842)
    assert [x.text for x in lines] == [
        "Code", "Description", "Remedy",
        "E-101", "Motor overload", "(current high)", "Check rotation", "by hand", "after lockout",
        "E-102", "Dry running", "Vent the pump", "The pump restarts by itself"]


@pytest.mark.unit
def test_body_text_and_a_smaller_table_keep_their_own_sizes():
    """10 pt body text beside 8.5 pt table text: two sizes, so a paragraph is not cut at every line."""
    body = [ocr.Word("the", 50, y, 40, 28.8, (1, i, 1)) for i, y in enumerate((100, 150))]
    body += [ocr.Word("men", 100, y + 8, 40, 20.8, (1, i, 1)) for i, y in enumerate((100, 150))]
    table = [ocr.Word("the", 50, y, 40, 24.5, (2, i, 1)) for i, y in enumerate((300, 340, 380))]
    lines = ocr.words_to_lines(body + table, scale=72 / 300, page_height=842)
    sizes = [round(x.size, 1) for x in lines]
    assert sizes[0] == sizes[1] and sizes[2] == sizes[3] == sizes[4] and sizes[0] > sizes[2] + 1


@pytest.mark.unit
def test_table_rules_and_code_confusions_are_cleaned():
    words = _row(100, ((50, "€-104 High"),), 1) + [ocr.Word("_", 40, 125, 700, 3, (1, 2, 1))] \
        + _row(150, ((50, "FO023 Slip"),), 3)
    words = [ocr.Word(ocr.fix_code(w.text), w.left, w.top, w.width, w.height, w.line) for w in words]
    assert [x.text for x in ocr.words_to_lines(words, scale=72 / 300, page_height=842)] == [
        "E-104 High", "F0023 Slip"]


@pytest.mark.unit
def test_a_wide_gap_inside_a_wrapped_cell_is_not_a_column():
    """"VFD" and "fault (see drive" read as two cells; the wrapped line below spans both."""
    from ingest.loaders.ocr_layout import Cell, reading_order

    rows = [[Cell("F0020", 10, 100, 8, 40), Cell("VFD", 60, 100, 8, 80), Cell("fault (see drive", 90, 100, 8, 160),
             Cell("any drive error", 200, 100, 8, 260)],
            [Cell("keypad for ERR code)", 60, 110, 8, 170)],
            [Cell("F0021", 10, 120, 8, 40), Cell("Speed sensor fault", 60, 120, 8, 150)]]
    assert [c.text for c in reading_order(rows, tol=4)] == [
        "F0020", "VFD", "fault (see drive", "keypad for ERR code)", "any drive error", "F0021", "Speed sensor fault"]


@pytest.mark.unit
def test_low_confidence_words_beside_a_rule_are_kept_and_put_in_their_column():
    head = "level\tpage\tblock\tpar\tline\tword\tleft\ttop\twidth\theight\tconf\ttext\n"
    rows = ["5\t1\t1\t1\t1\t1\t288\t100\t97\t27\t90\tF0012", "5\t1\t1\t1\t2\t1\t261\t200\t119\t32\t0\t F0011",
            "5\t1\t1\t1\t3\t1\t300\t300\t40\t80\t0\tbar", "5\t1\t1\t1\t4\t1\t300\t400\t20\t30\t0\t—s"]
    words = ocr.parse_tsv(head + "\n".join(rows))
    assert [w.text for w in words] == ["F0012", "F0011"]  # a box taller than text, a speck: dropped
    assert abs(words[1].left - 288) < 10
