"""Ratings through POST /api/v1/feedback, exported as gold questions by the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.evaluation.feedback import Feedback, FeedbackStore, to_gold
from assistant.evaluation.gold import load_gold, relevant_any
from knowledge_base.errors import ConfigError

pytestmark = pytest.mark.integration


def ask(api, question, asset=None):
    r = api.client.post("/api/v1/ask", json={"question": question, "asset": asset}, headers=api.headers["ask"])
    assert r.status_code == 200
    return r.json()


def rate(api, answer, rating, correction="", asset=None):
    body = {"answer": answer, "rating": rating, "correction": correction, "asset": asset}
    return api.client.post("/api/v1/feedback", json=body, headers=api.headers["ask"])


def test_feedback_export_round_trip(api, tmp_path):
    good = ask(api, "Pump P-3 shows E-104, what do I check?", "P-3")
    fixed = ask(api, "ALARM:9 on the compressor, what now?")
    bad = ask(api, "How do I fit a new bearing?")
    off = ask(api, "What is the canteen menu on Friday?")
    assert off["abstained"]
    ids = [rate(api, good, "up", asset="P-3").json()["id"],
           rate(api, fixed, "down", correction="  clean the   oil cooler ").json()["id"],
           rate(api, bad, "down").json()["id"],
           rate(api, off, "up").json()["id"]]
    assert ids == sorted(ids) and len(set(ids)) == 4

    out = tmp_path / "gold.jsonl"
    result = CliRunner().invoke(main, ["feedback", "export", "--kb", str(api.settings.kb), "--out", str(out)])
    assert result.exit_code == 0, result.output
    gold = {q.question: q for q in load_gold(out)}
    assert set(gold) == {good["question"], fixed["question"], off["question"]}  # the bare thumbs down is not gold

    g = gold[good["question"]]
    assert g.category == "feedback" and g.asset == "P-3" and g.answer_contains == ()
    assert {e.source for e in g.expected} == {Path(c["source"]).name for c in good["citations"]}
    f = gold[fixed["question"]]
    assert f.category == "feedback_corrected" and f.answer_contains == ("clean the oil cooler",)
    assert gold[off["question"]].category == "out_of_scope" and not gold[off["question"]].in_scope

    # the exported anchors find the cited chunks again
    for q in (g, f):
        hits = api.service.search(q.question, k=10).hits
        assert any(relevant_any(h.chunk, q) for h in hits)


def test_feedback_rejects_a_bad_rating(api):
    answer = ask(api, "E-104?")
    r = rate(api, answer, "meh")
    assert r.status_code == 422 and "rating" in r.json()["error"]


@pytest.mark.unit
def test_only_the_latest_rating_of_a_question_counts(tmp_path):
    store = FeedbackStore(tmp_path)
    cites = ({"source": "/kb/pump.pdf", "page": 6, "text": "E-104 High bearing vibration"},)
    store.add(Feedback("E-104 on P-3?", "wrong", "down", cites, "replace the bearing", "P-3"))
    store.add(Feedback("e-104  on p-3?", "right", "up", cites, asset="P-3"))
    store.add(Feedback("E-104 on P-3?", "other asset", "up", cites, asset="P-1"))
    gold = to_gold(store.all())
    assert [(g["category"], g["asset"], g["answer_contains"]) for g in gold] == [
        ("feedback", "P-3", []), ("feedback", "P-1", [])]


@pytest.mark.unit
def test_feedback_of_an_answer_and_rating_check(tmp_path):
    with pytest.raises(ConfigError, match="rating must be one of"):
        Feedback("q", "a", "meh")
    long = {"source": "m.pdf", "page": 2, "text": "word " * 40}
    (g,) = to_gold([FeedbackStore(tmp_path).add(Feedback("q", "a", "up", (long,)))])
    assert g["expected"] == [{"source": "m.pdf", "page": 2, "anchor": ("word " * 12).strip()}]
