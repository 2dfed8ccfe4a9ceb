"""Vector stores: dense vectors keyed by chunk id, with metadata filters.

Two implementations of one small protocol, and both pass the same contract
suite (``tests/kb/test_vector_contract.py``): ``ChromaVectorStore`` (the
embedded PersistentClient by default, a ``chroma run`` server when a URL is
given) and ``MemoryVectorStore`` (in-process, for tests).

Each store is one named collection; ``with_collection`` opens a sibling in the
same place and ``drop`` deletes one, which is how a knowledge base is
re-embedded into a fresh collection (``knowledge_base.reembed``).

Similarity is cosine, returned as ``1 - distance`` so higher is better.

>>> vs = MemoryVectorStore()
>>> vs.upsert(["a", "b"], [[1.0, 0.0], [0.0, 1.0]], [{"doc_type": "manual"}, {"doc_type": "fault_log"}])
>>> [i for i, _ in vs.query([0.9, 0.1], k=2)]
['a', 'b']
>>> vs.query([0.9, 0.1], k=2, where={"doc_type": "fault_log"})[0][0]
'b'
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from .errors import StoreError

Metadata = Mapping[str, str | int | float | bool]
_CONNECT_LOCK = threading.RLock()  # one Chroma client set-up at a time in this process


class VectorStore(Protocol):
    """Dense vectors keyed by chunk id, in the collection ``collection_name``."""

    collection_name: str

    def upsert(self, ids: Sequence[str], vectors: Sequence[Sequence[float]],
               metadatas: Sequence[Metadata]) -> None:
        """Add or overwrite these ids. Idempotent."""

    def delete(self, ids: Sequence[str]) -> None:
        """Remove these ids; ids that are absent are ignored."""

    def get(self, ids: Sequence[str] | None = None) -> dict[str, list[float]]:
        """Vectors of the ids that exist (all of them when ``ids`` is None)."""

    def ids(self) -> set[str]:
        """Every stored id (without fetching the vectors)."""

    def query(self, vector: Sequence[float], k: int,
              where: Metadata | None = None) -> list[tuple[str, float]]:
        """Up to ``k`` (id, cosine similarity) pairs, best first, whose
        metadata equals every key/value in ``where``."""

    def with_collection(self, name: str) -> "VectorStore":
        """The collection ``name`` in the same place (created when first used)."""

    def drop(self) -> None:
        """Delete this whole collection; an absent one is ignored."""


class MemoryVectorStore:
    """An in-process VectorStore over a numpy matrix (not persisted)."""

    def __init__(self, collection: str = "memory") -> None:
        self.collection_name = collection
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

    def ids(self) -> set[str]:
        return set(self._vecs)

    def with_collection(self, name: str) -> "MemoryVectorStore":
        return MemoryVectorStore(name)  # nothing is persisted, so a sibling starts empty

    def drop(self) -> None:
        self.delete(list(self._vecs))

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
    one would try to download a model). Any failure of Chroma (a server that
    is down or stops answering, a full disk) is raised as a one-line
    StoreError that names the server URL or the folder. With ``must_exist``
    (a knowledge base that has chunks) a missing collection is such an error
    too, not a new empty one: the vectors are somewhere else, e.g.
    FAULTDESK_CHROMA_URL was set without moving them.
    """

    COLLECTION = "faultdesk_chunks"
    BATCH = 2000  # ids per request, under Chroma's max batch size
    # HNSW search breadth of new collections. Chroma's default (100) had
    # recall@50 0.983 on the sample knowledge base (200 queries, hash
    # vectors): an exact top-10 neighbour was missed now and then. 400 gave
    # 0.9999 for under 1 ms more per query there (dense search at 100k chunks:
    # 7 ms, benchmarks/scale.py), and a search over fewer vectors than this is
    # exhaustive, so an embedded store and a server agree.
    HNSW = {"space": "cosine", "ef_search": 400}

    def __init__(self, path: str | Path | None = None, url: str | None = None,
                 collection: str = COLLECTION, must_exist: bool = False) -> None:
        self.path, self.url, self.collection_name, self.must_exist = path, url, collection, must_exist
        self._client = None
        self._col = None

    @property
    def where(self) -> str:
        """Where the vectors are, for messages: "server URL" or "store FOLDER"."""
        return f"server {self.url}" if self.url else f"store {self.path}"

    @contextmanager
    def _failing(self, what: str):
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:  # chromadb, httpx and OS errors alike
            problem = " ".join(str(exc).split()) or type(exc).__name__
            raise StoreError(f"Chroma {self.where}: cannot {what}: {problem}") from exc

    def _connect(self):
        with _CONNECT_LOCK:  # chromadb's client set-up is not thread-safe (seen: a warm-up and a
            return self._connect_once()  # first request connecting at once failed in RustBindingsAPI)

    def _connect_once(self):
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            cfg = ChromaSettings(anonymized_telemetry=False)
            with self._failing("connect"):
                if self.url:
                    u = urlparse(self.url)
                    self._client = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                                       ssl=u.scheme == "https", settings=cfg)
                else:
                    Path(self.path).mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(self.path), settings=cfg)
        return self._client

    def _collection(self):
        with _CONNECT_LOCK:
            return self._collection_once()

    def _collection_once(self):
        if self._col is None:
            client = self._connect()
            with self._failing(f"open collection {self.collection_name}"):
                if self.must_exist:
                    self._col = self._existing(client)
                else:
                    self._col = client.get_or_create_collection(
                        self.collection_name, embedding_function=None, configuration={"hnsw": self.HNSW})
        return self._col

    def _existing(self, client):
        from chromadb.errors import NotFoundError

        try:
            return client.get_collection(self.collection_name, embedding_function=None)
        except NotFoundError:
            raise StoreError(
                f"Chroma {self.where} has no collection {self.collection_name}, which holds this knowledge "
                "base's vectors: point FAULTDESK_CHROMA_URL where they are, or move them there with "
                "`faultdesk kb export` and `faultdesk kb import`") from None

    def with_collection(self, name: str) -> "ChromaVectorStore":
        other = ChromaVectorStore(self.path, self.url, name)
        other._client = self._client
        return other

    def drop(self) -> None:
        from chromadb.errors import NotFoundError

        client = self._connect()
        with self._failing(f"drop collection {self.collection_name}"):
            try:
                client.delete_collection(self.collection_name)
            except NotFoundError:
                pass
        self._col = None

    def upsert(self, ids, vectors, metadatas) -> None:
        if not ids:
            return
        clean = [{k: v for k, v in m.items() if v is not None} or None for m in metadatas]
        col, step = self._collection(), self.BATCH
        with self._failing("store vectors"):
            for s in range(0, len(ids), step):
                col.upsert(ids=list(ids[s:s + step]), embeddings=[list(v) for v in vectors[s:s + step]],
                           metadatas=clean[s:s + step])

    def delete(self, ids) -> None:
        if ids:
            col, step = self._collection(), self.BATCH
            with self._failing("delete vectors"):
                for s in range(0, len(ids), step):
                    col.delete(ids=list(ids[s:s + step]))

    def get(self, ids=None) -> dict[str, list[float]]:
        if ids is not None and not ids:
            return {}
        col = self._collection()
        parts = [None] if ids is None else [list(ids[s:s + self.BATCH]) for s in range(0, len(ids), self.BATCH)]
        out: dict[str, list[float]] = {}
        with self._failing("read vectors"):
            for part in parts:
                res = col.get(ids=part, include=["embeddings"])
                out.update((i, [float(x) for x in res["embeddings"][j]]) for j, i in enumerate(res["ids"]))
        return out

    def ids(self) -> set[str]:
        col, out = self._collection(), set()
        with self._failing("list ids"):
            while page := col.get(include=[], limit=10 * self.BATCH, offset=len(out))["ids"]:
                out.update(page)
        return out

    def query(self, vector, k, where=None) -> list[tuple[str, float]]:
        col = self._collection()
        if k <= 0:
            return []
        with self._failing("query"):
            res = col.query(query_embeddings=[list(vector)], n_results=k,
                            where=_chroma_where(where), include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]


def _chroma_where(where: Metadata | None) -> dict[str, Any] | None:
    if not where:
        return None
    items = [{k: v} for k, v in where.items()]
    return items[0] if len(items) == 1 else {"$and": items}
