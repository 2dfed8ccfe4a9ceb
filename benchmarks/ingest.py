"""Ingest benchmark: raw embedding vs end-to-end ingest, re-ingest, big PDF.

Prints, in one run:
  * raw embedding throughput of the model alone (chunks/s), on the very
    chunk texts the corpus yields, model already loaded (the baseline);
  * end-to-end `faultdesk ingest` on the sample corpus and on a generated
    1,000-page PDF: pages/s, chunks/s, peak RSS of the process, and the
    ratio to the raw baseline (target >= 85%);
  * re-ingest time of the unchanged corpus and the speed-up (target >= 50x).

Two clocks are shown for ingest: "run" is the pipeline's own time (from the
summary: discovery, hashing, parsing, model load, embedding, writes);
"process" adds Python start-up and imports of the CLI process.

    .venv/bin/python benchmarks/ingest.py [--pages 1000] [--raw-sample 512]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import ROOT, ingest_json, run_measured  # noqa: E402
from benchmarks.gen_pdf import build as build_pdf  # noqa: E402

SAMPLES = ROOT / "knowledge_base" / "samples"


def corpus_texts(paths: list[Path]) -> tuple[list[str], int]:
    """Chunk texts the pipeline would embed, and the PDF page count."""
    from ingest.chunker import Chunker
    from ingest.discover import discover
    from ingest.loaders import SUPPORTED, LoadOptions, load_file

    files, _ = discover(paths, SUPPORTED)
    texts, pages = [], 0
    for f in files:
        try:
            doc = load_file(f, LoadOptions())
        except Exception as exc:  # the benchmark reports, it does not stop
            print(f"  skipped {f}: {exc}")
            continue
        pages += doc.pages or 0
        texts += [c.embed_text() for c in Chunker().chunk(doc, str(f)).chunks]
    return texts, pages


def _raw_child(path: str) -> None:
    """Child mode: embed the texts in ``path`` (JSON) with the model loaded, print chunks/s."""
    from knowledge_base.embedder import MiniLMEmbedder

    texts = json.loads(Path(path).read_text())
    emb = MiniLMEmbedder(batch_size=32)
    emb.embed_batch(texts[:32])  # load and warm up, not timed
    t0 = time.perf_counter()
    for s in range(0, len(texts), 32):
        emb.embed_batch(texts[s:s + 32])
    print(len(texts) / (time.perf_counter() - t0))


def raw_throughput(texts: list[str], sample: int, tmp: Path) -> float:
    """Chunks/s of the model alone on a seeded random sample of ``texts``, in a
    fresh process like the ingest's own (so both pay the same conditions)."""
    pick = random.Random(0).sample(texts, min(sample, len(texts)))
    f = tmp / "raw-texts.json"
    f.write_text(json.dumps(pick))
    _, _, out, _ = run_measured([sys.executable, __file__, "--raw-child", str(f)])
    return float(out.strip())


def report_ingest(label: str, paths: list[str], kb: str, pages: int, raw: float) -> dict:
    wall, rss, summary = ingest_json(paths, kb)
    run = summary["seconds"]
    emb = summary["embedded"]
    print(f"{label}: {summary['files_seen']} files, {pages} PDF pages, {summary['chunks']} chunks "
          f"({emb} embedded), failed={len(summary['failed'])}")
    print(f"  run {run:.1f} s  process {wall:.1f} s  peak RSS {rss:.0f} MB  phases {summary.get('phases')}")
    if emb:
        print(f"  {emb / run:.1f} chunks/s run ({100 * emb / run / raw:.0f}% of raw)   "
              f"{emb / wall:.1f} chunks/s process ({100 * emb / wall / raw:.0f}% of raw)   "
              f"{pages / run:.1f} pages/s run")
    return {"run": run, "wall": wall, "rss": rss, "summary": summary}


_PARSE = ("import sys, time; from pathlib import Path; from ingest.loaders.pdf import load_pdf; "
          "from ingest.loaders.options import LoadOptions; t = time.perf_counter(); "
          "docs = [load_pdf(Path(p), LoadOptions()) for p in sys.argv[1:]]; "
          "print(sum(d.pages for d in docs), time.perf_counter() - t, "
          "sum(any('OCR' in n for n in d.notes) for d in docs))")


def report_ocr(tmp: Path) -> None:
    """Parse the sample manuals, then their scanned copies, each in a fresh process."""
    from benchmarks.scanned_copy import scan_pdf

    texts = sorted((SAMPLES / "manuals").glob("*.pdf"))
    scans = [tmp / "scanned" / p.name for p in texts]
    for src, dst in zip(texts, scans):
        scan_pdf(src, dst)
    rows = {}
    for label, pdfs in (("text PDFs (baseline)", texts), ("scanned copies, OCR", scans)):
        wall, rss, out, code = run_measured([sys.executable, "-c", _PARSE, *map(str, pdfs)],
                                            env={"PYTHONPATH": str(ROOT)})
        if code != 0:
            raise SystemExit(f"parsing {label} failed")
        pages, secs, ocr_files = out.split()
        rows[label] = (int(pages), float(secs), rss, int(ocr_files))
    print("OCR (PDF loader only, no embedding; 4 sample manuals)")
    for label, (pages, secs, rss, ocr_files) in rows.items():
        print(f"  {label}: {pages} pages in {secs:.1f} s = {pages / secs:.2f} pages/s, "
              f"peak RSS {rss:.0f} MB, files with an OCR note {ocr_files}")


def main() -> None:
    ap = argparse.ArgumentParser(description="faultdesk ingest benchmark")
    ap.add_argument("--only-ocr", action="store_true", help="Run only the OCR part.")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--raw-sample", type=int, default=512)
    ap.add_argument("--raw-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.raw_child:
        return _raw_child(args.raw_child)
    tmp = Path(tempfile.mkdtemp(prefix="fd-bench-"))
    if args.only_ocr:
        return report_ocr(tmp)

    texts, pages = corpus_texts([SAMPLES])
    raw = raw_throughput(texts, args.raw_sample, tmp)
    print(f"raw embedding (all-MiniLM-L6-v2, batch 32, model loaded, fresh process): {raw:.1f} chunks/s "
          f"over {min(args.raw_sample, len(texts))} random sample-corpus chunks")

    first = report_ingest("sample corpus, first ingest", [str(SAMPLES)], str(tmp / "kb1"), pages, raw)
    again = report_ingest("sample corpus, unchanged re-ingest", [str(SAMPLES)], str(tmp / "kb1"), pages, raw)
    print(f"  re-ingest speed-up: {first['run'] / again['run']:.0f}x run clock, "
          f"{first['wall'] / again['wall']:.1f}x process clock (target >= 50x)")

    pdf = tmp / "big.pdf"
    build_pdf(str(pdf), args.pages)
    big_texts, _ = corpus_texts([pdf])
    raw_before = raw_throughput(big_texts, args.raw_sample, tmp)
    big = report_ingest(f"generated {args.pages}-page PDF", [str(pdf)], str(tmp / "kb2"), args.pages, raw_before)
    raw_after = raw_throughput(big_texts, args.raw_sample, tmp)
    raw_big = (raw_before + raw_after) / 2
    emb = big["summary"]["embedded"]
    print(f"raw embedding on a random {args.raw_sample} of the PDF's chunks, before / after the ingest: "
          f"{raw_before:.1f} / {raw_after:.1f} chunks/s (mean {raw_big:.1f})")
    print(f"  end-to-end {emb / big['run']:.1f} chunks/s = {100 * emb / big['run'] / raw_big:.0f}% of the mean raw "
          f"(target >= 85%); phases {big['summary'].get('phases')}")
    print(f"peak RSS over all ingest runs: {max(first['rss'], big['rss']):.0f} MB (target < 2500 MB)")
    report_ocr(tmp)


if __name__ == "__main__":
    main()
