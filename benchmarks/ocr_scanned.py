"""Scanned manuals: OCR'd image-only copies of the sample manuals against the text PDFs.

1. Copies knowledge_base/samples to a temporary folder with every manual replaced by
   its scanned copy (benchmarks/scanned_copy.py: 150 dpi, mild noise, 1-2 degree skew,
   image only; generated here, never committed).
2. Ingests the text samples and the scanned samples into two fresh KBs, printing the
   OCR notes of each scanned manual.
3. ``faultdesk eval retrieval`` on the development and held-out gold sets against both
   KBs; prints hybrid (and bm25) hit@5 side by side and the scanned/text ratio
   (the issue's bar: >= 0.90).
4. Per manual, what OCR loses against the text layer of the same pages
   (benchmarks/ocr_diff.py): character error rate in the loader's reading
   order, word recall, and lost fault codes, step numbers, WARNING words and
   short lines (headings, table cells).

    .venv/bin/python benchmarks/ocr_scanned.py [--keep DIR] [--no-cer]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import ROOT  # noqa: E402
from benchmarks.quality import SETS, run, stamp  # noqa: E402
from benchmarks.ocr_diff import diff_pdf, summary as ocr_summary  # noqa: E402
from benchmarks.scanned_copy import scan_pdf  # noqa: E402

SAMPLES = ROOT / "knowledge_base" / "samples"


def scanned_samples(dst: Path) -> list[Path]:
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(SAMPLES, dst, ignore=shutil.ignore_patterns("__pycache__"))
    out = []
    for pdf in sorted((SAMPLES / "manuals").glob("*.pdf")):
        scan_pdf(pdf, dst / "manuals" / pdf.name)
        out.append(dst / "manuals" / pdf.name)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="Work in this folder and keep it (default: a temporary one).")
    ap.add_argument("--no-cer", action="store_true", help="Skip the per-manual CER part (it OCRs every page again).")
    args = ap.parse_args()
    print(f"scanned-manual OCR benchmark, {stamp()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="faultdesk-ocr-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        scanned = scanned_samples(work / "samples_scanned")
        print(f"scanned copies: {', '.join(p.name for p in scanned)}")
        kbs = {"text": work / "kb_text", "scanned": work / "kb_scanned"}
        shutil.rmtree(kbs["scanned"], ignore_errors=True)  # OCR may have changed; the files' bytes need not
        for name, src in (("text", SAMPLES), ("scanned", work / "samples_scanned")):
            summary = json.loads(run("ingest", str(src), "--kb", str(kbs[name]), "--json"))
            print(f"  {name}: failed files {len(summary.get('failed', []))}")
            for note in summary.get("notes", []):
                if "OCR" in note:
                    print(f"  {name} note: {note}")
        print("\n| gold set | mode | text PDFs hit@5 | scanned copies hit@5 | ratio |\n|---|---|---|---|---|")
        for set_name, path in SETS.items():
            res = {k: json.loads(run("eval", "retrieval", "--gold", str(path), "--kb", str(kb), "--json"))
                   for k, kb in kbs.items()}
            for mode in ("hybrid", "bm25", "dense"):
                a, b = res["text"]["modes"][mode]["recall5"], res["scanned"]["modes"][mode]["recall5"]
                print(f"| {set_name} | {mode} | {a:.3f} | {b:.3f} | {b / a if a else float('nan'):.2f} |",
                      flush=True)
        if not args.no_cer:
            print("\n| manual | CER | word recall | lost codes | lost step numbers | lost WARNING words | lost short lines |"
                  "\n|---|---|---|---|---|---|---|")
            for pdf in scanned:
                s = ocr_summary(diff_pdf(SAMPLES / "manuals" / pdf.name, pdf))
                print(f"| {pdf.name} | {s['cer']:.3f} | {s['word_recall']:.3f} | {s['lost codes']} | {s['lost steps']} | "
                      f"{s['lost alerts']} | {s['lost short lines']} |", flush=True)
    print(f"\ndone, {stamp()}")


if __name__ == "__main__":
    main()
