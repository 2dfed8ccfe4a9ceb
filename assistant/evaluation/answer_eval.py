"""Answer quality on conversations: every step of a procedure, the question
asked (not the asset's alert), no stale topic.

The set (``knowledge_base/samples/gold/answers18.jsonl``, written blind from
the manuals; see its README) has one JSON object per line: ``{"id",
"category", "asset", "history", "question", "expected", "must_include",
"must_not_include"}``. Each item is one conversation: the ``history``
questions are asked first, in order, with the same asset, each turn given
the earlier turns as the UI and the widget give them; then ``question``.
Only the last answer is graded:

* **complete**: every ``must_include`` phrase occurs in it;
* **clean**: no ``must_not_include`` phrase occurs in it (not hijacked by
  the asset's alert, no stale topic, not the check already done);
* **pass**: both.

Phrases are compared case-insensitively with whitespace folded.

This module imports nothing from the ``assistant`` package, so a benchmark
can load it by file path beside another version of faultdesk (the baseline
"main's behaviour") and replay the same conversations through it.

>>> item = AnswerItem("a1", "procedure", None, (), "q", ("Lock out", "45 Nm"), ("shim",))
>>> grade_text(item, "1. Lock  out the pump. 2. Torque to 45 nm.")
(True, True, ())
>>> grade_text(item, "Lock out; shim the feet.")
(False, False, ('45 Nm',))
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AnswerItem:
    id: str
    category: str
    asset: str | None
    history: tuple[str, ...]
    question: str
    must_include: tuple[str, ...]
    must_not_include: tuple[str, ...]
    expected: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True)
class Graded:
    id: str
    category: str
    complete: bool
    clean: bool
    missing: tuple[str, ...]
    unwanted: tuple[str, ...]
    backend: str = ""
    answer: str = ""

    @property
    def passed(self) -> bool:
        return self.complete and self.clean


def is_conversation_set(path: str | Path) -> bool:
    """True when the file's first entry has ``must_include`` (this format)."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            return "must_include" in json.loads(line)
    return False


def load_items(path: str | Path) -> list[AnswerItem]:
    """The items of a conversation set; ValueError names a bad line."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out.append(AnswerItem(d["id"], d["category"], d.get("asset"), tuple(d.get("history") or ()),
                                  d["question"], tuple(d["must_include"]), tuple(d.get("must_not_include") or ()),
                                  tuple((e["source"], e.get("page")) for e in d.get("expected", ()))))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: bad answer-set entry: {exc}") from exc
    return out


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def grade_text(item: AnswerItem, text: str) -> tuple[bool, bool, tuple[str, ...]]:
    """(complete, clean, the missing phrases) of one answer text."""
    folded = _fold(text)
    missing = tuple(p for p in item.must_include if _fold(p) not in folded)
    unwanted = [p for p in item.must_not_include if _fold(p) in folded]
    return not missing, not unwanted, missing


def grade(item: AnswerItem, text: str, backend: str = "") -> Graded:
    complete, clean, missing = grade_text(item, text)
    folded = _fold(text)
    unwanted = tuple(p for p in item.must_not_include if _fold(p) in folded)
    return Graded(item.id, item.category, complete, clean, missing, unwanted, backend, text)


def converse(ask: Callable, item: AnswerItem):
    """Ask ``item``'s history turns, then its question, in one conversation.

    ``ask(question, asset, history)`` returns an answer object with
    ``answer`` and ``retrieval_query`` (``assistant.answer.types.Answer``); each turn
    gets the earlier turns' retrieval queries, oldest first, as the UI sends
    them. Returns the last answer."""
    history: list[str] = []
    for q in item.history:
        history.append(ask(q, item.asset, tuple(history)).retrieval_query or q)
    return ask(item.question, item.asset, tuple(history))


def summary(rows: Sequence[Graded]) -> dict:
    """Counts overall and per category: n, passed, complete, clean."""
    def tally(rs: Sequence[Graded]) -> dict:
        return {"n": len(rs), "passed": sum(r.passed for r in rs), "complete": sum(r.complete for r in rs),
                "clean": sum(r.clean for r in rs)}

    cats = sorted({r.category for r in rows})
    return {"all": tally(rows), **{c: tally([r for r in rows if r.category == c]) for c in cats}}


def split_of(item_id: str) -> str:
    """``dev`` for odd-numbered ids, ``test`` for even ones (``a18-001`` is dev):
    tuning may look at dev only; test is reported separately."""
    digits = "".join(ch for ch in item_id if ch.isdigit())
    return "dev" if digits and int(digits) % 2 else "test"


def top_chunk_answer(retriever):
    """The plain baseline as an ``ask`` function: the text of the best chunk
    retrieved for the question alone (asset-scoped, no conversation)."""
    from knowledge_base.retrieval import Query

    class _Top:
        def __init__(self, text: str, query: str) -> None:
            self.answer, self.retrieval_query, self.backend = text, query, "top-chunk"

    def ask(question: str, asset: str | None, history: Sequence[str]):
        hits = retriever.retrieve(Query(question, k=1, asset=asset)).hits
        return _Top(hits[0].chunk.text if hits else "", question)

    return ask


def run(ask: Callable, items: Sequence[AnswerItem], on_row: Callable | None = None) -> list[Graded]:
    """Every item through :func:`converse` and :func:`grade`."""
    rows = []
    for item in items:
        answer = converse(ask, item)
        row = grade(item, answer.answer, getattr(answer, "backend", ""))
        rows.append(row)
        if on_row:
            on_row(row)
    return rows
