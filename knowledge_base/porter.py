"""Porter's stemming algorithm (M. F. Porter, 1980), as SQLite's FTS5
``porter`` tokenizer applies it, so the tantivy keyword lane and the FTS5
baseline conflate the same words.

Written from the published algorithm; where SQLite's stemmer departs from
the 1980 paper (measured against it on ~400k distinct words,
``tests/kb/test_keyword_text.py``), it is followed:

* a word shorter than 3 or longer than 64 bytes is left alone;
* step 2 has ``bli -> ble`` (not ``abli -> able``) and ``logi -> log``;
* suffix rules within a step are tried in a fixed order and the first whose
  suffix matches decides (its condition failing means no change), and a rule
  never removes a whole word (the stem is at least one letter).

>>> [stem(w) for w in ("caresses", "ponies", "relational", "hopping", "generalization", "oscillators")]
['caress', 'poni', 'relat', 'hop', 'gener', 'oscil']
"""

from __future__ import annotations

_VOWELS = frozenset("aeiou")


def _cons(w: str, i: int) -> bool:
    """Is ``w[i]`` a consonant (``y`` is one at the start or after a vowel)?"""
    c = w[i]
    if c in _VOWELS:
        return False
    if c == "y":
        return i == 0 or not _cons(w, i - 1)
    return True


def _m(w: str) -> int:
    """Porter's measure: the number of vowel-consonant sequences in ``w``."""
    n, i, L = 0, 0, len(w)
    while i < L and _cons(w, i):
        i += 1
    while i < L:
        while i < L and not _cons(w, i):
            i += 1
        if i >= L:
            break
        while i < L and _cons(w, i):
            i += 1
        n += 1
    return n


def _has_vowel(w: str) -> bool:
    return any(not _cons(w, i) for i in range(len(w)))


def _double_cons(w: str) -> bool:
    return len(w) >= 2 and w[-1] == w[-2] and _cons(w, len(w) - 1)


def _cvc(w: str) -> bool:
    """*o: ends consonant-vowel-consonant, the last not w, x or y."""
    return (len(w) >= 3 and _cons(w, len(w) - 3) and not _cons(w, len(w) - 2) and _cons(w, len(w) - 1)
            and w[-1] not in "wxy")


def _rules(w: str, rules, cond) -> str:
    """The first rule whose suffix ends ``w`` (leaving a stem) decides."""
    for suffix, repl in rules:
        if w.endswith(suffix) and len(w) > len(suffix):
            stem = w[:-len(suffix)]
            return stem + repl if cond(stem, suffix) else w
    return w


_STEP2 = (("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
          ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
          ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"),
          ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
          ("logi", "log"))
_STEP3 = (("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""),
          ("ness", ""))
_STEP4 = tuple((s, "") for s in ("al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
                                 "ent", "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize"))


def _by_last_letters(rules):
    """Group rules by their suffix's last two letters (order kept), so only
    the rules that can match are tried."""
    out: dict[str, list] = {}
    for r in rules:
        out.setdefault(r[0][-2:], []).append(r)
    return out


_S2, _S3, _S4 = (_by_last_letters(r) for r in (_STEP2, _STEP3, _STEP4))


def _step(w: str, table, cond) -> str:
    return _rules(w, table.get(w[-2:], ()), cond)


def _m_gt0(stem: str, _s: str) -> bool:
    return _m(stem) > 0


def _step4_cond(stem: str, suffix: str) -> bool:
    if _m(stem) <= 1:
        return False
    return suffix != "ion" or stem[-1] in "st"


def stem(w: str) -> str:
    """The Porter stem of one lowercase token."""
    if not w.isascii():  # SQLite stems UTF-8 bytes: a non-ASCII byte is a consonant
        b = w.encode()
        return _stem(b.decode("latin-1")).encode("latin-1").decode(errors="replace") if 3 <= len(b) <= 64 else w
    return _stem(w) if 3 <= len(w) <= 64 else w


def _stem(w: str) -> str:
    # step 1a
    if (w.endswith("sses") and len(w) > 4) or (w.endswith("ies") and len(w) > 3):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    # step 1b
    extra = False
    if w.endswith("eed") and len(w) > 3:
        if _m(w[:-3]) > 0:
            w = w[:-1]
    else:
        for suffix in ("ed", "ing"):
            if w.endswith(suffix) and len(w) > len(suffix) and _has_vowel(w[:-len(suffix)]):
                w, extra = w[:-len(suffix)], True
                break
    if extra:
        if w.endswith(("at", "bl", "iz")):
            w += "e"
        elif _double_cons(w) and w[-1] not in "lsz":
            w = w[:-1]
        elif _m(w) == 1 and _cvc(w):
            w += "e"
    # step 1c
    if w.endswith("y") and len(w) > 1 and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    w = _step(w, _S2, _m_gt0)
    w = _step(w, _S3, _m_gt0)
    w = _step(w, _S4, _step4_cond)
    # step 5a
    if w.endswith("e") and len(w) > 1:
        m = _m(w[:-1])
        if m > 1 or (m == 1 and not _cvc(w[:-1])):
            w = w[:-1]
    # step 5b
    if w.endswith("ll") and _m(w) > 1:
        w = w[:-1]
    return w
