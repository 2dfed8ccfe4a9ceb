"""Cut a ParsedDocument into structure-aware chunks.

Rules, in order of precedence:

* a numbered procedure, a WARNING / CAUTION / DANGER block and a table row
  each become one chunk, whole (split only past ``max_chars``, on line
  boundaries);
* consecutive text paragraphs of the same page and section are merged up to
  ``target_chars``; a longer paragraph is split with LangChain's recursive
  splitter;
* a problem and the answer that follows it ("Problem: ..." / "Solution:
  ...", a definition list's "Problem" / "Workaround" items) are one chunk,
  whole like a procedure: split, the question matched the problem's chunk
  and the answer sat in the next one (real manuals' troubleshooting FAQs);
* short definition items of one list (a man page's exit statuses, return
  values, option values: "6  ISCSI_ERR_IDBM - error accessing ...") are
  grouped, each item whole, with the short sentence that introduces them
  when it ends in a colon, up to ``group_chars``: one 50-character item
  alone embeds and scores poorly, and the text around a code (the item
  before and after it, "Valid values are: 5 Errors 10 Function trace") is
  how the reader finds it; a longer item stays a chunk of its own;
* chunks never cross a page or a section, so a citation's page is exact;
* each work-order record is one chunk of its own.

Every chunk records its fault codes (normalised), found in its text and in
the innermost heading above it ("6.2 High bearing vibration (E-104)").

An FMEA table gives no chunks: its rows are signal patterns the alert
analyst reads from the FMEA files (``assistant.alerts.fmea``), not passages that
answer a question. Indexed, they were cited as past work orders and, as
table rows naming codes they do not define, they outranked the manual's
passages (dev gold hybrid recall@5 0.967 -> 0.956 when they were indexed
as table rows).

Chunk ids are derived from the source, position and text, so an unchanged
chunk keeps its id across runs (and its vector is never recomputed).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from knowledge_base.codes import CodeMatcher, normalize_code
from knowledge_base.types import (DEFINITION, FAULT_LOG, FMEA, TABLE_ROW, TEXT, WHOLE_KINDS, WORK_ORDER, Block,
                                  Chunk, ParsedDocument, WorkOrder)
from knowledge_base.vocabulary import heading_codes, line_codes, term_codes


@dataclass(frozen=True)
class Chunked:
    """The chunks of one document, and its work orders paired with their chunk ids."""

    chunks: tuple[Chunk, ...]
    work_orders: tuple[tuple[WorkOrder, str], ...] = ()


class Chunker:
    """Turns parsed documents into chunks; constructor arguments are the knobs.

    >>> from knowledge_base.types import Block, ParsedDocument, PROCEDURE
    >>> doc = ParsedDocument("m.pdf", "Pump manual", blocks=(
    ...     Block("1. Close valve.\\n2. Replace seal.", PROCEDURE, 4, ("5 Repair", "5.1 Seal (E-107)")),))
    >>> [(c.kind, c.page, c.fault_codes) for c in Chunker().chunk(doc, "m.pdf").chunks]
    [('procedure', 4, ('E107',))]
    """

    def __init__(self, matcher: CodeMatcher | None = None, target_chars: int = 900,
                 max_chars: int = 1800, group_chars: int = 400) -> None:
        self.matcher = matcher or CodeMatcher()
        self.target_chars = target_chars
        self.max_chars = max_chars
        self.group_chars = group_chars
        self._splitters = None  # built on first use: importing LangChain costs ~0.2 s

    def _split(self, text: str, whole: bool) -> list[str]:
        if self._splitters is None:
            from langchain_text_splitters import RecursiveCharacterTextSplitter

            self._splitters = (
                RecursiveCharacterTextSplitter(chunk_size=self.target_chars, chunk_overlap=80),
                RecursiveCharacterTextSplitter(chunk_size=self.max_chars, chunk_overlap=0,
                                               separators=["\n\n", "\n", ". ", " ", ""]))
        return self._splitters[1 if whole else 0].split_text(text)

    def chunk(self, doc: ParsedDocument, source: str, equipment_model: str | None = None) -> Chunked:
        """Chunks of ``doc``; ``source`` is the catalog key (absolute path)."""
        model = equipment_model or doc.equipment_model or model_from_title(doc.title)
        if doc.doc_type == FAULT_LOG or doc.records:
            return self._records(doc, source, model)
        if doc.doc_type == FMEA:
            return Chunked(())
        seen: dict[str, int] = {}
        chunks = []
        for ordinal, (text, proto) in enumerate(self._pieces(doc.blocks)):
            codes = self._codes(text, proto.section, proto.kind)
            cid = _chunk_id(source, proto.kind, proto.page, proto.section, text, seen)
            chunks.append(Chunk(id=cid, text=text, source=source, ordinal=ordinal, page=proto.page,
                                section=proto.section, title=doc.title, equipment_model=model,
                                fault_codes=codes, doc_type=doc.doc_type, kind=proto.kind))
        return Chunked(tuple(chunks))

    def _pieces(self, blocks: Sequence[Block]) -> Iterator[tuple[str, Block]]:
        """(text, the block whose page/section/kind it carries), in order."""
        buf: list[str] = []
        head: Block | None = None
        blocks = [b for b in blocks if b.text.strip()]
        skip = 0
        for i, b in enumerate(blocks):
            if skip:
                skip -= 1
                continue
            text = b.text.strip()
            if i + 1 < len(blocks) and is_problem_answer(b, blocks[i + 1]):
                if buf:
                    yield from self._emit("\n\n".join(buf), head)
                buf, head = [], None
                pair = [text, blocks[i + 1].text.strip()]
                for more in blocks[i + 2:]:  # the answer's further paragraphs
                    if (more.kind != TEXT or (more.page, more.section) != (b.page, b.section)
                            or _PROBLEM.match(more.text.strip())
                            or sum(map(len, pair)) + len(more.text) > self.target_chars):
                        break
                    pair.append(more.text.strip())
                skip = len(pair) - 1
                yield from self._emit("\n\n".join(pair), b, whole=True)
                continue
            if self._short_item(b):
                lead = (buf[-1] if buf and head is not None and (head.page, head.section) == (b.page, b.section)
                        and buf[-1].rstrip().endswith(":") and len(buf[-1]) <= self.group_chars // 2 else None)
                group = [lead, text] if lead else [text]
                for more in blocks[i + 1:]:
                    if (not self._short_item(more) or (more.page, more.section) != (b.page, b.section)
                            or _PROBLEM.match(more.text.strip())
                            or sum(map(len, group)) + len(more.text.strip()) + 2 > self.group_chars):
                        break
                    group.append(more.text.strip())
                if len(group) > 1:
                    if lead:  # the sentence that introduces the items goes with them
                        buf.pop()
                    if buf:
                        yield from self._emit("\n\n".join(buf), head)
                    buf, head = [], None
                    skip = len(group) - 1 - (1 if lead else 0)
                    yield from self._emit("\n\n".join(group), b, whole=True)
                    continue
            same = head is not None and (b.page, b.section) == (head.page, head.section)
            if b.kind == TEXT and same and sum(map(len, buf)) + len(text) + 2 <= self.target_chars:
                buf.append(text)
                continue
            if buf:
                yield from self._emit("\n\n".join(buf), head)
            buf, head = [text], b
            if b.kind in WHOLE_KINDS:
                yield from self._emit(text, b)
                buf, head = [], None
        if buf:
            yield from self._emit("\n\n".join(buf), head)

    def _short_item(self, b: Block) -> bool:
        """A definition item short enough to group with its neighbours (one
        without blank lines inside, so the group's items stay apart)."""
        text = b.text.strip()
        return b.kind == DEFINITION and len(text) <= self.group_chars // 2 and "\n\n" not in text

    def _emit(self, text: str, block: Block, whole: bool = False) -> Iterator[tuple[str, Block]]:
        if whole or block.kind in WHOLE_KINDS:
            parts = [text] if len(text) <= self.max_chars else self._split(text, whole=True)
        else:
            parts = [text] if len(text) <= self.target_chars else self._split(text, whole=False)
        for part in parts:
            yield part, block

    def _codes(self, text: str, section: tuple[str, ...], kind: str = TEXT) -> tuple[str, ...]:
        """Configured-pattern codes in the text and the innermost heading, then
        the codes this chunk defines (``knowledge_base.vocabulary``): a
        definition item's term, a table row's key cell, a heading that is a
        code, a definition-like line in running text ("load.on - Turn on ...")."""
        heading = section[-1] if section else ""
        learned: tuple[str, ...] = heading_codes(heading)
        if kind == DEFINITION:  # each item of a group: its term, or a code opening its body
            for item in text.split("\n\n"):
                term, _, body = item.partition("\n")
                learned += term_codes(term, section) + line_codes(body.split("\n", 1)[0], section)
        elif kind == TABLE_ROW:
            head, _, value = text.split(" | ", 1)[0].rpartition(": ")
            learned += term_codes(value, (head,) if head else section)  # "Bit: 4" -> BIT4
        else:
            learned += line_codes(text, section)
        return tuple(dict.fromkeys(self.matcher.find(text) + self.matcher.find(heading) + learned))

    def _records(self, doc: ParsedDocument, source: str, model: str | None) -> Chunked:
        seen: dict[str, int] = {}
        chunks, pairs = [], []
        for ordinal, wo in enumerate(doc.records):
            if model and not wo.equipment_model:
                wo = _with_model(wo, model)
            text = wo.as_text()
            codes = ((normalize_code(wo.fault_code),) if wo.fault_code else ()) + self.matcher.find(text)
            section = tuple(x for x in (wo.asset_id,) if x)
            cid = _chunk_id(source, WORK_ORDER, None, section, text, seen)
            chunk = Chunk(id=cid, text=text, source=source, ordinal=ordinal, section=section,
                          title=doc.title, equipment_model=wo.equipment_model,
                          fault_codes=tuple(dict.fromkeys(codes)), doc_type=FAULT_LOG,
                          kind=WORK_ORDER, asset_id=wo.asset_id)
            chunks.append(chunk)
            pairs.append((wo, cid))
        return Chunked(tuple(chunks), tuple(pairs))


_PROBLEM = re.compile(r"^\W{0,3}(problem|symptom|issue)\b\s*(:|\n|$)", re.I)
_ANSWER = re.compile(r"^\W{0,3}(solution|workaround|fix|remedy|resolution|answer)\b\s*(:|\n|$)", re.I)


def is_problem_answer(first: Block, second: Block) -> bool:
    """Whether ``first`` states a problem and ``second`` (same page and
    section) answers it: "Problem: ..." then "Solution: ..." (or a
    definition list's "Problem" / "Workaround" items).

    >>> is_problem_answer(Block("Problem: TPI writes fail"), Block("Solution: mind the supply voltage"))
    True
    >>> is_problem_answer(Block("Problem\\nudev makes no nodes", "definition"), Block("Workaround\\nEdit the rules", "definition"))
    True
    >>> is_problem_answer(Block("Problem: x", page=1), Block("Solution: y", page=2))
    False
    """
    return ((first.page, first.section) == (second.page, second.section)
            and bool(_PROBLEM.match(first.text.strip())) and bool(_ANSWER.match(second.text.strip())))


_MODEL_IN_TITLE = re.compile(r"\b([A-Z]{1,4}-?\d{1,5}[A-Z]{0,3}(?:/[A-Z0-9]+)?)\b")


def model_from_title(title: str) -> str | None:
    """An equipment-model id in a document title (letters, digits, an
    optional hyphen), when the document has no "Model:" line.

    >>> model_from_title("AquaMax CP-80S Centrifugal Pump - Service Manual")
    'CP-80S'
    >>> model_from_title("Vortair GA37 compressor"), model_from_title("General notes")
    ('GA37', None)
    """
    m = _MODEL_IN_TITLE.search(title or "")
    return m.group(1) if m else None


def _with_model(wo: WorkOrder, model: str) -> WorkOrder:
    from dataclasses import replace

    return replace(wo, equipment_model=model)


def _chunk_id(source: str, kind: str, page: int | None, section: tuple[str, ...], text: str,
              seen: dict[str, int]) -> str:
    key = "\x00".join((source, kind, str(page), "\x1f".join(section), text))
    n = seen.get(key, 0)
    seen[key] = n + 1  # the same text twice in one place still gets two ids
    return hashlib.sha256(f"{key}\x00{n}".encode()).hexdigest()[:32]
