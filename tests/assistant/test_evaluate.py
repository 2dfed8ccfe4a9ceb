"""Evaluation: metric math on hand-computed cases, and `faultdesk eval` on a tiny KB."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from assistant.evaluation import evaluate as ev
from assistant.answer.abstain import Evidence
from assistant.evaluation.gold import Expected, GoldQuestion
from assistant.answer.types import Answer, Citation
from knowledge_base.types import Chunk

PUMP = GoldQuestion("q1", "What does E-104 mean?", "code_lookup",
                    (Expected("pump.pdf", 6, "vibration"), Expected("pump.pdf", 7, "bearing")), ("E-104",))
LOG = GoldQuestion("q2", "When was P-2 greased?", "history", (Expected("wo.csv", None, "WO-2"),))
OOS = GoldQuestion("q3", "How do I fix a Frobnitz 9000?", "out_of_scope", ())


def page(p: int, codes=(), source="/kb/pump.pdf", text="high vibration of the bearing") -> Chunk:
    return Chunk(f"{source}{p}{codes}", text, source, page=p, fault_codes=codes)


@pytest.mark.unit
def test_judge_ranks_and_counts_each_expected_passage_once():
    chunks = [page(3), page(6), page(6), page(7)]
    rank, gains, n = ev.judge(chunks, PUMP)
    assert (rank, gains, n) == (2, (0, 1, 0, 1), 2)
    # DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3)
    want = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert ev.ndcg(gains, n, 10) == pytest.approx(want)
    assert ev.ndcg(gains, n, 1) == 0.0  # nothing relevant at rank 1, ideal 1
    assert ev.judge([page(1)], PUMP)[0] is None


@pytest.mark.unit
def test_a_hit_needs_the_anchor_in_its_text_or_heading_not_just_the_page():
    other = page(6, text="Torque the casing bolts to 40 Nm.")
    assert ev.judge([other, page(9), page(6)], PUMP)[0] == 3  # right page, other passage: no hit
    titled = Chunk("h", "1. Lock out.", "/kb/pump.pdf", page=7, section=("5 Repair", "5.3 Drive-end bearing"))
    assert ev.judge([titled], PUMP)[:2] == (1, (1,))  # "bearing" in the section heading
    assert not ev.right_code_chunk([page(6, ("E104",), text="E-104 | see 5.3")], PUMP)


@pytest.mark.unit
def test_citation_precision_uses_the_anchor_rule():
    q = GoldQuestion("q1", "?", "code_lookup", (Expected("pump.pdf", 6, "soft foot"),))
    cites = [Citation("1", "/kb/pump.pdf", 6, "5.2 Alignment", "CAUTION: check for a soft foot."),
             Citation("2", "/kb/pump.pdf", 6, "5.2 Alignment", "Mount the laser tool."),
             Citation("3", "/kb/pump.pdf", 7, "5.3 Soft foot", "x"),
             Citation("4", "/kb/pump.pdf", 6, "5.4 Soft   Foot check", "y")]
    row = ev.grade(q, answer("Check for a soft foot [1][2][3][4].", cites), 1, 1)
    assert (row.cited, row.cited_relevant) == (4, 2)  # [1] by its text, [4] by its heading


@pytest.mark.unit
def test_answer_contains_is_graded_apart_from_quotes():
    q = GoldQuestion("q1", "?", "code_lookup", (Expected("pump.pdf", 6, "x"),), (), ("lock out",))
    cites = [Citation("1", "/kb/pump.pdf", 6, "", "1. Lock out the motor supply.\n2. Remove the guard."),
             Citation("2", "/kb/pump.pdf", 6, "", "WARNING: Lock out and tag out the motor.")]
    quoted = answer("Replace the bearing [1].\n1. Lock out the motor supply. [1]\n\n"
                    "Safety (quoted from the manual):\n> WARNING: Lock out and tag out the motor. [2]", cites)
    own = answer("First lock out the pump, then replace the bearing [1].", cites)
    safety_only = answer("Replace the bearing [1].\n\nSafety (quoted from the manual):\n"
                         "> WARNING: Lock out and tag out the motor. [2]", cites)
    rows = [ev.grade(q, a, 1, 1) for a in (quoted, own, safety_only)]
    assert [(r.contains, r.contains_own) for r in rows] == [(True, False), (True, True), (True, False)]
    assert ev.answer_metrics(rows)["contains_own_rate"] == pytest.approx(1 / 3)


@pytest.mark.unit
def test_unpaged_source_needs_its_anchor():
    rows = [Chunk("a", "Work order WO-1 ...", "/kb/logs/wo.csv"),
            Chunk("b", "Work order WO-2 ...", "/kb/logs/wo.csv")]
    assert ev.judge(rows, LOG)[:2] == (2, (0, 1))


@pytest.mark.unit
def test_recall_mrr_summary():
    assert ev.recall_at([1, 2, 6, None], 1) == 0.25
    assert ev.recall_at([1, 2, 6, None], 5) == 0.5
    assert ev.recall_at([1, 2, 6, None], 10) == 0.75
    assert ev.mrr([1, 2, 6, None]) == pytest.approx((1 + 1 / 2 + 1 / 6) / 4)
    rows = [ev.Ranked("a", "c", "hybrid", 1, (1,), 1), ev.Ranked("b", "c", "hybrid", None, (0,), 1)]
    s = ev.summarise(rows)
    assert (s.n, s.recall1, s.recall10, s.mrr, s.ndcg10) == (2, 0.5, 0.5, 0.5, 0.5)
    assert ev.summarise([]).recall5 == 0.0


@pytest.mark.unit
def test_right_code_chunk_needs_page_and_code_in_top_3():
    assert ev.right_code_chunk([page(1), page(2), page(6, ("E104",))], PUMP)
    assert not ev.right_code_chunk([page(6)], PUMP)  # right page, not the code's row
    assert not ev.right_code_chunk([page(1), page(2), page(3), page(6, ("E104",))], PUMP)


@pytest.mark.unit
def test_percentile_interpolates():
    assert ev.percentile([10], 95) == 10
    assert ev.percentile([], 50) == 0.0
    assert ev.percentile([4, 1, 3, 2], 50) == 2.5
    assert ev.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def answer(text, cites=(), abstained=False, retrieve_ms=5.0) -> Answer:
    return Answer("q", text, tuple(cites), abstained, "extractive", {"retrieve_ms": retrieve_ms})


@pytest.mark.unit
def test_grade_and_answer_metrics():
    q = GoldQuestion("q1", "?", "code_lookup", (Expected("pump.pdf", 6, "x"),), (), ("Bearing", "5.3"))
    good = answer("Replace the bearing (5.3) [1][2].", [Citation("1", "/kb/pump.pdf", 6, "", "x"),
                                                         Citation("2", "/kb/pump.pdf", 9, "", "y")])
    rows = [ev.grade(q, good, 100, 200),
            ev.grade(q, answer("Check the bearing [1].", [Citation("1", "/kb/pump.pdf", 6, "", "x")]), 300, 400),
            ev.grade(q, answer("Not found.", abstained=True), 10, 10),
            ev.grade(OOS, answer("Not found.", abstained=True), 10, 10),
            ev.grade(OOS, answer("Frobnitz!"), 50, 60)]
    assert (rows[0].contains, rows[0].cited, rows[0].cited_relevant) == (True, 2, 1)
    assert rows[1].contains is False and rows[3].contains is None
    m = ev.answer_metrics(rows)
    assert m["citation_precision"] == pytest.approx(2 / 3)  # pooled: 1 of 2 plus 1 of 1
    assert m["contains_rate"] == pytest.approx(1 / 3)  # the abstention counts as a miss
    assert m["contains_rate_answered"] == 0.5
    assert (m["abstain_oos"], m["abstain_in_scope"]) == (0.5, pytest.approx(1 / 3))
    assert m["latency"]["first_token_ms"] == {"p50": 100, "p95": pytest.approx(280), "n": 3}
    assert m["latency"]["total_ms"]["p50"] == 60 and m["latency"]["retrieve_ms"]["n"] == 5


def evidence(score, known=(), unknown=()) -> Evidence:
    return Evidence(tuple(known), tuple(unknown), score, 0.5, ())


@pytest.mark.unit
def test_calibrate_maximises_oos_minus_in_scope_abstentions():
    data = [(evidence(.40), False), (evidence(.55), False), (evidence(.70), True), (evidence(.62), False),
            (evidence(.66), True), (evidence(.20, known=("E104",)), True), (evidence(.95, unknown=("E999",)), False)]
    c = ev.calibrate(data, 0.2)  # scores +0.1: OOS .5 .65 .72, in-scope .76 .80
    assert c.threshold == pytest.approx(0.74) and c.tied == pytest.approx((0.72, 0.76))
    assert (c.oos_abstained, c.in_scope_abstained, c.n_oos, c.n_in_scope) == (1.0, 0.0, 4, 3)
    loose = ev.rates(data, 0.6, 0.2)
    assert (loose.oos_abstained, loose.in_scope_abstained) == (0.5, 0.0)  # only .5 and the unknown code
    assert ev.abstains(evidence(0.0, known=("E104",)), 0.9, 0.2) is False
    assert ev.abstains(evidence(0.9, unknown=("E999",)), 0.1, 0.2) is True


MANUAL = """# AquaMax CP-80S Pump Service Manual

Model: CP-80S

## 3 Safety

WARNING: Isolate the motor before opening the terminal box.

## 4 Fault codes

| Code | Description | Possible cause | Remedy |
|---|---|---|---|
| E-104 | High bearing vibration at the drive end | Bearing wear | Replace the drive-end bearing (5.3) |
| E-105 | High bearing temperature | Over-greasing | Regrease with 20 g |

## 5 Maintenance

### 5.3 Replacing the drive-end bearing

1. Lock out and drain the pump.
2. Remove the coupling guard and the coupling spacer.
3. Pull the old bearing off the shaft with a bearing puller.
"""
LOG_CSV = """WO,Asset,Equipment Model,Reported,Failure Code,Problem,Cause,Remedy,Downtime_h
WO-1,P-1,CP-80S,2025-01-03 13:09,E-104,High vibration,Bearing wear,Replaced bearing,2.5
WO-2,P-2,CP-80S,2025-01-04 08:00,E-105,Hot bearing,Over-greased,Purged grease,1.5
"""
GOLD = [
    {"id": "t1", "question": "what does e104 mean", "category": "code_lookup",
     "expected": [{"source": "pump.md", "page": None, "anchor": "High bearing vibration"}],
     "expected_codes": ["E-104"], "answer_contains": ["bearing"], "asset": None},
    {"id": "t2", "question": "who purged the grease on P-2 hot bearing", "category": "history",
     "expected": [{"source": "wo.csv", "page": None, "anchor": "WO-2"}],
     "expected_codes": [], "answer_contains": ["purged"], "asset": "P-2"},
    {"id": "t3", "question": "how do I calibrate the Zephyr laser cutter optics", "category": "out_of_scope",
     "expected": [], "expected_codes": [], "answer_contains": [], "asset": None},
]


@pytest.fixture
def tiny_kb(tmp_path, monkeypatch):
    from assistant.cli import main
    from knowledge_base.settings import get_settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "pump.md").write_text(MANUAL)
    (docs / "wo.csv").write_text(LOG_CSV)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g) for g in GOLD) + "\n")
    monkeypatch.setenv("FAULTDESK_EMBEDDER", "hash")
    get_settings.cache_clear()
    kb = str(tmp_path / "kb")
    res = CliRunner().invoke(main, ["ingest", str(docs), "--kb", kb, "--json"])
    assert res.exit_code == 0, res.output
    yield main, kb, str(gold)
    get_settings.cache_clear()


@pytest.mark.integration
def test_eval_retrieval_cli_on_a_tiny_kb(tiny_kb):
    main, kb, gold = tiny_kb
    res = CliRunner().invoke(main, ["eval", "retrieval", "--gold", gold, "--kb", kb, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["gold"] == gold and set(out["modes"]) == {"hybrid", "bm25", "dense", "code", "section"}
    hybrid = out["modes"]["hybrid"]
    assert hybrid["n"] == 2 and hybrid["recall5"] == 1.0  # the out-of-scope question is left out
    assert out["code_lookup_top3"]["hybrid"] == 1.0 and out["code_lookup_top3"]["code"] == 1.0
    assert out["recall5_by_category"]["history"]["code"] == 0.0  # no code named: the code lane is silent
    text = CliRunner().invoke(main, ["eval", "retrieval", "--gold", gold, "--kb", kb])
    assert text.exit_code == 0 and f"gold: {gold} (3 questions, 2 in scope, 1 out of scope)" in text.output
    assert "hybrid" in text.output and "recall@5 per category" in text.output


@pytest.mark.integration
def test_eval_answers_and_calibrate_cli_on_a_tiny_kb(tiny_kb):
    main, kb, gold = tiny_kb
    res = CliRunner().invoke(main, ["eval", "answers", "--gold", gold, "--kb", kb, "--llm", "extractive", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["gold"] == gold and out["n"] == 3 and out["answered_by"] == {"extractive": 3}
    cal = CliRunner().invoke(main, ["eval", "calibrate", "--gold", gold, "--kb", kb])
    assert cal.exit_code == 0, cal.output
    assert f"gold: {gold}" in cal.output and "export FAULTDESK_ABSTAIN_THRESHOLD=" in cal.output
