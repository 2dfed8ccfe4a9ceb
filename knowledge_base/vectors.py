"""Vector stores: dense vectors keyed by chunk id, with metadata filters.

Two implementations of one small protocol, and both pass the same contract
suite (``tests/kb/test_vector_contract.py``): ``ChromaVectorStore`` (the
embedded PersistentClient by default, a ``chroma run`` server when a URL is
given) and ``MemoryVectorStore`` (in-process, for tests).

Similarity is cosine, returned as ``1 - distance`` so higher is better.

>>> vs = MemoryVectorStore()
>>> vs.upsert(["a", "b"], [[1.0, 0.0], [0.0, 1.0]], [{"doc_type": "manual"}, {"doc_type": "fault_log"}])
>>> [i for i, _ in vs.query([0.9, 0.1], k=2)]
['a', 'b']
>>> vs.query([0.9, 0.1], k=2, where={"doc_type": "fault_log"})[0][0]
'b'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from .errors import StoreError

Metadata = Mapping[str, str | int | float | bool]


class VectorStore(Protocol):
    """Dense vectors keyed by chunk id."""

    def upsert(self, ids: Sequence[str], vectors: Sequence[Sequence[float]],
               metadatas: Sequence[Metadata]) -> None:
        """Add or overwrite these ids. Idempotent."""

    def delete(self, ids: Sequence[str]) -> None:
        """Remove these ids; ids that are absent are ignored."""

    def get(self, ids: Sequence[str] | None = None) -> dict[str, list[float]]:
        """Vectors of the ids that exist (all of them when ``ids`` is None)."""

    def query(self, vector: Sequence[float], k: int,
              where: Metadata | None = None) -> list[tuple[str, float]]:
        """Up to ``k`` (id, cosine similarity) pairs, best first, whose
        metadata equals every key/value in ``where``."""


class MemoryVectorStore:
    """An in-process VectorStore over a numpy matrix (not persisted)."""

    def __init__(self) -> None:
        self._vecs: dict = {}  # id -> unit numpy vector
        self._meta: dict[str, dict] = {}
        self._matrix: tuple | None = None

    def upsert(self, ids, vectors, metadatas) -> None:
        import numpy as np  # imported here: the CLI's start-up stays fast

        for i, v, m in zip(ids, vectors, metadatas, strict=True):
            arr = np.asarray(v, dtype=np.float32)
            self._vecs[i] = arr / (np.linalg.norm(arr) or 1.0)
            self._meta[i] = {key: val for key, val in m.items() if val is not None}
        self._matrix = None

    def delete(self, ids) -> None:
        for i in ids:
            self._vecs.pop(i, None)
            self._meta.pop(i, None)
        self._matrix = None

    def get(self, ids=None) -> dict[str, list[float]]:
        keys = self._vecs.keys() if ids is None else [i for i in ids if i in self._vecs]
        return {i: self._vecs[i].tolist() for i in keys}

    def query(self, vector, k, where=None) -> list[tuple[str, float]]:
        import numpy as np

        if not self._vecs or k <= 0:
            return []
        if self._matrix is None:
            ids = list(self._vecs)
            self._matrix = (ids, np.stack([self._vecs[i] for i in ids]))
        ids, mat = self._matrix
        q = np.asarray(vector, dtype=np.float32)
        sims = mat @ (q / (np.linalg.norm(q) or 1.0))
        order = np.argsort(-sims)
        out = []
        for j in order:
            meta = self._meta[ids[j]]
            if where and any(meta.get(key) != val for key, val in where.items()):
                continue
            out.append((ids[j], float(sims[j])))
            if len(out) == k:
                break
        return out


class ChromaVectorStore:
    """A VectorStore in Chroma: embedded under ``path``, or a server at ``url``.

    Chroma never embeds here: vectors always come from faultdesk's own
    embedder, so the collection has no embedding function (Chroma's default
    one would try to download a model).
    """

    COLLECTION = "faultdesk_chunks"

    def __init__(self, path: str | Path | None = None, url: str | None = None,
                 collection: str = COLLECTION) -> None:
        self.path, self.url, self.collection_name = path, url, collection
        self._col = None

    def _collection(self):
        if self._col is None:
            self._col = self._open()
        return self._col

    def _open(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        cfg = ChromaSettings(anonymized_telemetry=False)
        try:
            if self.url:
                from urllib.parse import urlparse

                u = urlparse(self.url)
                client = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                             ssl=u.scheme == "https", settings=cfg)
            else:
                Path(self.path).mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(self.path), settings=cfg)
            return client.get_or_create_collection(
                self.collection_name, embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:
            where = self.url or self.path
            raise StoreError(f"cannot open Chroma at {where}: {exc}") from exc

    def upsert(self, ids, vectors, metadatas) -> None:
        if not ids:
            return
        clean = [{k: v for k, v in m.items() if v is not None} or None for m in metadatas]
        col = self._collection()
        step = 2000  # stay under Chroma's max batch size
        for s in range(0, len(ids), step):
            col.upsert(ids=list(ids[s:s + step]), embeddings=[list(v) for v in vectors[s:s + step]],
                       metadatas=clean[s:s + step])

    def delete(self, ids) -> None:
        if ids:
            col = self._collection()
            for s in range(0, len(ids), 2000):
                col.delete(ids=list(ids[s:s + 2000]))

    def get(self, ids=None) -> dict[str, list[float]]:
        if ids is not None and not ids:
            return {}
        res = self._collection().get(ids=list(ids) if ids is not None else None, include=["embeddings"])
        embs = res["embeddings"]
        return {i: [float(x) for x in embs[j]] for j, i in enumerate(res["ids"])}

    def query(self, vector, k, where=None) -> list[tuple[str, float]]:
        col = self._collection()
        if k <= 0:
            return []
        res = col.query(query_embeddings=[list(vector)], n_results=k,
                        where=_chroma_where(where), include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]


def _chroma_where(where: Metadata | None) -> dict[str, Any] | None:
    if not where:
        return None
    items = [{k: v} for k, v in where.items()]
    return items[0] if len(items) == 1 else {"$and": items}
