"""The gold question format and what counts as a relevant hit.

One JSON object per line (see knowledge_base/samples/gold/README.md):
``{"id", "question", "category", "expected": [{"source", "page", "anchor"}],
"expected_codes", "answer_contains", "asset"}``. A hit is relevant to an
expected entry when its file name equals ``source`` (or its path ends with it), for paged sources its
page equals ``page``, and the ``anchor`` phrase occurs in the hit's text or
its section heading (case-insensitive, punctuation and spacing folded); for unpaged
sources (work-order logs) the anchor is the WO id. This is the rule the gold
README documents; an entry without an anchor is matched on file and page.

>>> c = Chunk("c1", "Replace the bearing. 1. Lock out", "/kb/pump.pdf", page=6,
...           section=("5 Repairs", "5.3 Bearing  replacement"))
>>> is_relevant(c, Expected("pump.pdf", 6, "bearing replacement"))   # in the heading
True
>>> is_relevant(c, Expected("pump.pdf", 6, "replace the BEARING."))   # in the text
True
>>> is_relevant(c, Expected("pump.pdf", 6, "torque the bolts"))      # right page, wrong passage
False
>>> is_relevant(c, Expected("pump.pdf", 7, "replace the bearing"))
False

The blind real-documentation sets (``benchmarks/real_docs/``) use another
line format, read by the same :func:`load_gold`: ``{"id", "set", "kind",
"question", "source", "page", "anchor", "key_fact", "model"}`` with ``kind``
one of code, symptom, procedure, unknown_code, out_of_scope. The last two
have no expected passage (the right answer is to abstain); ``key_fact`` is
the phrase a correct answer contains.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from knowledge_base.errors import ConfigError
from knowledge_base.types import Chunk

T = TypeVar("T")


@dataclass(frozen=True)
class Expected:
    source: str
    page: int | None
    anchor: str = ""


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    category: str
    expected: tuple[Expected, ...]
    expected_codes: tuple[str, ...] = ()
    answer_contains: tuple[str, ...] = ()
    asset: str | None = None
    set: str = ""  # the documentation set of a real-docs question
    model: str | None = None  # the model / variant the question names

    @property
    def in_scope(self) -> bool:
        return bool(self.expected)


def read_jsonl(path: str | Path, what: str, parse: Callable[[dict], T]) -> list[T]:
    """Each non-blank line of a JSONL file, parsed by ``parse``; ConfigError
    names the file and the line of a bad entry (``what``: "gold entry", ...)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what} file: {exc.strerror or exc}") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(parse(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{path}:{n}: bad {what}: {exc}") from exc
    return out


def _question(d: dict) -> GoldQuestion:
    return GoldQuestion(
        d["id"], d["question"], d.get("category", "uncategorised"),
        tuple(Expected(e["source"], e.get("page"), e.get("anchor", "")) for e in d.get("expected", [])),
        tuple(d.get("expected_codes", [])), tuple(d.get("answer_contains", [])), d.get("asset"))


REAL_DOC_ABSTAIN = ("unknown_code", "out_of_scope")


def _real_doc_question(d: dict) -> GoldQuestion:
    """A line of the blind real-documentation format (see the module docstring)."""
    kind = d["kind"]
    expected = () if kind in REAL_DOC_ABSTAIN else (Expected(d["source"], d.get("page"), d["anchor"]),)
    facts = (d["key_fact"],) if d.get("key_fact") and kind not in REAL_DOC_ABSTAIN else ()
    return GoldQuestion(d["id"], d["question"], kind, expected, (), facts, None, d.get("set", ""),
                        d.get("model"))


def _any_format(d: dict) -> GoldQuestion:
    return _real_doc_question(d) if "kind" in d and "key_fact" in d else _question(d)


def load_gold(path: str | Path) -> list[GoldQuestion]:
    """Read a gold JSONL file; ConfigError names the line of a bad entry."""
    return read_jsonl(path, "gold entry", _any_format)


def fold(text: str) -> str:
    """Lower case, every run of non-word characters one space: how anchors and
    key facts are compared with extracted text.

    >>> fold("Sent when the UPS goes on-battery,\\n  repeated")
    ' sent when the ups goes on battery repeated '
    """
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def same_source(source: str, expected: str) -> bool:
    """``expected`` is a file name or a path relative to the set's folder."""
    return Path(source).as_posix().endswith("/" + expected.lstrip("/")) or Path(source).name == expected


def is_relevant(chunk: Chunk, expected: Expected) -> bool:
    """Same file, same page (paged sources), and the anchor phrase in the
    chunk's section path and text read as one ("reset-intrusion This OEM
    command ..." when the heading ``reset-intrusion`` is the section and the
    sentence its body: a page or section unit of a baseline holds its heading
    line the same way)."""
    if not same_source(chunk.source, expected.source):
        return False
    if expected.page is not None and chunk.page != expected.page:
        return False
    if not expected.anchor:
        return True
    return fold(expected.anchor) in fold(" ".join(chunk.section) + " " + chunk.text)


def relevant_any(chunk: Chunk, q: GoldQuestion) -> bool:
    return any(is_relevant(chunk, e) for e in q.expected)
