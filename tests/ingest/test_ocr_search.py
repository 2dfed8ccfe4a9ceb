"""A mixed PDF (page 1 text, page 2 only an image of a fault-table row) ingested into
a real knowledge base: the image page's text is found by search, cited to page 2."""

from __future__ import annotations

import pytest

from ingest.pipeline import Ingestor
from knowledge_base.embedder import HashEmbedder
from knowledge_base.index import SqliteIndex
from knowledge_base.retrieval import HybridRetriever, Query
from knowledge_base.store import Store
from knowledge_base.vectors import MemoryVectorStore
from tests.ingest.test_ocr import mixed_pdf, needs_tesseract


@pytest.mark.integration
@needs_tesseract
def test_the_image_page_of_a_mixed_pdf_is_searchable(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    mixed_pdf(docs / "pc3_manual.pdf")
    store = Store(SqliteIndex(tmp_path / "index.sqlite"), MemoryVectorStore())
    report = Ingestor(store, HashEmbedder()).run([docs])
    assert report.failed == () and report.added == 1
    retriever = HybridRetriever(store, HashEmbedder())
    for question in ("E-104", "replace the drive-end bearing"):  # code lane; keyword + dense lanes
        hits = retriever.retrieve(Query(question, k=3)).hits
        assert hits and hits[0].chunk.page == 2, (question, [(h.chunk.page, h.chunk.text[:60]) for h in hits])
        assert "E-104" in hits[0].chunk.text
