"""Check a generated answer against its sources, sentence by sentence.

Small local models paraphrase loosely and sometimes invert a rule ("yes,
you can bridge the sensor" from a source that says "never bridge it"). Every
sentence of a generated answer is therefore checked before it is returned:

* **support**: the share of its content words found in the sources or the
  question must reach ``min_support``;
* **polarity**: if the source sentence it matches best says "never / do not
  / must not" and the answer sentence does not (or the reverse), it
  contradicts the source;
* **safety**: a sentence advising to bypass or defeat a safety device is
  dropped unless it quotes the manual's warning (``unsafe``), even when a
  source supports it: the source may be bad advice or a prompt injection;
* **attribution**: a supported sentence without a valid ``[n]`` marker gets
  the label of the source it overlaps most (citations are data we compute,
  not something we hope the model wrote).

Sentences that fail are dropped; the caller falls back to the extractive
answer when nothing verifiable is left.

>>> from knowledge_base.types import Chunk
>>> from assistant.answer.types import Source
>>> src = [Source("1", Chunk("a", "Never bridge the temperature sensor. Clean the cooler fins.", "m.pdf"), "")]
>>> g = verify("Yes, you can bridge the temperature sensor. Clean the cooler fins.", src, "can I bridge it?")
>>> [(s.text, s.labels, s.ok) for s in g.sentences]
[('Yes, you can bridge the temperature sensor.', (), False), ('Clean the cooler fins.', ('1',), True)]
>>> g.text
'Clean the cooler fins. [1]'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge_base.types import WARNING

from .abstain import META_WORDS
from .types import Source
from .words import SUFFIXES, word_set
from assistant.safety_filter.unsafe import RULES, UNSAFE, DefeatFilter, quoted_text

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(])|\n+")
_MARK = re.compile(r"\[([AW]?\d{1,3}(?:\s*,\s*[AW]?\d{1,3})*)\]", re.I)
_NEG = re.compile(r"\b(never|not|no|cannot|can't|don't|do not|must not|mustn't|nor)\b|n't\b", re.I)


GROUNDING_SUFFIXES = ("ions", "ion", *SUFFIXES)


def content_words(text: str) -> set[str]:
    """The words a sentence is checked on (:func:`.words.word_set`, the
    meta words of an answer such as "according" left out)."""
    return word_set(text, META_WORDS, GROUNDING_SUFFIXES)


@dataclass(frozen=True)
class Sentence:
    text: str
    labels: tuple[str, ...]
    ok: bool
    why: str = ""


@dataclass(frozen=True)
class Grounded:
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        kept = [s for s in self.sentences if s.ok]
        return " ".join(f"{s.text} [{', '.join(s.labels)}]" if s.labels else s.text for s in kept).strip()

    @property
    def dropped(self) -> int:
        return sum(1 for s in self.sentences if not s.ok)

    @property
    def unsafe(self) -> int:
        return sum(1 for s in self.sentences if s.why == UNSAFE)


def _source_sentences(sources: Sequence[Source]) -> list[tuple[str, str, set[str]]]:
    out = []
    for s in sources:
        for sent in _SENT.split(s.chunk.text):
            if sent.strip():
                out.append((s.label, sent, content_words(sent)))
    return out


def verify(answer: str, sources: Sequence[Source], question: str, min_support: float = 0.75,
           check: DefeatFilter = RULES) -> Grounded:
    """Split ``answer`` into sentences and check each against ``sources``;
    ``check`` decides which sentences advise defeating a safety device."""
    labels = {s.label for s in sources}
    vocab = set().union(*(content_words(s.chunk.text) for s in sources)) if sources else set()
    allowed = vocab | content_words(question)
    src_sents = _source_sentences(sources)
    warnings = quoted_text(s.chunk.text for s in sources if s.chunk.kind == WARNING)
    out = []
    for raw in _SENT.split(answer.strip()):
        raw = raw.strip().lstrip("-*• ").strip()
        marks = [m.strip() for grp in _MARK.findall(raw) for m in grp.split(",")]
        text = _MARK.sub("", raw).replace("**", "").strip()
        text = re.sub(r"\s+([.,;:])", r"\1", text)
        if not text:
            continue
        words = content_words(text)
        if not words:
            continue
        support = len(words & allowed) / len(words)
        best = max(src_sents, key=lambda t: len(words & t[2]), default=None)
        given = tuple(dict.fromkeys(m.upper() for m in marks if m.upper() in labels))
        if check.unsafe(text, warnings):
            out.append(Sentence(text, given, False, UNSAFE))
            continue
        if support < min_support:
            out.append(Sentence(text, given, False, f"support {support:.2f}"))
            continue
        if best and len(words & best[2]) / max(1, len(words | best[2])) >= 0.25 and \
                bool(_NEG.search(text)) != bool(_NEG.search(best[1])):
            out.append(Sentence(text, given, False, "contradicts the source's negation"))
            continue
        attributed = given or ((best[0],) if best and len(words & best[2] - content_words(question)) >= 2 else ())
        out.append(Sentence(text, attributed, True))
    return Grounded(tuple(out))
