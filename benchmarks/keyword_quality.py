"""Retrieval quality of the keyword lane: tantivy vs the FTS5 baseline, same KB, same run.

For each knowledge base and gold set given, every in-scope question goes
through the hybrid and bm25 modes twice: once with the FTS5 lane
(``keyword_backend='fts5'``, the baseline) and once with the tantivy index.
Printed: hit@5 (a relevant chunk in the top 5) and MRR@10 per mode and
backend, and how many questions changed their hit@5.

Two gold formats: the samples' gold set (``assistant.evaluation.gold``: relevant =
``assistant.evaluation.gold.is_relevant``), and the blind real-documentation sets
(``{"set", "question", "source", "page", "anchor"}``): relevant = same file
name, and same page for a paged source, else the anchor in the chunk's text
(both with whitespace collapsed, case-insensitive); questions without a
source (unknown codes, out of scope) are skipped.

    PYTHONPATH=. .venv/bin/python benchmarks/keyword_quality.py \\
        --samples KB knowledge_base/samples/gold/questions.jsonl \\
        --blind KB /work/blind/docs/questions_dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MODES = ("hybrid", "bm25")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def blind_questions(path: str) -> list[tuple[str, str, callable]]:
    out = []
    for line in Path(path).read_text().splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        if not d.get("source"):
            continue
        src, page, anchor = d["source"], d.get("page"), _norm(d.get("anchor") or "")

        def rel(c, src=src, page=page, anchor=anchor):
            if Path(c.source).name != src:
                return False
            return c.page == page if page is not None else (not anchor or anchor in _norm(c.text))
        out.append((d["id"], d["question"], rel))
    return out


def sample_questions(path: str) -> list[tuple[str, str, callable]]:
    from assistant.evaluation.gold import load_gold, relevant_any

    return [(q.id, q.question, lambda c, q=q: relevant_any(c, q)) for q in load_gold(path) if q.in_scope]


def evaluate(kb: str, questions, label: str) -> None:
    from assistant.factory import build_retriever
    from knowledge_base.retrieval import Query
    from knowledge_base.settings import get_settings

    retriever = build_retriever(get_settings().with_kb(kb))
    store = retriever.store
    ranks: dict[tuple[str, str], list[int | None]] = {}
    for backend in ("fts5", "tantivy"):
        store.keyword_backend = backend
        for mode in MODES:
            got = []
            for _, text, rel in questions:
                hits = retriever.retrieve(Query(text, k=10, mode=mode)).hits
                got.append(next((i for i, h in enumerate(hits, 1) if rel(h.chunk)), None))
            ranks[(backend, mode)] = got
    n = len(questions)
    print(f"\n{label}: {n} in-scope questions, kb {kb} ({store.stats()['chunks']} chunks)")
    print(f"  {'mode':7} {'backend':8} {'hit@5':>7} {'MRR@10':>7}")
    for mode in MODES:
        for backend in ("fts5", "tantivy"):
            r = ranks[(backend, mode)]
            hit5 = sum(1 for x in r if x is not None and x <= 5) / n
            mrr = sum(1 / x for x in r if x is not None) / n
            print(f"  {mode:7} {backend:8} {hit5:7.3f} {mrr:7.3f}")
        a, b = ranks[("fts5", mode)], ranks[("tantivy", mode)]
        flips = [(q[0], x, y) for q, x, y in zip(questions, a, b)
                 if (x is not None and x <= 5) != (y is not None and y <= 5)]
        print(f"  {mode}: hit@5 changed on {len(flips)} questions: "
              + ", ".join(f"{q} ({x}->{y})" for q, x, y in flips))
    store.keyword_backend = "tantivy"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", nargs=2, metavar=("KB", "GOLD"))
    ap.add_argument("--blind", nargs=2, metavar=("KB", "QUESTIONS"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    print(f"keyword lane quality, fts5 (baseline) vs tantivy; load average {os.getloadavg()[0]:.1f}")
    if args.samples:
        evaluate(args.samples[0], sample_questions(args.samples[1]), f"samples gold ({args.samples[1]})")
    if args.blind:
        evaluate(args.blind[0], blind_questions(args.blind[1]), f"blind real docs ({args.blind[1]})")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
