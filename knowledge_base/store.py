"""The knowledge base store: a SQLite index plus a vector store, kept consistent.

SQLite (``knowledge_base.index``) is the source of truth; vectors live in a
``VectorStore`` (Chroma by default). The two cannot share a transaction, so
writes follow a journal protocol:

1. journal the new chunk ids as 'add' (committed),
2. upsert their vectors,
3. one SQLite transaction replaces the file's rows, clears those 'add'
   entries and journals the dropped ids as 'del',
4. delete the dropped vectors, then clear their 'del' entries.

A crash at any point leaves SQLite at the old or the new version; whatever
the journal still holds is finished by :meth:`Store.recover` (called on every
open): 'add' ids that no chunk references and all 'del' ids are deleted from
the vector store. Dense hits are always joined to SQLite, so a stray vector
is never shown in between.

The store records the embedding model's name and dimension on first write
and refuses to mix in vectors of another model (EmbeddingMismatch).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import EmbeddingMismatch
from .index import SqliteIndex
from .settings import Settings
from .types import Chunk, FileRecord, Hit, WorkOrder
from .vectors import ChromaVectorStore, MemoryVectorStore, VectorStore


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

    def __init__(self, index: SqliteIndex, vectors: VectorStore) -> None:
        self.index = index
        self.vectors = vectors
        self.recover()

    # -- embedding model bookkeeping ---------------------------------------
    def check_embedder(self, name: str, dim: int) -> None:
        """Record the embedding model on first use; refuse another one later."""
        have_name, have_dim = self.index.meta("embedder_name"), self.index.meta("embedder_dim")
        if have_name is None:
            self.index.set_meta("embedder_name", name)
            self.index.set_meta("embedder_dim", str(dim))
        elif (have_name, int(have_dim)) != (name, dim):
            raise EmbeddingMismatch(
                f"knowledge base {self.index.path} was built with {have_name} ({have_dim} dims), "
                f"not {name} ({dim} dims); rebuild it into a new --kb folder to change models")

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
        if vectors:
            self.index.journal(vectors, "add")
            by_id = {c.id: c for c in chunks}
            ids = list(vectors)
            self.vectors.upsert(ids, [vectors[i] for i in ids], [_meta(by_id[i]) for i in ids])
        dropped = self.index.replace_file(content.record, chunks, [text_hash(c) for c in chunks],
                                          content.work_orders)
        self._delete_vectors(dropped)

    def remove_file(self, path: str) -> int:
        """Remove a file and its chunks; returns how many chunks went."""
        dropped = self.index.remove_file(path)
        self._delete_vectors(dropped)
        return len(dropped)

    def _delete_vectors(self, ids: set[str]) -> None:
        if ids:
            self.vectors.delete(sorted(ids))
            self.index.clear_journal(ids)

    def recover(self) -> int:
        """Finish what a crashed run left in the journal; returns entries fixed."""
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
        vec_ids = set(self.vectors.get(None))
        problems = [f"chunk {i} has no vector" for i in sorted(chunk_ids - vec_ids)]
        problems += [f"vector {i} has no chunk" for i in sorted(vec_ids - chunk_ids)]
        problems += [f"journal entry {i} ({op}) pending" for i, op in self.index.journal_entries().items()]
        return problems

    # -- reads ------------------------------------------------------------------
    def catalog(self) -> dict[str, FileRecord]:
        return self.index.files()

    def _hits(self, scored: Sequence[tuple[str, float]], lane: str) -> list[Hit]:
        chunks = self.index.chunks([i for i, _ in scored])
        return [Hit(chunks[i], s, lane) for i, s in scored if i in chunks]

    def keyword_search(self, query: str, k: int = 10, where: Mapping[str, str] | None = None,
                       extra_terms: Sequence[str] = ()) -> list[Hit]:
        return self._hits(self.index.keyword(query, k, where, extra_terms), "bm25")

    def dense_search(self, vector: Sequence[float], k: int = 10,
                     where: Mapping[str, str] | None = None) -> list[Hit]:
        return self._hits(self.vectors.query(vector, k, _vector_where(where)), "dense")

    def stats(self) -> dict[str, int]:
        return self.index.counts()

    def close(self) -> None:
        self.index.close()


def _meta(c: Chunk) -> dict:
    return {"source": c.source, "equipment_model": c.equipment_model, "doc_type": c.doc_type,
            "kind": c.kind, "asset_id": c.asset_id, "page": c.page}


def _vector_where(where: Mapping[str, str] | None) -> dict | None:
    return dict(where) if where else None


def open_store(settings: Settings) -> Store:
    """The store of ``settings.kb``: SQLite at ``kb/index.sqlite`` plus Chroma
    (embedded at ``kb/chroma``, or the server at ``settings.chroma_url``) or,
    with ``vector_backend='memory'``, an in-process vector store."""
    if settings.vector_backend == "memory":  # nothing persisted, so nothing half-persisted
        return Store(SqliteIndex(":memory:"), MemoryVectorStore())
    kb = Path(settings.kb)
    vectors = ChromaVectorStore(path=kb / "chroma", url=settings.chroma_url)
    return Store(SqliteIndex(kb / "index.sqlite"), vectors)
