"""Opening a knowledge base's :class:`~knowledge_base.store.Store` from the settings.

The vector backends are one registry, :data:`VECTOR_BACKENDS` (the values of
``settings.vector_backend``): ``chroma`` (embedded at ``kb/chroma``, or the
``chroma run`` server at ``settings.chroma_url``) and ``memory`` (in-process,
nothing persisted; for tests). A new backend is a
:class:`~knowledge_base.vectors.VectorStore` (``knowledge_base.vectors``; its
contract suite is ``tests/kb/test_vector_contract.py``) and one entry here.

Each knowledge base keeps its vectors in its own collection, named in the
SQLite ``meta`` table (:func:`collection_name`).

>>> from knowledge_base.settings import Settings
>>> store = open_store(Settings(kb="/nonexistent", vector_backend="memory"))
>>> type(store.vectors).__name__, store.stats()["chunks"]
('MemoryVectorStore', 0)
>>> sorted(VECTOR_BACKENDS)
['chroma', 'memory']
>>> open_store(Settings(kb="/nonexistent", vector_backend="faiss"))
Traceback (most recent call last):
...
knowledge_base.errors.ConfigError: unknown vector backend 'faiss'; choose one of: chroma, memory
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from .diskspace import SpaceGuard
from .errors import ConfigError, NotFound
from .index import SqliteIndex
from .keyword_index import KeywordIndex
from .settings import Settings
from .store import Store
from .vectors import ChromaVectorStore, MemoryVectorStore


def collection_name(index: SqliteIndex) -> str:
    """The vector collection of this knowledge base, recorded on first open: a
    fresh unique name for a new one; the old fixed name for one built before
    names were recorded."""
    name = index.meta("vector_collection")
    if name is None:
        legacy = index.counts()["chunks"] > 0
        name = ChromaVectorStore.COLLECTION if legacy else new_collection_name()
        index.update_meta({"vector_collection": name})
    return name


def new_collection_name() -> str:
    return f"faultdesk_{uuid.uuid4().hex[:16]}"


def _memory(settings: Settings, create: bool) -> Store:
    # nothing persisted, so nothing half-persisted
    return Store(SqliteIndex(":memory:"), MemoryVectorStore(), keyword_backend=settings.keyword_backend)


def _chroma(settings: Settings, create: bool) -> Store:
    kb = Path(settings.kb)
    if not create and not (kb / "index.sqlite").is_file():
        raise NotFound(f"no knowledge base at {kb} (build one with: faultdesk ingest DOCS --kb {kb})")
    index = SqliteIndex(kb / "index.sqlite")
    vectors = ChromaVectorStore(path=kb / "chroma", url=settings.chroma_url, collection=collection_name(index),
                                must_exist=index.counts()["chunks"] > 0)
    space = SpaceGuard(kb, settings.disk_reserve_mb, None if settings.chroma_url else kb / "chroma")
    return Store(index, vectors, space, KeywordIndex(kb / "keywords"), settings.keyword_backend)


#: ``settings.vector_backend`` -> the store of ``settings.kb`` over that backend
VECTOR_BACKENDS: dict[str, Callable[[Settings, bool], Store]] = {"chroma": _chroma, "memory": _memory}


def open_store(settings: Settings, create: bool = True) -> Store:
    """The store of ``settings.kb``: SQLite at ``kb/index.sqlite`` plus the vector
    backend ``settings.vector_backend`` (:data:`VECTOR_BACKENDS`); ConfigError for
    an unknown one.

    With ``create=False`` (commands that only read, e.g. ``kb stats``), a
    folder that holds no knowledge base raises NotFound and nothing is made.
    """
    backend = VECTOR_BACKENDS.get(settings.vector_backend)
    if backend is None:
        raise ConfigError(f"unknown vector backend {settings.vector_backend!r}; "
                          f"choose one of: {', '.join(sorted(VECTOR_BACKENDS))}")
    return backend(settings, create)
