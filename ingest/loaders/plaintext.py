"""Plain-text manuals (.txt): paragraphs split on blank lines.

A numbered line such as ``3.2 Cooling`` or a short ALL-CAPS line at the top of
a paragraph is a heading; ``1.`` lines are procedure steps; a leading line set
apart by a blank line is the title.
"""

from __future__ import annotations

import re
from pathlib import Path

from knowledge_base.types import MANUAL, ParsedDocument

from .options import LoadOptions
from .paragraphs import Para, emit_paras
from .structure import BlockBuilder, is_warning, numbered_heading_level, step_number
from .textio import find_model, read_text


def load_text(path: Path, options: LoadOptions) -> ParsedDocument:
    text = read_text(path)
    lines = text.splitlines()
    groups = _blank_line_groups(lines)
    title = None
    if len(groups) > 1 and _is_title(groups[0]):  # a file of one line is its text, not a title
        title = groups.pop(0)[0].strip()
    paras = [p for group in groups for p in split_paragraph(group)]
    builder = BlockBuilder()
    emit_paras(builder, paras)
    return ParsedDocument(
        source=str(path), title=title or builder.first_heading or path.stem, doc_type=MANUAL,
        blocks=builder.blocks(), equipment_model=options.asset_model or find_model(lines),
    )


def _blank_line_groups(lines: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            groups[-1].append(line.rstrip())
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def _is_title(group: list[str]) -> bool:
    """A lone short first line that is not a heading, step, warning or model line."""
    line = group[0].strip()
    return (len(group) == 1 and len(line) <= 100 and not line.endswith((".", ":"))
            and heading_level(line) is None and step_number(line) is None and not is_warning(line)
            and not re.match(r"(?i)\W*model\b", line))


def heading_level(line: str) -> int | None:
    """Level of a heading line: numbered (``3.2 Cooling`` -> 2) or ALL CAPS (1).

    >>> heading_level("TROUBLESHOOTING"), heading_level("3.2 Cooling"), heading_level("WARNING")
    (1, 2, None)
    """
    line = line.strip()
    level = numbered_heading_level(line)
    if level is not None:
        return level
    letters = [c for c in line if c.isalpha()]
    if (len(letters) >= 3 and line.isupper() and len(line) <= 60 and not line.endswith((".", ":", "!"))
            and not is_warning(line)):
        return 1
    return None


def split_paragraph(group: list[str], page: int | None = None) -> list[Para]:
    """Cut one blank-line group at a leading heading, at step lines and at warnings."""
    paras: list[Para] = []
    level = heading_level(group[0])
    if level is not None:
        paras.append(Para([group[0]], page, level))
        group = group[1:]
    for line in group:
        starts_new = step_number(line) is not None or is_warning(line)
        if not paras or paras[-1].heading_level is not None or starts_new:
            paras.append(Para([line], page))
        else:
            paras[-1].lines.append(line)
    return paras
