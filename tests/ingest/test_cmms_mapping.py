"""CMMS / EAM exports map without a mapping file; preventive work stays out of failures.

The exports are the seeded Maximo, SAP PM and chiller-plant shapes of
``benchmarks/cmms_exports.py`` (column names from the systems' public
documentation); ``benchmarks/cmms_mapping.py`` prints the same figures beside
the old mapper's.
"""

from __future__ import annotations

import json
from datetime import datetime
from statistics import fmean

import pytest
from click.testing import CliRunner

from assistant.alerts.history import similar_work_orders
from assistant.alerts.stats import failures, mtbf
from benchmarks.cmms_exports import FIELDS, SYSTEMS, write_export
from benchmarks.cmms_mapping import score
from ingest.loaders import LoadOptions, load_file, load_mapping_file, suggest_mapping
from ingest.loaders.values import day_first, parse_timestamp, work_type
from ingest.pipeline import Ingestor
from knowledge_base.embedder import HashEmbedder
from knowledge_base.index import SqliteIndex
from knowledge_base.retrieval import HybridRetriever
from knowledge_base.store import Store
from knowledge_base.vectors import MemoryVectorStore

ROWS = 800


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmms")
    return {s: write_export(s, out, ROWS, seed=3) for s in SYSTEMS}


@pytest.mark.unit
@pytest.mark.parametrize("system", SYSTEMS)
def test_documented_export_maps_without_a_mapping_file(exports, system):
    path, truths = exports[system]
    doc = load_file(path)
    assert doc.doc_type == "fault_log" and len(doc.records) == ROWS
    figures = score(list(doc.records), truths)
    for field in FIELDS:
        filled, correct, held = figures[field]
        assert held >= 0.6 * ROWS, (field, held)  # the export holds the field on most rows
        assert filled >= 0.99 and correct >= 0.99, (system, field, figures[field])


@pytest.mark.unit
@pytest.mark.parametrize("system", SYSTEMS)
def test_preventive_work_is_kept_out_of_mtbf(exports, system):
    path, truths = exports[system]
    records = list(load_file(path).records)
    assert sum(r.work_type == "preventive" for r in records) == sum(t.preventive for t in truths) > 0
    times: dict[str, list[datetime]] = {}
    for t in truths:  # MTBF by hand from the truth: corrective orders with a time only
        if not t.preventive and t.fault_code and t.timestamp:
            times.setdefault(t.asset_id, []).append(datetime.fromisoformat(t.timestamp))
    expected = {a: fmean((b - a_).total_seconds() / 3600 for a_, b in zip(sorted(v), sorted(v)[1:]))
                for a, v in times.items() if len(v) >= 2}
    got = mtbf(records)
    assert got.keys() == expected.keys()
    assert all(abs(got[a] - expected[a]) < 1e-6 for a in expected)
    assert len(failures(records)) == sum(1 for t in truths if not t.preventive and t.fault_code)
    if any(r.fault_code for r in records if r.work_type == "preventive"):
        # Planned work carries a code here (Maximo's failure class, the chiller's "PM"): without
        # its work type it would count as failures.
        from dataclasses import replace
        assert mtbf([replace(r, work_type=None) for r in records]) != expected


@pytest.mark.integration
def test_similar_past_faults_leave_out_preventive_work(tmp_path):
    log = ("wonum,description,assetnum,worktype,reportdate,problemcode\n"
           "1001,Mechanical seal leaking at pump,P-3,CM,3/1/25 8:00 AM,LEAK\n"
           "1002,Seal inspection and leak check,P-3,PM,3/2/25 8:00 AM,LEAK\n")
    (tmp_path / "wo.csv").write_text(log)
    store = Store(SqliteIndex(":memory:"), MemoryVectorStore())
    assert Ingestor(store, HashEmbedder()).run([tmp_path]).failed == ()
    assert {w.wo_id: w.work_type for w in store.index.work_orders()} == {"1001": "corrective",
                                                                          "1002": "preventive"}
    found = similar_work_orders(HybridRetriever(store, HashEmbedder()), "seal leak LEAK on P-3", k=5)
    assert [p.wo_id for p in found] == ["1001"]


@pytest.mark.unit
def test_suggest_mapping_prints_confidence_and_writes_a_mapping_file_mapping_accepts(exports, tmp_path,
                                                                                    monkeypatch):
    from assistant.cli import main

    path, _ = exports["chiller"]
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["ingest", "--suggest-mapping", str(path)])
    assert res.exit_code == 0, res.output
    lines = {ln.split()[0]: ln.split() for ln in res.output.splitlines()[2:] if ln.startswith("  ")}
    assert lines["wo_id"][1:3] == ["wo_id", "1.00"] and lines["timestamp" if "timestamp" in lines
                                                              else "finish"][1] == "actual_finish"
    assert "Unmapped columns (kept as text in each work order): collection" in res.output
    written = tmp_path / "chiller.mapping.yaml"
    mapping = load_mapping_file(written)
    assert mapping["asset_id"] == "equipment_id" and mapping["duration_h"] == "duration"
    assert load_file(path, LoadOptions(column_mapping=mapping)).records == load_file(path).records
    as_json = json.loads(CliRunner().invoke(main, ["ingest", "--suggest-mapping", str(path), "--json",
                                                   "--mapping-out", "-"]).output)
    assert as_json["work_order_log"] and as_json["mapping_file"] is None
    assert {f["field"]: f["confidence"] for f in as_json["fields"]}["fault_code"] == 1.0


@pytest.mark.unit
def test_suggestion_says_when_a_table_is_no_work_order_log(tmp_path):
    path = tmp_path / "parts.csv"
    path.write_text("part,qty,bin\nbearing 6309,4,A-3\n")
    s = suggest_mapping(path)
    assert not s.work_order_log and "NOT a work-order log" in s.as_text()


@pytest.mark.unit
def test_date_order_is_decided_per_column():
    assert day_first(["4/6/16 14:00", "12/31/16 9:00"]) is False
    assert day_first(["04/06/2016", "31/12/2016"]) is True
    assert day_first(["06.04.2016"]) is True and day_first(["2016-04-06"]) is None
    assert parse_timestamp("4/6/16 14:00", False) == "2016-04-06T14:00:00"
    assert parse_timestamp("04/06/2016", True) == "2016-06-04"
    assert parse_timestamp("3/5/24 2:22 PM") == "2024-03-05T14:22:00"


@pytest.mark.unit
def test_work_type_values():
    assert work_type("WORKTYPE", "PM", False) == "preventive" and work_type("WORKTYPE", "EM", False) == "corrective"
    assert work_type("Order Type", "PM01", False) == "corrective"
    assert work_type("preventive", "FALSE", True) == "corrective"
    assert work_type("Breakdown", "", True) is None and work_type("WORKTYPE", "CP", False) is None


@pytest.mark.unit
def test_sap_separate_date_and_time_columns_are_joined(tmp_path):
    path = tmp_path / "iw29.csv"
    path.write_text("Notification;Equipment;Description;Notif.date;Notif. time;Damage code\n"
                    "10000007;10004711;Pump seal leaking;06.04.2016;14:30:00;LEAK\n", encoding="utf-8")
    (wo,) = load_file(path).records
    assert (wo.wo_id, wo.asset_id, wo.timestamp, wo.fault_code) == ("10000007", "10004711",
                                                                    "2016-04-06T14:30:00", "LEAK")
