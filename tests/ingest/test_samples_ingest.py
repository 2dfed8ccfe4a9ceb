"""The shipped samples ingest cleanly: every work order has an asset and a time, FMEA tables are not work orders."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assistant.alerts.fmea import load_fmea
from assistant.alerts.history import similar_work_orders
from ingest.pipeline import Ingestor
from knowledge_base.embedder import HashEmbedder
from knowledge_base.index import SqliteIndex
from knowledge_base.retrieval import HybridRetriever
from knowledge_base.store import Store
from knowledge_base.vectors import MemoryVectorStore

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[2] / "knowledge_base" / "samples"


@pytest.fixture(scope="module")
def store():
    store = Store(SqliteIndex(":memory:"), MemoryVectorStore())
    report = Ingestor(store, HashEmbedder()).run([SAMPLES])
    assert report.failed == ()
    return store


def test_no_work_order_lacks_an_asset_or_a_timestamp(store):
    orders = store.index.work_orders()
    with open(SAMPLES / "logs" / "work_orders.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(orders) == len(rows) > 300  # the log's rows, and nothing else
    assert [w.wo_id for w in orders if not w.asset_id or not w.timestamp] == []
    assert all(w.timestamp[:4] in ("2025", "2026") and w.timestamp[4] == "-" for w in orders)  # ISO dates


def test_fmea_tables_are_their_own_kind_and_not_passages(store):
    fmea = {Path(p).name: rec for p, rec in store.catalog().items() if rec.doc_type == "fmea"}
    assert sorted(fmea) == ["bd500t_conveyor.csv", "cp80s_pump.csv", "hs24k_spindle.csv", "rs37e_compressor.csv"]
    assert all(rec.chunk_count == 0 for rec in fmea.values())  # catalogued, so re-runs skip them
    assert store.stats()["chunks"] == 690  # the manuals and the log, as before the FMEA files were added
    assert not [h for h in store.keyword_search("bearing_de_rms failure_mode", k=50) if h.chunk.doc_type == "fmea"]
    assert len(load_fmea(None).rows) == 36  # assistant.alerts.fmea still reads the same tables


def test_similar_past_faults_never_cite_an_fmea_row(store):
    found = similar_work_orders(HybridRetriever(store, HashEmbedder()), "bearing_de_rms up drive-end bearing wear",
                                k=10)
    assert found and all(p.source.endswith("work_orders.csv") for p in found)
    assert not any("pattern:" in p.symptom for p in found)
