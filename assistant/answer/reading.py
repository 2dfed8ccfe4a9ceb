"""What an observation means: the sentence of a manual that reads a symptom.

A symptom question ("belt speed 3 % lower than the pulley speed", "discharge
temperature keeps creeping up") is answered first by the manual's sentence
that says what such an observation *means* ("A difference means the belt is
slipping", "... indicates a lubrication or cooling problem"), then by the
diagnosis steps. That sentence is often not in the best-ranked passage: the
best hit is frequently the one that shares the most numbers and signal
names with the question (a trip limit, a sensor description).

A *reading* is a sentence with a meaning cue (means, indicates, points to,
is a sign of, suggests, is caused by, is due to) that shares at least
:data:`LEAST` content words with the question (``words.word_set``).

>>> from knowledge_base.types import Chunk
>>> trip = Chunk("t", "If the belt speed is 5 % lower than the pulley speed for 3 s, the PLC stops the belt.", "m.pdf",
...              kind="text", doc_type="manual")
>>> layout = Chunk("l", "Two sensors are fitted. A difference means the belt is slipping on the pulley.", "m.pdf",
...                kind="text", doc_type="manual")
>>> q = "belt speed about 3% lower than the pulley speed"
>>> reading_score(trip, q), reading_score(layout, q)
(0, 2)
>>> explanation([trip, layout], [], q).id, explanation([trip, layout], []).id
('l', 't')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge_base.types import MANUAL, TEXT, Chunk

from .words import word_set

MEANING = re.compile(r"\b(means?|meaning|indicates?|indicating|indication of|points? to|signs? of|suggests?|"
                     r"(is|are) caused by|(is|are) due to)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
LEAST = 2  # shared content words for a sentence to read the question's observation


def readings(text: str) -> list[str]:
    """The sentences of ``text`` that carry a meaning cue."""
    return [s for s in _SENTENCE.split(" ".join(text.split())) if MEANING.search(s)]


def reading_score(chunk: Chunk, question: str) -> int:
    """The most content words of ``question`` that one reading of ``chunk``
    shares, 0 when no reading shares :data:`LEAST`."""
    asked = word_set(question)
    best = max((len(asked & word_set(s)) for s in readings(chunk.text)), default=0)
    return best if best >= LEAST else 0


def explanation(hits: Sequence[Chunk], used: Sequence[Chunk], question: str = "",
                depth: int = 8, plain: int = 6) -> Chunk | None:
    """The manual passage (not in ``used``) that explains a symptom: of the
    first ``depth`` hits, the one whose reading shares the most words with
    ``question`` (the better-ranked on a tie); without any reading, the best
    plain passage of the first ``plain`` hits."""
    text = [c for c in hits[:depth] if c.kind == TEXT and c.doc_type == MANUAL and c not in used]
    scored = [(reading_score(c, question), -i, c) for i, c in enumerate(text)] if question else []
    best = max(scored, key=lambda t: t[:2], default=None)
    if best is not None and best[0]:
        return best[2]
    return next((c for c in text if c in hits[:plain]), None)
