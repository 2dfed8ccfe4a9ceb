"""The keyword lane's index: FTS5's BM25 ranking with top-k retrieval, on tantivy.

SQLite stays the source of truth; this index is derived from its ``chunks``
table and can always be rebuilt from it (``knowledge_base.keyword_sync``,
run on open when the index is missing or of another :data:`FORMAT`, and by
``faultdesk kb check --repair``).

The lane ranks as the FTS5 baseline (``SqliteIndex.keyword``) does, so
switching between them changes speed, not answers:

* one document per chunk, made of the terms of the four columns FTS5
  indexes (``knowledge_base.keyword_doc``: the schema and what a chunk
  becomes);
* a query is the FTS5 lane's OR of phrases (``keyword_text.query_phrases``);
  tantivy's top-k search (it skips documents that cannot enter the top k)
  brings :func:`pool_size` candidates, each phrase weighted by its FTS5 IDF
  over tantivy's; then each candidate gets FTS5's own score
  (``knowledge_base.keyword_bm25``: column weights, IDF, lengths as FTS5
  has them) and the best ``k`` are returned, equal scores in rowid order.
  On the gold and alert-scenario queries the list equals FTS5's, scores to
  the bit (``benchmarks/keyword_shadow.py``); a chunk FTS5 ranks in its top
  k but tantivy not in its top :func:`pool_size` would be missed;
* edits are incremental: :meth:`KeywordIndex.replace` deletes a file's
  documents and adds its new ones in one commit (atomic: a crash leaves the
  previous commit); the merge policy merges small segments.

A phrase's row count (FTS5's ``n_i``) is the term's document frequency when
no segment holds a deleted document, else a count of the live documents.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import tantivy
from tantivy import Occur, Query, TextAnalyzerBuilder, Tokenizer

from . import keyword_bm25
from .cjk_terms import segment
from .errors import StoreError
from .keyword_doc import CANDIDATE_FIELDS, FILTER_FIELDS, FORMAT, SEP, columns, document, schema  # noqa: F401
from .keyword_text import query_phrases
from .types import Chunk

MAX_SEGMENTS = 8
_HEAP = 50_000_000


def pool_size(k: int) -> int:
    """Candidates rescored for a top ``k``. For k = 50: on the samples' 517
    gold and alert-scenario keyword queries, 100 candidates gave FTS5's top 50
    on all, 75 on 513; on the real-documentation sets' 250 questions, 100 on
    247 (the other three: the same top 5), 150 on all."""
    return 2 * k + 50


class KeywordIndex:
    """FTS5-ranked BM25 over a chunk's columns with filters, top-k; on disk
    in ``path`` (a folder), or in memory when ``path`` is None."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = None if path is None else Path(path)
        self.schema = schema()
        try:
            self._index = self._open()
        except (ValueError, OSError) as exc:
            raise StoreError(f"cannot open keyword index {self.path}: {exc}") from exc
        self._index.register_tokenizer("fd_ws", TextAnalyzerBuilder(Tokenizer.whitespace()).build())
        self._commits = 0
        self._stats_key: object = None
        self._stats = (1.0, False)

    def _open(self) -> tantivy.Index:
        """The index in ``path``; one of another FORMAT or schema (an older
        faultdesk's) is emptied first: the store's sync then rebuilds it from SQLite."""
        if self.path is None:
            return tantivy.Index(self.schema)
        mark = self.path / "FORMAT"
        stale = self.path.exists() and (not mark.exists() or mark.read_text().strip() != FORMAT)
        for attempt in range(2):
            if stale:
                for f in self.path.iterdir():
                    if f.is_file():
                        f.unlink()
            self.path.mkdir(parents=True, exist_ok=True)
            try:
                index = tantivy.Index(self.schema, path=str(self.path))
            except ValueError as exc:
                if attempt or "schema does not match" not in str(exc):
                    raise
                stale = True
                continue
            mark.write_text(FORMAT + "\n")
            return index
        raise AssertionError("unreachable")

    # -- writes ---------------------------------------------------------------
    def replace(self, sources: Iterable[str], rows: Iterable[tuple[int, Chunk]]) -> None:
        """Make ``rows`` ((rowid, chunk) pairs) the whole content of ``sources``
        in one commit; idempotent."""
        writer = self._writer()
        try:
            for source in sources:
                writer.delete_documents_by_term("source", source)
            for rowid, chunk in rows:
                writer.add_document(document(rowid, chunk))
            writer.commit()
            if self._index.searcher().num_segments > MAX_SEGMENTS:
                writer.wait_merging_threads()  # let the merge policy finish (merge on a threshold)
        except ValueError as exc:
            raise StoreError(f"cannot write keyword index {self.path}: {exc}") from exc
        finally:
            del writer  # releases the writer lock; unfinished merges are dropped
        self._committed()

    def rebuild(self, batches: Iterable[Sequence[tuple[int, Chunk]]]) -> int:
        """Replace everything with ``batches`` of (rowid, chunk) in one commit
        and merge; returns the number of documents."""
        writer, n = self._writer(), 0
        try:
            writer.delete_all_documents()
            for batch in batches:
                for rowid, chunk in batch:
                    writer.add_document(document(rowid, chunk))
                n += len(batch)
            writer.commit()
            writer.wait_merging_threads()
        except ValueError as exc:
            raise StoreError(f"cannot rebuild keyword index {self.path}: {exc}") from exc
        self._committed()
        return n

    def _committed(self) -> None:
        self._commits += 1
        self._index.reload()

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

    # -- reads ------------------------------------------------------------------
    def search(self, query: str, k: int, where: Mapping[str, str] | None = None,
               extra_terms: Sequence[str] = ()) -> list[tuple[int, float]]:
        """(rowid, FTS5 bm25 score) of the best ``k`` chunks for the FTS5
        lane's OR of the query's phrases (and ``extra_terms``), best first;
        ``where`` keys are :data:`FILTER_FIELDS`, values must match exactly."""
        phrases = query_phrases(segment(query), extra_terms)
        for key in where or {}:
            if key not in FILTER_FIELDS:
                raise StoreError(f"unknown filter {key!r}; use one of {', '.join(FILTER_FIELDS)}")
        if not phrases or k <= 0:
            return []
        searcher = self._searcher()
        n_rows = searcher.num_docs
        if n_rows == 0:
            return []
        avgdl, deletes = self._stats
        n_hits = {p: self._rows_with(searcher, p, deletes) for p in set(phrases)}
        idfs = [keyword_bm25.idf(n_rows, n_hits[p]) for p in phrases]
        should = []
        for p, times in Counter(phrases).items():
            if not n_hits[p]:
                continue
            w_idf = times * keyword_bm25.idf(n_rows, n_hits[p])
            for col, weight in CANDIDATE_FIELDS:
                dfs = [searcher.doc_freq(col, t) for t in p]
                if all(dfs):
                    tv_idf = sum(math.log(1 + (n_rows - df + 0.5) / (df + 0.5)) for df in dfs)
                    boosted = Query.boost_query(self._phrase_query(col, p), weight * w_idf / tv_idf)
                    should.append((Occur.Should, boosted))
        if not should:
            return []
        q = Query.boolean_query(should)
        if where:
            q = Query.boolean_query([(Occur.Must, q)] + [
                (Occur.Must, Query.const_score_query(Query.term_query(self.schema, key, val), 0.0))
                for key, val in where.items()])
        hits = searcher.search(q, pool_size(k), count=False).hits
        addrs = [a for _, a in hits]
        rowids = searcher.fast_field_values("rowid", addrs)
        scored = []
        for r, a in zip(rowids, addrs):
            cols = [c.split() for c in searcher.doc(a).get_first("cols").decode().split(f" {SEP} ")]
            scored.append((int(r), keyword_bm25.score(phrases, cols, idfs, avgdl)))
        scored.sort(key=lambda x: (-x[1], x[0]))
        return scored[:k]

    def _phrase_query(self, field: str, p: tuple[str, ...]) -> Query:
        if len(p) == 1:
            return Query.term_query(self.schema, field, p[0], "freq")
        return Query.phrase_query(self.schema, field, list(p))

    def _rows_with(self, searcher, p: tuple[str, ...], deletes: bool) -> int:
        """How many live documents hold phrase ``p`` in any column."""
        if len(p) == 1 and not deletes:
            return searcher.doc_freq("any", p[0])
        if len(p) == 1:
            q = Query.term_query(self.schema, "any", p[0])
        else:
            q = Query.boolean_query([(Occur.Should, self._phrase_query(c, p)) for c, _ in CANDIDATE_FIELDS])
        return searcher.search(q, 1, count=True).count

    def _searcher(self):
        """The current searcher, with the index statistics (mean length,
        whether any document is deleted) of its commit up to date."""
        key = self._commits
        if self.path is not None:
            try:
                st = (self.path / "meta.json").stat()
                key = (self._commits, st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                pass
        if key != self._stats_key:
            self._index.reload()
            searcher = self._index.searcher()
            n = searcher.num_docs
            total = searcher.aggregate(Query.all_query(), {"t": {"sum": {"field": "dl"}}})["t"]["value"] if n else 0
            self._stats = ((total or 0) / n if n else 1.0, searcher.doc_freq("any", SEP) != n)
            self._stats_key = key
            return searcher
        return self._index.searcher()

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
