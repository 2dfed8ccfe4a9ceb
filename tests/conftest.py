"""Shared fixtures: stores over each vector backend (in-process, embedded Chroma,
a real `chroma run` server), the hash embedder, settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from knowledge_base.chroma_server import ChromaServer  # noqa: E402
from knowledge_base.embedder import HashEmbedder  # noqa: E402
from knowledge_base.index import SqliteIndex  # noqa: E402
from knowledge_base.store import Store, new_collection_name  # noqa: E402
from knowledge_base.vectors import ChromaVectorStore, MemoryVectorStore  # noqa: E402

VECTOR_BACKENDS = ["memory", "chroma", pytest.param("chroma-server", marks=pytest.mark.slow)]


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory):
    """URL of a real `chroma run` server on a free loopback port, one per session;
    each user takes its own collection."""
    with ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data") as url:
        yield url


def make_vectors(kind: str, request, tmp_path):
    if kind == "memory":
        return MemoryVectorStore()
    if kind == "chroma-server":
        return ChromaVectorStore(url=request.getfixturevalue("chroma_url"), collection=new_collection_name())
    return ChromaVectorStore(path=tmp_path / "chroma")


@pytest.fixture(params=VECTOR_BACKENDS)
def vectors(request, tmp_path):
    """Each VectorStore implementation, fresh."""
    return make_vectors(request.param, request, tmp_path)


@pytest.fixture(params=VECTOR_BACKENDS)
def store(request, tmp_path):
    """A Store over each vector backend (SQLite on disk)."""
    s = Store(SqliteIndex(tmp_path / "index.sqlite"), make_vectors(request.param, request, tmp_path))
    yield s
    s.close()


@pytest.fixture
def embedder():
    return HashEmbedder()


@pytest.fixture(scope="session")
def qwen_path():
    """The real default model (Qwen2.5-Coder-0.5B from the PyPI part packages),
    assembled and verified once into the test model cache."""
    from assistant.llm import models

    cache = os.environ.get("FAULTDESK_TEST_MODEL_CACHE", "~/.cache/faultdesk")
    return models.default_model_path(Path(cache).expanduser())
