"""Tables drawn with box-drawing characters, as man pages render them.

``man`` (groff with a UTF-8 device) draws a tbl table as::

    ┌────┬──────────────────┐
    │Bit │ Description      │
    ├────┼──────────────────┤
    │3   │ PRACT: Protection│
    │    │ Information.     │
    ├────┼──────────────────┤
    │2:0 │ PRCHK: checks.   │
    └────┴──────────────────┘

Read line by line, the cells of a row are cut across several lines and the
header is far from its values. Here the rule lines split the rows, each
column's lines of a row are joined, and the first row is the header when a
rule separates it from the others (as the HTML and Markdown tables are read:
each row one unit that carries its header).
"""

from __future__ import annotations

from collections.abc import Sequence

from .paragraphs import join_lines

_RULE_CHARS = set("┌┬┐├┼┤└┴┘─━═╞╪╡╒╤╕╘╧╛╔╦╗╠╬╣╚╩╝+-=| \t")
_BAR = ("│", "┃", "║")


def _is_rule(line: str) -> bool:
    s = line.strip()
    return bool(s) and set(s) <= _RULE_CHARS and any(c in s for c in "─━═")


def _cells(line: str) -> list[str]:
    s = line.strip()
    for bar in _BAR[1:]:
        s = s.replace(bar, _BAR[0])
    parts = s.split(_BAR[0])
    if parts and not parts[0].strip():
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return parts


def is_box_table(group: Sequence[str]) -> bool:
    """Whether a blank-line group is a drawn table: it opens with a rule
    line and most of its other lines are cut by vertical bars."""
    if len(group) < 3 or not _is_rule(group[0]):
        return False
    body = [ln for ln in group[1:] if not _is_rule(ln)]
    return bool(body) and sum(1 for ln in body if any(b in ln for b in _BAR)) >= 0.8 * len(body)


def box_rows(group: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of a drawn table, each cell's wrapped lines joined.
    Without a rule under the first row there is no header ([]).

    >>> box_rows(["┌──┬────┐", "│A │ B  │", "├──┼────┤", "│1 │ one│", "│  │ more│", "├──┼────┤",
    ...           "│2 │ two│", "└──┴────┘"])
    (['A', 'B'], [['1', 'one more'], ['2', 'two']])
    """
    rows: list[list[list[str]]] = [[]]
    for line in group:
        if _is_rule(line):
            if rows[-1]:
                rows.append([])
            continue
        cells = _cells(line)
        row = rows[-1]
        while len(row) < len(cells):
            row.append([])
        for i, cell in enumerate(cells):
            row[i].append(cell)
    joined = [[join_lines(col) for col in r] for r in rows if r]
    if len(joined) > 1:
        return joined[0], joined[1:]
    return [], joined
