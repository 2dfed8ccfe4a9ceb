"""What the filter asks about a sentence besides the rules' verdict
(:func:`assistant.safety_filter.defeat_rules.advice`): its language, whether it
names a safety device or a defeat act (the sentences the classifier may flag),
whether it holds a negation (where the classifier may not overrule the rules).

>>> language("Überbrücken Sie niemals den Türschalter."), names_safety("Grease the fan bearing.")
('de', False)
>>> negated("Do not restart the pump; instead bridge the level sensor.")
True
"""

from __future__ import annotations

from functools import lru_cache

from knowledge_base.normalise import fold

from .defeat_rules import _NEG, _STRONG, _language, _objects, read


@lru_cache(maxsize=8192)
def language(sentence: str) -> str:
    """"en", "de", "fr", "es" or "zh": the word lists ``sentence`` is checked with."""
    return _language(fold(sentence))


def negated(sentence: str) -> bool:
    """Whether ``sentence`` (as the rules read it) holds a negation or a prohibition anywhere."""
    return bool(_NEG.search(read(sentence)))


@lru_cache(maxsize=8192)
def names_safety(sentence: str) -> bool:
    """Whether ``sentence`` names a safety device, a safety topic or a defeat act
    (an English word list): the sentences the trained classifier may flag."""
    from .defeat_semantic import _TOPIC

    text = read(sentence)
    return bool(_TOPIC.search(text) or _objects(text, strong=True) or _STRONG.search(text))
