"""An answer's own text, told apart from what it quotes (for grading).

An answer shows three kinds of text: sentences the backend wrote, passages
it copied from its sources (the extractive composer's quoted passages and
procedure steps, the fault-table facts put in front of a model's text), and
the safety warnings appended verbatim. Grading "does the answer contain the
remedy" on all of it rewards the quotes; :func:`split_answer` separates them
using only the public answer fields (its text and its citations' text):

* everything from the safety heading on, and every ``> `` line, is quoted;
* any other sentence (citation markers removed, a leading label of up to
  four words such as "First check:" or "Past work order:" allowed) whose
  words of three or more occur word for word in a cited passage is quoted;
* the rest is the answer's own text.

>>> passages = ["Code: E-104 | Remedy: Replace the drive-end bearing (5.3)",
...             "1. Lock out and drain the pump.\\n2. Pull the bearing."]
>>> text = ("E-104 means the bearing is worn; renew it [1]. First check: Replace the drive-end bearing (5.3). [1]\\n"
...         "1. Lock out and drain the pump.\\n\\nSafety (quoted from the manual):\\n> Isolate the motor. [3]")
>>> own, quoted = split_answer(text, passages)
>>> own
'E-104 means the bearing is worn; renew it.'
>>> quoted.splitlines()[:2]
['First check: Replace the drive-end bearing (5.3).', 'Lock out and drain the pump.']
>>> quoted.splitlines()[-1]
'> Isolate the motor. [3]'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .safety import HEADING

_MARKER = re.compile(r"\s*\[(?:[AW]?\d+)\]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_STEP = re.compile(r"^\d{1,2}[.)]\s+")
_LABEL = re.compile(r"^(?:[\w\-/:.' ]{1,40}?:\s+)")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _copied(sentence: str, passages: Sequence[str]) -> bool:
    body = _norm(sentence).rstrip(".!?;: ")
    candidates = [body]
    m = _LABEL.match(body)
    if m and len(m.group(0).split()) <= 4:
        candidates.append(body[m.end():])
    return any(len(c.split()) >= 3 and any(c in p for p in passages) for c in candidates)


def split_answer(text: str, passages: Sequence[str]) -> tuple[str, str]:
    """(the answer's own sentences, the quoted ones), each joined by newlines."""
    body, _, tail = text.partition(f"{HEADING}:")
    norm_passages = [_norm(p) for p in passages]
    own: list[str] = []
    quoted: list[str] = []
    for line in body.splitlines():
        line = _STEP.sub("", _MARKER.sub("", line).strip())
        if not line:
            continue
        if line.startswith(">"):
            quoted.append(line)
            continue
        for sentence in (s.strip() for s in _SENTENCE.split(line)):
            if sentence:
                (quoted if _copied(sentence, norm_passages) else own).append(sentence)
    if tail:
        quoted.append(f"{HEADING}:{tail}")
    return "\n".join(own), "\n".join(quoted)
