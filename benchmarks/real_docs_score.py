"""Scoring of the real-documentation benchmark (``benchmarks/real_docs.py``):
retrieval ranks under the two relevance rules, answers' facts and abstentions,
the per-set summary and the printed tables."""

from __future__ import annotations

MODES = ("hybrid", "code", "bm25", "dense", "section")
IN_SCOPE = ("code", "symptom", "procedure")


def hit_rank(items, relevant, k: int = 10) -> int | None:
    return next((i for i, x in enumerate(items[:k], 1) if relevant(x)), None)


def chunk_text(c) -> str:
    """A chunk's text as the document reads: a table row's cell values in
    their order, without the ``Header: `` labels the chunker puts before each
    ("Model: LiDE 220 | Interface: USB" reads "LiDE 220 USB", as the
    anchor copied from the page and the baseline's page text do)."""
    if c.kind != "table_row":
        return c.text
    return " ".join(cell.partition(": ")[2] if ": " in cell else cell for cell in c.text.split(" | "))


def retrieval_rows(assistant, baseline, questions) -> list[dict]:
    """Each lane's and the baseline's rank of the first relevant item, under
    two rules applied alike to both sides. ``MODE``: the question's anchor in
    the chunk (its section path and text read as one) or in the baseline's unit,
    from the question's file, or from *another file of the set that holds the
    same passage* (freeipmi repeats its WORKAROUNDS and troubleshooting text
    word for word in ten man pages; which copy comes first is chance); a PDF
    page stays its file's page; a table row is read as its cell values (``chunk_text``).
    ``MODE_strict``: the question's file only (the
    rule of the earlier runs). ``hybrid_sections``: hybrid's ranking read as
    its chunks' distinct sections, each the whole section (small to big), so
    that hybrid and the baseline are scored on units of one kind."""
    from assistant.evaluation.gold import fold, relevant_any, same_source
    from knowledge_base.retrieval import Query

    sections: dict[tuple, list] = {}
    for batch in assistant.retriever.store.index.chunk_rows():
        for _, c in batch:
            sections.setdefault((c.source, c.section), []).append(c)
    rows = []
    for q in questions:
        if q.category not in IN_SCOPE:
            continue
        row = {"id": q.id, "kind": q.category}
        e = q.expected[0]
        anchor = fold(e.anchor)

        def chunk_ok(c, strict: bool) -> bool:
            if relevant_any(c, q):
                return True
            return not strict and e.page is None and anchor in fold(" ".join(c.section) + " " + chunk_text(c))

        def section_ok(u, sections) -> bool:
            src, path = u
            if e.page is not None:  # a PDF's unit is the page: the chunk's own page decides
                return any(relevant_any(c, q) for c in sections.get(u, ()))
            return anchor in fold(" ".join(path) + " " + " ".join(chunk_text(c) for c in sections.get(u, ())))

        def unit_ok(u, strict: bool) -> bool:
            if e.page is not None:
                return same_source(u.source, e.source) and u.page == e.page
            return (not strict or same_source(u.source, e.source)) and anchor in fold(u.text)

        for mode in MODES:
            chunks = [h.chunk for h in assistant.retriever.retrieve(Query(q.question, k=10, mode=mode)).hits]
            row[mode] = hit_rank(chunks, lambda c: chunk_ok(c, False))
            row[f"{mode}_strict"] = hit_rank(chunks, lambda c: chunk_ok(c, True))
        # Unit-matched: hybrid's ranking read as sections (its chunks' distinct
        # (file, section path) units, each the whole section's text), the unit
        # plain BM25 is scored on: "small to big", a chunk expanded to its section.
        deep = [h.chunk for h in assistant.retriever.retrieve(Query(q.question, k=40, mode="hybrid")).hits]
        secs = list(dict.fromkeys((c.source, c.section) for c in deep))
        row["hybrid_sections"] = hit_rank(secs, lambda u: section_ok(u, sections))
        units = baseline.search(q.question, 10)
        row["plain_bm25"] = hit_rank(units, lambda u: unit_ok(u, False))
        row["plain_bm25_strict"] = hit_rank(units, lambda u: unit_ok(u, True))
        rows.append(row)
    return rows


def answer_rows(assistant, questions) -> list[dict]:
    from assistant.evaluation.gold import fold
    from assistant.answer.safety import HEADING

    rows = []
    for q in questions:
        a = assistant.ask(q.question)
        body, _, quotes = a.answer.partition(f"\n\n{HEADING}:")
        fact = q.answer_contains[0] if q.answer_contains else ""
        rows.append({"id": q.id, "kind": q.category, "abstained": a.abstained,
                     "fact_in_text": bool(fact) and not a.abstained and fold(fact) in fold(body),
                     "fact_in_quotes": bool(fact) and fold(fact) in fold(quotes),
                     "answer": a.answer[:600]})
    return rows


def summarise(rrows: list[dict], arows: list[dict]) -> dict:
    out: dict = {"n_retrieval": len(rrows)}
    for m in (*MODES, "plain_bm25", "hybrid_strict", "plain_bm25_strict", "hybrid_sections"):
        ranks = [r.get(m) for r in rrows]
        out[m] = {"hit5": sum(1 for x in ranks if x and x <= 5) / max(1, len(ranks)),
                  "mrr": sum(1 / x for x in ranks if x) / max(1, len(ranks))}
    for kind in ("code", "symptom", "procedure"):
        rs = [r for r in arows if r["kind"] == kind]
        out[f"{kind}_fact"] = (sum(r["fact_in_text"] for r in rs), len(rs))
    for kind in ("unknown_code", "out_of_scope"):
        rs = [r for r in arows if r["kind"] == kind]
        out[f"{kind}_abstain"] = (sum(r["abstained"] for r in rs), len(rs))
    rs = [r for r in arows if r["kind"] in IN_SCOPE]
    out["in_scope_abstained"] = (sum(r["abstained"] for r in rs), len(rs))
    return out


def frac(p) -> str:
    return f"{p[0]}/{p[1]}" if p[1] else "-"


def print_table(split: str, results: dict) -> None:
    print(f"\n## {split}: retrieval hit@5 / MRR@10 (in-scope questions)")
    print("| set | n | " + " | ".join(f"{m} hit@5 | {m} MRR" for m in (*MODES, "plain_bm25")) + " |")
    print("|---|---|" + "---|---|" * (len(MODES) + 1))
    for name, s in results.items():
        print(f"| {name} | {s['n_retrieval']} | " + " | ".join(
            f"{s[m]['hit5']:.2f} | {s[m]['mrr']:.2f}" for m in (*MODES, "plain_bm25")) + " |")
    print(f"\n## {split}: hit@5 / MRR@10 with the question's own file only (the earlier runs' rule), "
          "and hybrid read as sections (the baseline's unit)")
    print("| set | hybrid, own file | plain BM25, own file | hybrid as sections | plain BM25 |\n|---|---|---|---|---|")
    for name, s in results.items():
        print(f"| {name} | " + " | ".join(f"{s[m]['hit5']:.2f} / {s[m]['mrr']:.2f}" for m in
                                         ("hybrid_strict", "plain_bm25_strict", "hybrid_sections", "plain_bm25")) + " |")
    print(f"\n## {split}: answers (extractive backend)")
    print("| set | code: fact in answer | symptom: fact | procedure: fact | unknown code abstained "
          "| out of scope abstained | in-scope abstained |")
    print("|---|---|---|---|---|---|---|")
    for name, s in results.items():
        print(f"| {name} | {frac(s['code_fact'])} | {frac(s['symptom_fact'])} | {frac(s['procedure_fact'])} | "
              f"{frac(s['unknown_code_abstain'])} | {frac(s['out_of_scope_abstain'])} | "
              f"{frac(s['in_scope_abstained'])} |")
