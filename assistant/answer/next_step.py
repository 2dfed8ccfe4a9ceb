"""The next check, not the same answer again.

A follow-up that moves on ("and what if that doesn't help?", "oil level is
fine and the cooler core is clean, what next?") is answered with what comes
after what the engineer already has:

* :func:`reported_steps`: the numbered checks of a diagnosis section that the
  question reports done ("oil level is between the marks" is step 2 of
  "5.1 Diagnosing compressor overheating"): a clause of the question shares at
  least two content words with the step and covers half of its own words.
* :func:`continue_after`: a diagnosis section among the chosen chunks starts
  at the check after the last one reported done; its heading says so
  ("5.1 Diagnosing compressor overheating, continued from step 4 (you
  reported steps 2, 3 done)"), so no step is dropped silently. The source card still opens
  the section's page.
* :func:`given_before`: what the previous turn gave and the follow-up skips:
  its procedures, its explanation passages, and a diagnosis section given
  whole when the question reports none of its checks (the engineer has every
  check: the fault-table rows of the codes it names, with their other causes
  and the next remedy, come instead).

>>> steps = ["1. Read the alarm log.", "2. Check the oil level in the sight glass; it must be between the two marks.",
...          "3. Inspect the oil cooler fins. If you cannot see light through the core, clean the cooler (5.2).",
...          "4. Check that the cooling fan runs."]
>>> reported_steps("Oil level is between the marks and I can see light through the cooler core. What's next?", steps)
[2, 3]
>>> reported_steps("and what if that doesn't help?", steps)
[]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from knowledge_base.types import PROCEDURE, TEXT, Chunk

from .extractive import procedure_steps
from .focus import is_diagnosis, section_key
from .words import word_set

_CLAUSES = re.compile(r"[.;,!?]|\band\b|\bbut\b", re.I)
# Words, beyond the common ones, that say nothing about which check was done.
_STOP = frozenset("it's check checked next fine okay good done much".split())


def _words(text: str) -> set[str]:
    return word_set(text, _STOP)


_NEXT = re.compile(r"\b(next|what else|else|didn'?t help|doesn'?t help|did not help|does not help|"
                   r"still|what now|then what)\b", re.I)


def asks_next(question: str) -> bool:
    """The question asks for what comes after ("what next?", "still
    overheating", "and if that doesn't help?"), not about a reading it reports
    ("the strainer reads 0.3 bar, what do I do with that?")."""
    return bool(_NEXT.search(question))


def reported_steps(question: str, steps: Sequence[str]) -> list[int]:
    """The numbers (1-based) of ``steps`` that a clause of ``question`` reports done."""
    clauses = [w for w in (_words(c) for c in _CLAUSES.split(question)) if len(w) >= 2]
    done = []
    for n, step in enumerate(steps, 1):
        body = _words(step)
        if any(len(c & body) >= 2 and len(c & body) * 2 >= len(c) for c in clauses):
            done.append(n)
    return done


def _section_steps(chunks: Sequence[Chunk]) -> list[str]:
    return [st for c in chunks for st in procedure_steps(c.text)]


def continue_after(chunks: Sequence[Chunk], question: str) -> list[Chunk]:
    """``chunks`` with each diagnosis section cut to the checks after the last
    one ``question`` reports done (unchanged when it reports none or does not
    ask what comes next: :func:`asks_next`)."""
    if not asks_next(question):
        return list(chunks)
    out: list[Chunk] = []
    groups: dict[tuple, list[Chunk]] = {}
    for c in chunks:
        if c.kind == PROCEDURE and is_diagnosis(c):
            groups.setdefault(section_key(c), []).append(c)
    for c in chunks:
        group = groups.get(section_key(c)) if c.kind == PROCEDURE and is_diagnosis(c) else None
        done = reported_steps(question, _section_steps(group)) if group else []
        if not done:
            out.append(c)
            continue
        last = max(done)
        keep = [st for st in procedure_steps(c.text) if int(re.match(r"\s*(\d+)", st).group(1)) > last]
        if not keep:
            continue  # every check of this chunk is done
        said = ", ".join(map(str, done))
        title = f"{c.section[-1]}, continued from step {last + 1} (you reported step{'s' * (len(done) > 1)} {said} done)"
        out.append(replace(c, text="\n".join(keep), section=(*c.section[:-1], title)))
    return out or list(chunks)


def given_before(previous: Sequence[Chunk], question: str, index) -> tuple[frozenset, tuple[str, ...]]:
    """(the section keys a moving-on follow-up skips, the fault codes it is
    then retrieved with). Skipped: the previous turn's procedures and
    explanation passages, and its diagnosis sections unless ``question``
    reports some of their checks (then they continue after them). A
    diagnosis given whole names the codes whose fault-table rows (their other
    causes and remedies) come next."""
    from .focus import procedure_group

    keys, codes = set(), []
    for c in previous:
        if is_diagnosis(c) and not asks_next(question):
            continue  # a question about one reading of it: the section stays whole
        if c.kind == TEXT:
            keys.add(section_key(c))
        elif c.kind == PROCEDURE:
            if is_diagnosis(c):
                if reported_steps(question, _section_steps(procedure_group(index, c))):
                    continue
                codes += [code for x in index.section_chunks(c.source, c.section) for code in x.fault_codes]
            keys.add(section_key(c))
    return frozenset(keys), tuple(dict.fromkeys(codes))
