"""Markdown manuals (.md, .markdown), parsed by markdown-it-py (CommonMark + tables).

ATX and setext headings give the section path (a leading ``# Title`` is the document
title), ordered lists are procedures, pipe tables give one row per block, a bulleted
WARNING is a warning and bullets that start with a code ("* 41 - supply under
voltage") are definition items, blockquotes are paragraphs, fenced code is
kept verbatim as text. The parser follows CommonMark, so setext headings,
loose and nested lists and indented code are read as a Markdown renderer would.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from knowledge_base.types import MANUAL, ParsedDocument

from .options import LoadOptions
from .structure import BlockBuilder
from .textio import find_model, read_text

# Link text and target cannot contain another bracket, so each character is scanned
# from one '[' or '(' only (no quadratic backtracking on long runs).
_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")


def inline(text: str) -> str:
    """Drop inline markup that only gets in the way of search.

    >>> inline("**WARNING:** see [the table](#t) and `P-101`")
    'WARNING: see the table and P-101'
    """
    text = _LINK.sub(r"\1", text)
    return re.sub(r"\*\*|__|`", "", text).strip()


def load_markdown(path: Path, options: LoadOptions) -> ParsedDocument:
    text = read_text(path)
    reader = _TokenReader(_PARSER.parse(text))
    reader.run()
    return ParsedDocument(
        source=str(path), title=reader.title or reader.builder.first_heading or path.stem, doc_type=MANUAL,
        blocks=reader.builder.blocks(), equipment_model=options.asset_model or find_model(text.splitlines()),
    )


def split_row(line: str) -> list[str]:
    """Cells of a pipe-table line.

    >>> split_row("| E-104 | Motor hot | Fan |")
    ['E-104', 'Motor hot', 'Fan']
    """
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [inline(c.replace("\\|", "|")) for c in re.split(r"(?<!\\)\|", line)]


def _inline_text(token) -> str:
    """The plain text of an inline token: emphasis, code marks and link
    targets dropped, line breaks as spaces; inline HTML kept as the literal
    text the author wrote (it is shown as text, never rendered)."""
    out = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(child.content)
    return " ".join("".join(out).split())


class _TokenReader:
    """Walks markdown-it-py's token stream once, feeding a BlockBuilder."""

    def __init__(self, tokens) -> None:
        self.tokens, self.i = tokens, 0
        self.builder = BlockBuilder()
        self.title: str | None = None

    def run(self) -> None:
        while self.i < len(self.tokens):
            t = self.tokens[self.i]
            kind = t.type
            if kind == "heading_open":
                self._heading(int(t.tag[1:]), _inline_text(self.tokens[self.i + 1]))
                self.i += 3
            elif kind == "paragraph_open":
                self.builder.paragraph(_inline_text(self.tokens[self.i + 1]))
                self.i += 3
            elif kind in ("fence", "code_block"):
                self.builder.text(t.content)
                self.i += 1
            elif kind == "html_block":
                self.builder.paragraph(" ".join(re.sub(r"<[^>]*>", " ", t.content).split()))
                self.i += 1
            elif kind == "table_open":
                self._table()
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self._list(kind == "ordered_list_open", int(t.attrGet("start") or 1))
            else:  # blockquote and other containers: their paragraphs are read as they come
                self.i += 1

    def _heading(self, level: int, text: str) -> None:
        # The first top-level heading, before any content, names the document.
        if self.title is None and level == 1 and self.builder.first_heading is None \
                and not self.builder.blocks():
            self.title = text
        else:
            self.builder.heading(text, level)

    def _close(self, open_type: str) -> int:
        """Index of the token closing the one at ``self.i``."""
        close, depth = open_type.replace("_open", "_close"), 0
        for j in range(self.i, len(self.tokens)):
            if self.tokens[j].type == open_type:
                depth += 1
            elif self.tokens[j].type == close:
                depth -= 1
                if depth == 0:
                    return j
        return len(self.tokens) - 1

    def _table(self) -> None:
        end = self._close("table_open")
        headers: list[str] = []
        row: list[str] = []
        in_head = False
        for t in self.tokens[self.i:end]:
            if t.type == "thead_open":
                in_head = True
            elif t.type == "thead_close":
                in_head = False
            elif t.type == "tr_open":
                row = []
            elif t.type == "inline":
                row.append(_inline_text(t))
            elif t.type == "tr_close":
                if in_head:
                    headers = row
                else:
                    self.builder.table_row(headers, row)
        self.i = end + 1

    def _list(self, ordered: bool, start: int) -> None:
        end = self._close(self.tokens[self.i].type)
        items: list[list[str]] = []
        depth = 0
        for t in self.tokens[self.i + 1:end]:
            if t.type == "list_item_open":
                depth += 1
                if depth == 1:
                    items.append([])
            elif t.type == "list_item_close":
                depth -= 1
            elif t.type in ("inline", "fence", "code_block") and items:
                items[-1].append(_inline_text(t) if t.type == "inline" else t.content.strip())
        texts = [" ".join(x for x in parts if x) for parts in items]
        if ordered:
            self.builder.procedure([f"{n}. {x}" for n, x in enumerate(texts, start)])
        else:  # a bulleted WARNING, or "CODE: meaning" items, are kept apart
            self.builder.items(texts)
        self.i = end + 1
