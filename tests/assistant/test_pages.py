"""Cited PDF pages rendered with the passage highlighted (assistant/answer/pages.py, Service.page_image)."""

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from assistant.answer.pages import SCALE, page_image, passage_spans
from assistant.service import Service
from assistant.answer.types import Citation
from knowledge_base.errors import StoreError
from knowledge_base.settings import Settings

pytestmark = pytest.mark.integration

MANUAL = Path(__file__).parents[1] / "data" / "manual.pdf"
WARNING = ("WARNING: Isolate the motor before opening the terminal box. "
           "Residual voltage may remain for five minutes.")


def _pixel_box(pdf: Path, page: int, first: str, last: str) -> tuple[float, float, float, float]:
    """Pixel bounds (left, top, right, bottom) of the page text from ``first`` to the end of ``last``."""
    pg = pdfium.PdfDocument(pdf)[page - 1]
    tp = pg.get_textpage()
    text = tp.get_text_range(0, tp.count_chars())
    start, end = text.index(first), text.index(last) + len(last)
    rects = [tp.get_rect(i) for i in range(tp.count_rects(start, end - start))]
    h = pg.get_height()
    return (min(r[0] for r in rects) * SCALE, (h - max(r[3] for r in rects)) * SCALE,
            max(r[2] for r in rects) * SCALE, (h - min(r[1] for r in rects)) * SCALE)


def test_the_highlight_covers_the_passage_and_nothing_else(tmp_path):
    marked = Image.open(page_image(MANUAL, 1, WARNING, tmp_path))
    plain = Image.open(page_image(MANUAL, 1, "", tmp_path))
    diff = ImageChops.difference(marked.convert("RGB"), plain.convert("RGB")).getbbox()
    left, top, right, bottom = _pixel_box(MANUAL, 1, "WARNING", "minutes.")
    assert diff is not None
    assert abs(diff[0] - left) < 6 and abs(diff[1] - top) < 6
    assert abs(diff[2] - right) < 6 and abs(diff[3] - bottom) < 6


def test_a_table_row_with_repeated_header_names_finds_its_cells(tmp_path):
    row = ("Code: E-104 | Description: High bearing vibration at the drive end | Possible cause: "
           "Bearing wear; shaft misalignment at the coupling | Remedy: Check alignment (5.2)")
    marked = Image.open(page_image(MANUAL, 3, row, tmp_path))
    plain = Image.open(page_image(MANUAL, 3, "", tmp_path))
    diff = ImageChops.difference(marked.convert("RGB"), plain.convert("RGB")).getbbox()
    left, top, _, _ = _pixel_box(MANUAL, 3, "E-104", "drive end")  # the code cell too
    _, next_top, _, _ = _pixel_box(MANUAL, 3, "E-105", "E-105")
    assert diff is not None and abs(diff[0] - left) < 6 and abs(diff[1] - top) < 6
    assert diff[3] <= next_top


def test_pages_are_cached_by_file_page_and_passage(tmp_path):
    first = page_image(MANUAL, 1, WARNING, tmp_path)
    stamp = first.stat().st_mtime_ns
    assert page_image(MANUAL, 1, WARNING, tmp_path) == first and first.stat().st_mtime_ns == stamp
    assert page_image(MANUAL, 2, WARNING, tmp_path) != first
    assert page_image(MANUAL, 1, "Model: CP-80S", tmp_path) != first
    assert first.parent == tmp_path and len(list(tmp_path.glob("*.png"))) == 3


@pytest.mark.parametrize("page", [0, 4])
def test_a_page_the_file_lacks_is_a_store_error(tmp_path, page):
    with pytest.raises(StoreError, match=f"no page {page}"):
        page_image(MANUAL, page, WARNING, tmp_path)


def test_a_missing_file_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="gone.pdf"):
        page_image(tmp_path / "gone.pdf", 1, WARNING, tmp_path)


def test_short_runs_of_common_words_do_not_count():
    page = "Remove the pump from the base. Then check the pump."
    assert passage_spans(page, "the pump was noisy") == []
    assert passage_spans(page, "the pump") == [(7, 15)]  # a passage shorter than a run matches whole


def test_service_renders_only_catalogued_pdf_pages(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "manual.pdf").write_bytes(MANUAL.read_bytes())
    (docs / "notes.md").write_text("# Notes\n\nE-104 means the bearing vibrates.\n")
    svc = Service(Settings(kb=tmp_path / "kb", embedder="hash", vector_backend="memory"), llm="extractive")
    assert not svc.ingest([docs]).failed
    pdf, md = str((docs / "manual.pdf").resolve()), str((docs / "notes.md").resolve())
    image = svc.page_image(Citation("1", pdf, 1, "", WARNING))
    assert image.parent == tmp_path / "kb" / "cache" / "pages" and image.read_bytes()[:4] == b"\x89PNG"
    assert svc.page_image(Citation("2", md, None, "", "E-104 means")) is None
    assert svc.page_image(Citation("3", str(MANUAL), 1, "", WARNING)) is None  # not in this KB
