"""The retriever's lanes overlap: the query embedding and vector search run
beside the keyword lane, so a hybrid query costs about its slowest lane, not
the sum of its lanes."""

import time

import pytest

from knowledge_base.embedder import HashEmbedder
from knowledge_base.index import SqliteIndex
from knowledge_base.retrieval import HybridRetriever, Query
from knowledge_base.store import Store
from knowledge_base.vectors import MemoryVectorStore

pytestmark = pytest.mark.unit
SLOW = 0.3


class SlowEmbedder(HashEmbedder):
    def embed(self, text):
        time.sleep(SLOW)
        return super().embed(text)


def test_embedding_and_keyword_lanes_run_at_once(monkeypatch):
    store = Store(SqliteIndex(":memory:"), MemoryVectorStore())
    monkeypatch.setattr(store, "keyword_search", lambda *a, **k: time.sleep(SLOW) or [])
    r = HybridRetriever(store, SlowEmbedder(dim=8))
    r.retrieve(Query("warm the pool"))
    t0 = time.perf_counter()
    r.retrieve(Query("bearing noise"))
    took = time.perf_counter() - t0
    assert SLOW <= took < 1.6 * SLOW, took  # sequential lanes would take 2 x SLOW
