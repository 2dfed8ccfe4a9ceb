"""What a chunk becomes in the keyword index (``knowledge_base.keyword_index``): the
tantivy schema and one document per chunk.

A document holds the terms of the four columns FTS5 indexes (text, section
path, title, codes: :func:`columns`) as ``knowledge_base.keyword_text`` makes
them (FTS5's porter unicode61 tokenizer, in Python; tantivy only splits them on
spaces): ``any`` (every term, for phrase row counts), ``all`` and ``title``
(scored candidates, see :data:`CANDIDATE_FIELDS`; :data:`SEP` between columns so
a phrase never spans two), ``cols`` (stored: the columns' terms, to rescore);
plus the filter fields (:data:`FILTER_FIELDS`: equipment model, asset, doc type,
source, kind; exact), the chunk's SQLite rowid and its length in terms (``dl``).

>>> from knowledge_base.types import Chunk
>>> columns(Chunk("c", "Pump runs hot", "m.md", section=("Faults",), title="P-3", fault_codes=("E104",)))
('Pump runs hot', 'Faults', 'P-3', 'E104')
>>> document(7, Chunk("c", "Pump runs hot", "m.md")).get_first("rowid")
7
"""

from __future__ import annotations

import tantivy
from tantivy import Document

from .cjk_terms import segment
from .keyword_text import terms
from .types import Chunk

FILTER_FIELDS = ("equipment_model", "asset_id", "doc_type", "source", "kind")
FORMAT = "3"  # bump when the schema or the tokens change: the index is then rebuilt
SEP = "|"  # between columns in ``all``; never a token (tokens are letters and digits)

# Where candidates are scored, with weights: ``all`` (text, section, codes
# twice: FTS5 weighs codes 2.0) and the title apart (FTS5 weighs it 0.2; in
# ``all`` a manual's title term lifted every chunk of that manual).
CANDIDATE_FIELDS = (("all", 1.0), ("title", 0.2))


def columns(c: Chunk) -> tuple[str, str, str, str]:
    """The four columns the keyword lanes index of a chunk (as FTS5's ``chunks_fts``; Chinese
    runs as character bigrams, ``cjk_terms``)."""
    return segment(c.text), segment(" ".join(c.section)), segment(c.title), " ".join(c.fault_codes)


def schema() -> tantivy.Schema:
    """The index's fields (the module docstring says what each holds)."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("all", tokenizer_name="fd_ws", index_option="position")
    sb.add_text_field("title", tokenizer_name="fd_ws", index_option="position")
    sb.add_text_field("any", tokenizer_name="fd_ws", index_option="basic")
    sb.add_bytes_field("cols", stored=True)
    for name in FILTER_FIELDS:
        sb.add_text_field(name, tokenizer_name="raw")
    sb.add_integer_field("rowid", indexed=True, fast=True)
    sb.add_integer_field("dl", fast=True)
    return sb.build()


def document(rowid: int, c: Chunk) -> Document:
    """Chunk ``c`` (SQLite row ``rowid``) as a document of :func:`schema`."""
    cols = [" ".join(terms(x)) for x in columns(c)]
    text, section, title, codes = cols
    doc = Document(rowid=rowid, dl=sum(len(x.split()) for x in cols), any=" ".join(cols) + f" {SEP}",
                   all=f" {SEP} ".join((text, section, codes, codes)), title=title)
    doc.add_bytes("cols", f" {SEP} ".join(cols).encode())
    for name, value in zip(FILTER_FIELDS, (c.equipment_model, c.asset_id, c.doc_type, c.source, c.kind)):
        if value is not None:
            doc.add_text(name, value)
    return doc
