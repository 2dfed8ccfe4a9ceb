"""Crafted inputs that used to hang a loader or exhaust memory get a clear error, or load quickly.

Zip bombs in DOCX / XLSX (ingest/loaders/zipguard.py), a sheet declaring the whole
Excel grid, a PDF stream that inflates past pypdf's limit or a PDF of too many pages,
and HTML nested too deeply. Every input is built here, small on disk.
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from ingest.loaders import load_file, logs, pdf, zipguard
from knowledge_base.errors import CorruptInput, FileTooLarge, MalformedRecords

pytestmark = pytest.mark.unit

DATA = Path(__file__).resolve().parents[1] / "data"
FONT = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def make_pdf(content: bytes, pages: int = 1) -> bytes:
    """A minimal PDF whose ``pages`` pages share one Flate-compressed content stream."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + i) for i in range(pages)),
                                                           pages),
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(content), content)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R %s >>" % FONT] * pages
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


TEXT = b"BT /F1 12 Tf 72 700 Td (Check the pump) Tj ET"


def repacked(seed: Path, replace: dict[str, bytes]) -> bytes:
    """The Office file ``seed`` with parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, replace.pop(name, None) or src.read(name))
        for name, data in replace.items():
            dst.writestr(name, data)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def test_pdf_built_here_loads(tmp_path):
    assert load_file(write(tmp_path, "ok.pdf", make_pdf(zlib.compress(TEXT)))).blocks[0].text == "Check the pump"


def test_pdf_decompression_bomb_is_refused(tmp_path):
    # 80 MB of spaces inflate from 80 KB; pypdf stops at 75 MB, and pdfium (the fallback) must not try.
    path = write(tmp_path, "bomb.pdf", make_pdf(zlib.compress(TEXT + b" " * 80_000_000, 9)))
    with pytest.raises(CorruptInput, match="page 1: a stream inflates past pypdf's limit"):
        load_file(path)


def test_pdf_with_too_many_pages_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    path = write(tmp_path, "pages.pdf", make_pdf(zlib.compress(TEXT), pages=3))
    with pytest.raises(FileTooLarge, match="PDF has 3 pages, over the limit of 2"):
        load_file(path)


@pytest.mark.parametrize("seed", ["manual.docx", "log_sheet.xlsx"])
def test_zip_bomb_part_is_refused(tmp_path, seed):
    path = write(tmp_path, seed, repacked(DATA / seed, {"bomb.xml": b"\0" * 20_000_000}))
    with pytest.raises(CorruptInput, match=r"part 'bomb.xml' inflates \d+-fold \(over 100\): a zip bomb"):
        load_file(path)


@pytest.mark.parametrize(("limit", "value", "error", "words"), [
    ("MAX_UNZIPPED", 1000, FileTooLarge, "over the 0 MB limit"),
    ("MAX_PARTS", 3, CorruptInput, "parts, over the limit of 3"),
])
def test_zip_package_limits(tmp_path, monkeypatch, limit, value, error, words):
    monkeypatch.setattr(zipguard, limit, value)
    with pytest.raises(error, match=words):
        load_file(DATA / "manual.docx")


def test_not_a_zip_is_corrupt(tmp_path):
    with pytest.raises(CorruptInput, match="not a readable XLSX file"):
        load_file(write(tmp_path, "log.xlsx", b"PK\x03\x04 not really"))


def whole_grid_sheet() -> bytes:
    """log_sheet.xlsx declaring A1:XFD1048576, with one more cell at XFD1048576."""
    with zipfile.ZipFile(DATA / "log_sheet.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace('<dimension ref="A1:H4"/>', '<dimension ref="A1:XFD1048576"/>')
    sheet = sheet.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'
                                          "</row></sheetData>")
    return repacked(DATA / "log_sheet.xlsx", {"xl/worksheets/sheet1.xml": sheet.encode()})


def test_sheet_declaring_the_whole_grid_loads_quickly(tmp_path):
    # openpyxl padded every row to the declared 16,384 columns: 17 billion cells.
    path = write(tmp_path, "grid.xlsx", whole_grid_sheet())
    start = time.perf_counter()
    doc = load_file(path)
    assert time.perf_counter() - start < 20
    assert doc.records == load_file(DATA / "log_sheet.xlsx").records  # the far cell has no header: a blank row


def test_sheet_over_the_cell_budget_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(logs, "MAX_SHEET_CELLS", 1000)
    with pytest.raises(MalformedRecords, match="first sheet has over 1,000 cells"):
        load_file(write(tmp_path, "grid.xlsx", whole_grid_sheet()))


def test_deeply_nested_html_is_refused(tmp_path):
    with pytest.raises(CorruptInput, match="HTML nested too deeply") as caught:
        load_file(write(tmp_path, "deep.html", "<div>" * 100_000 + "x"))
    assert caught.value.__cause__ is None  # our own error, not the loader's safety net


def test_deeply_nested_tables_load_quickly(tmp_path):
    # Every level collected the cells of all levels below it: 3,000 levels took 3.6 s.
    start = time.perf_counter()
    load_file(write(tmp_path, "tables.html", "<table><tr><td>" * 10_000 + "x"))
    assert time.perf_counter() - start < 5
