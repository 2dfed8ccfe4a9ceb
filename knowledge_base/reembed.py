"""Re-embed a knowledge base with another embedding model, in place.

Every chunk's text is read from SQLite (the source of truth) and embedded
into a fresh vector collection beside the live one; searches keep using the
old collection and model meanwhile. When every chunk has a vector there,
:meth:`Store.switch_vectors` records the new collection and model in one
SQLite transaction and the old collection is dropped.

Resumable: the target collection and model are recorded (meta
``reembed_into``) before the first vector is written, and a re-run with the
same model embeds only the chunks the target still lacks. A re-run with yet
another model drops the unfinished target and starts over. Passes repeat
until the target matches the chunk table, so chunks an ingest added or
removed meanwhile are followed; still, run it while no ingest is running
(an ingest started before the switch writes to the old collection).

>>> from knowledge_base.embedder import HashEmbedder
>>> from knowledge_base.index import SqliteIndex
>>> from knowledge_base.store import FileContent
>>> from knowledge_base.types import Chunk, FileRecord
>>> from knowledge_base.vectors import MemoryVectorStore
>>> store = Store(SqliteIndex(":memory:"), MemoryVectorStore())
>>> chunk = Chunk("c1", "Replace the drive-end bearing.", "/m/pump.md")
>>> store.check_embedder("hash-bow", 64)
>>> store.replace_file(FileContent(FileRecord("/m/pump.md", "d", 1, 0.0), (chunk,)),
...                    {"c1": HashEmbedder(dim=64).embed(chunk.embed_text())})
>>> reembed(store, HashEmbedder(dim=128)).embedded, store.embedder(), store.check()
(1, ('hash-bow', 128), [])
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from .embedder import Embedder
from .store import REEMBED_KEY, Store, vector_metadata
from .store_open import new_collection_name
from .vectors import VectorStore


@dataclass(frozen=True)
class ReembedReport:
    """What one run did: ``embedded`` chunks now, ``kept`` already in the
    target from an interrupted run, the old and new model."""

    old_model: str | None
    model: str
    dim: int
    chunks: int
    embedded: int
    kept: int
    seconds: float

    def as_json(self) -> dict:
        return {"old_model": self.old_model, "model": self.model, "dim": self.dim, "chunks": self.chunks,
                "embedded": self.embedded, "kept": self.kept, "seconds": round(self.seconds, 3)}


def reembed(store: Store, embedder: Embedder, batch_size: int = 64,
            progress: Callable[[int], None] | None = None) -> ReembedReport:
    """Re-embed every chunk of ``store`` with ``embedder`` and switch to it.
    ``progress`` is called with how many more chunks have a vector in the
    target: first those kept from an interrupted run, then each batch."""
    t0 = time.perf_counter()
    old = store.embedder()
    target = _target(store, embedder)
    kept = len(target.ids() & store.index.chunk_ids())
    if progress and kept:
        progress(kept)
    embedded = 0
    while todo := _sync(store, target):
        for s in range(0, len(todo), batch_size):
            part = todo[s:s + batch_size]
            chunks = store.index.chunks(part)
            part = [i for i in part if i in chunks]  # removed meanwhile: the next pass sees it
            vectors = embedder.embed_batch([chunks[i].embed_text() for i in part])
            target.upsert(part, vectors, [vector_metadata(chunks[i]) for i in part])
            embedded += len(part)
            if progress:
                progress(len(part))
    store.switch_vectors(target, embedder.name, embedder.dim)
    return ReembedReport(f"{old[0]} ({old[1]} dims)" if old else None, embedder.name, embedder.dim,
                         store.stats()["chunks"], embedded, kept, time.perf_counter() - t0)


def _target(store: Store, embedder: Embedder) -> VectorStore:
    """The unfinished target collection for this model, or a new one."""
    wanted = f"{embedder.name} {embedder.dim}"
    recorded = store.index.meta(REEMBED_KEY)
    if recorded is not None:
        name, model = recorded.split(" ", 1)
        if model == wanted:
            return store.vectors.with_collection(name)
        store.vectors.with_collection(name).drop()  # begun for another model
    name = new_collection_name()
    store.index.update_meta({REEMBED_KEY: f"{name} {wanted}"})
    return store.vectors.with_collection(name)


def _sync(store: Store, target: VectorStore) -> list[str]:
    """Delete target vectors of chunks that are gone; return the chunk ids the target lacks."""
    have, live = target.ids(), store.index.chunk_ids()
    if stale := sorted(have - live):
        target.delete(stale)
    return sorted(live - have)
