"""Code vocabularies learned from the documents themselves.

The configured patterns (``codes.CodeMatcher``: ``E-104``, ``ALARM:9``) are
the seed. Real manuals also name faults ``BRAKE_CHOPPER_OVERHEAT``,
``Spindle.fault``, ``CurrentPendingSector``, ``OL``, ``0x5`` or a bare ``41``
in a list. Such a token is a code where the document *defines* it: as a
definition-list term, a table's key column, or a heading that is only the
code. :func:`term_codes` reads those places at ingest; the chunk that
defines a code carries it in ``Chunk.fault_codes`` (and so in the code
lane); the knowledge base's vocabulary is the set of codes its chunks carry.

A bare number is qualified by the family word before it in the term or in
the section heading ("Bit 3" -> ``BIT3``; ``2`` under "EXIT STATUS" ->
``2`` and ``STATUS2``), so "exit status 2" and "bit 3" in a question find
it. :func:`question_candidates` lists every code-shaped token of a
question; the retriever keeps those the knowledge base knows, and the
abstainer treats one of a known family that is not defined as unknown.

>>> term_codes("dmc_save  [5, 0x5]")
('DMC_SAVE', '0X5')
>>> term_codes("Bit 3"), term_codes("2", ("EXIT STATUS",)), term_codes("NG"), term_codes("Note")
(('BIT3',), ('2', 'STATUS2'), ('NG',), ())
>>> question_candidates("smartctl exited with status 8 (bit 3 set), also NG and cups_backend_stop")
('STATUS8', '8', 'BIT3', '3', 'NG', 'CUPS_BACKEND_STOP')
>>> family("CUPS_BACKEND_PAUSE"), family("REG4"), family("STATUS44"), family("XFERFAIL")
('CUPS_BACKEND_', 'REG', 'STATUS', '#CAPS')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# Words that introduce a numbered code: "exit status 2", "bit 3", "mode 0x5".
FAMILY_WORDS = ("status", "code", "bit", "mode", "error", "level", "register", "reg", "value", "flag",
                "alert", "alarm", "fault", "test", "statflag", "event", "type", "id")
_FAMILY = "|".join(FAMILY_WORDS)
# Labels that start a definition-like line but are not codes.
NOT_CODES = frozenset("""NOTE NOTES TIP TIPS IMPORTANT EXAMPLE EXAMPLES SEE ALSO TODO FIXME WARNING CAUTION
DANGER AND OR THE FOR NOT YES OPTIONS OPTION DESCRIPTION NAME SYNOPSIS USAGE BUGS AUTHOR AUTHORS FILES
ENVIRONMENT HISTORY COPYRIGHT LICENSE PDF HTML URL USB UPS CPU RAM API GUI CLI FAQ
SYMPTOM SYMPTOMS PROBLEM PROBLEMS ISSUE QUESTION SOLUTION CAUSE CAUSES REASON REMEDY WORKAROUND FIX ANSWER
RESOLUTION RETURNS RETURN VALUES ERRORS""".split()) | frozenset(
    w.upper() for w in FAMILY_WORDS)  # "ALARM" introduces a code ("ALARM:9"); alone it is none

_SNAKE = r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+"
_DOTTED = r"[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+"
_CAMEL = r"[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+"
_CAPS = r"[A-Z][A-Z0-9]{1,15}"
_ALNUM = r"[A-Za-z]{1,10}\d{1,6}[A-Za-z0-9]*"
_HEX = r"0[xX][0-9A-Fa-f]+"
_NUM = r"\d{1,6}"
_TOKEN = re.compile(rf"(?<![\w.-])(?:(?P<snake>{_SNAKE})|(?P<dotted>{_DOTTED})|(?P<hex>{_HEX})|"
                    rf"(?P<alnum>{_ALNUM})|(?P<camel>{_CAMEL})|(?P<caps>{_CAPS})|(?P<num>{_NUM}))(?![\w-])", re.ASCII)
_WORD_NUM = re.compile(rf"(?i)\b(?P<word>{_FAMILY})[\s:#=-]{{0,3}}(?P<num>\d{{1,6}})\b", re.ASCII)
_HEADING_FAMILY = re.compile(rf"(?i)\b({_FAMILY})\b")
# how a question gives a command's exit status (questions only: in a manual "returns 0" is prose)
_EXIT_NUM = re.compile(r"(?i)\b(?:rc|ret|exit(?:ed)?|returns?|returned|errno)(?:\s+(?:with|code|status|value))?"
                       r"\s*[:=#]?\s*(\d{1,4})\b")
# "TERM: body", "TERM = body", "TERM == body", "TERM - body", "TERM  body" (two spaces)
_TERM_SPLIT = re.compile(r"^\s*[-*+\u2022]?\s*(?P<term>[^\s].{0,40}?)(?:\s*(?::|==?|\u2013|\u2014)\s+|\s+-\s+|\s{2,})(?P<body>\S.*)$",
                         re.DOTALL)


_ALIASES = {"REGISTER": "REG"}  # one family, two spellings ("Register 3", "REG3")


def key(token: str) -> str:
    """The normalised form of a learned code: upper case, spaces and hyphens
    dropped (as ``codes.normalize_code``), dots and underscores kept.

    >>> key("Register 3"), key("reg3"), key("test.battery.start")
    ('REG3', 'REG3', 'TEST.BATTERY.START')
    """
    k = re.sub(r"[\s:#\-]+", "", token).upper()
    m = re.match(r"^([A-Z]+)(\d+)$", k)
    return _ALIASES.get(m.group(1), m.group(1)) + m.group(2) if m else k


def _shaped(text: str, allow_caps: bool, allow_num: bool) -> list[str]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        tok = m.group(kind)
        if kind == "caps" and (not allow_caps or tok.upper() in NOT_CODES or tok.isdigit()):
            continue
        if kind == "num" and not allow_num:
            continue
        out.append(key(tok))
    return out


def term_codes(term: str, section: Sequence[str] = ()) -> tuple[str, ...]:
    """The codes a definition term or table key defines (empty when it is
    not code-shaped: prose, an option such as ``--delay``, a Title word)."""
    term = " ".join(term.split())
    if not term or len(term) > 48 or term.startswith("-") or len(term.split()) > 4:
        return ()
    out: list[str] = []
    for m in _WORD_NUM.finditer(term):
        out.append(key(m.group("word") + m.group("num")))
    words = term.split()
    bare = bool(re.fullmatch(r"\d{1,6}", words[0].strip("[]():,.")))
    out += _shaped(term, allow_caps=len(words) <= 2, allow_num=bare and not out)
    if bare and section:
        fam = _HEADING_FAMILY.findall(section[-1])
        if fam:
            out.append(key(fam[-1] + words[0].strip("[]():,.")))
    if len(term) == 1 and not term.isalnum():
        out.append(term)  # a one-character signal such as '!' or '#'
    return tuple(dict.fromkeys(c for c in out if c))


def heading_codes(heading: str) -> tuple[str, ...]:
    """Codes a heading names: one that is only a code (``BRAKE_CHOPPER_OVERHEAT``)
    or starts with one (``41 - supply under voltage``); ALL-CAPS words of an
    all-caps heading ("EXIT STATUS") are not codes."""
    split = split_term(heading)
    head = split[0] if split else heading
    if len(head.split()) > 2:
        return ()
    return tuple(c for c in term_codes(head) if not (head.isupper() and len(head.split()) > 1))


def line_codes(text: str, section: Sequence[str] = ()) -> tuple[str, ...]:
    """Codes defined by definition-like lines inside running text (a PDF's
    "load.on - Turn on the load immediately", "NG: self test failed")."""
    out: list[str] = []
    for line in re.split(r"\n+", text):
        if t := split_term(line):
            out += term_codes(t[0], section)
    return tuple(dict.fromkeys(out))


def split_term(text: str) -> tuple[str, str] | None:
    """(term, body) of a definition-like line whose term is code-shaped.

    >>> split_term("NG: self test failed due to overload")
    ('NG', 'self test failed due to overload')
    >>> split_term("08 = On line, battery OK"), split_term("The UPS: it works")
    (('08', 'On line, battery OK'), None)
    """
    m = _TERM_SPLIT.match(text)
    if not m:
        return None
    term = m.group("term").strip()
    return (term, m.group("body").strip()) if term_codes(term) else None


def question_candidates(text: str) -> tuple[str, ...]:
    """Every code-shaped token of a question, normalised, in order: the
    knowledge base's vocabulary decides which are codes. A number counts
    only after a family word ("status 2" -> ``STATUS2`` and ``2``) or as an
    exit status ("rc=8", "exit 26" -> ``STATUS8`` and ``8``); a short
    ALL-CAPS token only as typed in capitals; quoted one-character signals
    ('#') too.

    >>> question_candidates("iscsiadm rc=8, what?"), question_candidates("logout returns 10")
    (('STATUS8', '8'), ('STATUS10', '10'))
    """
    out: list[str] = []
    for m in _WORD_NUM.finditer(text):
        out += [key(m.group("word") + m.group("num")), m.group("num")]
    for m in _EXIT_NUM.finditer(text):  # "rc=8", "exit 26", "returns 10": an exit status
        out += [key("status" + m.group(1)), m.group(1)]
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        tok = m.group(kind)
        if kind == "num" or (kind == "caps" and tok.upper() in NOT_CODES):
            continue
        out.append(key(tok))
    for m in re.finditer(r"(?i)\b(0x[0-9a-f]+|[a-z]+_[a-z0-9_]+|[a-z]+\.[a-z0-9_.]+[a-z0-9])\b", text):
        out.append(key(m.group(1)))
    out += re.findall(r"['\"\u2018\u201c]([^\w\s])['\"\u2019\u201d]", text)
    return tuple(dict.fromkeys(out))


_HEX_PAIR = re.compile(r"(?i)(?<![\w/:])(?:0x)?([0-9a-f]{4})\s*[/:]\s*(?:0x)?([0-9a-f]{4})(?![\w/:])")


def id_spellings(text: str) -> tuple[str, ...]:
    """A vendor/product id pair of ``text`` in the spelling device lists use:
    ``lsusb`` prints ``04c5:132b``, a manual's table ``0x04c5/0x132b``. A pair
    needs ``0x`` or a hex letter (not a time such as ``10:30``).

    >>> id_spellings("usb id 04c5:132b found"), id_spellings("at 10:30")
    (('0x04c5', '0x132b'), ())
    """
    out: list[str] = []
    for m in _HEX_PAIR.finditer(text):
        a, b = m.group(1).lower(), m.group(2).lower()
        if "0x" in m.group(0).lower() or re.search(r"[a-f]", a + b):
            out += [f"0x{a}", f"0x{b}"]
    return tuple(dict.fromkeys(out))


def known_form(code: str, known) -> str | None:
    """The known code ``code`` is an instance or a variant of, if any: a
    documented placeholder (``REBUILD40`` -> ``REBUILDNN``, the manual's
    "RebuildNN: where NN is a two-digit number"), or a known name of four or
    more characters with a short suffix (``RX300S2`` beside ``RX300``: a
    model's revision, not an undefined code).

    >>> known_form("REBUILD40", {"REBUILDNN"}), known_form("RX300S2", {"RX300"}), known_form("E105", {"E104"})
    ('REBUILDNN', 'RX300', None)
    """
    if code in known:
        return code
    if m := re.fullmatch(r"(.*?[A-Z_.])(\d{1,4})", code):
        for mark in ("N", "X"):
            for n in {len(m.group(2)), 1, 2}:
                if (form := m.group(1) + mark * n) in known:
                    return form
    for k in known:
        if len(k) >= 4 and code.startswith(k) and 0 < len(code) - len(k) <= 3 and not code[len(k):].isdigit() \
                and not k[-1].isdigit() == code[len(k)].isdigit():
            return k
    return None


def family(code: str) -> str:
    """The family a code belongs to: its letters before the number, its
    snake or dotted prefix, ``#CAPS`` for a plain capital word, ``#NUM`` for
    a bare number."""
    if m := re.match(r"^(.*[_.])[^_.]+$", code):
        return m.group(1)
    if m := re.match(r"^([A-Z]+)\d", code):
        return m.group(1)
    if code.isdigit() or code.startswith("0X"):
        return "#NUM"
    if code.isalpha() and code.isupper():
        return "#CAPS"
    return code


def nearby(code: str, known: Iterable[str], n: int = 5) -> list[str]:
    """Up to ``n`` known codes of ``code``'s family, the closest first (by
    number where both have one, else alphabetically)."""
    fam = family(code)
    same = [k for k in known if family(k) == fam and k != code]

    def dist(k: str):
        a, b = re.findall(r"\d+", code), re.findall(r"\d+", k)
        return (abs(int(a[-1]) - int(b[-1])) if a and b else 10**6, k)

    return sorted(same, key=dist)[:n]
