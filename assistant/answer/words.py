"""The content words of a text, as the answer checks compare them: the
grounding check (:mod:`.grounding`: is a sentence's vocabulary in its
sources?) and the next-step rule (:mod:`.next_step`: which checks does a
question report done?) use this one helper, each with its own stop words.

A word is a run of letters and digits, joined by ``. : _ -`` inside it (so
``e-104``, ``alarm:8``, ``5.2`` and ``bearing_de_rms`` stay one word), at least
three characters long; common English words (:data:`knowledge_base.text.STOPWORDS`)
and the caller's ``stop`` words are left out; a plural or verb ending is cut
when at least three characters remain.

>>> sorted(word_set("Checked the oil levels; E-104 cleared after cleaning", stop={"oil"}))
['check', 'clean', 'clear', 'e-104', 'level']
>>> sorted(word_set("the rotation of the coupling", suffixes=SUFFIXES + ("ion",)))
['coupl', 'rotat']
"""

from __future__ import annotations

import re
from collections.abc import Collection

from knowledge_base.text import STOPWORDS

WORD = re.compile(r"[a-z0-9]+(?:[.:_-][a-z0-9]+)*")
SUFFIXES = ("ing", "ed", "es", "s")  # tried in this order; the first that fits is cut
MIN_STEM = 3


def stem(word: str, suffixes: Collection[str] = SUFFIXES) -> str:
    """``word`` without the first of ``suffixes`` it ends with, if at least
    :data:`MIN_STEM` characters remain."""
    for end in suffixes:
        if word.endswith(end) and len(word) - len(end) >= MIN_STEM:
            return word[: -len(end)]
    return word


def word_set(text: str, stop: Collection[str] = (), suffixes: Collection[str] = SUFFIXES) -> set[str]:
    """The stemmed content words of ``text`` (see the module docstring)."""
    return {stem(w, suffixes) for w in WORD.findall(text.lower())
            if len(w) > 2 and w not in STOPWORDS and w not in stop}
