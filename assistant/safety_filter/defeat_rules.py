"""Does a sentence advise defeating a safety device? The rule part.

The sentence is folded first (:func:`knowledge_base.normalise.fold`), so
look-alike letters, "By-pass", zero-width spaces and "byp4ss" read as plain
words; typos of the filter's words and shop abbreviations are mended
(:mod:`assistant.safety_filter.defeat_words`: "disconect the emergancy stop", "link out the LWCO"). An English sentence advises defeat when an *action* and a *safety
object* (:mod:`assistant.safety_filter.defeat_lexicon`) meet in one clause, the object a
few words after the action ("place a magnet on the door switch") or before a
passive one ("the interlock can be bridged"), and the action is not
neutralised:

* negated or prohibited earlier in its clause ("never bypass, bridge or
  defeat the interlock", "under no circumstances remove the K7 relay");
* a gerund or noun followed by a prohibition or a harm ("bypassing the
  interlock is forbidden / can cause serious injury");
* restoring ("remove the jumper from the interlock terminals", "check for
  magnets on the door switch"), or a past description ("the interlock was
  found bypassed");
* for weak actions (remove, switch off): replacement or maintenance context
  around a protective function ("remove the faulty interlock relay K7 and fit
  the new one"); for doors and guards, no sign the machine is to run that way.

German, French, Spanish and Chinese sentences are checked by co-occurrence
of the per-language action, object and negation lists (no clause rules).

>>> advice("Fit a wire link across S4 terminals 3 and 4 so the pump restarts with the guard door open.")
'bridges or jumpers a safety device'
>>> advice("Bridge the terminals of the test plug as shown in 6.3.") is None
True
>>> advice("Never bypass, bridge or defeat the guard interlock.") is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge_base.normalise import fold

from . import defeat_lexicon as L
from .defeat_words import readable

_C = lambda rx: re.compile(rx)  # noqa: E731
_STRONG = _C(rf"\b(?:{L.STRONG})\b")
_PART = _C(rf"\b(?:{L.PARTICIPLE})\b")
_WEAK = _C(rf"\b(?:{L.WEAK})\b")
_WEAK_PART = _C(rf"\b(?:{L.WEAK_PARTICIPLE})\b")
_WEAK_KEPT = _C(L.WEAK_KEPT)
_RAISE = _C(rf"\b(?:{L.RAISE})\b")
_FUNCTION = _C(rf"\b(?:{L.FUNCTION})\b")
_BROAD = _C(rf"\b(?:{L.BROAD})\b")
_GUARD = _C(rf"\b(?:{L.GUARD})\b")
_PLAIN = _C(rf"\b(?:{L.PLAIN})\b")
_RATED = _C(rf"\b(?:{L.RATED})\b")
_BEYOND = _C(rf"\b{L.BEYOND}\b")
_DESIG = _C(L.DESIGNATION)
_CONTEXT = _C(L.SAFETY_CONTEXT)
_RUNNING = _C(L.RUNNING)
_REPLACE = _C(L.REPLACE)
_RUN_WITHOUT = _C(L.RUN_WITHOUT)
_SKIP_LOCKOUT = _C(L.SKIP_LOCKOUT)
_BLIND = _C(L.BLIND)
_PERMISSIVE = _C(L.PERMISSIVE)
_SOFTWARE = _C(L.SOFTWARE)
_MANIPULATE = _C(rf"\b(?:{L.STRONG}|{L.WEAK}|{L.RAISE}|take|leave|put|connect|link|fit|swap|change|turn|wind|give|release|unscrew|pull|run|arrange"
                 r"|make|get|let|stop|keep|hold|stick|slide|insert|pop|clip|unhook|cover|tie|teach|switch|move|lock|wedge|jam|set|program|configure)\b")
_SWAP = _C(r"\b(?:replace|replaced|swap|fit|put|use|install|in place of|instead of|pon|par un|remplac\w*|ersetz\w*|durch)\b")
_NEG = _C(r"\b(?:never|not|no|dont|doesnt|didnt|mustnt|shouldnt|cannot|cant|wont|nor|neither|avoid|avoiding|without"
          r"|instead of|rather than|refrain from|prohibited|forbidden|under no circumstances|at no time|in no case"
          r"|do not|must not|should not|is not|are not|never ever|nobody|no one|impossible to|hard to|difficult to|cannot be)\b")
_NEAR_NEG = _C(r"\b(?:stop|stops|stopping|prevent\w*|detect\w*|deter\w*|against|resist\w*)\b(?:\s+\w+){0,3}\s*$")
_HARM = _C(r"\b(?:prohibited|forbidden|not (?:permitted|allowed)|illegal|unlawful|dangerous|hazardous|unsafe|strictly|offence|offense"
           r"|dismissal|disciplinary|(?:can|could|may|might|will|would) (?:\w+ ){0,2}?(?:result|lead|cause|kill|injure|maim|expose|void|invalidate)"
           r"|death|fatal|injur\w*|amputation|crush\w*|risk|is a (?:criminal|serious)|never (?:acceptable|allowed|permitted)"
           # a consequence stated, as a warning states it: "... voids the approval", "... can allow the load to fall"
           r"|voids?|invalidates?|exposes?|(?:can|could|may|might|will|would) (?:\w+ ){0,2}?(?:allow|let|suffer|fail|explode|burst|fall|start|move)"
           r"|allows? (?:the|a|an|people|persons?|someone|anyone|operators?|users?|workers?) (?:\w+ ){0,3}?to (?:move|run|start|fall|reach|enter|be)"
           r"|gives? no (?:indication|warning|sign)|removes? (?:all |the |its )?(?:\w+ )?(?:protective|protection|safety)|creates? an? (?:\w+ )?(?:risk|hazard))\b")
_RESTORE = _C(r"\b(?:remove|removed|removing|take off|take out|took|check(?:ed|ing)? (?:\w+ )?for|look(?:ing)? for|inspect(?:ed|ing)? for|search"
              r"|ensure|make sure|verify|confirm|found|find|discovered|spot|any|no|all|fitted by|left by|reinstate|restore|undo|undid|report"
              r"|tamper ?proof|anti ?tamper|coded|cannot|resist\w*|detect\w*|prevent\w*|against|sign of|evidence of|signs of)\b")
_DESCRIBED = _C(r"\b(?:was|were|had|has|have|been|found|discovered|reported|noticed|if|when|whether|unless|once|until|because|why|after)\b")
_PASSIVE = _C(r"\b(?:be|is|are|get|gets|got|being|leave|leaving|keep|keeping|with|left|kept|stays?|remains?)\b")
_SPLIT = _C(r"\s*(?:[;:!?]|\.(?=\s|$)|—|–|\s-\s|\b(?:then|instead(?! of)|but|however|otherwise|rather(?! than)|whereas|afterwards)\b)\s*")
_NOUNISH = _C(r"(?:ing|ion)$")
_STRONG_NOUN = _C(r"^(?:jumper|link|bridge|bypass|magnet|tape|wedge|cable ?tie|zip ?tie|override|strap|short)")

REASONS = {"strong": "bridges or jumpers a safety device", "weak": "removes or switches off a protective function",
           "raise": "raises a protection beyond its rating", "running": "runs the machine with a safety device defeated",
           "other": "defeats a safety device (non-English)", "skip": "skips lockout or a guard",
           "blind": "keeps the machine from sensing a safety state",
           "software": "edits safety logic out or forces a safety signal"}


def _clauses(text: str) -> list[str]:
    """Clauses of a folded sentence; a comma starts a new clause only after
    a segment that names an object (so "never bypass, bridge or defeat the
    interlock" stays one)."""
    out: list[str] = []
    for part in _SPLIT.split(text):
        segs = part.split(",")
        cur = ""
        for seg in segs:
            cur = f"{cur},{seg}" if cur else seg
            if _objects(cur, strong=True):
                out.append(cur)
                cur = ""
        if cur:
            out.append(cur)
    return [c.strip() for c in out if c.strip()]


def _objects(clause: str, strong: bool) -> list[tuple[int, int, str]]:
    """(start, end, kind) of safety objects in ``clause``."""
    found = [(m.start(), m.end(), "function") for m in _FUNCTION.finditer(clause)]
    found += [(m.start(), m.end(), "guard") for m in _GUARD.finditer(clause)]
    found += [(m.start(), m.end(), "plain") for m in _PLAIN.finditer(clause)]
    found += [(m.start(), m.end(), "rated") for m in _RATED.finditer(clause)]
    if strong:
        found += [(m.start(), m.end(), "broad") for m in _BROAD.finditer(clause)]
    if _CONTEXT.search(clause) or _RUNNING.search(clause):
        found += [(m.start(), m.end(), "function") for m in _DESIG.finditer(clause)]
    return found


def _negated(clause: str, start: int) -> bool:
    return bool(_NEG.search(clause[:start]) or _NEAR_NEG.search(clause[max(0, start - 40): start]))


def _near(objs, start: int, end: int, kinds: tuple[str, ...], after: int = 70, before: int = 45) -> bool:
    return any(k in kinds and (start <= s <= end + after or (start - before <= e <= start)) for s, e, k in objs)


def _after_only(objs, end: int, kinds: tuple[str, ...], after: int = 70, start: int | None = None) -> bool:
    return any(k in kinds and (end if start is None else start) <= s <= end + after for s, e, k in objs)


def _english(text: str) -> str | None:
    running = bool(_RUNNING.search(text))
    conditional = re.match(r"(?:if|when|whenever|in case|should|once|where)\b", text)
    sentence_objs = _objects(text, strong=True)
    for clause in _clauses(text):
        objs = _objects(clause, strong=True)
        carried = []
        if not objs and conditional and sentence_objs:  # "if the door switch is faulty, link it out"
            carried = [(len(clause) + 1, len(clause) + 1, k) for _, _, k in sentence_objs]
        if not objs and not carried:
            continue
        for m in _STRONG.finditer(clause):
            objs_here = objs or carried
            word, before = m.group(0), clause[: m.start()]
            if _negated(clause, m.start()):
                continue
            if _STRONG_NOUN.match(word) and _RESTORE.search(before[-40:]):
                continue
            if _NOUNISH.search(word.split()[0]) and _HARM.search(clause[m.end():]):
                continue
            kinds = ("function", "broad", "guard", "rated") + (("plain",) if running else ())
            if _after_only(objs_here, m.end(), kinds, start=m.start()) or (_near(objs, m.start(), m.end(), kinds)
                                                     and _PASSIVE.search(before[-25:])):
                return "strong"
        for m in _PART.finditer(clause):
            before = clause[: m.start()]
            if _negated(clause, m.start()) or _DESCRIBED.search(before[-30:]) or _HARM.search(clause[m.end():]):
                continue
            if _PASSIVE.search(before[-40:]) and _near(objs, m.start(), m.end(), ("function", "broad", "guard"), before=60):
                return "strong"
        for m in _WEAK_PART.finditer(clause):
            before = clause[: m.start()]
            if _negated(clause, m.start()) or _DESCRIBED.search(before[-30:]):
                continue
            if _WEAK_KEPT.search(before[-30:]) and _near(objs, m.start(), m.end(), ("function", "guard"), after=0, before=60):
                return "weak"
            if re.search(r"\bwith\b", before[-40:]) and _near(objs, m.start(), m.end(), ("function",), after=0, before=40):
                return "weak"  # "lift again with the limiter switched off"
        for m in _WEAK.finditer(clause):
            rest = clause[m.end():].lstrip()
            for article in ("the ", "any ", "all ", "this ", "that ", "temporary ", "factory "):
                rest = rest.removeprefix(article)
            if _negated(clause, m.start()) or _STRONG_NOUN.match(rest):  # "remove the jumper" restores
                continue
            if _NOUNISH.search(m.group(0).split()[0]) and _HARM.search(clause[m.end():]):  # "removing it voids ..."
                continue
            if _near(objs, m.start(), m.end(), ("function", "guard", "plain", "broad", "rated"), before=0) and running:
                return "running"
            if (_after_only(objs, m.end(), ("function",), after=50, start=m.start()) or
                    (_PASSIVE.search(clause[max(0, m.start() - 25): m.start()])
                     and _near(objs, m.start(), m.end(), ("function",), after=0, before=50))) and not _REPLACE.search(text):
                return "weak"
        for m in _RUN_WITHOUT.finditer(clause):
            if not _negated(clause, m.start()) and _after_only(objs, m.end(), ("function", "guard", "broad"), after=3):
                return "running"
        for m in _RAISE.finditer(clause):
            if _negated(clause, m.start()):
                continue
            beyond = _BEYOND.search(clause[m.end(): m.end() + 60]) or running
            if beyond and (_after_only(objs, m.end(), ("rated", "function"), after=50, start=m.start()) or
                           (_PASSIVE.search(clause[max(0, m.start() - 25): m.start()])
                            and _near(objs, m.start(), m.end(), ("rated", "function", "guard"), after=0, before=60))):
                return "raise"
        if running:
            for m in _MANIPULATE.finditer(clause):
                if not _negated(clause, m.start()) and _near(objs, m.start(), m.end(), ("function", "guard", "rated", "broad"),
                                                            after=40, before=0) \
                        and not re.search(r"\b(?:back (?:on|in)|again|reconnect\w*|reinstat\w*)\b", clause[m.start(): m.end() + 40]):
                    return "running"
    if _upsized(text) or _over_rating(text):
        return "raise"
    if (m := _BLIND.search(text)) and not _negated(text, m.start()):
        return "blind"
    for m in _SOFTWARE.finditer(text):
        if not _negated(text, m.start()) and _CONTEXT.search(text) and not _HARM.search(text[m.end():]) \
                and not re.search(r"\b(?:isolated|locked out|lamp|indicator|beacon|horn)\b", text):
            return "software"
    if (m := _SKIP_LOCKOUT.search(text)) and not re.search(r"\b(?:never|not|dont|do not|must not)\b", text[: m.start()]):
        return "skip"
    return None


def _upsized(text: str) -> bool:
    """A fuse or breaker swapped for a bigger one: "replace the 10 A fuse with a 30 A one"."""
    if not _RATED.search(text) or _NEG.search(text) or not _SWAP.search(text):
        return False
    amps = [float(a) / (1000 if m else 1) for a, m in re.findall(r"\b(\d+(?:\.\d+)?) ?(m?)a\b", text)]
    if len(amps) < 2:
        return False
    first, second = amps[0], amps[1]
    return first > second if re.search(r"\b(?:in place of|instead of|in the)\b", text) else second > first


_OVER_RATING = _C(L.OVER_RATING)


def _over_rating(text: str) -> bool:
    """A protective setting put past what it protects: "set the safety switch to 8 bar, above the
    vessel's 6 bar design pressure", "turned the pressure switch up to 175 psi, tank is rated 150"."""
    m = _OVER_RATING.search(text)
    return bool(m and _objects(m.group(0), strong=True) and not _NEG.search(text))


def _language(text: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    counts = {lang: len(re.findall(rx, text)) for lang, rx in L.FUNCTION_WORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts["en"] else "en"


@lru_cache(maxsize=64)
def _other(lang: str) -> tuple[re.Pattern, ...]:
    strong, weak, objects, neg = L.OTHER[lang]
    replace, running, cover = L.OTHER_CONTEXT[lang]
    b = r"" if lang == "zh" else r"\b"
    return tuple(re.compile(f"{b}(?:{rx})") for rx in (strong, weak, objects, neg, replace, running, cover))


def _foreign(text: str, lang: str) -> str | None:
    strong, weak, objects, neg, replace, running, cover = _other(lang)
    obj = objects.search(text) or cover.search(text)
    act = strong.search(text) or weak.search(text)
    if not obj or not act or neg.search(text[: act.start()]) or (lang != "zh" and neg.search(text) and not running.search(text)):
        return None
    if strong.search(text):
        return "other"
    if weak.search(text):
        if running.search(text) or (not replace.search(text) and not cover.fullmatch(obj.group(0))):
            return "other"
    return None


def read(sentence: str, join: bool = True) -> str:
    """The folded sentence (:func:`knowledge_base.normalise.fold`); English text
    also with typos of the filter's words mended and shop abbreviations written
    out (:func:`assistant.safety_filter.defeat_words.readable`)."""
    text = fold(sentence, join=join)
    return readable(text) if _language(text) == "en" else text


@lru_cache(maxsize=8192)
def advice(sentence: str) -> str | None:
    """Why ``sentence`` advises defeating a safety device, or None (hyphens
    read both as joins and as spaces: "By-pass", "high-temperature limit");
    remembered for the last 8,192 sentences (a pure function of the text)."""
    joined = read(sentence)
    why = _advice(_PERMISSIVE.sub("ok", joined))
    if why is None and (spaced := read(sentence, join=False)) != joined:
        why = _advice(_PERMISSIVE.sub("ok", spaced))
    return why


def _advice(text: str) -> str | None:
    lang = _language(text)
    if lang == "en":
        kind = _english(text)
    else:  # the language guess can miss: every foreign list, then English phrasing
        kind = next((k for k in map(lambda lg: _foreign(text, lg), L.OTHER) if k), None) or _english(text)
    return REASONS[kind] if kind else None
