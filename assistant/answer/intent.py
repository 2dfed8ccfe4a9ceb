"""What a question is about, read from its words (deterministic, no model).

* :func:`asks_about_state`: the question asks how an asset is doing now
  (what is wrong, its status, its alarms, whether it may keep running, what
  to check first today). Only such a question is answered from the asset's
  live alerts; any other question about a selected asset gets its own
  answer (the asset still picks the equipment model's manual).
* :func:`equipment_words`: the kinds of equipment a question names, so a
  follow-up about another machine starts fresh (``conversation``).
* :func:`is_symptom`: a description of what is observed, with no code and
  no request for a procedure, so the answer opens with the diagnosis.

>>> asks_about_state("what's wrong with it right now?"), asks_about_state("What torque does the impeller nut take?")
(True, False)
>>> asks_about_state("Any active alarms on this pump?"), asks_about_state("How do I vent and re-prime it?")
(True, False)
>>> sorted(equipment_words("The pump: how often should the drive-end bearing be regreased?"))
['pump']
>>> is_symptom("Spindle temp keeps climbing at constant rpm, it never settles."), is_symptom("How do I lock out the pump?")
(True, False)
"""

from __future__ import annotations

import re

_STATE = re.compile(
    r"\b(right now|now|at the moment|currently|current(ly)? status|status|state|going on|"
    r"(what'?s|what is|anything|something'?s?|is anything|is something) (wrong|off|up)|wrong with|"
    r"active (alarms?|alerts?|faults?)|any (alarms?|alerts?|faults?|problems?|issues?)|alerts?|red flag|flagged|"
    r"keep (it )?running|ok to (keep )?run|safe to run|how bad|how serious|healthy|health|"
    r"check first|look at first|today|trend(ing)?)\b", re.I)
_HOW_TO = re.compile(r"\b(how (do|to|should|can) (i|we|you)|procedure|steps?|replace|change|swap|fit|"
                     r"torque|part number|how often|interval|what (grease|oil|ppe)|specification|spec)\b", re.I)

EQUIPMENT = ("pump", "compressor", "conveyor", "spindle", "chiller", "boiler", "fan", "blower",
             "gearbox", "mixer", "press", "turbine", "generator", "ups", "printer", "crane", "robot")
_EQUIPMENT = re.compile(r"\b(" + "|".join(EQUIPMENT) + r")s?\b", re.I)

_OBSERVED = re.compile(
    r"\b(keeps?|keep|still|rising|rises|climbing|creeping|dropping|drops|falling|high|low|hot|noise|"
    r"noisy|crackling|rattl\w*|vibrat\w*|leak\w*|smell\w*|dark|stiff|slipping|slips|tripp?(ed|ing|s)?|"
    r"never settles|won'?t|doesn'?t|does not|almost|close to|pulling|reads|measured|shows|lower than|"
    r"higher than|above|below|same time|starting up|load and unload)\b", re.I)
_ASKS_PROCEDURE = re.compile(r"\b(how (do|to|should|can) (i|we)|procedure|steps|walk me through|"
                             r"what torque|part number|how often|how much)\b", re.I)
_CODE = re.compile(r"\b([A-Z]{1,5}[-: ]?\d{1,4})\b")


# The same cues in Chinese (no word boundaries there): now / currently / status / what's
# wrong / any alarms / can it keep running. A question the model did not translate is
# still recognised ("泵P-3现在有什么问题？").
_STATE_ZH = re.compile(r"现在|目前|当前|状态|怎么了|什么问题|出了?什么事|正常吗|还能.{0,4}(跑|运行|开)|"
                       r"有没有.{0,4}(报警|告警|故障|问题)|(报警|告警)(吗|没有|情况)|的(报警|告警)")


def asks_about_state(question: str) -> bool:
    """True when ``question`` asks about an asset's present condition.

    >>> [asks_about_state(q) for q in ("泵P-3现在有什么问题？", "P-3目前有没有报警？", "泵P-3报E-104怎么办")]
    [True, True, False]
    """
    q = question.strip()
    if _STATE_ZH.search(q):
        return True
    if not _STATE.search(q):
        return False
    return not (_HOW_TO.search(q) and not re.search(r"\b(wrong|status|alarms?|alerts?|check first)\b", q, re.I))


def equipment_words(question: str) -> set[str]:
    """The equipment kinds named in ``question`` (lower case, singular)."""
    return {m.group(1).lower() for m in _EQUIPMENT.finditer(question)}


def is_symptom(question: str) -> bool:
    """A description of an observation (no fault code, no procedure asked)."""
    return bool(_OBSERVED.search(question)) and not _ASKS_PROCEDURE.search(question) \
        and not _CODE.search(question)
