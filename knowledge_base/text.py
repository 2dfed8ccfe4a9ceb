"""Small text helpers shared by the keyword index and the assistant."""

from __future__ import annotations

from functools import lru_cache

# English function words and question words: they carry no topic, so the
# keyword lane does not search for them and the abstention coverage and the
# grounding check do not count them.
STOPWORDS = frozenset("""a an the is are was were be been do does did what which who whom how why
when where can could should would will shall may might must i we you he she it they my our your
this that these those of on in at to for from by with and or not no if then than so as up down out
about into over after before again there here all any some each more most other such only own same
too very just now also get got has have had having me us them its their show shows showing mean
means meaning because since while although though however therefore thus hence whether either
neither both still yet already ever""".split())


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """pyspellchecker's English word list (a pinned dependency), read once per
    process for every caller (the OCR word repairs, the safety filter's typo
    mending); empty when the package is missing, and callers then mend nothing."""
    try:
        from spellchecker import SpellChecker

        return frozenset(SpellChecker().word_frequency.dictionary)
    except Exception:
        return frozenset()
