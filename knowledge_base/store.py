"""The knowledge base store: a SQLite index plus a vector store, kept consistent.

SQLite (``knowledge_base.index``) is the source of truth; vectors live in a
``VectorStore`` (Chroma by default). The two cannot share a transaction, so
writes follow a journal protocol:

1. journal the new chunk ids as 'add' (committed),
2. upsert their vectors,
3. one SQLite transaction replaces the file's rows, clears those 'add'
   entries and journals the dropped ids as 'del',
4. delete the dropped vectors, then clear their 'del' entries.

The keyword index (``knowledge_base.keyword_index``, tantivy) follows the
same idea: step 3's transaction also records the file in ``keyword_journal``;
after it the file's documents are re-synced from SQLite in one atomic tantivy
commit and the entry is cleared. :meth:`Store.recover` finishes any entry a
crash left (the sync is idempotent) and rebuilds a missing index.

A crash at any point leaves SQLite at the old or the new version; whatever
the journal still holds is finished by :meth:`Store.recover` (called on every
open): 'add' ids that no chunk references and all 'del' ids are deleted from
the vector store. Dense hits are always joined to SQLite, so a stray vector
is never shown in between.

The store records the embedding model's name and dimension on first write
and refuses to mix in vectors of another model (EmbeddingMismatch). The
vectors live in the Chroma collection named in the SQLite ``meta`` table
(``vector_collection``: one per knowledge base, so several can share a
server). Changing models means re-embedding into a fresh collection and
switching to it in one SQLite transaction (``knowledge_base.reembed``); the
old collection is then dropped, by :meth:`Store.recover` if a crash comes in
between.

A full disk must not reach Chroma mid-write (it would truncate its index
files), so with a SpaceGuard (``knowledge_base.diskspace``) each file's write
is refused up front with DiskFull when it would leave less than the reserve
free; a write that runs out of space anyway raises DiskFull after the journal
is finished if there is room to, so the store stays readable and consistent.

A store is opened from the settings by :func:`knowledge_base.store_open.open_store`
(the vector backends' registry).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .diskspace import SpaceGuard, disk_full
from .errors import DiskFull, EmbeddingMismatch
from . import keyword_sync
from .index import SqliteIndex
from .keyword_index import KeywordIndex
from .types import Chunk, FileRecord, Hit, WorkOrder
from .vectors import VectorStore


DROP_KEY = "vector_collection_drop"  # meta: a collection a model switch left to drop
REEMBED_KEY = "reembed_into"  # meta: "collection model dim" of an unfinished re-embedding


def text_hash(chunk: Chunk) -> str:
    """Hash of exactly what the embedder sees; equal hashes share a vector."""
    return hashlib.sha256(chunk.embed_text().encode()).hexdigest()


@dataclass(frozen=True)
class FileContent:
    """Everything one file contributes: its catalog record, chunks, and
    work orders (each paired with the id of the chunk that represents it)."""

    record: FileRecord
    chunks: tuple[Chunk, ...]
    work_orders: tuple[tuple[WorkOrder, str | None], ...] = ()


class Store:
    """Catalog, chunks, keyword/code lanes, work orders and vectors of one KB."""

    def __init__(self, index: SqliteIndex, vectors: VectorStore, space: SpaceGuard | None = None,
                 keywords: KeywordIndex | None = None, keyword_backend: str = "tantivy") -> None:
        self.index = index
        self.vectors = vectors
        self.space = space
        # The keyword lane: ``keywords`` (tantivy, synced through the SQLite
        # keyword_journal) or, with keyword_backend='fts5', SQLite's FTS5 table
        # (the baseline, always maintained).
        self.keywords = keywords if keywords is not None else KeywordIndex(None)
        self.keyword_backend = keyword_backend
        self.recover()

    # -- embedding model bookkeeping ---------------------------------------
    def embedder(self) -> tuple[str, int] | None:
        """(name, dimension) of the recorded embedding model, None before the first write."""
        name, dim = self.index.meta("embedder_name"), self.index.meta("embedder_dim")
        return None if name is None else (name, int(dim))

    def expect_embedder(self, name: str, dim: int) -> None:
        """Raise EmbeddingMismatch unless the recorded model (if any) is this one."""
        have = self.embedder()
        if have is not None and have != (name, dim):
            raise EmbeddingMismatch(
                f"knowledge base {self.index.path} was built with {have[0]} ({have[1]} dims), "
                f"not {name} ({dim} dims); set FAULTDESK_EMBEDDER to match, or switch the "
                f"knowledge base with `faultdesk kb reembed --embedder NAME`")

    def check_embedder(self, name: str, dim: int) -> None:
        """Record the embedding model on first use; refuse another one later."""
        self.expect_embedder(name, dim)
        if self.embedder() is None:
            self.index.update_meta({"embedder_name": name, "embedder_dim": str(dim)})

    def switch_vectors(self, fresh: VectorStore, name: str, dim: int) -> None:
        """Make ``fresh`` (a sibling collection that holds a vector of model
        ``name`` for every chunk) the store's vectors, recording the model in
        the same SQLite transaction, then drop the old collection."""
        self.index.update_meta({"vector_collection": fresh.collection_name, "embedder_name": name,
                                "embedder_dim": str(dim), DROP_KEY: self.vectors.collection_name,
                                REEMBED_KEY: None})
        self.vectors = fresh
        self._drop_pending_collection()

    def _drop_pending_collection(self) -> None:
        old = self.index.meta(DROP_KEY)
        if old is not None:
            if old != self.vectors.collection_name:
                self.vectors.with_collection(old).drop()
            self.index.update_meta({DROP_KEY: None})

    # -- writes ---------------------------------------------------------------
    def reusable_vectors(self, chunks: Sequence[Chunk]) -> tuple[set[str], dict[str, list[float]]]:
        """Split ``chunks`` into ids whose vector is already stored under the
        same id, and {id: vector} copied from another chunk with the same
        embedded text. The rest must be embedded."""
        stored = self.index.existing_ids(c.id for c in chunks)
        rest = [c for c in chunks if c.id not in stored]
        by_hash = self.index.ids_by_text_hash(text_hash(c) for c in rest)
        donors = self.vectors.get(sorted(set(by_hash.values()))) if by_hash else {}
        copied = {}
        for c in rest:
            donor = by_hash.get(text_hash(c))
            if donor in donors:
                copied[c.id] = donors[donor]
        return stored, copied

    def replace_file(self, content: FileContent, vectors: Mapping[str, Sequence[float]]) -> None:
        """Make ``content`` the whole of its file in the store. ``vectors``
        holds a vector for every chunk not already stored under its id."""
        chunks = content.chunks
        floats = sum(len(v) for v in vectors.values())
        with self._writing(sum(len(c.text.encode()) for c in chunks), 4 * floats):
            if vectors:
                self.index.journal(vectors, "add")
                by_id = {c.id: c for c in chunks}
                ids = list(vectors)
                self.vectors.upsert(ids, [vectors[i] for i in ids], [vector_metadata(by_id[i]) for i in ids])
            dropped = self.index.replace_file(content.record, chunks, [text_hash(c) for c in chunks],
                                              content.work_orders)
            self._delete_vectors(dropped)
            keyword_sync.sync(self.index, self.keywords, [content.record.path])

    def remove_file(self, path: str) -> int:
        """Remove a file and its chunks; returns how many chunks went."""
        with self._writing():
            dropped = self.index.remove_file(path)
            self._delete_vectors(dropped)
            keyword_sync.sync(self.index, self.keywords, [path])
        return len(dropped)

    @contextmanager
    def _writing(self, text_bytes: int = 0, vector_bytes: int = 0) -> Iterator[None]:
        """One file's write: refused with DiskFull when the disk has no room
        for it; one that fails on a full disk becomes DiskFull once the
        journal is finished, if there is room to."""
        if self.space is not None:
            self.space.check(text_bytes, vector_bytes)
        try:
            yield
        except Exception as exc:
            if not (disk_full(exc) or (self.space is not None and self.space.low())):
                raise
            try:
                self.recover()
            except Exception as again:  # still no room: the next open finishes the journal
                if not disk_full(again):
                    raise
            raise DiskFull(f"not stored: no space left on the disk of knowledge base "
                           f"{Path(self.index.path).parent}; earlier files are intact: "
                           "free some space and run again") from exc

    def _delete_vectors(self, ids: set[str]) -> None:
        if ids:
            self.vectors.delete(sorted(ids))
            self.index.clear_journal(ids)

    def recover(self) -> int:
        """Finish what a crashed run left in the journal (and drop a collection
        a model switch left behind, and sync the keyword index); returns
        vector journal entries fixed."""
        self._drop_pending_collection()
        keyword_sync.sync(self.index, self.keywords)  # keyword_journal entries, or a rebuild
        entries = self.index.journal_entries()
        if not entries:
            return 0
        live = self.index.chunk_ids()
        stale = [i for i, op in entries.items() if op == "del" or i not in live]
        if stale:
            self.vectors.delete(stale)
        self.index.clear_journal(entries)
        return len(entries)

    def check(self) -> list[str]:
        """Inconsistencies between SQLite and the vector store (empty = none)."""
        chunk_ids = self.index.chunk_ids()
        vec_ids = self.vectors.ids()
        problems = [f"chunk {i} has no vector" for i in sorted(chunk_ids - vec_ids)]
        problems += [f"vector {i} has no chunk" for i in sorted(vec_ids - chunk_ids)]
        problems += [f"journal entry {i} ({op}) pending" for i, op in self.index.journal_entries().items()]
        return problems + keyword_sync.problems(self.index, self.keywords)

    def repair_keywords(self) -> int:
        """Rebuild the keyword index from SQLite; returns the chunks indexed."""
        return keyword_sync.rebuild(self.index, self.keywords)

    # -- reads ------------------------------------------------------------------
    def catalog(self) -> dict[str, FileRecord]:
        return self.index.files()

    def _hits(self, scored: Sequence[tuple[str, float]], lane: str) -> list[Hit]:
        chunks = self.index.chunks([i for i, _ in scored])
        return [Hit(chunks[i], s, lane) for i, s in scored if i in chunks]

    def keyword_search(self, query: str, k: int = 10, where: Mapping[str, str] | None = None,
                       extra_terms: Sequence[str] = ()) -> list[Hit]:
        """The keyword lane (``keyword_backend``): BM25 as FTS5 ranks it, best first."""
        if self.keyword_backend == "fts5":
            return self.keyword_search_fts5(query, k, where, extra_terms)
        return self.keyword_search_tantivy(query, k, where, extra_terms)

    def keyword_search_fts5(self, query: str, k: int = 10, where: Mapping[str, str] | None = None,
                            extra_terms: Sequence[str] = ()) -> list[Hit]:
        """The baseline: SQLite FTS5's ``bm25()`` over every matching row."""
        return self._hits(self.index.keyword(query, k, where, extra_terms), "bm25")

    def keyword_search_tantivy(self, query: str, k: int = 10, where: Mapping[str, str] | None = None,
                               extra_terms: Sequence[str] = ()) -> list[Hit]:
        """The tantivy index's top-k candidates, scored as FTS5 scores them."""
        scored = self.keywords.search(query, k, where, extra_terms)
        ids = self.index.rowid_ids([r for r, _ in scored])
        return self._hits([(ids[r], s) for r, s in scored if r in ids], "bm25")

    def dense_search(self, vector: Sequence[float], k: int = 10,
                     where: Mapping[str, str] | None = None) -> list[Hit]:
        return self._hits(self.vectors.query(vector, k, _vector_where(where)), "dense")

    def stats(self) -> dict[str, int]:
        return self.index.counts()

    def close(self) -> None:
        self.index.close()


def vector_metadata(c: Chunk) -> dict:
    """What the vector store keeps beside a chunk's vector (for filters)."""
    return {"source": c.source, "equipment_model": c.equipment_model, "doc_type": c.doc_type,
            "kind": c.kind, "asset_id": c.asset_id, "page": c.page}


def _vector_where(where: Mapping[str, str] | None) -> dict | None:
    return dict(where) if where else None


def __getattr__(name: str):
    """``open_store``, ``collection_name`` and ``new_collection_name`` moved to
    ``knowledge_base.store_open``; importing them from here still works."""
    if name in ("open_store", "collection_name", "new_collection_name"):
        from . import store_open

        return getattr(store_open, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
