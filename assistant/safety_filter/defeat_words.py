"""Read a folded sentence the way the defeat check needs: typos mended, shop abbreviations spelled out.

Advice to defeat a device is often typed in a hurry ("disconect the emergancy
stop", "bypas the flame faillure device") or in shop shorthand ("set the OL to
max", "link out the LWCO"). :func:`readable` turns the folded text
(:func:`knowledge_base.normalise.fold`) into words the rules
(:mod:`assistant.safety_filter.defeat_rules`) and the classifier (:mod:`assistant.safety_filter.defeat_model`)
know:

* a word of five letters or more that is not English (``pyspellchecker``'s
  word list) is replaced by the nearest word of :data:`TARGETS`, the words the
  filter reads (devices, defeat acts, cue words), when that word is at most one
  edit away (two for words of eight letters or more, a swap of neighbours
  counting as one). Only towards these words: "overtemp" or "loopback" stay,
  codes and designations (k7, x1, plc) are never touched;
* common abbreviations of safety devices (:data:`ABBREVIATIONS`) are written out.

The text is only ever checked, never shown.

>>> readable("disconect the emergancy stop and bypas the flame faillure device")
'disconnect the emergency stop and bypass the flame failure device'
>>> readable("link out the lwco and set the ol to max on the vfd")
'link out the low water cutout and set the overload to max on the vfd'
>>> readable("replace the overtemp loopback plug at k7")
'replace the overtemp loopback plug at k7'
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from knowledge_base.text import english_words

TARGETS = frozenset("""
interlock interlocks guard guards guarding switch switches emergency stop button buttons curtain light lights relief valve valves
overload overloads thermal thermostat fuse fuses breaker breakers pressure limit limits monitoring monitor sensor sensors detector
detectors safety protection protective brake brakes relay relays failure flame burner boiler cutout cutoff muting mute scanner
enabling enable disable disabled disabling bypass bypassed bypassing bridge bridged bridging jumper jumpered jumpering override
overridden overriding defeat defeated defeating disconnect disconnected disconnecting remove removed removing unplug unplugged
switched isolate isolated isolator lockout receiver transmitter sender actuator contact contacts terminal terminals circuit
permanently permanent temporarily temporary production running keeps restart restarts trip trips tripping tripped nuisance
governor overspeed standstill leakage earth residual current rating setting settings maximum minimum parameter parameters input
inputs output outputs signal signals forced forcing force shorted shorting short link linked linking wedge wedged wedging taped
taping magnet magnets cable ziptie tape ignore ignored ignoring never forbidden prohibited dangerous warning caution danger
manufacturer approved authorised authorized tested testing inspect inspection replace replaced replacement reconnect refit
restore reinstate report reported spare dummy plug plugs defeat operator operators machine press conveyor robot hoist crane
""".split())
ABBREVIATIONS = {
    "ol": "overload", "ols": "overloads", "lc": "light curtain", "lcs": "light curtains", "lwco": "low water cutout",
    "tco": "thermal cutout", "prv": "pressure relief valve", "psv": "pressure safety valve", "ffd": "flame failure device",
    "ssm": "safe speed monitor", "esd": "emergency shutdown", "e stop": "estop", "sw": "switch", "ilk": "interlock",
    "perm": "permanent", "temp": "temporary", "ip": "input", "op": "output", "lsh": "level switch", "psh": "pressure switch",
    "tsh": "temperature switch", "lshh": "level switch", "pshh": "pressure switch", "tshh": "temperature switch",
    "bms": "burner management system", "sis": "safety instrumented system", "gd": "gas detector", "sm": "safety mat",
}
_ABBREV = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True)) + r")\b")
_WORD = re.compile(r"\b[a-z]{5,}\b")
_LOCK = threading.Lock()
_ENGLISH: frozenset[str] | None = None


def _english() -> frozenset[str]:
    """English words (pyspellchecker's list; empty when the package is missing:
    then nothing is respelled, which is the old behaviour)."""
    global _ENGLISH
    with _LOCK:
        if _ENGLISH is None:
            words = english_words()  # empty without the package: the check still works, no typo is mended
            _ENGLISH = words | TARGETS if words else frozenset()
    return _ENGLISH


def _distance(a: str, b: str, limit: int) -> int:
    """Edits from ``a`` to ``b`` (insert, delete, replace, swap of neighbours), or ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=4096)
def _mend(word: str) -> str:
    english = _english()
    if not english or word in english:
        return word
    limit = 2 if len(word) >= 8 else 1
    best = sorted((d, t) for t in TARGETS if (d := _distance(word, t, limit)) <= limit)
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):  # none, or two equally near: leave it
        return word
    return best[0][1]


def readable(folded: str) -> str:
    """``folded`` with typos of the filter's words mended and abbreviations written out."""
    text = _WORD.sub(lambda m: _mend(m.group(0)), folded)
    return _ABBREV.sub(lambda m: ABBREVIATIONS[m.group(0)], text)
