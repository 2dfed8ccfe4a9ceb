"""What a machine translation must keep: codes, asset tags, numbers, and what is asked.

A small model translating a Chinese question into English glues or drops the
tokens the search depends on ("泵P-3现在有什么问题？" -> "The pumpP-3 has a problem.":
the asset id is glued to a word, so the asset patterns, which need an ASCII
boundary, no longer see it) and may change what is asked (the "now" is gone,
so the question no longer asks about P-3's present state and its live alert is
not looked up).

* :func:`must_keep`: the question's tokens written in Latin script that carry a
  digit (fault codes, asset tags, model names, numbers) or are acronyms;
* :func:`keep_verbatim`: the translation with each of them present verbatim -
  a glued one is set apart by spaces, a missing one is appended;
* :func:`faithful`: whether the translation still asks about the present state
  exactly when the question does (:func:`.intent.asks_about_state`), which
  decides whether live alerts answer it;
* :func:`answered_instead`: whether the model answered the question instead of
  translating it, speaking of a text it was never given ("... is not specified
  in the given text"): such a reply is no translation at all.

>>> must_keep("泵P-3出现E-104报警，温度80度，PLC显示HS-24K")
['P-3', 'E-104', '80', 'PLC', 'HS-24K']
>>> keep_verbatim("泵P-3出现E-104报警", "The pumpP-3 has an alarm.")
'The pump P-3 has an alarm. (E-104)'
>>> faithful("泵P-3现在有什么问题？", "The pump P-3 has a problem.")
False
>>> faithful("泵P-3现在有什么问题？", "What is wrong with pump P-3 now?")
True
>>> answered_instead("The time to open the cover is not specified in the given text.")
True
>>> answered_instead("How long must I wait before opening the VFD cover?")
False
"""

from __future__ import annotations

import re

from .intent import asks_about_state

LATIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_./:#-]|\s(?=[0-9]))*")
_SEP = r"[-_./:# ]?"


def latin_tokens(text: str) -> list[str]:
    """The Latin-script runs of ``text`` (codes, ids, English words), in order."""
    return [t for m in LATIN.finditer(text) if (t := m.group(0).strip(" .:/#"))]


def must_keep(question: str) -> list[str]:
    """Tokens of ``question`` a translation must keep verbatim, in order, without repeats:
    those with a digit, and acronyms (two or more capitals)."""
    out: list[str] = []
    for tok in latin_tokens(question):
        if (any(c.isdigit() for c in tok) or re.fullmatch(r"[A-Z]{2,}", tok)) and tok not in out:
            out.append(tok)
    return out


def _pattern(tok: str) -> str:
    """``tok`` with optional separators between its letter/digit runs (E-104 = E104 = E 104)."""
    parts = re.findall(r"[A-Za-z]+|[0-9]+", tok)
    return _SEP.join(map(re.escape, parts))


def present(tok: str, text: str) -> bool:
    """``tok`` occurs in ``text`` as a token of its own (ASCII boundaries, any case)."""
    return re.search(rf"(?<![A-Za-z0-9]){_pattern(tok)}(?![A-Za-z0-9])", text, re.I | re.ASCII) is not None


def keep_verbatim(question: str, translation: str) -> str:
    """``translation`` with every :func:`must_keep` token of ``question`` present on its own.

    A token with letters and digits glued to a neighbouring word ("pumpP-3") is set apart
    by spaces; any other missing token is appended in parentheses, in the question's order.
    """
    text, missing = translation, []
    for tok in must_keep(question):
        if present(tok, text):
            continue
        glued = None
        if re.search(r"[A-Za-z]", tok) and re.search(r"[0-9]", tok):
            glued = re.search(rf"(?<![0-9]){_pattern(tok)}(?![0-9])", text, re.ASCII)
        if glued:
            text = f"{text[:glued.start()]} {glued.group(0)} {text[glued.end():]}"
            text = re.sub(r" {2,}", " ", text).strip()
        else:
            missing.append(tok)
    if missing:
        text = f"{text} ({', '.join(missing)})"
    return text


def faithful(question: str, translation: str) -> bool:
    """True when ``translation`` asks about an asset's present state exactly when ``question`` does."""
    return asks_about_state(question) == asks_about_state(translation)


# A reply that speaks of its sources rather than the machine: the model answered, from nothing.
_TEXT = r"(?:text|context|information|passage|document)"
_ANSWERED = re.compile(rf"(?i)\bnot (?:specified|mentioned|provided|stated|given|found|included) in the "
                       rf"(?:given |provided |above )?{_TEXT}|\b(?:given|provided|above) (?:text|context|passage)\b"
                       rf"|\baccording to the (?:given |provided )?{_TEXT}|\bas an ai\b")


def answered_instead(translation: str) -> bool:
    """True when ``translation`` is the model's answer, not a translation (see the module doc)."""
    return _ANSWERED.search(translation) is not None
