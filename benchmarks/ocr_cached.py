"""OCR layout and text repair measured with tesseract's output cached per page.

Tesseract is the slow part of OCR; everything after it (word filtering, deskew,
visual rows and cells, table reading order, code and letter repairs) is Python.
This script OCRs each page of the sample manuals' scanned copies once (the same
rendering and tesseract call as ``ingest/loaders/ocr.py``), keeps the TSV in
``--cache``, then runs the PDF loader on the scanned copies with
``ocr.ocr_page`` replaced by "cached TSV -> ocr.parse_tsv -> ocr.words_to_lines".
So two commits can be compared on the same tesseract output, in seconds.

Per manual: character error rate of the loader's block text against the text
PDF's block text (same page, loader order, table rows as "Header: value | ...",
so a misread table header or a row cut in two costs a lot), word recall, and how
many blocks of each kind (text, table_row, procedure, warning) differ in number.

    .venv/bin/python benchmarks/ocr_cached.py [--cache DIR] [--only NAME] [--show PAGE]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import ROOT  # noqa: E402
from benchmarks.ocr_diff import edit_distance  # noqa: E402
from benchmarks.scanned_copy import scan_pdf  # noqa: E402
from ingest.loaders import ocr  # noqa: E402
from ingest.loaders.options import LoadOptions  # noqa: E402
from ingest.loaders.pdf import load_pdf  # noqa: E402

MANUALS = ROOT / "knowledge_base" / "samples" / "manuals"


def cached_reader(cache: Path, name: str):
    """An ``ocr.ocr_page`` stand-in reading page after page of ``name`` from ``cache``."""
    count = [0]

    def read(page, dpi: int = ocr.DPI, langs: str | None = None):
        from PIL import ImageFilter

        key = cache / f"{name}_{count[0]}.tsv"
        count[0] += 1
        if not key.exists():  # as ocr.ocr_page renders and calls tesseract
            image = page.render(scale=dpi / 72).to_pil().convert("L").filter(ImageFilter.MedianFilter(3))
            image = image.point(lambda v: 255 if v > ocr.INK else 0)
            angle = ocr.image_skew(image)
            if abs(angle) >= 0.1:
                image = image.rotate(angle, resample=3, fillcolor=255)
            buf = io.BytesIO()
            image.save(buf, "PNG")
            done = subprocess.run([ocr.engine() or "tesseract", "stdin", "stdout", "--dpi", str(dpi), "--psm", "4",
                                   "-l", "eng", "tsv"], input=buf.getvalue(), capture_output=True,
                                  env=dict(os.environ, OMP_THREAD_LIMIT="1"), check=True)
            key.write_text(done.stdout.decode("utf-8", errors="replace"), encoding="utf-8")
        words = ocr.parse_tsv(key.read_text(encoding="utf-8"))
        return ocr.words_to_lines(words, scale=72 / dpi, page_height=page.get_height())

    return read


def by_page(doc) -> dict[int, list]:
    out: dict[int, list] = {}
    for b in doc.blocks:
        out.setdefault(b.page, []).append(b)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/faultdesk-ocr-cache"))
    ap.add_argument("--only", help="Only manuals whose file name contains this.")
    ap.add_argument("--show", type=int, help="Print the blocks of this page (scanned, then text).")
    args = ap.parse_args()
    (args.cache / "scanned").mkdir(parents=True, exist_ok=True)
    total = Counter()
    for pdf in sorted(MANUALS.glob("*.pdf")):
        if args.only and args.only not in pdf.name:
            continue
        scanned = args.cache / "scanned" / pdf.name
        if not scanned.exists():
            scan_pdf(pdf, scanned)
        ref = by_page(load_pdf(pdf, LoadOptions()))
        with mock.patch.object(ocr, "ocr_page", cached_reader(args.cache, pdf.stem)):
            hyp = by_page(load_pdf(scanned, LoadOptions()))
        m = Counter()
        for p in sorted(ref):
            rt = " ".join(" ".join(b.text for b in ref[p]).split())
            ht = " ".join(" ".join(b.text for b in hyp.get(p, [])).split())
            m["chars"] += len(rt)
            m["edits"] += edit_distance(rt, ht)
            rw, hw = Counter(rt.split()), Counter(ht.split())
            m["words"] += sum(rw.values())
            m["lost"] += sum((rw - hw).values())
            rk, hk = Counter(b.kind for b in ref[p]), Counter(b.kind for b in hyp.get(p, []))
            for k in set(rk) | set(hk):
                m["off " + k] += abs(rk[k] - hk[k])
                m["n " + k] += rk[k]
            if args.show == p:
                for tag, blocks in (("scanned", hyp.get(p, [])), ("text", ref[p])):
                    for b in blocks:
                        print(f"  {tag} [{b.kind}] {b.text[:200]!r}")
        kinds = " ".join(f"{k[4:]} {m[k]}/{m['n ' + k[4:]]}" for k in sorted(m) if k.startswith("off "))
        print(f"| {pdf.name} | {m['edits'] / m['chars']:.4f} | {1 - m['lost'] / m['words']:.4f} | {kinds} |",
              flush=True)
        total.update(m)
    print(f"| all | {total['edits'] / total['chars']:.4f} | {1 - total['lost'] / total['words']:.4f} | |")


if __name__ == "__main__":
    main()
