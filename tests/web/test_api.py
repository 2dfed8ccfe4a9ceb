"""The REST API routes over a real (small) knowledge base: answers as JSON and
as Server-Sent Events, search, alerts, uploads, XSS payloads, health, schema."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest

from monitors.store import AlertStore
from monitors.types import Alert

from tests.fakes import WAIT, GatedLLM

pytestmark = pytest.mark.integration

QUESTION = {"question": "Pump P-3 shows E-104, what do I check?", "asset": "P-3"}
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def events(text: str) -> list[tuple[str, dict]]:
    """(event, data) of each SSE frame."""
    out = []
    for frame in text.split("\n\n"):
        if frame.strip():
            fields = dict(line.split(": ", 1) for line in frame.split("\n"))
            out.append((fields["event"], json.loads(fields["data"])))
    return out


def without_timings(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "timings"}


# -- ask ------------------------------------------------------------------------
def test_ask_returns_the_cited_answer(api):
    r = api.client.post("/api/v1/ask", json=QUESTION, headers=api.headers["ask"])
    assert r.status_code == 200
    body = r.json()
    assert not body["abstained"] and body["backend"] == "extractive"
    assert "alignment" in body["answer"].lower()
    assert {Path(c["source"]).name for c in body["citations"]} >= {"pump.md"}
    assert without_timings(body) == without_timings(api.service.ask(QUESTION["question"], "P-3").as_json())


def test_stream_sends_tokens_then_done_equal_to_the_json_answer(make_api):
    api = make_api(llm=GatedLLM())
    r = api.client.post("/api/v1/ask", json=QUESTION | {"stream": True}, headers=api.headers["ask"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    got = events(r.text)
    names = [e for e, _ in got]
    assert names[-1] == "done" and names.count("done") == 1 and set(names[:-1]) == {"token"}
    texts = [d["text"] for _, d in got[:-1]]
    # The table facts the answer opens with come first (shown while the model reads), then the model's pieces.
    assert texts[0].startswith("E-104: High bearing vibration") and texts[1] == "\n"
    assert texts[2:4] == ["Check the alignment of the ", "shaft [1]."]
    assert got[-1][1]["answer"].startswith("".join(texts[:2]))
    plain = api.client.post("/api/v1/ask", json=QUESTION, headers=api.headers["ask"]).json()
    assert without_timings(got[-1][1]) == without_timings(plain)


def test_stream_ends_with_an_error_event_when_the_model_fails_midway(make_api):
    api = make_api(llm=GatedLLM(fail_at=1))
    r = api.client.post("/api/v1/ask", json=QUESTION | {"stream": True}, headers=api.headers["ask"])
    got = events(r.text)
    assert [e for e, _ in got] == ["token"] * 3 + ["error"]  # the table facts, their line end, the model's piece
    assert got[-1][1] == {"error": "fake model crashed"}
    assert api.client.get("/api/v1/health").json()["queue"]["depth"] == 0  # the slot was given back


def test_a_streaming_answer_does_not_block_other_requests(make_api):
    llm = GatedLLM(gate_at=1)
    api = make_api(llm=llm)
    done = []
    t = threading.Thread(target=lambda: done.append(api.client.post(
        "/api/v1/ask", json=QUESTION | {"stream": True}, headers=api.headers["ask"])))
    t.start()
    try:
        assert llm.waiting.wait(WAIT)
        t0 = time.monotonic()
        found = api.client.get("/api/v1/search", params={"q": "bearing"}, headers=api.headers["admin"])
        assert found.status_code == 200
        assert api.client.get("/api/v1/health").json()["queue"]["depth"] == 1
        # Served while the answer is still held at the gate: a blocked loop would answer only
        # after the gate's own timeout (WAIT, counted from before t0) released the model, so
        # the bound is that timeout, not a speed (a busy CI machine took 3.4 s here).
        assert not done
        assert time.monotonic() - t0 < WAIT * 0.8
    finally:
        llm.gate.set()
        t.join(WAIT)
    assert events(done[0].text)[-1][0] == "done"


@pytest.mark.parametrize("body", [{}, {"question": ""}, {"question": "x", "unknown": 1},
                                  {"question": "x", "history": "no"}])
def test_invalid_ask_is_422_with_one_error_line(api, body):
    r = api.client.post("/api/v1/ask", json=body, headers=api.headers["ask"])
    assert r.status_code == 422 and r.json()["error"].startswith("invalid request: body")


# -- search, alerts ---------------------------------------------------------------
def test_search_ranks_the_fault_row_first(api):
    r = api.client.get("/api/v1/search", params={"q": "E104", "k": 3}, headers=api.headers["ask"])
    hits = r.json()
    assert r.status_code == 200 and [h["rank"] for h in hits] == [1, 2, 3][:len(hits)]
    assert "E104" in hits[0]["fault_codes"] and hits[0]["source"].endswith("pump.md")
    bad = api.client.get("/api/v1/search", params={"q": "x", "mode": "magic"}, headers=api.headers["ask"])
    assert bad.status_code == 422


def test_alerts_by_asset_and_one_by_id(api):
    store = AlertStore(api.settings.kb)
    store.upsert(Alert("P-3-100", "P-3", ("vibration",), "zscore", 0.97, "alarm", 100.0, 160.0))
    store.upsert(Alert("AC-1-50", "AC-1", ("temp",), "zscore", 0.8, "warning", 50.0, 60.0, closed=70.0))
    active = api.client.get("/api/v1/alerts", params={"asset": "p3"}, headers=api.headers["ask"]).json()
    assert [a["id"] for a in active] == ["P-3-100"] and active[0]["started_iso"].startswith("1970-01-01T00:01:40")
    assert api.client.get("/api/v1/alerts", params={"asset": "AC-1"}, headers=api.headers["ask"]).json() == []
    every = api.client.get("/api/v1/alerts", params={"active": "false"}, headers=api.headers["ask"]).json()
    assert {a["id"] for a in every} == {"P-3-100", "AC-1-50"}
    one = api.client.get("/api/v1/alerts/AC-1-50", headers=api.headers["ask"])
    assert one.status_code == 200 and one.json()["closed"] == 70.0
    missing = api.client.get("/api/v1/alerts/nope", headers=api.headers["ask"])
    assert missing.status_code == 404 and missing.json() == {"error": "no alert with id 'nope'"}


def test_alerts_carry_readable_signal_names_with_units(api):
    AlertStore(api.settings.kb).upsert(Alert("P-3-200", "P-3", ("bearing_de_rms", "oil_temp_c"), "zscore", 0.9,
                                              "alarm", 100.0, 160.0))
    one = api.client.get("/api/v1/alerts/P-3-200", headers=api.headers["ask"]).json()
    assert one["signal_labels"] == {"bearing_de_rms": "drive-end bearing vibration (bearing_de_rms, mm/s)",
                                    "oil_temp_c": "oil temperature (oil_temp_c, °C)"}
    listed = api.client.get("/api/v1/alerts", params={"asset": "P-3"}, headers=api.headers["ask"]).json()
    assert listed[0]["signal_labels"] == one["signal_labels"]


# -- uploads ----------------------------------------------------------------------
GOOD = b"# Hydra HX-9 Press - Service Manual\n\nModel: HX-9\n\n## 3 Faults\n\n" \
       b"| Code | Description | Remedy |\n|---|---|---|\n| E-555 | Ram drift | Bleed the accumulator |\n"


def test_upload_a_good_and_a_bad_file(api):
    files = [("files", ("../../hx9.md", GOOD, "text/markdown")),
             ("files", ("broken.pdf", b"%PDF-1.4 no", "application/pdf"))]
    r = api.client.post("/api/v1/ingest", files=files, headers=api.headers["ingest"])
    assert r.status_code == 200
    report = r.json()
    assert report["added"] == 1 and len(report["failed"]) == 1
    error = report["failed"][0]["error"]
    assert "\n" not in error and error.startswith("broken.pdf: ") and str(api.settings.kb) not in r.text
    assert report["failed"][0]["path"] == "broken.pdf"
    assert (api.settings.kb / "uploads" / "hx9.md").read_bytes() == GOOD
    assert not (api.settings.kb / "uploads" / "broken.pdf").exists()  # a refused upload is not kept
    hits = api.client.get("/api/v1/search", params={"q": "E-555 ram drift"}, headers=api.headers["ask"]).json()
    assert hits[0]["source"].endswith("uploads/hx9.md")
    answer = api.client.post("/api/v1/ask", json={"question": "What does E-555 mean?"}, headers=api.headers["ask"])
    assert "accumulator" in answer.json()["answer"]


def test_upload_without_files_is_422(api):
    r = api.client.post("/api/v1/ingest", data={"x": "1"}, headers=api.headers["ingest"])
    assert r.status_code == 422 and "field 'files'" in r.json()["error"]


# -- XSS payloads travel as inert JSON text ------------------------------------------
def test_xss_in_documents_and_questions_comes_back_as_json_text(api):
    doc = b"# Mixer MX-1 Manual\n\nModel: MX-1\n\n## 2 Faults\n\n| Code | Description | Remedy |\n|---|---|---|\n" \
          b"| E-777 | Paddle jam " + XSS.encode() + b" | Clear the paddle |\n"
    r = api.client.post("/api/v1/ingest", files={"files": ("mx1.md", doc, "text/markdown")},
                        headers=api.headers["ingest"])
    assert r.json()["added"] == 1
    question = f"E-777 {XSS}"
    plain = api.client.post("/api/v1/ask", json={"question": question}, headers=api.headers["ask"])
    assert plain.headers["content-type"] == "application/json"
    body = plain.json()
    assert body["question"] == question
    assert any(XSS in c["text"] for c in body["citations"])
    streamed = api.client.post("/api/v1/ask", json={"question": question, "stream": True}, headers=api.headers["ask"])
    assert streamed.headers["content-type"].startswith("text/event-stream")
    assert all("<" not in line or line.startswith("data: {") for line in streamed.text.splitlines())
    assert events(streamed.text)[-1][1]["question"] == question
    hits = api.client.get("/api/v1/search", params={"q": "E-777"}, headers=api.headers["ask"])
    assert hits.headers["content-type"] == "application/json" and XSS in hits.json()[0]["text"]


def test_widget_never_parses_text_as_html():
    source = (Path(__file__).parents[2] / "assistant" / "web" / "static" / "widget.js").read_text()
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|eval\(", source)
    assert "textContent" in source


# -- health, schema, static ------------------------------------------------------------
def test_health_needs_no_token(api):
    assert api.service._warm.wait(WAIT)  # the warm-up at start-up is done
    r = api.client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "kb": api.service.store.stats(), "llm": "ok",
                        "llm_backend": "extractive", "llm_detail": "",
                        "queue": {"depth": 0, "capacity": api.settings.api_queue_size + 1}}
    assert r.json()["kb"]["files"] == 3


def test_openapi_schema_lists_the_routes_and_bearer_auth(api):
    schema = api.client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/ask", "/api/v1/search", "/api/v1/alerts", "/api/v1/alerts/{alert_id}", "/api/v1/ingest",
            "/api/v1/feedback", "/api/v1/health", "/api/v1/tokens"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "multipart/form-data" in schema["paths"]["/api/v1/ingest"]["post"]["requestBody"]["content"]


def test_widget_and_operator_page_are_served(api):
    js = api.client.get("/widget.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    page = api.client.get("/operator")
    assert page.status_code == 200 and 'tag.src = "/widget.js"' in page.text


# -- alert reports ----------------------------------------------------------------------
def test_alert_report_in_three_formats(api):
    AlertStore(api.settings.kb).upsert(Alert(
        "P-3-100", "P-3", ("vibration",), "zscore", 0.97, "alarm", 100.0, 160.0, top_signals=("vibration",),
        window=((150.0, {"vibration": 9.5}), (160.0, {"vibration": 9.8}))))
    for fmt, media, start in (("md", "text/markdown", b"# Fault analysis: P-3, alert P-3-100"),
                              ("html", "text/html", b"<!doctype html>"), ("pdf", "application/pdf", b"%PDF-")):
        r = api.client.get("/api/v1/alerts/P-3-100/report", params={"format": fmt}, headers=api.headers["ask"])
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        assert r.content.lower().startswith(start.lower())
        assert r.headers["content-disposition"] == f'attachment; filename="report-P-3-100.{fmt}"'
        assert "default-src 'none'" in r.headers["content-security-policy"]
    missing = api.client.get("/api/v1/alerts/nope/report", headers=api.headers["ask"])
    assert missing.status_code == 404 and "no alert with id 'nope'" in missing.json()["error"]
    bad = api.client.get("/api/v1/alerts/P-3-100/report", params={"format": "docx"}, headers=api.headers["ask"])
    assert bad.status_code == 422
