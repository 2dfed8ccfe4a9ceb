"""PDF pages rendered as PNG with a cited passage highlighted, cached on disk.

A citation names a file, a 1-based page and the chunk's text. The chunk text
is not a verbatim copy of the page: lines are re-flowed, and a table row
repeats its column names ("Code: E-104 | Description: ..."). So the passage
is found by aligning words: the page's words (from pdfium's text page) and
the passage's words are matched in order, and the runs of at least
:data:`MIN_RUN` consecutive words (with the short runs next to them) become
pdfium's text rectangles, drawn as translucent boxes over the rendered page.

Rendered pages are written once to ``cache_dir`` under a name derived from
the file's identity (path, size, mtime), the page, the passage and the scale,
so an edited manual is rendered afresh.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from difflib import SequenceMatcher
from pathlib import Path

from knowledge_base.errors import StoreError

SCALE = 1.5  # 108 dpi: table text stays legible when the image is opened full size
MIN_RUN = 3  # shorter runs of matching words are coincidences ("the pump")
FILL = (255, 200, 0, 90)  # translucent amber
OUTLINE = (230, 120, 0, 255)
_WORD = re.compile(r"\w+")


def passage_spans(page_text: str, passage: str) -> list[tuple[int, int]]:
    """Character ranges ``[start, end)`` of ``page_text`` whose words match
    runs of the passage's words, in page order. A run shorter than
    :data:`MIN_RUN` counts only next to a longer one.

    >>> page = "4.2 Fault codes\\nCode Description\\nE-104 High bearing\\nvibration, drive end"
    >>> [page[a:b] for a, b in passage_spans(page, "Code: E-104 | Description: High bearing vibration")]
    ['E-104 High bearing\\nvibration']
    >>> passage_spans(page, "nothing like it")
    []
    """
    page_words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(page_text)]
    words = [w.lower() for w in _WORD.findall(passage)]
    if not words or not page_words:
        return []
    matcher = SequenceMatcher(None, [w for _, _, w in page_words], words, autojunk=False)
    blocks = [(a, a + size) for a, _, size in matcher.get_matching_blocks() if size]
    need = min(MIN_RUN, len(words))
    keep = [b - a >= need for a, b in blocks]
    for i, (a, b) in enumerate(blocks):  # a short run touching a kept one belongs to it ("E-104")
        keep[i] = keep[i] or (i > 0 and keep[i - 1] and blocks[i - 1][1] == a) or (
            i + 1 < len(blocks) and keep[i + 1] and blocks[i + 1][0] == b)
    spans: list[list[int]] = []
    for (a, b), kept in zip(blocks, keep):
        if not kept:
            continue
        if spans and spans[-1][1] == a:
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return [(page_words[a][0], page_words[b - 1][1]) for a, b in spans]


def page_image(pdf: str | Path, page: int, passage: str, cache_dir: str | Path,
               scale: float = SCALE) -> Path:
    """PNG of 1-based ``page`` of ``pdf`` with ``passage`` highlighted; cached.

    Raises :class:`~knowledge_base.errors.StoreError` if the file cannot be
    read or has no such page.
    """
    pdf = Path(pdf)
    try:
        st = pdf.stat()
    except OSError as err:
        raise StoreError(f"{pdf}: cannot read the cited file: {err.strerror}") from err
    key = f"{pdf.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{page}\0{passage}\0{scale}"
    out = Path(cache_dir) / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.png"
    if not out.exists():
        image = _render(pdf, page, passage, scale)
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".png", dir=out.parent)
        with os.fdopen(fd, "wb") as fh:
            image.save(fh, format="PNG", optimize=True)
        os.replace(tmp, out)  # atomic: a concurrent reader sees the old or the whole file
    return out


def _render(pdf: Path, page: int, passage: str, scale: float):
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as err:
        raise StoreError(f"{pdf}: cannot open the cited PDF: {err}") from err
    try:
        if not 1 <= page <= len(doc):
            raise StoreError(f"{pdf}: no page {page} (the file has {len(doc)})")
        pg = doc[page - 1]
        height = pg.get_height()
        boxes = _passage_boxes(pg.get_textpage(), passage)
        image = pg.render(scale=scale).to_pil().convert("RGBA")
    finally:
        doc.close()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for left, bottom, right, top in boxes:  # PDF units, origin bottom-left
        draw.rectangle([left * scale - 2, (height - top) * scale - 2,
                        right * scale + 2, (height - bottom) * scale + 2],
                       fill=FILL, outline=OUTLINE, width=1)
    return Image.alpha_composite(image, overlay).convert("RGB")


def _passage_boxes(textpage, passage: str) -> list[tuple[float, float, float, float]]:
    """pdfium text rectangles (one per line piece) covering the passage's matched runs."""
    text = textpage.get_text_range(0, textpage.count_chars())
    boxes = []
    for start, end in passage_spans(text, passage):
        for i in range(textpage.count_rects(start, end - start)):
            boxes.append(textpage.get_rect(i))
    return boxes
