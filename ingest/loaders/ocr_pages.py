"""Which pages of one PDF had no text layer, and what became of them.

:class:`ScannedPages` decides per page (:func:`.ocr.needs_ocr`), runs OCR when
tesseract is installed, and words the file's notes: the pages read by OCR, the
pages OCR could not read, and the pages skipped because OCR is not installed.
Nothing is loaded until a page needs it. Once every page is read, the OCR'd
pages' letter confusions are undone against English and the document's own
words (:meth:`ScannedPages.mend`, :mod:`.ocr_words`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from . import ocr
from .ocr_words import Lexicon, join_names, mend_text, signal_names
from .pdftext import Line


class ScannedPages:
    """OCR bookkeeping for one PDF (1-based page numbers)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_by_ocr: list[int] = []
        self.failed: list[int] = []
        self.missed: list[int] = []  # image pages left unread: no OCR engine

    def read(self, pdf, index: int) -> list[Line]:
        """OCR lines of page ``index`` of the pypdfium2 document ``pdf`` when the
        page has no usable text but draws an image; [] otherwise."""
        page = pdf[index]
        try:
            text = page.get_textpage().get_text_range()
            if not ocr.needs_ocr(text, page):
                return []
        except Exception:  # a page pdfium cannot inspect is left to the text extractors
            return []
        if ocr.engine() is None:
            self.missed.append(index + 1)
            return []
        try:
            lines = ocr.ocr_page(page)
        except Exception:  # a page tesseract cannot read: the note names it, the file goes on
            self.failed.append(index + 1)
            return []
        self.read_by_ocr.append(index + 1)
        return lines

    def mend(self, pages: list[list[Line]]) -> list[list[Line]]:
        """``pages`` (0-based list) with the letter confusions of the OCR'd pages undone
        (:func:`.ocr_words.mend_text`, against English and the whole document's words) and the
        document's underscore names restored where OCR lost an underscore (:func:`.ocr_words.join_names`)."""
        if not self.read_by_ocr:
            return pages
        lexicon = Lexicon.of_document(line.text for lines in pages for line in lines)
        names = signal_names(line.text for lines in pages for line in lines)
        ocr_pages = set(self.read_by_ocr)
        return [[replace(line, text=join_names(mend_text(line.text, lexicon), names)) for line in lines]
                if n in ocr_pages else lines for n, lines in enumerate(pages, 1)]

    def notes(self, ranges: Callable[[list[int]], str]) -> tuple[str, ...]:
        """One note per outcome, naming the pages (``ranges`` formats the list)."""
        def pages(numbers: list[int]) -> str:
            return f"{'page' if len(numbers) == 1 else 'pages'} {ranges(numbers)}"

        def have(numbers: list[int]) -> str:
            return f"{pages(numbers)} {'has' if len(numbers) == 1 else 'have'}"

        out = []
        if self.read_by_ocr:
            out.append(f"{pages(self.read_by_ocr)} read by OCR (tesseract; no text layer)")
        if self.failed:
            out.append(f"{have(self.failed)} no text layer and OCR failed on them: not searchable")
        if self.missed:
            out.append(f"{have(self.missed)} no text layer and OCR is not installed "
                       "(apt-get install tesseract-ocr): not searchable")
        return tuple(out)
