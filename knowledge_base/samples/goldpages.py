"""Checks the gold question set against the built samples and fills in pages.

Every expected passage names a source and an anchor phrase. For a manual the
page is the 1-based PDF page whose pypdf text (whitespace-normalised, case-
insensitive) contains the anchor; for the work-order CSV the anchor must be a
WO id in the file and the page is null.

Usage::

    python -m knowledge_base.samples.goldpages          # check, exit 1 on problems
    python -m knowledge_base.samples.goldpages --write  # also rewrite the pages
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold" / "questions.jsonl"
CATEGORIES = ("code_lookup", "symptom", "procedure", "safety", "history", "out_of_scope")


def norm(text: str) -> str:
    """Whitespace-collapsed lower-case text, the form anchors are matched in."""
    return re.sub(r"\s+", " ", text).strip().lower()


@lru_cache(maxsize=None)
def page_texts(pdf: Path) -> tuple[str, ...]:
    """Normalised pypdf text of every page of a PDF."""
    return tuple(norm(p.extract_text() or "") for p in PdfReader(pdf).pages)


@lru_cache(maxsize=None)
def csv_text(path: Path) -> str:
    """Normalised text of a CSV file."""
    return norm(path.read_text(encoding="utf-8"))


def load(path: Path = GOLD) -> list[dict]:
    """The gold questions, one dict per JSONL line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def locate(exp: dict, root: Path = HERE) -> tuple[int | None, str | None]:
    """(page, problem) for one expected passage; problem is None when it is fine."""
    anchor = norm(exp["anchor"])
    if exp["source"].endswith(".csv"):
        ok = anchor in csv_text(root / "logs" / exp["source"])
        return None, None if ok else f"anchor {exp['anchor']!r} not in {exp['source']}"
    pages = [i + 1 for i, t in enumerate(page_texts(root / "manuals" / exp["source"])) if anchor in t]
    if not pages:
        return None, f"anchor {exp['anchor']!r} not in {exp['source']}"
    if len(pages) > 1:
        return pages[0], f"anchor {exp['anchor']!r} on several pages {pages} of {exp['source']}"
    return pages[0], None


def check(questions: list[dict], root: Path = HERE) -> list[str]:
    """Problems with the gold set: unknown anchors, ambiguous or wrong pages."""
    problems = []
    for q in questions:
        if q["category"] not in CATEGORIES:
            problems.append(f"{q['id']}: bad category {q['category']}")
        for exp in q["expected"]:
            page, problem = locate(exp, root)
            if problem:
                problems.append(f"{q['id']}: {problem}")
            elif exp.get("page") != page:
                problems.append(f"{q['id']}: page {exp.get('page')} should be {page}")
    return problems


def fill(questions: list[dict], root: Path = HERE) -> list[dict]:
    """The questions with every expected page set from the PDFs."""
    for q in questions:
        for exp in q["expected"]:
            exp["page"] = locate(exp, root)[0]
    return questions


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="check / fill gold pages")
    parser.add_argument("--write", action="store_true", help="rewrite pages in questions.jsonl")
    args = parser.parse_args(argv)
    questions = load()
    if args.write:
        lines = [json.dumps(q, ensure_ascii=False) for q in fill(questions)]
        GOLD.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = check(questions)
    print("\n".join(problems) or f"{len(questions)} questions OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
