"""The plain baseline of the real-documentation benchmark: BM25 over whole
pages and sections, with nothing of faultdesk in it.

Units: a PDF page (pypdf's text), an HTML section (the text from one
``<h1>``..``<h6>`` to the next, BeautifulSoup), a text file's section (a line
that starts at the left margin after a blank line in a file whose body is
indented, as in a rendered man page; a Markdown ``#`` line; a line
underlined with ``===`` / ``---``). Tokens are lower-cased ``\\w+`` runs;
no stemming, no stopwords, no code lane, no embeddings. Scored with
rank_bm25's ``BM25Okapi`` (k1 1.5, b 0.75, its defaults).

>>> [u.text for u in text_units("a.txt", "NAME\\n   x - y\\n\\nDESCRIPTION\\n   z\\n")]
['NAME\\n   x - y', 'DESCRIPTION\\n   z']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Unit:
    """One page or section: what the baseline ranks."""

    source: str
    page: int | None
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def pdf_units(path: str) -> list[Unit]:
    from pypdf import PdfReader

    return [Unit(path, n, page.extract_text() or "") for n, page in enumerate(PdfReader(path).pages, 1)]


def html_units(path: str, html: str) -> list[Unit]:
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "head"]):
        tag.decompose()
    marker = "\x00SECTION\x00"
    for h in soup.find_all(_HEADINGS):
        h.insert_before(marker)
    text = soup.get_text(" ")
    return [Unit(path, None, part.strip()) for part in text.split(marker) if part.strip()]


def text_units(path: str, text: str) -> list[Unit]:
    lines = text.splitlines()
    body = [ln for ln in lines if ln.strip()]
    indented = sum(ln.startswith((" ", "\t")) for ln in body) > len(body) / 2
    cuts = [0]
    for i, ln in enumerate(lines):
        prev_blank = i == 0 or not lines[i - 1].strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (ln.startswith("#") or (ln.strip() and re.fullmatch(r"[=\-~^]{3,}\s*", nxt))
                or (indented and prev_blank and ln[:1].strip() and len(ln) < 80)):
            cuts.append(i)
    cuts = sorted(set(cuts)) + [len(lines)]
    parts = ("\n".join(lines[a:b]).strip() for a, b in zip(cuts, cuts[1:]))
    return [Unit(path, None, p) for p in parts if p]


def units_of(path: Path) -> list[Unit]:
    """The pages / sections of one file (other file types: none)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_units(str(path))
    raw = path.read_text(encoding="utf-8", errors="replace")
    if suffix in (".html", ".htm"):
        return html_units(str(path), raw)
    if suffix in (".txt", ".md", ".rst", ".adoc", ".markdown"):
        return text_units(str(path), raw)
    return []


class PlainBM25:
    """BM25Okapi over every unit of the files under ``root``."""

    def __init__(self, root: Path) -> None:
        from rank_bm25 import BM25Okapi

        self.units = [u for p in sorted(root.rglob("*")) if p.is_file() for u in units_of(p)]
        self._bm25 = BM25Okapi([tokens(u.text) or ["\x00"] for u in self.units])

    def search(self, query: str, k: int = 10) -> list[Unit]:
        scores = self._bm25.get_scores(tokens(query))
        order = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
        return [self.units[i] for i in order if scores[i] > 0]
