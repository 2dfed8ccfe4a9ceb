"""The keyword lane's index: BM25 with top-k retrieval, on tantivy.

SQLite stays the source of truth; this index is derived from its ``chunks``
table and can always be rebuilt from it (:meth:`KeywordIndex.rebuild`, run
by ``faultdesk kb check --repair``). How it is kept consistent is the
store's business (``knowledge_base.store``: a ``keyword_journal`` of files
whose entries are owed a sync, written in the same SQLite transaction as the
file's chunks, finished after every write and on every open). Here:

* one document per chunk: the fields of :func:`keyword_fields` (text,
  section, title, codes), each scored by BM25 and weighted by
  :data:`FIELD_WEIGHTS` (the weights the FTS5 lane used), plus the filter
  fields (equipment model, asset, doc type, source, kind: exact, unscored)
  and the chunk's SQLite rowid (a fast field, to join hits);
* one analyzer (:data:`ANALYZER`) for indexing and for queries: split on
  non-alphanumerics, lowercase, fold accents, English (Snowball) stemming;
  stopwords stay in, as in the FTS5 lane;
* edits are incremental: :meth:`replace` deletes a file's documents (a
  tombstone per segment) and adds its new ones in one commit (a new small
  segment); tantivy's merge policy merges segments when a commit leaves more
  than :data:`MAX_SEGMENTS`, and a commit is atomic (a crash leaves the
  previous commit);
* queries are an OR of (term, field) scorers; tantivy's top-k collector
  skips documents that cannot enter the top k, so a query costs far less
  than scoring every matching row.

>>> idx = KeywordIndex(None)
>>> from knowledge_base.types import Chunk
>>> idx.replace(["/m.pdf"], [(1, Chunk("a", "Replace the bearings", "/m.pdf", title="P-3 manual")),
...                           (2, Chunk("b", "Check the seal", "/m.pdf", fault_codes=("E104",)))])
>>> [r for r, _ in idx.search("bearing replaced", 5)], [r for r, _ in idx.search("what is e104", 5)]
([1], [2])
>>> idx.search("seal", 5, where={"source": "/other.pdf"})
[]
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import tantivy
from tantivy import Document, Filter, Occur, Query, TextAnalyzerBuilder, Tokenizer

from .cjk_terms import segment
from .errors import StoreError
from .types import Chunk

FIELD_WEIGHTS = {"text": 1.0, "section": 0.6, "title": 0.2, "codes": 2.0}
FILTER_FIELDS = ("equipment_model", "asset_id", "doc_type", "source", "kind")
MAX_SEGMENTS = 8
FORMAT = "1"  # bump when the schema or the analyzer changes: the index is then rebuilt
ANALYZER = (TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(40)).filter(Filter.lowercase())
            .filter(Filter.ascii_fold()).filter(Filter.stemmer("english")).build())
_HEAP = 50_000_000


def keyword_fields(c: Chunk) -> dict[str, str]:
    """What the keyword lane indexes of a chunk, by field: the contextual
    header (``Chunk.index_text``'s title and section path) in fields of its own,
    weighted below the body."""
    return {"text": segment(c.text), "section": segment(" ".join(c.section)), "title": segment(c.title),
            "codes": " ".join(c.fault_codes)}


def analyze(text: str) -> list[str]:
    """The index's tokens of ``text``: the same for documents and queries."""
    return ANALYZER.analyze(segment(text))  # Chinese runs as character bigrams (cjk_terms)


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in FIELD_WEIGHTS:
        sb.add_text_field(name, tokenizer_name="fd", index_option="freq")
    for name in FILTER_FIELDS:
        sb.add_text_field(name, tokenizer_name="raw")
    sb.add_integer_field("rowid", indexed=True, fast=True)
    return sb.build()


class KeywordIndex:
    """BM25 over a chunk's fields with filters, top-k; on disk in ``path``
    (a folder), or in memory when ``path`` is None."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = None if path is None else Path(path)
        self.schema = _schema()
        try:
            if self.path is not None:
                self.path.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(self.schema, path=None if self.path is None else str(self.path))
        except (ValueError, OSError) as exc:
            raise StoreError(f"cannot open keyword index {self.path}: {exc}") from exc
        self._index.register_tokenizer("fd", ANALYZER)

    # -- writes ---------------------------------------------------------------
    def replace(self, sources: Iterable[str], rows: Iterable[tuple[int, Chunk]]) -> None:
        """Make ``rows`` ((rowid, chunk) pairs) the whole content of ``sources``
        in one commit; idempotent."""
        writer = self._writer()
        try:
            for source in sources:
                writer.delete_documents_by_term("source", source)
            for rowid, chunk in rows:
                writer.add_document(self._doc(rowid, chunk))
            writer.commit()
            if self._index.searcher().num_segments > MAX_SEGMENTS:
                writer.wait_merging_threads()  # let the merge policy finish (merge on a threshold)
        except ValueError as exc:
            raise StoreError(f"cannot write keyword index {self.path}: {exc}") from exc
        finally:
            del writer  # releases the writer lock; unfinished merges are dropped
        self._index.reload()

    def rebuild(self, batches: Iterable[Sequence[tuple[int, Chunk]]]) -> int:
        """Replace everything with ``batches`` of (rowid, chunk) in one commit
        and merge; returns the number of documents."""
        writer, n = self._writer(), 0
        try:
            writer.delete_all_documents()
            for batch in batches:
                for rowid, chunk in batch:
                    writer.add_document(self._doc(rowid, chunk))
                n += len(batch)
            writer.commit()
            writer.wait_merging_threads()
        except ValueError as exc:
            raise StoreError(f"cannot rebuild keyword index {self.path}: {exc}") from exc
        self._index.reload()
        return n

    def _writer(self, wait_s: float = 30.0):
        """The index writer (one process at a time: another one's writer lock
        is waited for up to ``wait_s``)."""
        deadline = time.monotonic() + wait_s
        while True:
            try:
                return self._index.writer(heap_size=_HEAP, num_threads=1)
            except ValueError as exc:
                if "Lock" not in str(exc) or time.monotonic() > deadline:
                    raise StoreError(f"cannot write keyword index {self.path}: {exc}") from exc
                time.sleep(0.05)

    def _doc(self, rowid: int, c: Chunk) -> Document:
        doc = Document(rowid=rowid, **keyword_fields(c))
        for name, value in zip(FILTER_FIELDS, (c.equipment_model, c.asset_id, c.doc_type, c.source, c.kind)):
            if value is not None:
                doc.add_text(name, value)
        return doc

    # -- reads ------------------------------------------------------------------
    def search(self, query: str, k: int, where: Mapping[str, str] | None = None,
               extra_terms: Sequence[str] = ()) -> list[tuple[int, float]]:
        """(rowid, score) of the best ``k`` chunks for the OR of the query's
        terms (and ``extra_terms``), best first; ``where`` keys are
        :data:`FILTER_FIELDS`, values must match exactly."""
        terms = list(dict.fromkeys(analyze(" ".join([query, *extra_terms]))))
        if not terms or k <= 0:
            return []
        should = [(Occur.Should, Query.boost_query(Query.term_query(self.schema, f, t, "freq"), w))
                  for t in terms for f, w in FIELD_WEIGHTS.items()]
        q = Query.boolean_query(should)
        if where:
            for key in where:
                if key not in FILTER_FIELDS:
                    raise StoreError(f"unknown filter {key!r}; use one of {', '.join(FILTER_FIELDS)}")
            q = Query.boolean_query([(Occur.Must, q)] + [
                (Occur.Must, Query.const_score_query(Query.term_query(self.schema, key, val), 0.0))
                for key, val in where.items()])
        searcher = self._index.searcher()
        hits = searcher.search(q, max(2 * k, k + 50), count=False).hits
        rowids = searcher.fast_field_values("rowid", [a for _, a in hits])
        # Equal scores are ordered by rowid (as FTS5 does), not by where the
        # documents happen to lie in the segments: the same KB gives the same list.
        ranked = sorted(((int(r), float(s)) for (s, _), r in zip(hits, rowids)), key=lambda x: (-x[1], x[0]))
        return ranked[:k]

    def rowids(self) -> set[int]:
        """The rowid of every document (for consistency checks)."""
        searcher = self._index.searcher()
        n = searcher.num_docs
        if n == 0:
            return set()
        hits = searcher.search(Query.all_query(), n, count=False, order_by_field="rowid").hits
        return {int(v) for v, _ in hits}

    def count(self) -> int:
        return self._index.searcher().num_docs

    def segments(self) -> int:
        return self._index.searcher().num_segments

    def size_bytes(self) -> int:
        if self.path is None:
            return 0
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())

    def reload(self) -> None:
        """See the commits of other processes now (they are also seen within ~0.5 s)."""
        self._index.reload()


# -- keeping the index consistent with SQLite (the store calls these) --------------
FORMAT_KEY = "keyword_index_format"  # SQLite meta: FORMAT of the index last rebuilt from it


def sync(db, kw: KeywordIndex, paths: Sequence[str] | None = None) -> int:
    """Bring the documents of ``paths`` (default: every file the SQLite
    ``keyword_journal`` of ``db``, a SqliteIndex, holds) in line with SQLite,
    then clear their journal entries; idempotent, so a crash anywhere is
    finished by running it again. Rebuilds the whole index instead when it
    was built by another FORMAT, or is missing while SQLite has chunks."""
    if db.meta(FORMAT_KEY) != FORMAT or (kw.count() == 0 and db.counts()["chunks"] > 0):
        return rebuild(db, kw)
    owed = db.keyword_owed() if paths is None else list(paths)
    if owed:
        kw.replace(owed, [r for batch in db.chunk_rows(owed) for r in batch])
        db.clear_keyword_owed(owed)
    return len(owed)


def rebuild(db, kw: KeywordIndex) -> int:
    """Rebuild the whole index from SQLite; returns the number of chunks."""
    owed = db.keyword_owed()
    n = kw.rebuild(db.chunk_rows())
    db.update_meta({FORMAT_KEY: FORMAT})
    db.clear_keyword_owed(owed)
    return n


def problems(db, kw: KeywordIndex) -> list[str]:
    """How the index differs from SQLite (empty = consistent)."""
    out = [f"keyword index owes file {p} a sync" for p in db.keyword_owed()]
    if db.meta(FORMAT_KEY) != FORMAT:
        out.append(f"keyword index format {db.meta(FORMAT_KEY)} is not {FORMAT}")
    kw.reload()
    have, want = kw.rowids(), db.chunk_rowids()
    if kw.count() != len(have):
        out.append(f"keyword index holds {kw.count()} documents for {len(have)} chunks (duplicates)")
    for what, rows in (("chunk rowid {} is not in the keyword index", want - have),
                       ("keyword index document {} has no chunk", have - want)):
        out += [what.format(r) for r in sorted(rows)[:20]]
        if len(rows) > 20:
            out.append(f"... and {len(rows) - 20} more like that (faultdesk kb check --repair rebuilds the index)")
    return out
