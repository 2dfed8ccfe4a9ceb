"""Asked codes and messages the documents never mention (unknown-code abstention).

The family rules of ``abstain`` catch a code-shaped token of a family the
knowledge base *defines* (``CUPS_BACKEND_PAUSE`` beside ``CUPS_BACKEND_STOP``).
Real manuals' codes come in many more shapes than a learned vocabulary holds:
exit numbers in running text, option flags and their values, part and model
ids, G-codes, whole error messages. What every unknown code of a real manual
has in common is that *the documents never mention it*; what a model or part
name a question merely qualifies with ("LPC1768 lpc2000 driver variant") has
is that the question's subject is something else the documents do name.

:func:`absent_asked` returns the asked tokens that occur nowhere in the
knowledge base, for five shapes (each checked against the full-text index,
``term_count``, and for part ids against the documents' own tokens):

1. a number introduced as a code or exit status ("exit code 173", "gammu
   returns 97", "rc=98", "read: 10060");
2. an option flag ("-norts", "-xshowfuses": without its one-letter option
   too) or the value given to a documented option ("-W dell20", "-F samsung4",
   "--set=rqst_spin");
3. a part / code id of letters and digits ("THCAD-20", "G103", "x512a1",
   "dku7", "hp20") whose family the documents use with other numbers
   ("THCAD-5", "G1", "x128a1", "dku5") or whose number they use with other
   names ("intel20", "sun20"), unless the question also names a documented code
   or part (then the absent one is the asker's model, not the subject); the
   member may be the last part of a longer name ("CFG-TP-TP9_ENA" beside the
   documented "CFG-TP-TP1_ENA");
4. a message quoted or introduced as one ("Error: target not halted",
   "hm2_7i76e.0: error finishing read", "'sel record checksum mismatch'")
   that no passage holds whole, and of whose word pairs fewer than 80 % occur
   in the documents (``_phrase_known``);
5. a command name of three or more hyphenated words starting with a verb
   ("get-fan-speed-offset") that no passage holds;
6. a hexadecimal vendor/product id pair ("0x04a9/0x19ff", "04c5:132b", how
   USB and PCI ids are listed and printed) that no passage holds in either
   spelling, and a number in parentheses after "error" or "failed" ("conn
   error (23)", "failed(-9021)", how a log line carries its code);
7. a hexadecimal value of two or more digits ("0x3b", "item 0x20110099"), a
   value of some documented field (a key id, an action, a status), that no
   passage holds in any of its spellings ("0x3B", "0x003b", "3Bh"): the
   documents list the values they define, and one they do not list is never
   answered with another value's text. One-digit values ("0x2") are left
   alone: documents write them as plain numbers too.

A token is never absent when the documents hold it with separators removed
or stemmed alike (the full-text index is stemmed).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable

from knowledge_base.text import STOPWORDS

_CODE_WORD = (r"(?:exit(?:ed)?(?:\s+with)?(?:\s+(?:code|status|value))?|status|code|error|err|errno|rc|"
              r"return(?:s|ed)?(?:\s+(?:code|value|status))?|result)")
_NUMBER = re.compile(rf"(?i)\b{_CODE_WORD}\s*[:=#]?\s*(-?\d{{2,6}})(?![\w.])")
# a system call's error number in a log line ("gdb_get_char(): read: 10060"), not any "name: 25000"
_COLON_NUMBER = re.compile(r"(?i)\b(?:read|write|recv|send|select|connect|accept|bind|open|ioctl|socket)\s*:\s+(\d{3,6})(?![\w.])")
_OPTION = re.compile(r"(?<![\w-])(--?)([A-Za-z][\w-]*)(?:=([^\s,]+))?(?:\s+([A-Za-z][\w.-]*\d[\w.-]*|[A-Za-z]+_\w+))?")
_ID = re.compile(r"(?<![\w.])([A-Za-z]{1,10})(-?)(\d[\w.-]*)(?![\w-])")
_SHAPED = re.compile(r"(?<![\w.-])([A-Za-z][\w]*-?\d[\w.-]*|[A-Za-z]+_[\w.]+|[A-Z]{2,}\d*)(?![\w-])")
_QUOTED = re.compile(r"(?:^|(?<=[\s(]))['\"\u2018\u201c]([^'\"\u2019\u201d]{6,120})['\"\u2019\u201d](?=[\s,.?!:;)]|$)")
_ERROR_MSG = re.compile(r"(?i)(?:^|\s)(?:error|err|fatal|warning)\s*:\s*([^:?]{6,120}?)(?=\s*:|\s+-\s+|[?(]|$)")
# a component's own prefix: "hm2_7i76e.0:", "gdb_get_char():", "RTAPI:" (not "R720:")
_PREFIX_MSG = re.compile(r"^\s*(?:[A-Za-z]\w*[_.][\w.]*|[A-Za-z]\w*\s*\(\)|[A-Z]{4,})(?:\s*\(\))?:\s+((?:[a-z][\w']*\s+){1,}[a-z][\w']*)(?:\s+-\s+|[?(]|$)")
_TOKENS = re.compile(r"[a-z0-9]+")
_HEX_PAIR = re.compile(r"(?i)(?<![\w/:])(?:0x)?([0-9a-f]{4})\s*[/:]\s*(?:0x)?([0-9a-f]{4})(?![\w/:])")
_HEX_VALUE = re.compile(r"(?i)(?<![\w/:.-])0x([0-9a-f]{2,16})(?![\w/:])")
_PAREN_NUMBER = re.compile(r"(?i)\b(?:error|err|failed|failure|status)\s*\(\s*(-?\d{2,6})\s*\)")
# a command name of three or more hyphenated words that starts with a verb ("get-fan-speed-offset"),
# not an English compound ("out-of-range", "plug-and-play")
_COMMAND = re.compile(r"(?<![\w-])((?:get|set|show|list|enable|disable|reset|clear|read|write|start|stop|add|"
                      r"remove|delete|create|update|dump|load|save|restore)(?:-[a-z0-9]+){2,})(?![\w-])")


def absent_asked(question: str, term_count: Callable[[str], int],
                 tokens: frozenset[str] | Callable[[], frozenset[str]]) -> tuple[str, ...]:
    """The asked codes and messages of ``question`` that the documents never
    mention (see the module rules), normalised to upper case for codes.
    ``term_count``: chunks holding a phrase; ``tokens``: the documents' own
    code-shaped tokens (``doc_tokens``), upper case, separators dropped, or a
    function returning them (called only when a token is not in the index:
    reading every chunk once is the cost of a first such question)."""
    tokens = _Lazy(tokens)

    def present(token: str) -> bool:
        words = _TOKENS.findall(token.lower())
        if not words:
            return True
        return bool(term_count(" ".join(words)) or term_count("".join(words)) or
                    re.sub(r"[\W_]", "", token.upper()) in tokens)

    out: list[str] = []
    for m in (list(_NUMBER.finditer(question)) + list(_COLON_NUMBER.finditer(question))
              + list(_PAREN_NUMBER.finditer(question))):
        if not present(m.group(1).lstrip("-")):
            out.append(m.group(1))
    for m in _OPTION.finditer(question):
        dash, name, value, arg = m.groups()
        if len(name) >= 3 and not present(name) and not (dash == "-" and present(name[1:])):
            out.append(dash + name)
        elif value and re.search(r"[A-Za-z]", value) and not present(value):
            out.append(value)
        elif arg and present(name) and not present(arg):
            out.append(arg)
    for m in _COMMAND.finditer(question):
        if not present(m.group(1)):
            out.append(m.group(1))
    out += _absent_pairs(question, term_count)
    out += _absent_hex(question, term_count)
    out += _absent_ids(question, present, tokens, set(out))
    for msg in _messages(question):
        if not _phrase_known(msg, term_count):
            out.append(msg)
    return tuple(dict.fromkeys(c if " " in c or c.count("-") > 1 else re.sub(r"[\s:#\-]+", "", c).upper()
                               for c in out))


class _Lazy:
    """A token set read on first use."""

    def __init__(self, source) -> None:
        self._source, self._set = source, None

    def get(self) -> frozenset[str]:
        if self._set is None:
            self._set = self._source() if callable(self._source) else self._source
        return self._set

    def __contains__(self, item) -> bool:
        return item in self.get()

    def __iter__(self):
        return iter(self.get())


def mentioned(code: str, term_count: Callable[[str], int], tokens) -> bool:
    """Whether the documents mention ``code`` (normalised, ``STATUS38``,
    ``ARM7TDMI``) in their text, though no passage defines it: as one word,
    as its letters and number apart ("status 38"), or among ``tokens``. A
    code-shaped name the documents use (a chip, a firmware, a cable) is
    answered from the passages that use it, never refused as unknown."""
    tokens = tokens if isinstance(tokens, _Lazy) else _Lazy(tokens)
    words = _TOKENS.findall(code.lower())
    if not words:
        return False
    split = re.findall(r"[a-z]+|\d+", "".join(words))
    return bool(term_count(" ".join(words)) or (len(split) > 1 and term_count(" ".join(split))) or
                re.sub(r"[\W_]", "", code.upper()) in tokens)


def _absent_ids(question: str, present, tokens, taken: set[str]) -> list[str]:
    """Rule 3: absent part ids of a family the documents number otherwise."""
    shaped = [m.group(1) for m in _SHAPED.finditer(question)]
    out = []
    for m in _ID.finditer(question):
        whole = m.group(0)
        if whole in taken or present(whole):
            continue
        prefix, number = m.group(1).upper(), m.group(3).upper()
        same_prefix = any(t[len(prefix):][:1].isdigit() for t in _family_members(tokens, prefix))
        same_number = number.isdigit() and any(  # "hp20" beside "intel20", "sun20"
            t.endswith(number) and t[:-len(number)].isalpha() and len(t) > len(number) + 1 for t in tokens)
        if prefix.lower() in STOPWORDS or not (same_prefix or same_number):
            continue
        wkey = re.sub(r"[\W_]", "", whole.upper())
        # another documented code or part named in the question (not this one's family name) qualifies it
        if any(s != whole and present(s) and not wkey.startswith(re.sub(r"[\W_]", "", s.upper()))
               for s in shaped):
            continue
        out.append(whole)
    return out


def _absent_pairs(question: str, term_count: Callable[[str], int]) -> list[str]:
    """Rule 6: hexadecimal id pairs (vendor/product) that no passage holds,
    written with or without ``0x`` and with ``/`` or ``:``. A pair needs a hex
    letter or a ``0x`` so that times ("10:30") and ratios stay out."""
    out = []
    for m in _HEX_PAIR.finditer(question):
        a, b = m.group(1).lower(), m.group(2).lower()
        if "0x" not in m.group(0).lower() and not re.search(r"[a-f]", a + b):
            continue
        if not any(term_count(p) for p in (f"0x{a} 0x{b}", f"{a} {b}", f"0x{a}0x{b}", f"{a}{b}")):
            out.append(f"0x{a}/0x{b}")
    return out


def _absent_hex(question: str, term_count: Callable[[str], int]) -> list[str]:
    """Rule 7: hexadecimal values (``0x`` and two digits or more, 0x10 and up)
    that no passage holds, with or without leading zeros or as ``NNh``.

    >>> _absent_hex("self-test -s 0x3b, key 0x10050007, 0x0f", lambda t: t in ("0x10050007", "fh"))
    ['0x3b']
    """
    out = []
    for m in _HEX_VALUE.finditer(question):
        v = int(m.group(1), 16)
        if v < 0x10:
            continue
        spellings = {f"0x{v:x}", f"0x{v:02x}", f"0x{v:04x}", f"0x{v:08x}", f"{v:x}h", f"{v:02x}h"}
        if not any(term_count(s) for s in spellings):
            out.append(f"0x{v:x}")
    return out


def _family_members(tokens, prefix: str):
    return (t for t in tokens if t.startswith(prefix))


def _messages(question: str) -> list[str]:
    """Message text quoted or introduced as one in ``question`` (two words or more)."""
    out = []
    for rx in (_QUOTED, _ERROR_MSG, _PREFIX_MSG):
        for m in rx.finditer(question):
            msg = " ".join(m.group(1).split()).strip(" .,;")
            if len(_TOKENS.findall(msg.lower())) >= 2:
                out.append(msg)
    return out


def _phrase_known(message: str, term_count: Callable[[str], int], share: float = 0.8) -> bool:
    """Whether the documents hold the message: the whole phrase, or at least
    ``share`` of its word pairs each as a phrase (a quoted message may be cut
    or run into the asker's words; an undocumented one lacks its own pair,
    "interrogation failed" in "JTAG scan chain interrogation failed")."""
    words = _TOKENS.findall(message.lower())
    if term_count(" ".join(words)):
        return True
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:])]
    return bool(pairs) and sum(1 for p in pairs if term_count(p)) >= share * len(pairs)


_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_DOC_TOKEN = re.compile(r"(?<![\w])[A-Za-z]{1,10}-?\d[\w-]*")


def doc_tokens(index) -> frozenset[str]:
    """The documents' letter-then-digit tokens (``THCAD-5``, ``x128a1``,
    ``G38.2``), upper case, separators dropped: read once per index and
    chunk count."""
    n = index.counts().get("chunks", 0)
    hit = _CACHE.get(index)
    if hit is not None and hit[0] == n:
        return hit[1]
    found: set[str] = set()
    for batch in index.chunk_rows():
        for _, c in batch:
            for t in _DOC_TOKEN.findall(c.text):
                found.add(re.sub(r"[\W_]", "", t.upper()))
    out = frozenset(found)
    try:
        _CACHE[index] = (n, out)
    except TypeError:  # pragma: no cover - an index that cannot be weakly referenced
        pass
    return out


def lazy_doc_tokens(index) -> _Lazy:
    """:func:`doc_tokens` of ``index``, read when first needed."""
    return _Lazy(lambda: doc_tokens(index))
