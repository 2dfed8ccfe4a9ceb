"""Similar past faults (assistant.alerts.history) and fault-log analytics (assistant.alerts.stats)."""

import json

import pytest

from assistant.alerts.history import PastFault, similar_work_orders
from assistant.alerts.stats import (failure_counts_by_asset, failure_counts_by_code, filter_orders, fleet_stats, mtbf,
                             mttr, top_recurring, write_plots)
from knowledge_base.types import WorkOrder

# P-3 fails at day 0, day 2 (+48 h) and day 2 + 12 h (+12 h): MTBF (48 + 12) / 2 = 30 h,
# MTTR (2 + 4 + 3) / 3 = 3 h. The preventive order (no code) counts in neither.
ORDERS = [
    WorkOrder("W1", "P-3", "2025-01-01T00:00:00", "E-104", downtime_h=2),
    WorkOrder("W2", "P-3", "2025-01-03T00:00:00", "e104", downtime_h=4),
    WorkOrder("W3", "P-3", "2025-01-03T12:00:00", "E-107", downtime_h=3),
    WorkOrder("W4", "P-3", "2025-01-02T00:00:00", None, downtime_h=8),
    WorkOrder("W5", "AC-1", "2025-02-01", "ALARM:9", downtime_h=1.5),
    WorkOrder("W6", "AC-1", "2025-02-11", "ALARM 9", downtime_h=None),
    WorkOrder("W7", "AC-1", None, "ALARM:9", downtime_h=0.5),
]


@pytest.mark.unit
def test_mttr_and_mtbf_by_hand():
    assert mttr(ORDERS) == {"AC-1": 1.0, "P-3": 3.0}  # AC-1: (1.5 + 0.5) / 2, W6 records none
    assert mtbf(ORDERS) == {"AC-1": 240.0, "P-3": 30.0}  # AC-1: 10 days; W7 has no timestamp


@pytest.mark.unit
def test_mtbf_needs_two_timed_failures():
    assert mtbf(ORDERS[:1]) == {} and mtbf([]) == {} and mttr([]) == {}


@pytest.mark.unit
def test_counts_and_recurring_use_normalised_codes():
    assert failure_counts_by_code(ORDERS) == {"ALARM9": 3, "E104": 2, "E107": 1}
    assert failure_counts_by_asset(ORDERS) == {"AC-1": 3, "P-3": 3}
    assert top_recurring(ORDERS) == [("AC-1", "ALARM9", 3), ("P-3", "E104", 2)]
    assert top_recurring(ORDERS, n=1) == [("AC-1", "ALARM9", 3)]


@pytest.mark.unit
def test_filters_since_and_asset():
    assert [w.wo_id for w in filter_orders(ORDERS, since="2025-01-03")] == ["W2", "W3", "W5", "W6"]
    assert [w.wo_id for w in filter_orders(ORDERS, asset="AC-1", since="2025-02-05")] == ["W6"]
    s = fleet_stats(filter_orders(ORDERS, asset="P-3"))
    assert (s.work_orders, s.failures, s.mttr_h, s.mtbf_h) == (4, 3, {"P-3": 3.0}, {"P-3": 30.0})
    assert s.as_json()["recurring"] == [{"asset_id": "P-3", "fault_code": "E104", "count": 2}]


@pytest.mark.unit
def test_plots_are_png(tmp_path):
    written = write_plots(fleet_stats(ORDERS), tmp_path / "plots")
    assert {p.name for p in written} == {"failures_by_code.png", "mttr_by_asset.png", "mtbf_by_asset.png"}
    for p in written:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.integration
def test_history_ranks_same_code_and_asset_first(retriever):
    found = similar_work_orders(retriever, "pump P-3 shows e 104 again", k=5)
    assert all(isinstance(p, PastFault) for p in found)
    top = found[0]
    assert (top.wo_id, top.asset_id, top.fault_code, top.downtime_h) == ("WO-1001", "P-3", "E-104", 3.5)
    assert top.action == "replaced drive-end bearing" and top.date == "2025-03-01"
    assert top.source.endswith("wo.csv") and top.score >= 8 + 4  # code and asset match
    assert [p.wo_id for p in found] == ["WO-1001", "WO-1002"] and found[1].score < 8


@pytest.mark.integration
def test_history_asset_scope_without_code(retriever):
    found = similar_work_orders(retriever, "it tripped hot", asset="ac1", k=2)
    assert found[0].wo_id == "WO-1002" and 4 <= found[0].score < 8
    assert similar_work_orders(retriever, "anything", k=0) == []


@pytest.mark.integration
def test_history_order_code_then_asset_then_text(tmp_path):
    from ingest.pipeline import Ingestor
    from knowledge_base.embedder import HashEmbedder
    from knowledge_base.index import SqliteIndex
    from knowledge_base.retrieval import HybridRetriever
    from knowledge_base.store import Store
    from knowledge_base.vectors import MemoryVectorStore

    # WO-A reads most like the question but has another code; WO-C has the
    # code and the asset but little text in common.
    (tmp_path / "wo.csv").write_text(
        "WO,Asset,Equipment Model,Reported,Failure Code,Problem,Cause,Remedy,Downtime_h\n"
        "WO-A,P-3,CP-80S,2025-01-01,E-107,rattling bearing noise rattling bearing,bearing,new bearing,1\n"
        "WO-B,P-1,CP-80S,2025-01-02,E-104,rattling bearing,worn bearing,replaced bearing,2\n"
        "WO-C,P-3,CP-80S,2025-01-03,E-104,vibration alarm,misalignment,realigned coupling,3\n"
        "WO-D,P-1,CP-80S,2025-01-04,,rattling bearing,PM,greased bearing,4\n")
    store = Store(SqliteIndex(tmp_path / "index.sqlite"), MemoryVectorStore())
    assert Ingestor(store, HashEmbedder()).run([tmp_path / "wo.csv"]).failed == ()
    found = similar_work_orders(HybridRetriever(store, HashEmbedder()), "P-3 e-104 rattling bearing", k=4)
    assert [p.wo_id for p in found] == ["WO-C", "WO-B", "WO-A", "WO-D"]
    # 8 code + 4 asset + 2 model + similarity in [0, 1]
    assert [b <= p.score <= b + 1 for p, b in zip(found, (14, 10, 6, 2))] == [True] * 4


@pytest.mark.integration
def test_history_and_stats_cli_json(cli_kb, tmp_path):
    res = cli_kb(["history", "E104 rattling", "--asset", "p3", "-k", "1", "--json"])
    assert res.exit_code == 0, res.output
    (past,) = json.loads(res.output)
    assert set(past) == {"wo_id", "asset_id", "date", "fault_code", "symptom", "cause", "action",
                         "downtime_h", "score", "source", "chunk_id"}
    assert past["wo_id"] == "WO-1001" and past["downtime_h"] == 3.5
    res = cli_kb(["stats", "--json", "--plots", str(tmp_path / "plots")])
    assert res.exit_code == 0, res.output
    stats = json.loads(res.output)
    assert stats["by_code"] == {"E104": 1, "ALARM9": 1}
    assert stats["mttr_h"] == {"AC-1": 1.0, "P-3": 3.5} and stats["mtbf_h"] == {}
    assert stats["plots"] and all((tmp_path / "plots" / p.split("/")[-1]).exists() for p in stats["plots"])
    only = json.loads(cli_kb(["stats", "--asset", "ac1", "--since", "2025-07-01", "--json"]).output)
    assert only["work_orders"] == 1 and only["by_asset"] == {"AC-1": 1}
    bad = cli_kb(["stats", "--since", "July"])
    assert bad.exit_code == 2 and "not a date" in bad.output
