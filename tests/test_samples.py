"""Checks the sample knowledge base: PDFs, reproducible build, gold set, fault log."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from knowledge_base.codes import CodeMatcher, normalize_code
from knowledge_base.samples import build, faultlog, goldpages, mdsource

pytestmark = pytest.mark.integration

SAMPLES = Path(build.__file__).resolve().parent
MANUALS = sorted((SAMPLES / "manuals").glob("*.pdf"))
WORK_ORDERS = SAMPLES / "logs" / "work_orders.csv"
MINIMUMS = {"code_lookup": 25, "symptom": 15, "procedure": 15, "safety": 10, "history": 10, "out_of_scope": 12}
HELDOUT = SAMPLES / "gold" / "heldout.jsonl"
HELDOUT_MINIMUMS = {"code_lookup": 14, "symptom": 8, "procedure": 8, "safety": 6, "history": 6, "out_of_scope": 8}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    build.build(out)
    return out


@pytest.fixture(scope="module")
def work_orders() -> list[dict]:
    with WORK_ORDERS.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def manual_codes() -> dict[str, set[str]]:
    """Normalised fault-table codes per equipment model."""
    out = {}
    for model, name in faultlog.SOURCES.items():
        _, elements = mdsource.load(SAMPLES / "src" / name)
        out[model] = {normalize_code(row[0]) for row in mdsource.fault_rows(elements)}
    return out


def test_four_manuals_with_enough_pages():
    assert [p.stem for p in MANUALS] == ["bd500t_conveyor", "cp80s_pump", "hs24k_spindle", "rs37e_compressor"]
    for pdf in MANUALS:
        assert len(goldpages.page_texts(pdf)) >= 8, pdf.name


def test_every_page_has_footer():
    for pdf in MANUALS:
        pages = goldpages.page_texts(pdf)
        for n, text in enumerate(pages, start=1):
            assert f"service manual — page {n} of {len(pages)}" in text, (pdf.name, n)


def test_build_is_reproducible(rebuilt):
    for pdf in MANUALS:
        assert (rebuilt / "manuals" / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name
    for name in ("work_orders.csv", "asset_register.csv"):
        assert (rebuilt / "logs" / name).read_bytes() == (SAMPLES / "logs" / name).read_bytes(), name


def check_category_counts(questions: list[dict], minimums: dict[str, int], total: int) -> None:
    counts = Counter(q["category"] for q in questions)
    assert len(questions) >= total
    assert len({q["id"] for q in questions}) == len(questions)
    for category, minimum in minimums.items():
        assert counts[category] >= minimum, (category, counts[category])
    assert all(q["expected"] == [] for q in questions if q["category"] == "out_of_scope")


def check_codes_exist(questions: list[dict], manual_codes: dict[str, set[str]]) -> None:
    known = set().union(*manual_codes.values())
    for q in questions:
        assert {normalize_code(c) for c in q["expected_codes"]} <= known, q["id"]


def test_gold_anchors_on_their_pages():
    assert goldpages.check(goldpages.load()) == []


def test_gold_category_counts():
    check_category_counts(goldpages.load(), MINIMUMS, 90)


def test_gold_codes_exist_in_manuals(manual_codes):
    check_codes_exist(goldpages.load(), manual_codes)


def test_heldout_anchors_on_their_pages():
    assert goldpages.check(goldpages.load(HELDOUT)) == []


def test_heldout_category_counts():
    questions = goldpages.load(HELDOUT)
    check_category_counts(questions, HELDOUT_MINIMUMS, 48)
    assert all(q["id"].startswith("h") for q in questions)
    for q in questions:
        if q["category"] == "history":
            assert [e["source"] for e in q["expected"]] == ["work_orders.csv"], q["id"]
            assert all(e["page"] is None for e in q["expected"]), q["id"]


def test_heldout_codes_exist_in_manuals(manual_codes):
    check_codes_exist(goldpages.load(HELDOUT), manual_codes)


def test_heldout_is_separate_from_gold():
    gold = goldpages.load()
    heldout = goldpages.load(HELDOUT)
    assert not {q["id"] for q in gold} & {q["id"] for q in heldout}
    assert not {q["question"].lower() for q in gold} & {q["question"].lower() for q in heldout}


def test_heldout_answers_on_expected_passage(work_orders):
    rows = {r["WO"]: goldpages.norm(" ".join(r.values())) for r in work_orders}
    for q in goldpages.load(HELDOUT):
        for exp in q["expected"]:
            if exp["source"].endswith(".csv"):
                text = rows[exp["anchor"]]
            else:
                text = goldpages.page_texts(SAMPLES / "manuals" / exp["source"])[exp["page"] - 1]
            for phrase in q["answer_contains"]:
                assert goldpages.norm(phrase) in text, (q["id"], phrase)


def test_fault_tables_have_enough_codes(manual_codes):
    matcher = CodeMatcher()
    for model, codes in manual_codes.items():
        assert len(codes) >= 12, model
        assert all(matcher.find(c) for c in codes), model


def test_fault_log_shape(work_orders):
    assert list(work_orders[0]) == list(faultlog.HEADER)
    assert len(work_orders) >= 300
    assert len({r["Reported"][:7] for r in work_orders}) >= 12
    assert len({r["Asset"] for r in work_orders}) >= 8
    assert any(not r["Failure Code"] for r in work_orders)
    assert len({r["WO"] for r in work_orders}) == len(work_orders)


def test_fault_log_codes_are_in_their_manual(work_orders, manual_codes):
    matcher = CodeMatcher()
    for row in work_orders:
        if row["Failure Code"]:
            found = matcher.find(row["Failure Code"])
            assert found == (normalize_code(row["Failure Code"]),), row["WO"]
            assert found[0] in manual_codes[row["Equipment Model"]], row["WO"]


def test_asset_register_covers_log(work_orders):
    with (SAMPLES / "logs" / "asset_register.csv").open(encoding="utf-8") as fh:
        register = {r["asset_id"]: r["equipment_model"] for r in csv.DictReader(fh)}
    assert len(register) == 9
    for row in work_orders:
        assert register[row["Asset"]] == row["Equipment Model"], row["WO"]
