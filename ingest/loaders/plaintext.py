"""Plain-text manuals (.txt, .rst, .adoc): paragraphs split on blank lines.

A numbered line such as ``3.2 Cooling`` or a short ALL-CAPS line at the top of
a paragraph is a heading; ``1.`` lines are procedure steps; a leading line set
apart by a blank line is the title. reStructuredText, AsciiDoc and rendered
man-page structure (underlined headings, definition lists, admonitions,
indented sub-headings) is read by ``textmarkup``; a man page's title is its
NAME line ("sg_turs - send one or more SCSI TEST UNIT READY commands").
"""

from __future__ import annotations

import re
from pathlib import Path

from knowledge_base.types import MANUAL, ParsedDocument

from .boxtable import box_rows, is_box_table
from .options import LoadOptions
from .paragraphs import Para, emit_paras, join_lines
from .structure import BlockBuilder, is_warning, numbered_heading_level, step_number
from .textio import find_model, read_text
from knowledge_base.vocabulary import split_term

from .textmarkup import SAFETY, RstHeadings, admonition, atx_heading, definition, indent, is_directive, sub_heading

_MAN_HEADER = re.compile(r"^\s*([\w.+-]+)\((\w+)\)\s{2,}.*\S\s{2,}\1\(\2\)\s*$")


def load_text(path: Path, options: LoadOptions) -> ParsedDocument:
    text = read_text(path)
    lines = text.splitlines()
    groups = _blank_line_groups(lines)
    title = None
    if groups and _MAN_HEADER.match(groups[0][0]):
        groups.pop(0)
        title = _man_title(groups)
    elif len(groups) > 1 and _is_title(groups[0]):  # a file of one line is its text, not a title
        title = groups.pop(0)[0].strip()
    paras = markup_paras(faq_labels(groups))
    builder = BlockBuilder()
    emit_paras(builder, paras)
    return ParsedDocument(
        source=str(path), title=title or builder.first_heading or path.stem, doc_type=MANUAL,
        blocks=builder.blocks(), equipment_model=options.asset_model or find_model(lines),
    )


def _man_title(groups: list[list[str]]) -> str | None:
    """The line under a man page's NAME heading."""
    for i, g in enumerate(groups[:-1]):
        if g[0].strip() == "NAME":
            body = g[1:] or groups[i + 1]
            return " ".join(" ".join(body).split())[:160]
    return None


def markup_paras(groups: list[list[str]]) -> list[Para]:
    """Paragraphs of blank-line groups, with the markup ``textmarkup`` knows."""
    indents = [indent(ln) for g in groups for ln in g if indent(ln)]
    body = max(set(indents), key=indents.count) if indents else 0
    rst = RstHeadings()
    paras: list[Para] = []
    # Open man-page sub-sections: (indent of the line that opened it, level).
    # A sub-heading ("DeviceDisappeared" over its deeper body) closes at the
    # next item as far left; a definition item whose body holds a nested list
    # ("--detail" ... "the exit status will be:" then "0", "1", "4") is the
    # heading of the nested items, so "1  The array has at least one failed
    # device" carries "--detail" in its header.
    nest: list[tuple[int, int]] = []
    last_def: tuple[int, str] | None = None
    i = 0
    while i < len(groups):
        group = [ln for ln in groups[i] if not is_directive(ln)]
        i += 1
        if not group:
            continue
        at = indent(group[0])
        while nest and at <= nest[-1][0]:
            paras.append(Para([], None, nest.pop()[1]))
        if head := rst.match(group):
            nest, last_def = [], None
            paras.append(Para([head[0]], None, head[1]))
            group = group[head[2]:]
        elif head := atx_heading(group[0]):
            paras.append(Para([head[0]], None, head[1]))
            group = group[1:]
        elif body and sub_heading(group, body):
            paras.append(Para([group[0].strip()], None, 2))
            nest, last_def = [(at, 2)], None
            group = group[1:]
        if (len(group) > 2 and at == 0 and heading_level(group[0]) == 1 and 0 < indent(group[1]) < indent(group[2])
                and definition(group[1:]) is not None):
            # a man page's "ERRORS" / "OPTIONS" with its first item ("EINVAL" over its meaning) in one group
            nest, last_def = [], None
            paras.append(Para([group[0].strip()], None, 1))
            group = group[1:]
            at = indent(group[0])
        if not group:
            continue
        if is_box_table(group):  # a drawn table: one row each, with its header
            if last_def is not None and at > last_def[0] and (not nest or last_def[0] > nest[-1][0]):
                # the values of the option above it ("--ses=<ses>" then its table): under its term
                level = 9 + len(nest)
                paras.append(Para([last_def[1]], None, level))
                nest.append((last_def[0], level))
            headers, rows = box_rows(group)
            paras.extend(Para([" ".join(r)], None, None, None, (tuple(headers), tuple(r))) for r in rows)
            continue
        if adm := admonition(group[0]):
            text = [adm[1], *group[1:]]
            while i < len(groups) and indent(groups[i][0]) > indent(group[0]):  # the indented body
                text += groups[i]
                i += 1
            label = adm[0] if adm[0].lower() in SAFETY else adm[0].title()
            paras.append(Para([f"{label}: " + join_lines(text)]))
            continue
        if _BULLET.match(group[0]):
            paras.extend(_bullets(group))
            continue
        if (item := definition(group)) is not None and (heading_level(group[0]) is None
                                                        or re.search(r"[_\d.]", group[0]) or _man_item(group)):
            if last_def is not None and at > last_def[0] and (not nest or last_def[0] > nest[-1][0]):
                level = 9 + len(nest)
                paras.append(Para([last_def[1]], None, level))
                nest.append((last_def[0], level))
            paras.append(Para(group, None, None, item))
            last_def = (at, item[0])
            continue
        if last_def is not None and at <= last_def[0]:
            last_def = None
        if len(group) >= 3 and all(_VALUE_LINE.match(ln) for ln in group):
            # "5  Errors" / "10 Function trace" / ...: a table of values, one item a line, not headings
            paras.extend(Para([ln], None, None, (m.group(1), m.group(2).strip()))
                         for ln in group if (m := _VALUE_LINE.match(ln)))
            continue
        paras.extend(split_paragraph(group))
    return paras


_BULLET = re.compile(r"^\s*[-*+\u2022]\s+")


def _man_item(group: list[str]) -> bool:
    """An indented one-word capital term over a deeper body ("EINVAL" /
    "An invalid IP address was given."): a man page's error item, not a heading."""
    return (len(group) >= 2 and indent(group[0]) > 0 and len(group[0].split()) == 1
            and indent(group[1]) > indent(group[0]) and definition(group) is not None)
_VALUE_LINE = re.compile(r"^\s*(\d{1,5})\s+(\S.{0,60})$")


def _bullets(group: list[str]) -> list[Para]:
    """A bulleted list: an item with a code-shaped term ("* 41 - supply under
    voltage") is a definition, a bulleted WARNING a warning, others text."""
    items: list[list[str]] = []
    for line in group:
        if _BULLET.match(line) or not items:
            items.append([_BULLET.sub("", line)])
        else:
            items[-1].append(line)
    out = []
    for lines in items:
        text = join_lines(lines)
        term = split_term(text)
        out.append(Para([text], None, None, term) if term and not is_warning(text) else Para([f"- {text}" if not is_warning(text) else text]))
    return out


_LABEL = re.compile(r"^\s*(symptom|problem|issue|question|solution|cause|reason|remedy|workaround|fix|answer|"
                    r"resolution)s?\s*:\s*(.*)$", re.I)
_RULE = re.compile(r"^\s*([-=~*^])\1{2,}(?:\s+(\S.*))?$")  # a wrapped title may go on after the rule
_TOPIC_LABELS = ("symptom", "problem", "issue", "question")


def faq_labels(groups: list[list[str]]) -> list[list[str]]:
    """A troubleshooting FAQ's underlined labels read as the FAQ means them.

    ``SYMPTOM: "no SANE devices found"`` over a short rule is the entry's
    heading (its rule is shorter than the title, so it was read as text and
    the symptom ran into the previous answer); a bare ``PROBLEM:`` or
    ``SOLUTION:`` over a rule is the label of the paragraph below it, not a
    heading (as headings, every entry's problem and solution sat under
    "PROBLEM:" / "SOLUTION:" with no symptom in their section path).

    >>> faq_labels([["SYMPTOM: no devices found", "--------", "While testing"], ["PROBLEM:", "-----"],
    ...             ["The frontend cannot find", "a device"]])
    [['SYMPTOM: no devices found', '`````````````````````````', 'While testing'], ['PROBLEM: The frontend cannot find', 'a device']]
    """
    split: list[list[str]] = []
    for g in groups:  # a labelled rule inside a paragraph (no blank line before it) opens a new group
        start = 0
        for j in range(1, len(g) - 1):
            if _LABEL.match(g[j]) and _RULE.match(g[j + 1]):
                split.append(g[start:j])
                start = j
        split.append(g[start:])
    groups = split
    out: list[list[str]] = []
    i = 0
    while i < len(groups):
        g = groups[i]
        i += 1
        m = _LABEL.match(g[0]) if len(g) >= 2 and _RULE.match(g[1]) else None
        if m is None:
            out.append(g)
            continue
        label, rest = m.group(1), m.group(2).strip()
        if (more := _RULE.match(g[1]).group(2)) and rest:
            g = [f"{g[0].rstrip()} {more.strip()}", g[1], *g[2:]]
        if rest and label.lower() in _TOPIC_LABELS:
            # the entry's title, underlined as long as itself in a style of its own (a rarely used
            # character), so that it nests under the FAQ's part headings instead of replacing them
            out.append([g[0].rstrip(), "`" * len(g[0].strip()), *g[2:]])
            continue
        body = g[2:]
        if not body and i < len(groups):
            body = groups[i]
            i += 1
        body = [rest, *body] if rest else body
        if body:
            out.append([f"{label.upper()}: {body[0].strip()}", *body[1:]])
    return out


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
