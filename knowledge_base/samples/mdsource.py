"""Parser for the small Markdown dialect used by the sample manual sources.

The sources in ``samples/src`` use only: a ``#`` title, numbered ``##`` /
``###`` headings, paragraphs, numbered steps (``1. ...``), bullets
(``- ...``), WARNING/CAUTION/DANGER paragraphs and pipe tables. This module
turns a source into a flat list of :class:`Element` for the PDF renderer and
the fault-log generator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

WARNING_PREFIXES = ("WARNING:", "CAUTION:", "DANGER:")
_STEP = re.compile(r"^(\d+)\.\s+(.*)$")
_MODEL = re.compile(r"^Model:\s*(\S+)", re.MULTILINE)


@dataclass(frozen=True)
class Element:
    """One rendered unit. ``kind`` is title, h2, h3, para, step, bullet,
    warning or table; ``rows`` is set for tables (header row first)."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def _split_row(line: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in line.strip().strip("|").split("|"))


def _is_rule(line: str) -> bool:
    return bool(re.fullmatch(r"\|?[\s:\-|]+\|?", line.strip())) and "-" in line


def _table(lines: list[str]) -> Element:
    rows = [_split_row(x) for x in lines if not _is_rule(x)]
    return Element("table", rows=tuple(rows))


def _line_element(line: str) -> Element | None:
    """The element for a single-line construct, or None for paragraph text."""
    if line.startswith("### "):
        return Element("h3", line[4:].strip())
    if line.startswith("## "):
        return Element("h2", line[3:].strip())
    if line.startswith("# "):
        return Element("title", line[2:].strip())
    m = _STEP.match(line)
    if m:
        return Element("step", f"{m.group(1)}. {m.group(2).strip()}")
    if line.startswith("- "):
        return Element("bullet", line[2:].strip())
    return None


def parse(text: str) -> list[Element]:
    """Elements of a Markdown source, in document order."""
    out: list[Element] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
        elif line.lstrip().startswith("|"):
            j = i
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                j += 1
            out.append(_table(lines[i:j]))
            i = j
        elif (el := _line_element(line)) is not None:
            out.append(el)
            i += 1
        else:
            j = i
            while j < len(lines) and lines[j].strip() and _line_element(lines[j]) is None \
                    and not lines[j].lstrip().startswith("|"):
                j += 1
            para = " ".join(x.strip() for x in lines[i:j])
            kind = "warning" if para.startswith(WARNING_PREFIXES) else "para"
            out.append(Element(kind, para))
            i = j
    return out


def model_of(text: str) -> str:
    """The model id from the ``Model: XX-000`` line of a source."""
    m = _MODEL.search(text)
    if not m:
        raise ValueError("source has no 'Model:' line")
    return m.group(1)


def title_of(elements: list[Element]) -> str:
    """The document title (the ``#`` line)."""
    return next(e.text for e in elements if e.kind == "title")


def tables_with_header(elements: list[Element], first_header: str) -> list[tuple[str, ...]]:
    """Body rows of every table whose first header cell is ``first_header``."""
    rows: list[tuple[str, ...]] = []
    for el in elements:
        if el.kind == "table" and el.rows and el.rows[0][0] == first_header:
            rows.extend(el.rows[1:])
    return rows


def fault_rows(elements: list[Element]) -> list[tuple[str, ...]]:
    """Rows (Code, Description, Possible cause, Remedy) of the fault tables."""
    return tables_with_header(elements, "Code")


def load(path: Path) -> tuple[str, list[Element]]:
    """(model id, elements) of one source file."""
    text = path.read_text(encoding="utf-8")
    return model_of(text), parse(text)
