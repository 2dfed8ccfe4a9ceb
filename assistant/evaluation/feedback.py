"""Engineers' ratings of answers, kept in ``<kb>/feedback.sqlite`` and exported as gold questions.

Every front end stores a thumbs up / down (and an optional correction) through
:meth:`assistant.service.Service.feedback`; ``faultdesk feedback export``
turns the ratings into gold questions in the format of
``knowledge_base/samples/gold/questions.jsonl`` (see :mod:`assistant.evaluation.gold`):

* thumbs up on an answer: its cited passages are the expected passages (file
  name, page, and the passage's first words as anchor); a correction, if one
  was written, is the expected answer phrase. Category ``feedback``.
* thumbs up on an abstention: an out-of-scope question (``expected: []``).
* thumbs down with a correction on an answer with citations: the correction is
  the expected phrase and the cited passages are kept as expected passages,
  which nobody confirmed; category ``feedback_corrected`` marks them for review.
* anything else (thumbs down without a correction, a corrected abstention) says
  what is wrong but not what is right, where to find it, and is not exported.

Only the latest rating of a question (with its asset) counts.

>>> import tempfile
>>> store = FeedbackStore(tempfile.mkdtemp())
>>> fb = store.add(Feedback("E-104 on P-3?", "Check the alignment [1].", "up", asset="P-3",
...                         citations=({"source": "/kb/pump.pdf", "page": 6, "text": "E-104 High bearing vibration"},)))
>>> [(g["id"], g["expected"], g["asset"]) for g in to_gold(store.all())]
[('fb00001', [{'source': 'pump.pdf', 'page': 6, 'anchor': 'E-104 High bearing vibration'}], 'P-3')]
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

from knowledge_base.errors import ConfigError
from knowledge_base.sqlite_file import SqliteFile

from assistant.answer.types import Answer

FILENAME = "feedback.sqlite"
RATINGS = ("up", "down")
ANCHOR_CHARS = 60
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, question TEXT NOT NULL,
    asset TEXT, answer TEXT NOT NULL, citations TEXT NOT NULL, abstained INTEGER NOT NULL,
    rating TEXT NOT NULL, correction TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Feedback:
    """One rating of one answer. ``citations`` are :meth:`Citation.as_json` dicts
    (at least ``source`` and ``page``; ``text`` gives the anchor)."""

    question: str
    answer: str
    rating: str
    citations: tuple[Mapping, ...] = ()
    correction: str = ""
    asset: str | None = None
    abstained: bool = False
    id: int | None = None
    time: float | None = None

    def __post_init__(self) -> None:
        if self.rating not in RATINGS:
            raise ConfigError(f"rating must be one of {RATINGS}, got {self.rating!r}")

    @classmethod
    def of(cls, answer: Answer, rating: str, correction: str = "", asset: str | None = None) -> "Feedback":
        """The feedback on an :class:`Answer` the caller holds (the Gradio UI does)."""
        return cls(answer.question, answer.answer, rating, tuple(c.as_json() for c in answer.citations),
                   correction, asset, answer.abstained)


class FeedbackStore(SqliteFile):
    """Ratings of one knowledge base, in ``<kb>/feedback.sqlite`` (one connection per call,
    so any thread may use it)."""

    filename, schema, what = FILENAME, _SCHEMA, "feedback store"

    def add(self, fb: Feedback) -> Feedback:
        """Store ``fb``; returns it with its ``id`` and ``time`` set."""
        fb = replace(fb, time=fb.time or time.time(), correction=" ".join(fb.correction.split()))
        with closing(self._connect()) as db, db:
            cur = db.execute(
                "INSERT INTO feedback (time, question, asset, answer, citations, abstained, rating, correction)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (fb.time, fb.question, fb.asset, fb.answer, json.dumps([dict(c) for c in fb.citations]),
                 int(fb.abstained), fb.rating, fb.correction))
        return replace(fb, id=cur.lastrowid)

    def all(self) -> list[Feedback]:
        """Every rating, oldest first."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT id, time, question, asset, answer, citations, abstained, rating,"
                              " correction FROM feedback ORDER BY id").fetchall()
        return [Feedback(q, a, r, tuple(json.loads(c)), corr, asset, bool(ab), i, t)
                for i, t, q, asset, a, c, ab, r, corr in rows]


def to_gold(ratings: Iterable[Feedback]) -> list[dict]:
    """Gold questions (dicts in the gold JSONL format) from ratings; see the module rules."""
    latest: dict[tuple[str, str | None], Feedback] = {}
    for fb in ratings:
        latest[(" ".join(fb.question.lower().split()), fb.asset)] = fb
    return [g for g in map(_gold, sorted(latest.values(), key=lambda f: f.id or 0)) if g]


def _gold(fb: Feedback) -> dict | None:
    if fb.abstained:
        if fb.rating != "up":
            return None
        expected, category, contains = [], "out_of_scope", []
    else:
        expected = _expected(fb.citations)
        if not expected or (fb.rating == "down" and not fb.correction):
            return None
        category = "feedback" if fb.rating == "up" else "feedback_corrected"
        contains = [fb.correction] if fb.correction else []
    return {"id": f"fb{fb.id:05d}", "question": fb.question, "category": category, "expected": expected,
            "expected_codes": [], "answer_contains": contains, "asset": fb.asset}


def _expected(citations: Iterable[Mapping]) -> list[dict]:
    out: list[dict] = []
    for c in citations:
        entry = {"source": Path(c["source"]).name, "page": c.get("page"), "anchor": _anchor(c.get("text", ""))}
        if entry not in out:
            out.append(entry)
    return out


def _anchor(text: str) -> str:
    """The passage's first words, up to ANCHOR_CHARS and cut at a word boundary."""
    words = " ".join(text.split())
    if len(words) <= ANCHOR_CHARS:
        return words
    cut = words[:ANCHOR_CHARS + 1].rsplit(" ", 1)[0]
    return cut or words[:ANCHOR_CHARS]

