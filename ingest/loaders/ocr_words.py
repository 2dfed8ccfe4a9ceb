"""Letter confusions of OCR undone with an English word list.

On a noisy 150 dpi scan tesseract reads a thin ``l`` as ``i`` (``Possibie``,
``spindie``, ``overvoitage``), ``rn`` as ``m`` and back, ``cl`` as ``d``, a ``1``
inside a word for ``l``. Such a word is no longer found by its English form,
and an anchor phrase holding it no longer matches. :func:`mend` tries the
known confusions on a word that is not English and takes the one reading that
is: a word that is English already, a code, a number, an acronym or a word in
mixed case is left as it is, and when no reading or more than one is English
the word stays too.

The word list is pyspellchecker's English frequency list (a pinned dependency,
also used by the safety filter), extended by the words of the document itself
(:class:`Lexicon`): a word the English list lacks ("overvoltage") read correctly
more often than misread mends the misreadings ("overvoitage").

>>> lex = Lexicon.english()
>>> [mend(w, lex) for w in ("Possibie", "spindie,", "rnotor", "E-104", "Modbus", "PLC", "fill")]
['Possible', 'spindle,', 'motor', 'E-104', 'Modbus', 'PLC', 'fill']
>>> doc = Lexicon.of_document(["Overvoltage trip", "overvoltage", "overvoitage"])
>>> mend("(Overvoitage", lex), mend("(Overvoitage", doc), mend("overvoltage", doc)
('(Overvoitage', '(Overvoltage', 'overvoltage')
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from knowledge_base.text import english_words

# OCR reading -> true reading (each tried alone, at every position; two at most per word)
CONFUSIONS = (("i", "l"), ("1", "l"), ("I", "l"), ("rn", "m"), ("m", "rn"), ("cl", "d"), ("vv", "w"),
              ("li", "h"), ("ii", "ll"), ("l", "i"), ("0", "o"))
_WORDISH = re.compile(r"^([(\"'“]*)([A-Za-z][A-Za-z01]*[A-Za-z])([)\"'”.,:;!?]*)$")


class Lexicon:
    """Which readings count as correct: English words, and a document's own words when
    the document uses them more often than the reading being mended."""

    def __init__(self, counts: Counter | None = None) -> None:
        self.counts = counts or Counter()

    @classmethod
    def english(cls) -> "Lexicon":
        return cls()

    @classmethod
    def of_document(cls, texts: Iterable[str]) -> "Lexicon":
        """English plus the words (4+ letters, lower case) of ``texts`` with their counts."""
        return cls(Counter(w.lower() for t in texts for w in re.findall(r"[A-Za-z]{4,}", t)))

    def english_word(self, word: str) -> bool:
        return word in english_words()

    def better(self, reading: str, word: str) -> bool:
        """``reading`` is English, or the document writes it more often than ``word``."""
        return reading in english_words() or self.counts[reading] > self.counts[word]


def _readings(word: str, depth: int = 2) -> set[str]:
    out, frontier = set(), {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            for wrong, right in CONFUSIONS:
                start = w.find(wrong)
                while start >= 0:
                    nxt.add(w[:start] + right + w[start + len(wrong):])
                    start = w.find(wrong, start + 1)
        out |= nxt
        frontier = nxt
    out.discard(word)
    return out


def _case_like(model: str, word: str) -> str:
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def mend(token: str, lexicon: Lexicon) -> str:
    """``token`` with its letter confusions undone when exactly one reading is a known word."""
    m = _WORDISH.match(token)
    if not m or len(m.group(2)) < 4:
        return token
    core = m.group(2)
    lower = core.lower()
    if lexicon.english_word(lower) or not (core.islower() or core[1:].islower()):
        return token  # known, or an acronym / a name in mixed case (AquaMax, PLC)
    found = {r for r in _readings(lower) if r.isalpha() and lexicon.better(r, lower)}
    if len(found) != 1:
        return token
    return m.group(1) + _case_like(core, found.pop()) + m.group(3)


def mend_text(text: str, lexicon: Lexicon) -> str:
    """Every whitespace-separated token of ``text`` through :func:`mend`."""
    return " ".join(mend(t, lexicon) for t in text.split(" "))


def signal_names(texts: Iterable[str]) -> frozenset[str]:
    """Names written with underscores in ``texts`` (``suction_pressure_bar``): signal tags."""
    return frozenset(m.group(0) for t in texts for m in re.finditer(r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b", t))


def join_names(text: str, names: frozenset[str]) -> str:
    """``text`` with the names of ``names`` restored where OCR read some of their underscores as a
    space or a full stop (``suction pressure_bar``, ``vibration. rms``); at least one underscore or
    full stop must be left, so plain words ("belt speed") are never joined.

    >>> join_names("Cavitation (suction pressure_bar below; vibration. rms high; belt speed", signal_names(
    ...     ["suction_pressure_bar", "vibration_rms", "belt_speed_mps"]))
    'Cavitation (suction_pressure_bar below; vibration_rms high; belt speed'
    """
    for name in names:
        parts = name.split("_")
        if parts[0].lower() not in text.lower():
            continue
        rx = re.compile(r"(?<![A-Za-z0-9_])" + r"(_|\.? )".join(map(re.escape, parts)) + r"(?![A-Za-z0-9_])", re.I)
        text = rx.sub(lambda m: name if "_" in m.group(0) or "." in m.group(0) else m.group(0), text)
    return text
