"""OCR for PDF pages without a usable text layer (scans, photographed pages).

The engine is Debian's ``tesseract`` (``apt-get install tesseract-ocr``), run as a
subprocess on a page rendered by pypdfium2: nothing is loaded into the ingest
process, and only pages that need it are rendered, so a PDF with a text layer
costs nothing extra. (rapidocr-onnxruntime 1.4.4 was measured too: its bundled
PP-OCRv4 model ran 5-10x slower here and drops the spaces between English
words, "samplewrittenfor thefaultdeskproject"; see docs/notes/cjk.md.)

Tesseract's words come back with boxes. They are turned into the positioned
:class:`~.pdftext.Line` objects the PDF layout reader expects:

* the page's skew is measured from the words of each OCR line (a scan is rarely
  straight) and every box is rotated back, so columns line up again;
* words are grouped into visual rows by their (deskewed) centres; words of a row
  further apart than about one line height are separate
  cells (table columns), each a Line with its own x;
* cells of one OCR line share one baseline, and sizes within 25 % of the page's
  median are snapped to it, so paragraph and table detection see clean values;
* a word tesseract scores below :data:`MIN_CONF` is kept when it is wordlike
  (it gives 0 to real words boxed together with a table rule), and words split
  at an underscore are joined again (signal names such as ``bearing_de_rms``).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from statistics import median

from .ocr_layout import Cell, fix_code, reading_order, snap_sizes, word_em
from .pdftext import Line

DPI = 300  # render resolution: tesseract reads best at ~300 dpi (a 150 dpi scan is upsampled)
_TIMEOUT = 120  # seconds per page
INK = 140  # grey level below which a pixel is ink (with 300 dpi and a 3x3 median: see docs/notes/cjk.md)
MIN_CONF = 20  # tesseract word confidence (0-100) below which a word is noise
MIN_TEXT = 16  # a page with fewer characters in its text layer is a candidate for OCR
_QUOTES = "‘’“”'\"`"


@dataclass(frozen=True)
class Word:
    """One recognised word: box in pixels (y downwards) and OCR line key."""

    text: str
    left: float
    top: float
    width: float
    height: float
    line: tuple[int, int, int]


def engine() -> str | None:
    """Path of the tesseract binary, or None when OCR is not installed."""
    return shutil.which(os.environ.get("FAULTDESK_TESSERACT", "tesseract"))


def languages() -> str:
    """Tesseract languages to read: English, plus simplified Chinese when installed."""
    wanted = os.environ.get("FAULTDESK_OCR_LANGS")
    if wanted:
        return wanted
    try:
        out = subprocess.run([engine() or "tesseract", "--list-langs"], capture_output=True, text=True,
                             timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return "eng"
    return "eng+chi_sim" if "chi_sim" in out else "eng"


def needs_ocr(text: str, page) -> bool:
    """True when a pypdfium2 ``page`` has (almost) no text but draws an image."""
    if len("".join(text.split())) >= MIN_TEXT:
        return False
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3))


def ocr_page(page, dpi: int = DPI, langs: str | None = None) -> list[Line]:
    """Positioned lines of a pypdfium2 ``page`` read by tesseract (PDF points, y upwards)."""
    import io

    from PIL import ImageFilter

    image = page.render(scale=dpi / 72).to_pil().convert("L").filter(ImageFilter.MedianFilter(3))
    image = image.point(lambda v: 255 if v > INK else 0)  # shaded cells and scanner grey turn white
    angle = image_skew(image)
    if abs(angle) >= 0.1:
        image = image.rotate(angle, resample=3, fillcolor=255)  # 3: bicubic
    buf = io.BytesIO()
    image.save(buf, "PNG")
    cmd = [engine() or "tesseract", "stdin", "stdout", "--dpi", str(dpi), "--psm", "4",
           "-l", langs or languages(), "tsv"]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    done = subprocess.run(cmd, input=buf.getvalue(), capture_output=True, timeout=_TIMEOUT, env=env)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode(errors="replace").strip().splitlines()[-1:] or "tesseract failed")
    words = parse_tsv(done.stdout.decode("utf-8", errors="replace"))
    return words_to_lines(words, scale=72 / dpi, page_height=page.get_height())


def image_skew(image, limit: float = 4.0) -> float:
    """Degrees to rotate ``image`` (PIL, grey) counter-clockwise to straighten its lines.

    Projection profile: text lines give the sharpest row histogram when level.
    Searched coarse (0.25 degree) then fine (0.05 degree) on a reduced copy.
    """
    import numpy as np

    small = image.reduce(max(1, image.width // 700))

    def score(angle: float) -> float:
        ink = np.asarray(small.rotate(angle, fillcolor=255)) < 128
        rows = ink.sum(axis=1).astype(np.float64)
        return float(((rows[1:] - rows[:-1]) ** 2).sum())

    best = max((a / 4 for a in range(int(-limit * 4), int(limit * 4) + 1)), key=score)
    return max((best + a / 20 for a in range(-5, 6)), key=score)


def parse_tsv(tsv: str) -> list[Word]:
    """Words (level 5 rows) of tesseract's TSV output.

    >>> row = "5\\t1\\t2\\t1\\t3\\t1\\t100\\t50\\t40\\t20\\t96\\tE-104"
    >>> parse_tsv("level\\n" + row)[0]
    Word(text='E-104', left=100.0, top=50.0, width=40.0, height=20.0, line=(2, 1, 3))
    >>> w = parse_tsv("level\\n" + row.replace("96\\tE-104", "0\\t F0011"))[0]  # a rule boxed in, score 0
    >>> w.text, round(w.left, 1), round(w.width, 1)
    ('F0011', 106.7, 33.3)
    >>> w = parse_tsv("level\\n" + row.replace("E-104", "‘Code"))[0]  # a speck read as a quote
    >>> w.text, w.left, w.width
    ('Code', 108.0, 32.0)
    """
    words = []
    rows = [f for f in (r.split("\t") for r in tsv.splitlines()[1:]) if len(f) >= 12 and f[0] == "5" and f[11].strip()]
    heights = sorted(float(f[9]) for f in rows if float(f[10]) >= MIN_CONF)
    tall = 1.7 * heights[len(heights) // 2] if heights else float("inf")
    for f in rows:
        if float(f[10]) < MIN_CONF and not (_wordlike(f[11].strip()) and float(f[9]) <= tall):
            continue  # tesseract gives 0 to real words beside a table rule ("F0011", "(bearing"): kept
            # when wordlike and no taller than text (a box taller than that holds a rule across lines)
        if not any(c.isalnum() for c in f[11]) and float(f[10]) < 80:
            continue  # specks read as punctuation
        raw, left, width = f[11], float(f[6]), float(f[8])
        if len(raw.strip()) > 2 and raw.lstrip()[0] in _QUOTES and not any(c in _QUOTES for c in raw.strip()[1:]):
            raw = raw.replace(raw.lstrip()[0], " ", 1)  # an unpaired opening quote is a speck: "‘Code"
        lead, trail = len(raw) - len(raw.lstrip()), len(raw) - len(raw.rstrip())
        if lead or trail:  # blanks in a word: tesseract boxed a table rule with it; cut the box back
            glyph = width / len(raw)
            left, width = left + lead * glyph, width - (lead + trail) * glyph
        words.append(Word(fix_code(raw.strip()), left, float(f[7]), width, float(f[9]),
                          (int(f[2]), int(f[3]), int(f[4]))))
    return words


def _wordlike(text: str) -> bool:
    """At least two letters or digits, and they are at least half the characters (not a speck).

    >>> [_wordlike(t) for t in ("F0011", "_de_rms", "(bearing", "—s", ":", "“mmis")]
    [True, True, True, False, False, True]
    """
    alnum = sum(c.isalnum() for c in text)
    return alnum >= 2 and alnum >= 0.5 * len(text)


def join_underscores(text: str) -> str:
    """Words split at an underscore joined again: signal names are one token.

    >>> join_underscores("(bearing _de_rms signal lost); suction_ pressure_bar")
    '(bearing_de_rms signal lost); suction_pressure_bar'
    """
    return re.sub(r"(?<=\w) +(?=_\w)|(?<=\w_) +(?=\w)", "", text)


def skew(words: list[Word]) -> float:
    """The page's skew in radians (positive: lines fall to the right, in pixels y down).

    Median slope of the word centres over OCR lines of at least four words.
    """
    slopes = []
    for line in _group(words).values():
        if len(line) < 4:
            continue
        xs = [w.left + w.width / 2 for w in line]
        ys = [w.top + w.height / 2 for w in line]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        den = sum((x - mx) ** 2 for x in xs)
        if den > 0:
            slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den)
    return math.atan(median(slopes)) if slopes else 0.0


def words_to_lines(words: list[Word], scale: float, page_height: float) -> list[Line]:
    """Deskewed, cell-split Lines in reading order (top to bottom, left to right)."""
    if not words:
        return []
    typical = median(w.height for w in words)
    # table rules and specks read as "_" or "-": flat marks without a letter or digit
    words = [w for w in words if any(c.isalnum() for c in w.text) or w.height >= 0.5 * typical]
    if not words:
        return []
    angle = skew(words)
    cos, sin = math.cos(angle), math.sin(angle)

    def straight(x: float, y: float) -> tuple[float, float]:  # rotate back by -angle
        return x * cos + y * sin, -x * sin + y * cos

    placed = []
    for w in words:
        x, _ = straight(w.left, w.top + w.height)
        _, yc = straight(w.left + w.width / 2, w.top + w.height / 2)
        placed.append((x, yc, w))
    placed.sort(key=lambda p: p[1])
    groups: list[list] = []
    for item in placed:  # one visual row: centres within half a line height of the row's first word
        if groups and item[1] - groups[-1][0][1] <= 0.5 * typical:
            groups[-1].append(item)
        else:
            groups.append([item])
    rows = []
    for group in groups:
        group.sort(key=lambda p: p[0])
        rows.append((median(y for _, y, _ in group), median(w.height for _, _, w in group),
                     median(word_em(w.text, w.height) for _, _, w in group), group))
    rows.sort(key=lambda r: r[0])
    sizes = snap_sizes([em for _, _, em, _ in rows])
    visual: list[list[Cell]] = []
    for (y, height, _, placed), size in zip(rows, sizes):
        cells: list[list] = []
        for x, _, w in placed:  # words further apart than a word's height: another cell (table column)
            if cells and x - cells[-1][-1] <= 1.0 * height:
                cells[-1][1].append(w.text)
                cells[-1][-1] = x + w.width
            else:
                cells.append([x, [w.text], x + w.width])
        visual.append([Cell(join_underscores(" ".join(texts)), x, y, size, right) for x, texts, right in cells])
    return [Line(c.text, c.x * scale, page_height - c.y * scale, c.size * scale, None)
            for c in reading_order(visual, tol=4 / scale)]


def _group(words: list[Word]) -> dict[tuple[int, int, int], list[Word]]:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    return lines
