"""Store contract: SQLite index + each vector backend stay consistent."""

import pytest

from knowledge_base.errors import EmbeddingMismatch, StoreError
from knowledge_base.store import FileContent
from knowledge_base.types import FileRecord, WorkOrder
from ingest.chunker import Chunker
from knowledge_base.types import PROCEDURE, TABLE_ROW, Block, ParsedDocument

pytestmark = pytest.mark.integration


def _content(path, blocks, digest="d1"):
    doc = ParsedDocument(path, "CP-80S manual", blocks=tuple(blocks), equipment_model="CP-80S")
    chunked = Chunker().chunk(doc, path)
    return FileContent(FileRecord(path, digest, 10, 0.0, len(chunked.chunks)), chunked.chunks)


BLOCKS = [
    Block("Code: E-104 | Description: High bearing vibration | Remedy: replace bearing", TABLE_ROW, 3, ("4 Fault codes",)),
    Block("1. Isolate the pump.\n2. Replace the drive-end bearing.", PROCEDURE, 5, ("5 Repair", "5.3 Bearing")),
]


def _write(store, content, embedder):
    stored, copied = store.reusable_vectors(content.chunks)
    need = [c for c in content.chunks if c.id not in stored and c.id not in copied]
    vecs = dict(copied) | dict(zip([c.id for c in need], embedder.embed_batch([c.embed_text() for c in need])))
    store.replace_file(content, vecs)
    return len(need)


def test_replace_then_search_all_lanes(store, embedder):
    c = _content("/m/pump.pdf", BLOCKS)
    assert _write(store, c, embedder) == 2
    assert store.check() == []
    kw = store.keyword_search("bearing vibration", k=5)
    assert kw[0].chunk.page == 3 and kw[0].lane == "bm25"
    dense = store.dense_search(embedder.embed("replace the drive-end bearing"), k=1)
    assert dense[0].chunk.kind == PROCEDURE
    assert store.index.code_matches(["E104"], k=5)[0][0] == kw[0].chunk.id
    assert store.keyword_search("E104", k=5, where={"equipment_model": "CP-80S"})[0].chunk.fault_codes == ("E104",)
    assert store.keyword_search("bearing", k=5, where={"equipment_model": "OTHER"}) == []


def test_unchanged_chunks_are_not_reembedded_and_dropped_vectors_go(store, embedder):
    _write(store, _content("/m/pump.pdf", BLOCKS), embedder)
    edited = [BLOCKS[0], Block("1. Isolate the pump.\n2. Fit a NEW bearing.", PROCEDURE, 5, ("5 Repair", "5.3 Bearing"))]
    assert _write(store, _content("/m/pump.pdf", edited, "d2"), embedder) == 1
    assert store.check() == []
    assert store.stats()["chunks"] == 2
    assert store.keyword_search("drive-end", k=5) == []


def test_identical_text_in_another_file_reuses_the_vector(store, embedder):
    _write(store, _content("/m/pump.pdf", BLOCKS), embedder)
    assert _write(store, _content("/m/pump-copy.pdf", BLOCKS), embedder) == 0
    assert store.check() == []
    assert store.stats()["chunks"] == 4


def test_remove_file(store, embedder):
    _write(store, _content("/m/pump.pdf", BLOCKS), embedder)
    assert store.remove_file("/m/pump.pdf") == 2
    assert store.catalog() == {} and store.stats()["chunks"] == 0
    assert store.check() == []


def test_crash_between_vector_upsert_and_commit_is_recovered(store, embedder, monkeypatch):
    c = _content("/m/pump.pdf", BLOCKS)

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(store.index, "replace_file", boom)
    with pytest.raises(KeyboardInterrupt):
        _write(store, c, embedder)
    monkeypatch.undo()
    assert store.stats()["chunks"] == 0
    assert any("no chunk" in p for p in store.check())  # orphan vectors until recovery
    assert store.recover() == 2
    assert store.check() == []


def test_crash_before_vector_delete_is_recovered(store, embedder, monkeypatch):
    _write(store, _content("/m/pump.pdf", BLOCKS), embedder)
    monkeypatch.setattr(store.vectors, "delete", lambda ids: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        store.remove_file("/m/pump.pdf")
    monkeypatch.undo()
    assert store.stats()["chunks"] == 0 and store.stats()["journal"] == 2
    assert store.recover() == 2
    assert store.check() == []


def test_work_orders_are_structured_rows(store, embedder):
    doc = ParsedDocument("/l/wo.csv", "wo", doc_type="fault_log", records=(
        WorkOrder("WO-1", "P-3", "2025-03-01T08:00:00", "E-104", "rattle", "bearing worn", "replaced bearing", 3.5, "CP-80S"),
        WorkOrder("WO-2", "P-1", "2025-04-01T08:00:00", "E-107", "crackling", "low suction", "cleaned strainer", 1.0, "CP-80S"),
    ))
    ch = Chunker().chunk(doc, "/l/wo.csv")
    _write(store, FileContent(FileRecord("/l/wo.csv", "x", 1, 0.0, 2, "fault_log"), ch.chunks, ch.work_orders), embedder)
    rows = store.index.work_orders(asset_id="P-3")
    assert [(w.wo_id, w.downtime_h) for w in rows] == [("WO-1", 3.5)]
    assert store.index.work_orders(fault_code="E107")[0].asset_id == "P-1"
    assert store.keyword_search("crackling", k=3)[0].chunk.asset_id == "P-1"


def test_embedder_mismatch_is_refused(store):
    store.check_embedder("model-a", 384)
    store.check_embedder("model-a", 384)
    with pytest.raises(EmbeddingMismatch, match="model-a"):
        store.check_embedder("model-b", 256)


def test_unknown_filter_is_a_store_error(store):
    with pytest.raises(StoreError, match="colour"):
        store.keyword_search("x", where={"colour": "red"})
