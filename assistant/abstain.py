"""When to say "not in the knowledge base" instead of answering.

The decision uses what retrieval found, never the generator:

1. a fault code the knowledge base knows is named -> answer;
2. a code is named and none of the named codes is known -> abstain
   ("E-999 is not in the manuals");
3. otherwise an evidence score, the best dense cosine similarity plus
   ``coverage_weight`` times the share of the question's content words that
   occur anywhere in the knowledge base, must reach ``threshold``.

``threshold`` (0.65) and ``coverage_weight`` (0.2) were calibrated by
``faultdesk eval calibrate`` on the development gold set
(``knowledge_base/samples/gold/questions.jsonl``); the held-out set
(``heldout.jsonl``) was not used to choose them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge_base.index import SqliteIndex
from knowledge_base.retrieval import Retrieval

STOPWORDS = frozenset("""a an the is are was were be been do does did what which who whom how why
when where can could should would will shall may might must i we you he she it they my our your
this that these those of on in at to for from by with and or not no if then than so as up down out
about into over after before again there here all any some each more most other such only own same
too very just now also get got has have had having me us them its their show shows showing mean
means meaning because since while although though however therefore thus hence whether either
neither both still yet already ever""".split())
# Words a generator uses to talk about its sources rather than the machine.
META_WORDS = frozenset("""according information provided document documents relevant states stated
mention mentioned based following follow source sources context given shown described""".split())
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Evidence:
    """The features behind one abstention decision."""

    known_codes: tuple[str, ...]
    unknown_codes: tuple[str, ...]
    dense_top: float
    coverage: float
    missing_terms: tuple[str, ...]

    def score(self, coverage_weight: float) -> float:
        return self.dense_top + coverage_weight * self.coverage


class Abstainer:
    """Decides whether retrieval evidence is strong enough to answer."""

    def __init__(self, index: SqliteIndex, threshold: float = 0.65, coverage_weight: float = 0.2) -> None:
        self.index = index
        self.threshold, self.coverage_weight = threshold, coverage_weight
        self._known = index.known_codes()

    def evidence(self, question: str, retrieval: Retrieval, strict_codes: tuple[str, ...]) -> Evidence:
        known = tuple(c for c in retrieval.codes if c in self._known)
        unknown = tuple(c for c in strict_codes if c not in self._known)
        dense = retrieval.lanes.get("dense") or ()
        terms = [t for t in _WORD.findall(question.lower()) if t not in STOPWORDS and len(t) > 2]
        missing = tuple(t for t in dict.fromkeys(terms) if not self.index.term_count(t))
        coverage = 1.0 - len(missing) / len(set(terms)) if terms else 0.0
        return Evidence(known, unknown, dense[0].score if dense else 0.0, coverage, missing)

    def should_abstain(self, ev: Evidence) -> bool:
        if ev.known_codes:
            return False
        if ev.unknown_codes:
            return True
        return ev.score(self.coverage_weight) < self.threshold
