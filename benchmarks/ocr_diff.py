"""What OCR loses: a scanned copy's OCR text against the text layer of the same pages.

Per page: character error rate (edit distance / reference length, on
whitespace-normalised text), word recall, and which tokens of the classes the
retrieval depends on were lost (fault codes and asset-like ids, numbered-step
starts, WARNING/CAUTION/DANGER words, heading lines, table-row first cells).
Reading order counts: CER is computed on the page text in the order the loader
emits it, so a two-column or table page read in the wrong order scores worse.

    .venv/bin/python benchmarks/ocr_diff.py TEXT.pdf SCANNED.pdf [--pages 1,3] [--show]

Used by benchmarks/ocr_scanned.py (summary per manual).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CODE = re.compile(r"\b[A-Z]{1,4}[-_]?\d{1,4}[A-Z]?\b", re.ASCII)
STEP = re.compile(r"^\s*(\d{1,2})[.)]\s", re.M)
ALERT = re.compile(r"\b(WARNING|CAUTION|DANGER|NOTICE)\b")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row per character of ``a``.

    >>> edit_distance("kitten", "sitting")
    3
    """
    if not a or not b:
        return len(a) + len(b)
    bb = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    prev = np.arange(len(b) + 1, dtype=np.int64)
    idx = np.arange(len(b) + 1, dtype=np.int64)
    for i, ch in enumerate(a, 1):
        cost = (bb != ord(ch)).astype(np.int64)
        cand = np.empty_like(prev)
        cand[0] = i
        cand[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        prev = np.minimum.accumulate(cand - idx) + idx  # insertions along the row
    return int(prev[-1])


def norm(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class PageDiff:
    page: int
    ref_chars: int
    cer: float
    word_recall: float
    lost: dict[str, list[str]]


def page_texts(path: Path, ocr: bool) -> list[str]:
    """The loader's lines of every page, joined (``ocr``: the scanned copy)."""
    from ingest.loaders.pdf import _open, _read_pages

    pages, _, _ = _read_pages(path, _open(path))
    return ["\n".join(line.text for line in lines) for lines in pages]


def _classes(text: str) -> dict[str, Counter]:
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    return {
        "codes": Counter(CODE.findall(text)),
        "steps": Counter(m.group(1) for m in STEP.finditer(text)),
        "alerts": Counter(ALERT.findall(text)),
        "short lines": Counter(norm(x) for x in lines if len(x.split()) <= 6),
        "words": Counter(w.strip(".,:;()").lower() for w in text.split() if len(w) > 2),
    }


def diff_page(page: int, ref: str, hyp: str) -> PageDiff:
    r, h = norm(ref), norm(hyp)
    cer = edit_distance(r, h) / max(1, len(r))
    cr, ch = _classes(ref), _classes(hyp)
    lost = {k: sorted((cr[k] - ch[k]).elements()) for k in cr}
    words = sum(cr["words"].values())
    recall = 1 - len(lost["words"]) / words if words else 1.0
    return PageDiff(page, len(r), cer, recall, lost)


def diff_pdf(text_pdf: Path, scanned_pdf: Path) -> list[PageDiff]:
    refs, hyps = page_texts(text_pdf, False), page_texts(scanned_pdf, True)
    return [diff_page(i + 1, r, h) for i, (r, h) in enumerate(zip(refs, hyps))]


def summary(diffs: list[PageDiff]) -> dict[str, float]:
    """Character-weighted CER, mean word recall and lost counts per class."""
    chars = sum(d.ref_chars for d in diffs) or 1
    out = {"cer": sum(d.cer * d.ref_chars for d in diffs) / chars,
           "word_recall": sum(d.word_recall for d in diffs) / max(1, len(diffs))}
    for k in ("codes", "steps", "alerts", "short lines"):
        out[f"lost {k}"] = sum(len(d.lost[k]) for d in diffs)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("text_pdf", type=Path)
    ap.add_argument("scanned_pdf", type=Path)
    ap.add_argument("--show", action="store_true", help="print the lost tokens per page")
    args = ap.parse_args()
    diffs = diff_pdf(args.text_pdf, args.scanned_pdf)
    for d in diffs:
        print(f"page {d.page}: chars {d.ref_chars} CER {d.cer:.3f} word recall {d.word_recall:.3f}")
        if args.show:
            for k, v in d.lost.items():
                if v and k != "words":
                    print(f"   lost {k}: {v}")
            print(f"   lost words: {d.lost['words'][:40]}")
    print(" ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in summary(diffs).items()))


if __name__ == "__main__":
    main()
