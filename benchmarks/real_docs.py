"""Real-documentation benchmark: faultdesk against plain BM25 on manuals nobody here wrote.

The corpus and questions were made by a helper session that saw only the
documents (``benchmarks/real_docs/README.md``, ``SOURCES.md``): five Debian
documentation sets (HTML, PDF, man pages rendered as text), 250 questions
split into a development half (``questions_dev.jsonl``, the only one tuned
on) and a held-out half. ``fetch.sh`` downloads the pinned packages into a
git-ignored folder when they are missing.

Each set is ingested into its own knowledge base (real MiniLM embedder),
then per set and split:

* retrieval, in-scope questions (code, symptom, procedure): hit@5 and MRR
  (over the top 10) for hybrid, each lane alone (code, bm25, dense) and an
  independent plain BM25 (``benchmarks/plain_bm25.py``) over whole pages /
  sections, in the same run. A chunk is relevant when it comes from the
  question's file and holds its anchor phrase (PDF: is on its page); a
  baseline unit likewise;
* answers with the extractive backend: a code question's key fact in the
  answer text, a symptom's and a procedure's key fact in the answer text
  (the appended safety quotes are graded apart: "quotes"), unknown codes
  and out-of-scope questions abstained.

    PYTHONPATH=. .venv/bin/python benchmarks/real_docs.py [--split dev|heldout|both] [--sets a,b] [--json OUT]

``--suite realdocs2`` runs the second blind set instead (``benchmarks/real_docs2/``:
freeipmi and mdadm man pages and FAQ as text, the avrdude manual as PDF; 184
questions written by a helper that saw only the documents, all held out,
``--split heldout``). Its first run is the held-out figure; every later run
is development data.

``--suite realdocs3`` is the third blind set (``benchmarks/real_docs3/``: the
LinuxCNC manual as PDF, the gammu and OpenOCD manuals as HTML; 252
questions, all held out, ``--split heldout``), first run 2026-12-05 at commit
25808cd; every later run is development data.

``--suite realdocs4`` is the fourth blind set (``benchmarks/real_docs4/``, three more
Debian packages' documentation, all held out); its sets are read from its questions.

``--suite realdocs5`` is the fifth blind set (``benchmarks/real_docs5/``), laid out
like realdocs4; its first run is its held-out figure. ``--suite realdocs6``, the sixth,
``--suite realdocs7``, the seventh, and ``--suite realdocs8``, the eighth, likewise. The scoring rules are in ``benchmarks/real_docs_score.py``.

``--no-ingest`` uses the knowledge bases under ``--work`` as they are (no fetch, no
re-read: for iterating on answers); ``--no-retrieval`` scores the answers only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import ROOT  # noqa: E402
from benchmarks.plain_bm25 import PlainBM25  # noqa: E402
from benchmarks.real_docs_score import answer_rows, print_table, retrieval_rows, summarise  # noqa: E402

SUITES = {"realdocs": (ROOT / "benchmarks" / "real_docs", ("apcupsd", "nut", "smartmontools", "sg3utils", "cups")),
          "realdocs2": (ROOT / "benchmarks" / "real_docs2", ("freeipmi", "mdadm", "avrdude")),
          "realdocs3": (ROOT / "benchmarks" / "real_docs3", ("linuxcnc", "gammu", "openocd")),
          "realdocs4": (ROOT / "benchmarks" / "real_docs4", ()),  # () : the sets its questions name
          "realdocs5": (ROOT / "benchmarks" / "real_docs5", ()),
          "realdocs6": (ROOT / "benchmarks" / "real_docs6", ()),
          "realdocs7": (ROOT / "benchmarks" / "real_docs7", ()),
          "realdocs8": (ROOT / "benchmarks" / "real_docs8", ())}
HERE, SETS = SUITES["realdocs"]


def suite_sets(here: Path) -> tuple[str, ...]:
    """The documentation sets a suite's questions name, in order of first use."""
    names: dict[str, None] = {}
    for f in sorted(here.glob("questions_*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                names.setdefault(json.loads(line)["set"], None)
    return tuple(names)


def fetch(corpus: Path, here: Path = HERE, sets=SETS) -> None:
    if all((corpus / f".{s}.complete").exists() for s in sets):
        return
    print(f"fetching the documentation sets into {corpus} ...", file=sys.stderr)
    subprocess.run(["bash", str(here / "fetch.sh"), str(corpus)], check=True)


def fingerprint() -> str:
    """A hash of the code that decides what a file is stored as: a change
    gets a fresh knowledge base instead of stale chunks."""
    h = hashlib.sha256()
    files = sorted((ROOT / "ingest").rglob("*.py")) + sorted((ROOT / "knowledge_base").glob("*.py"))
    for p in files:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def ingest(set_dir: Path, kb: Path) -> dict:
    from ingest.chunker import Chunker
    from ingest.loaders import LoadOptions
    from ingest.pipeline import Ingestor
    from knowledge_base.codes import CodeMatcher
    from knowledge_base.embedder import make_embedder
    from knowledge_base.settings import Settings
    from knowledge_base.store_open import open_store

    s = Settings(kb=kb)
    store = open_store(s)
    try:
        chunker = Chunker(CodeMatcher(s.code_patterns, s.code_ignore), s.chunk_chars, s.chunk_max_chars)
        ing = Ingestor(store, make_embedder(s.embedder, s.embed_batch_size), chunker,
                       LoadOptions(max_file_mb=s.max_file_mb), s.embed_batch_size)
        # One knowledge base per set across code versions: a changed parser
        # re-reads every file (the fingerprint joins the catalog's digest
        # salt), and chunks whose embedded text did not change keep their vectors.
        ing._salt += "|" + fingerprint()
        rep = ing.run([set_dir])
    finally:
        store.close()
    return rep.as_json()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suite", choices=sorted(SUITES), default="realdocs")
    ap.add_argument("--split", choices=("dev", "heldout", "both"), default="dev")
    ap.add_argument("--sets", help="comma-separated sets of the suite (default: all)")
    ap.add_argument("--corpus", type=Path, help="default .faultdesk/<suite's folder>")
    ap.add_argument("--work", type=Path, help="default .faultdesk/bench/<suite's folder>")
    ap.add_argument("--no-answers", action="store_true")
    ap.add_argument("--no-retrieval", action="store_true", help="Answers only.")
    ap.add_argument("--no-ingest", action="store_true",
                    help="Use the knowledge bases under --work as they are (no fetch, no ingest).")
    ap.add_argument("--json", type=Path, help="Write every row and summary here.")
    args = ap.parse_args()
    from assistant.factory import build_assistant
    from assistant.evaluation.gold import load_gold
    from knowledge_base.settings import Settings

    here, sets = SUITES[args.suite]
    sets = sets or suite_sets(here)
    args.corpus = args.corpus or ROOT / ".faultdesk" / here.name
    args.work = args.work or ROOT / ".faultdesk" / "bench" / here.name
    if not args.no_ingest:
        fetch(args.corpus, here, sets)
    splits = ("dev", "heldout") if args.split == "both" else (args.split,)
    fp = fingerprint()
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                         text=True).stdout.strip()
    print(f"# real_docs benchmark ({args.suite}, {', '.join(splits)})  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  commit {rev}"
          f"  code fingerprint {fp}")
    dump: dict = {}
    results: dict = {sp: {} for sp in splits}
    for name in (args.sets.split(",") if args.sets else sets):
        kb = args.work / name
        t0 = time.perf_counter()
        rep = ({"files_seen": "(not re-read)", "chunks": 0, "failed": []} if args.no_ingest
               else ingest(args.corpus / name, kb))
        print(f"{name}: ingested {rep['files_seen']} files, {rep['chunks']} chunks written "
              f"({len(rep['failed'])} failed) in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        assistant = build_assistant(Settings(kb=kb, llm="extractive"), "extractive")
        baseline = None if args.no_retrieval else PlainBM25(args.corpus / name)
        for sp in splits:
            qs = [q for q in load_gold(here / f"questions_{sp}.jsonl") if q.set == name]
            rrows = [] if args.no_retrieval else retrieval_rows(assistant, baseline, qs)
            arows = [] if args.no_answers else answer_rows(assistant, qs)
            results[sp][name] = summarise(rrows, arows)
            dump.setdefault(sp, {})[name] = {"retrieval": rrows, "answers": arows, "summary": results[sp][name]}
        assistant.retriever.store.close()
    for sp in splits:
        print_table(sp, results[sp])
    if args.json:
        args.json.write_text(json.dumps(dump, indent=1))


if __name__ == "__main__":
    main()
