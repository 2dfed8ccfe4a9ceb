"""Retrieval contract: every mode returns ranked, unique, filtered hits; the
code lane normalises codes and puts the defining row first; assets prefer
their model."""

import pytest

from knowledge_base.retrieval import MODES, Query

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("mode", MODES)
def test_mode_contract(retriever, mode):
    res = retriever.retrieve(Query("E-104 bearing vibration alignment", k=3, mode=mode))
    hits = res.hits
    assert 0 < len(hits) <= 3
    assert len({h.chunk.id for h in hits}) == len(hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.chunk.source and h.chunk.text for h in hits)


@pytest.mark.parametrize("mode", MODES)
def test_filters_restrict_every_mode(retriever, mode):
    res = retriever.retrieve(Query("E-104 ALARM:9 bearing cooler", k=10, mode=mode,
                                   filters={"equipment_model": "RS-37E"}))
    assert res.hits, mode  # every lane has RS-37E text to find (ALARM:9, "cooler")
    assert {h.chunk.equipment_model for h in res.hits} == {"RS-37E"}
    unfiltered = retriever.retrieve(Query("E-104 ALARM:9 bearing cooler", k=10, mode=mode))
    assert "CP-80S" in {h.chunk.equipment_model for h in unfiltered.hits}  # so the filter removed something


@pytest.mark.parametrize("spelling", ["E-104", "E104", "e 104", "e-104"])
def test_code_spellings_find_the_defining_row_first(retriever, spelling):
    res = retriever.retrieve(Query(f"pump shows {spelling}", k=5))
    assert res.codes == ("E104",)
    top = res.hits[0].chunk
    assert top.kind == "table_row" and "High bearing vibration" in top.text


def test_unknown_code_finds_nothing_in_the_code_lane(retriever):
    res = retriever.retrieve(Query("What does E-999 mean?", k=5, mode="code"))
    assert res.codes == ("E999",) and res.hits == ()


def test_asset_resolves_to_model_and_is_preferred(retriever):
    res = retriever.retrieve(Query("p3 is rattling, what now?", k=5))
    assert res.assets == ("P-3",) and res.model == "CP-80S"
    assert res.hits[0].chunk.equipment_model == "CP-80S"
    scoped = retriever.retrieve(Query("what now?", k=5, asset="ac-1"))
    assert scoped.assets == ("AC-1",) and scoped.model == "RS-37E"


def test_unknown_mode_is_refused(retriever):
    with pytest.raises(ValueError, match="fuzzy"):
        retriever.retrieve(Query("x", mode="fuzzy"))


def test_search_and_ask_cli_json(cli_kb):
    import json

    hits = json.loads(cli_kb(["search", "e 104", "-k", "3", "--json"]).output)
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert set(hits[0]) == {"rank", "score", "text", "source", "page", "section", "fault_codes",
                            "doc_type", "equipment_model"}
    assert hits[0]["fault_codes"] == ["E104"] and hits[0]["page"] is None  # Markdown has no pages
    only = json.loads(cli_kb(["search", "bearing", "--asset-id", "P-3", "--json"]).output)
    assert only and {h["doc_type"] for h in only} == {"fault_log"}
    ans = json.loads(cli_kb(["ask", "E-104 on P-3?", "--llm", "extractive", "--json"]).output)
    assert set(ans) >= {"question", "answer", "citations", "abstained", "backend", "timings"}
    assert ans["citations"][0]["n"] == 1 and ans["backend"] == "extractive"
