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
