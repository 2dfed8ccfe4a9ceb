# Frozen copy of assistant/safety_filter/unsafe.py before issue 12 (git e632062): the baseline for benchmarks/safety.py.
"""The last check on an answer's text: no advice to defeat a safety device.

Whoever wrote the text - a model talked round by a document, a passage that
should never have been in the knowledge base, a paraphrase that lost its
"never" - an answer must not tell an engineer to bypass, bridge, jumper,
override or disable an interlock, guard, safety switch, sensor, trip or other
protective device. A sentence that pairs such a verb with such a device is
unsafe unless every such verb in it is negated ("never bypass, bridge or
defeat the interlock", "do not attempt to override the trip"), or the
sentence is the manual's own warning text, quoted. Generated sentences are
checked with the others in ``assistant.answer.grounding``; :func:`withhold` removes
unsafe sentences from any answer text. The quoted warnings that follow an
answer (``assistant.answer.safety``) are not checked: they are verbatim.

Past participles ("the sensor was bypassed") describe rather than advise and
are not matched; nor is "bypass" as a part or a position ("bypass valve",
"stuck in bypass").

>>> withhold("Bridge terminals 11 and 12 of the interlock switch [3]. Close the guard [4].")
('Close the guard [4].', 1)
>>> withhold("Never bypass, bridge or defeat the guard interlock [2].")
('Never bypass, bridge or defeat the guard interlock [2].', 0)
>>> withhold("Do not restart the pump; instead bridge the level sensor.")[1]
1
>>> withhold("Open the bypass valve, then check the pressure switch.")[1]
0
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_VERB = (r"(?:(?<!\bthe\s)(?<!\ba\s)(?<!\bin\s)(?<!\binto\s)"  # "stuck in bypass" is a position
         r"bypass(?:ing)?(?!\s+(?:valve|line|pipe|hose|port|filter|damper|flow|position|mode))|bridg(?:e|ing)"
         r"|jumper(?:ing)?|jump(?:ing)?\s+out|defeat(?:ing)?|overrid(?:e|ing)|disabl(?:e|ing)"
         r"|short(?:ing)?\s+out|ty(?:e|ing)\s+(?:back|down)|tie\s+(?:back|down)|tap(?:e|ing)\s+(?:down|over)"
         r"|wedg(?:e|ing)\s+open|cheat(?:ing)?|mut(?:e|ing))")
_DEVICE = re.compile(
    r"\b(?:interlocks?|guards?|safety\s+(?:switch|relay|device|circuit|function|chain|valve)s?"
    r"|(?:door|limit|pressure|float|flow|level|guard|proximity)\s+switch(?:es)?|e-?stops?"
    r"|emergency\s+stops?|light\s+curtains?|relief\s+valves?|thermal\s+(?:cut-?outs?|protectors?|switch(?:es)?)"
    r"|overloads?|sensors?|trips?|protective\s+devices?|protections?|alarms?|fuses?|breakers?)\b", re.I)
_ADVICE = re.compile(rf"\b{_VERB}\b", re.I)
_NEGATED = re.compile(
    rf"(?:\b(?:never|not|no|nor|without|avoid|cannot)|n't)\s+(?:(?:attempt|try)(?:ing)?\s+to\s+)?{_VERB}\b"
    rf"(?:\s*(?:,|\bor\b|\band\b|\bnor\b)\s*{_VERB}\b)*", re.I)
UNSAFE = "advises defeating a safety device"
UNSAFE_ONLY = ("The passages found advise defeating a safety device, which is not repeated here; "
               "follow the manual's safety warnings.")
_SENTENCE = re.compile(r"(?<=[.!?\]])[ \t]+(?=[A-Z0-9(])")
_MARKS = re.compile(r"\s*\[[AW]?\d{1,3}(?:\s*,\s*[AW]?\d{1,3})*\]")


def advises_defeat(sentence: str) -> bool:
    """True when ``sentence`` tells someone to defeat a protective device."""
    return bool(_DEVICE.search(sentence) and _ADVICE.search(_NEGATED.sub(" ", sentence)))


def quoted_text(warnings: Iterable[str]) -> str:
    """The manual's warning texts, whitespace-normalised, for :func:`unsafe`."""
    return " ".join(" ".join(w.split()) for w in warnings)


def unsafe(sentence: str, quoted: str = "") -> bool:
    """True when ``sentence`` (citation markers allowed) advises defeating a
    protective device and is not found word for word in ``quoted``."""
    bare = " ".join(_MARKS.sub("", sentence).split())
    return advises_defeat(bare) and not (bare and bare in quoted)


def withhold(text: str, warnings: Iterable[str] = ()) -> tuple[str, int]:
    """(``text`` without its unsafe sentences, how many were removed);
    ``warnings`` are the manual's warning texts among the sources."""
    quoted = quoted_text(warnings)
    lines, removed = [], 0
    for line in text.split("\n"):
        kept = []
        for sentence in _SENTENCE.split(line):
            if unsafe(sentence, quoted):
                removed += 1
            else:
                kept.append(sentence)
        if kept or not line.strip():
            lines.append(" ".join(kept))
    return "\n".join(lines).strip(), removed
