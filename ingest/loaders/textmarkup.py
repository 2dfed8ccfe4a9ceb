"""Light markup in plain-text manuals: reStructuredText, AsciiDoc, rendered man pages.

Works on blank-line groups of lines (indentation kept) and recognises:

* headings: RST over/underlined titles (level by order of first use, as RST
  does), AsciiDoc / Markdown ``== Title`` / ``## Title``, a man page's
  indented sub-heading (a lone short line less indented than the body);
* definition items: a hanging indent (term line, body indented deeper; or
  ``0      success.`` whose continuation lines align with the body), an
  AsciiDoc ``Term:: body``, and a one-line ``Bit 0: ...`` in an indented
  list; each stays one block with its term;
* RST admonitions (``.. warning::`` and its indented body) as warnings;
  other directive and comment lines (``.. image::``, ``.. _label:``) are dropped.

>>> g = ["       dmc_save  [5, 0x5]", "              Download microcode, save, and ac\\u2010", "              tivate."]
>>> definition(g)
('dmc_save  [5, 0x5]', 'Download microcode, save, and activate.')
>>> definition(["       2      the DEVICE reports that it is not", "              ready."])
('2', 'the DEVICE reports that it is not ready.')
>>> RstHeadings().match(["Fault codes", "==========="])
('Fault codes', 1, 2)
>>> RstHeadings().match(["12. Arrays with the same", "    name. What gives?", "~" * 26])
('12. Arrays with the same name. What gives?', 1, 3)
"""

from __future__ import annotations

import re

from knowledge_base.vocabulary import split_term

from .paragraphs import join_lines

_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")
_ATX = re.compile(r"^(={1,6}|#{1,6})\s+(\S.*?)\s*(?:=+|#+)?\s*$")
_ADMONITION = re.compile(r"^\.\.\s+(warning|caution|danger|attention|important|note|tip|hint)::\s*(.*)$", re.I)
_DIRECTIVE = re.compile(r"^\.\.\s+(\S.*)?$")
_ADOC_TERM = re.compile(r"^\s*(\S[^:]{0,60}?)::\s*(.*)$")
_GAP = re.compile(r"^(\s*)(\S.*?)\s{2,}(\S.*)$")
SAFETY = ("warning", "caution", "danger", "attention")


def indent(line: str) -> int:
    return len(line) - len(line.lstrip())


class RstHeadings:
    """RST heading styles in order of first use: the first is level 1."""

    def __init__(self) -> None:
        self.styles: list[tuple[str, bool]] = []

    def match(self, group: list[str]) -> tuple[str, int, int] | None:
        """(title, level, lines used) when ``group`` opens with a heading."""
        over = len(group) >= 3 and _UNDERLINE.match(group[0]) and _UNDERLINE.match(group[2]) \
            and group[0].strip()[0] == group[2].strip()[0]
        if over:
            title, char, used = group[1].strip(), group[0].strip()[0], 3
        elif len(group) >= 2 and _UNDERLINE.match(group[1]) and group[0].strip() \
                and not _UNDERLINE.match(group[0]) and len(group[1].strip()) >= 0.6 * len(group[0].strip()) \
                and indent(group[0]) == 0:
            title, char, used = group[0].strip(), group[1].strip()[0], 2
        elif len(group) >= 3 and _UNDERLINE.match(group[2]) and not _UNDERLINE.match(group[0]) \
                and not _UNDERLINE.match(group[1]) and indent(group[0]) == 0 \
                and len(group[2].strip()) >= max(len(group[0].rstrip()), len(group[1].rstrip())):
            # a title wrapped onto two lines, underlined as long as the longer
            # ("12. mdadm -E / mkconf report different arrays with the same device
            #  name / minor number. What gives?" over a row of "~")
            title, char, used = " ".join((group[0].strip(), group[1].strip())), group[2].strip()[0], 3
        else:
            return None
        style = (char, bool(over))
        if style not in self.styles:
            self.styles.append(style)
        return title, self.styles.index(style) + 1, used


def atx_heading(line: str) -> tuple[str, int] | None:
    """``== Title`` (AsciiDoc; a lone ``=`` is the document title, level 1)
    or ``## Title`` in a text file."""
    m = _ATX.match(line)
    if not m or indent(line):
        return None
    return m.group(2), max(1, len(m.group(1)) - (1 if m.group(1)[0] == "=" else 0))


def definition(group: list[str]) -> tuple[str, str] | None:
    """(term, body) of a definition-list item, else None."""
    first = group[0]
    if m := _ADOC_TERM.match(first):
        if not m.group(1).startswith(".."):
            return m.group(1).strip(), join_lines([m.group(2), *group[1:]])
    if len(group) >= 2:
        body_indent = indent(group[1])
        if body_indent > indent(first) and all(indent(ln) >= body_indent for ln in group[2:]):
            gap = _GAP.match(first)
            if gap and len(gap.group(1)) + len(gap.group(2)) < body_indent <= len(first) \
                    and first[body_indent - 1] == " " and first[body_indent] != " ":
                return gap.group(2).strip(), join_lines([first[body_indent:], *group[1:]])
            if len(first.strip()) <= 60:
                return first.strip(), join_lines(group[1:])
    if len(group) == 1 and indent(first) and (t := split_term(first.strip())):
        return t
    return None


def admonition(line: str) -> tuple[str, str] | None:
    """(label, text on the directive line) of ``.. warning:: text``."""
    m = _ADMONITION.match(line.strip())
    return (m.group(1).upper(), m.group(2)) if m else None


def is_directive(line: str) -> bool:
    """An RST directive or comment line that is not an admonition."""
    return bool(_DIRECTIVE.match(line.strip())) and admonition(line) is None


def sub_heading(group: list[str], body_indent: int) -> bool:
    """A short line less indented than the body, alone or over deeper lines
    (a man page's ``   Exit status``)."""
    line = group[0]
    return ((len(group) == 1 or indent(group[1]) > indent(line)) and 0 < indent(line) < body_indent
            and len(line.strip()) <= 60
            and not line.rstrip().endswith((".", ",", ";", ":")) and line.strip()[0].isalpha())
