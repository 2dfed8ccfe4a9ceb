"""PDF manuals: pypdf page by page, pypdfium2 for pages pypdf cannot read.

Running headers and footers (lines repeated at the top or bottom of most
pages, ``page N of M``) are dropped before the structure is recovered by
:mod:`.pdflayout`. Pages read by the fallback extractor are listed in notes.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from knowledge_base.errors import CorruptInput, EmptyInput, EncryptedInput, FileTooLarge
from knowledge_base.types import MANUAL, ParsedDocument

from .ocr import MIN_TEXT
from .ocr_pages import ScannedPages
from .options import LoadOptions
from .pdflayout import PageLayout
from .pdftext import Line, looks_unspaced, merge_split_lines, pdfium_lines, pypdf_lines
from .structure import BlockBuilder
from .textio import find_model

_PAGE_NO = re.compile(r"(?i)^(?:.*\bpage\s*#(?:\s*(?:of|/)\s*#)?.*|#|-\s*#\s*-|#\s*/\s*#)$")
_MARGIN = 0.1  # headers and footers live in the top and bottom tenth of the page
_NO_TITLE = {"", "untitled", "(anonymous)", "anonymous", "(unspecified)"}
MAX_PAGES = 20_000  # a tiny page object is ~50 bytes: a 100 MB file could declare 2 million


def load_pdf(path: Path, options: LoadOptions) -> ParsedDocument:
    reader = _open(path)
    pages, fallback, scanned = _read_pages(path, reader)
    heights = [float(p.mediabox.height) for p in reader.pages]
    pages = [merge_split_lines(lines) for lines in strip_running_lines(pages, heights)]
    if not any(pages):
        raise EmptyInput(path, "no extractable text; scanned PDF?" if not scanned.missed else
                         "no extractable text and OCR is not installed (apt-get install tesseract-ocr)")
    body_size = _body_size(pages)
    title = _metadata_title(reader)
    if pages[0] and _is_title_line(pages[0][0], title, body_size):
        title = title or pages[0][0].text
        pages[0] = pages[0][1:]
    builder = BlockBuilder()
    layout = PageLayout(builder, body_size)
    for number, lines in enumerate(pages, 1):
        layout.page(lines, number)
    notes = ()
    if fallback:
        word = "page" if len(fallback) == 1 else "pages"
        notes = (f"{word} {_ranges(fallback)} read with the fallback extractor (pypdfium2)",)
    notes += scanned.notes(_ranges)
    first_page = [line.text for line in (pages[0] if pages else [])]
    return ParsedDocument(
        source=str(path), title=title or builder.first_heading or path.stem, doc_type=MANUAL,
        blocks=builder.blocks(), equipment_model=options.asset_model or find_model(first_page, limit=60),
        pages=len(pages), notes=notes,
    )


def _open(path: Path):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedInput(path, "PDF is encrypted (needs a password)")
        count = len(reader.pages)
    except (FileNotDecryptedError, DependencyError):
        raise EncryptedInput(path, "PDF is encrypted and cannot be opened") from None
    except PdfReadError as exc:
        raise CorruptInput(path, f"not a readable PDF ({exc})") from None
    if count == 0:
        raise CorruptInput(path, "PDF has no pages")
    if count > MAX_PAGES:
        raise FileTooLarge(path, f"PDF has {count:,} pages, over the limit of {MAX_PAGES:,}")
    return reader


def _read_pages(path: Path, reader) -> tuple[list[list[Line]], list[int], ScannedPages]:
    """Lines of every page, the 1-based numbers of pages read by pypdfium2, and
    the pages without a text layer (read by OCR, or missed without it).

    A stream that inflates past pypdf's output limit (75 MB) refuses the file: the
    fallback has no such limit, and a decompression bomb would exhaust memory there.
    """
    from pypdf.errors import LimitReachedError

    pages: list[list[Line]] = []
    fallback: list[int] = []
    scanned = ScannedPages(path)
    pdfium_doc = None
    for index, page in enumerate(reader.pages):
        try:
            text, lines = pypdf_lines(page)
        except LimitReachedError as exc:
            raise CorruptInput(path, f"page {index + 1}: a stream inflates past pypdf's limit ({exc}); "
                                     "a decompression bomb?") from None
        except Exception:  # pypdf gives up on some content streams; pdfium may not
            text, lines = "", None
        if lines is None or looks_unspaced(text):
            try:
                if pdfium_doc is None:
                    import pypdfium2

                    pdfium_doc = pypdfium2.PdfDocument(str(path))
                lines = pdfium_lines(pdfium_doc, index)
                fallback.append(index + 1)
            except Exception:
                lines = lines or []
        if sum(len("".join(x.text.split())) for x in lines or ()) < MIN_TEXT:
            if pdfium_doc is None:
                import pypdfium2

                pdfium_doc = pypdfium2.PdfDocument(str(path))
            lines = scanned.read(pdfium_doc, index) or lines
        pages.append(lines)
    return scanned.mend(pages), fallback, scanned


def strip_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Drop page numbers and lines repeated in the margins of most pages.

    Digits are masked when comparing, so ``page 3 of 9`` repeats too.
    """
    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", " ".join(line.text.lower().split()))

    def in_margin(line: Line, height: float) -> bool:
        return line.y < _MARGIN * height or line.y > (1 - _MARGIN) * height

    seen = Counter(k for lines, h in zip(pages, heights) for k in {key(x) for x in lines if in_margin(x, h)})
    repeated = {k for k, n in seen.items() if n >= 2 and n >= 0.5 * len(pages)}
    return [[x for x in lines if not (in_margin(x, h) and (key(x) in repeated or _PAGE_NO.match(key(x))))]
            for lines, h in zip(pages, heights)]


def _body_size(pages: list[list[Line]]) -> float:
    """The font size most of the text is set in."""
    sizes = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _metadata_title(reader) -> str | None:
    try:
        title = (reader.metadata or {}).get("/Title")
    except Exception:  # a broken info dictionary is no reason to refuse the file
        return None
    title = " ".join(str(title or "").split())
    return None if title.lower() in _NO_TITLE else title


def _is_title_line(line: Line, title: str | None, body_size: float) -> bool:
    """Whether the first line of page 1 is the document title (not a block)."""
    if title and " ".join(line.text.lower().split()) == title.lower():
        return True
    return line.size >= body_size + 2 and len(line.text) <= 120 and not re.match(r"\d", line.text)


def _ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``'1-3, 7'``.

    >>> _ranges([1, 2, 3, 7])
    '1-3, 7'
    """
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
