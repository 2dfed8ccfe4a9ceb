"""The Gradio UI's handlers and rendering, called directly (no browser, no
server) over a real Service on the small test knowledge base."""

from __future__ import annotations

import math
from pathlib import Path

import gradio as gr
import pytest

from assistant.evaluation.feedback import FeedbackStore
from assistant.service import Service
from assistant.answer.types import Answer, Citation
from assistant.web import ui_render as render
from assistant.web.ui import build_ui
from assistant.web.ui_handlers import Handlers
from knowledge_base.settings import Settings
from monitors.store import AlertStore
from monitors.types import Alert
from tests.fakes import GatedLLM
from tests.web.conftest import write_docs

pytestmark = pytest.mark.integration

MANUAL_PDF = Path(__file__).parents[1] / "data" / "manual.pdf"
SKIP = gr.skip()


def make_handlers(tmp_path, llm="extractive") -> Handlers:
    service = Service(Settings(kb=tmp_path / "kb", embedder="hash", vector_backend="memory"), llm)
    docs = write_docs(tmp_path / "docs")
    (docs / "manual.pdf").write_bytes(MANUAL_PDF.read_bytes())
    assert service.ingest([docs]).failed == ()
    return Handlers(service)


@pytest.fixture
def h(tmp_path) -> Handlers:
    return make_handlers(tmp_path)


def ask(h: Handlers, question: str, turns=(), asset="") -> list[tuple]:
    return list(h.respond(question, [], asset, list(turns)))


def test_answer_streams_then_the_checked_answer_replaces_it(tmp_path):
    h = make_handlers(tmp_path, GatedLLM(("Check the alignment of the ", "shaft [1].")))
    steps = ask(h, "P-3 shows E-104, what do I check first?")
    streamed = [s[0][-1]["content"] for s in steps[:-1]]
    lead = streamed[0]  # the table facts the answer opens with, shown while the model reads
    assert lead.startswith("E-104: High bearing vibration") and all(s.startswith(lead) for s in streamed)
    model = [m for m in (s[len(lead):].lstrip("\n") for s in streamed) if m]
    assert model[:2] == ["Check the alignment of the ", "Check the alignment of the shaft [1]."]
    assert model[2].startswith(model[1] + "\n\nSafety")  # the warnings of the cited procedure
    assert all(s[2] == SKIP and s[3] == SKIP for s in steps[:-1])  # turns and sources wait for Done
    messages, box, turns, cited = steps[-1]
    answer = turns[-1][0]
    assert box == "" and [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[-1]["content"] == render.answer_markdown(answer)
    assert cited == answer.citations and any(c.source.endswith("pump.md") for c in cited)


def test_a_model_failing_mid_answer_is_reported_and_the_question_kept(tmp_path):
    h = make_handlers(tmp_path, GatedLLM(("Check the ", "shaft [1]."), fail_at=1))
    *_, (messages, box, turns, cited) = ask(h, "P-3 shows E-104, what do I check first?")
    assert messages[-1]["content"] == "*Error: fake model crashed*"
    assert box == "P-3 shows E-104, what do I check first?" and turns == SKIP and cited == SKIP


def test_the_ui_keeps_gradios_html_sanitiser_on(h):
    ui = build_ui(h.service)
    shown = [b for b in ui.blocks.values() if isinstance(b, (gr.Chatbot, gr.Markdown))]
    assert shown and all(b.sanitize_html for b in shown)
    assert all(b.allow_tags is False for b in shown if isinstance(b, gr.Chatbot))


def test_a_follow_up_is_retrieved_with_the_earlier_question(h):
    *_, (_, _, turns, _) = ask(h, "P-3 shows E-104, what do I check first?")
    earlier = [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]
    *_, (messages, _, turns, _) = h.respond("and if that doesn't help?", earlier, "", turns)
    assert len(turns) == 2 and len(messages) == 4
    assert "E-104" in turns[1][0].retrieval_query and turns[1][0].question == "and if that doesn't help?"


def test_the_selected_asset_scopes_the_question(h, monkeypatch):
    calls, stream = [], h.service.stream
    monkeypatch.setattr(h.service, "stream", lambda *args: calls.append(args) or stream(*args))
    *_, (_, _, turns, _) = ask(h, "What does ALARM:9 mean?", asset="AC-1")
    *_, (_, _, turns, _) = h.respond("and then?", [], "", turns)
    assert calls == [("What does ALARM:9 mean?", "AC-1", []), ("and then?", None, ["What does ALARM:9 mean?"])]
    assert [asset for _, asset in turns] == ["AC-1", None]


def test_markup_in_questions_and_answers_is_shown_as_text(h):
    *_, (messages, *_) = ask(h, "<img src=x onerror=alert(1)> E-104?")
    assert messages[0]["content"].startswith("&lt;img src=x onerror=alert(1)>")
    answer = Answer("q", "Use <b>care</b> & [1]", (Citation("1", "/d/<x>.pdf", 2, "", "t"),), False,
                    "extractive", notices=("<script>n()</script>",))
    md = render.answer_markdown(answer)
    # the marker [1] is a link to its source card; the file name is shown verbatim
    assert "&lt;b>care&lt;/b> &amp; [\\[1\\]](#src-1)" in md and "*&lt;script>n()&lt;/script>*" in md
    assert "[\\[1\\] &lt;x\\>\\.pdf p\\.2](#src-1)" in md and "<b>" not in md and "<script>" not in md
    assert "extractive answer" not in md and "quoted from the manuals" in md  # the quiet status line


def test_thumbs_and_corrections_are_stored_per_answer(h):
    *_, (_, _, turns, _) = ask(h, "P-3 shows E-104, what do I check first?")
    *_, (_, _, turns, _) = h.respond("What does ALARM:9 mean?", [], "", turns)
    ratings, target, box = h.rate(turns, {}, gr.LikeData(None, {"index": 3, "value": "", "liked": True}))
    assert ratings == {1: "up"} and target == SKIP and box == SKIP
    ratings, target, box = h.rate(turns, ratings, gr.LikeData(None, {"index": 1, "value": "", "liked": False}))
    assert ratings == {1: "up", 0: "down"} and target == 0 and box.open is True
    assert "P-3 shows E-104" in h.correction_target(turns, target)
    assert h.correct("  Replace the drive-end bearing  ", turns, target, ratings) == ""
    stored = FeedbackStore(h.service.settings.kb).all()
    assert [(f.question, f.rating, f.correction) for f in stored] == [
        ("What does ALARM:9 mean?", "up", ""),
        ("P-3 shows E-104, what do I check first?", "down", ""),
        ("P-3 shows E-104, what do I check first?", "down", "Replace the drive-end bearing")]
    # Both compressor.md and manual.pdf define ALARM 9; which definition leads is the fusion's tie-break.
    assert stored[0].citations and stored[0].citations[0]["source"].endswith(("compressor.md", "manual.pdf"))
    with pytest.raises(gr.Error):
        h.correct("  ", turns, None, ratings)


def test_alerts_refresh_only_when_they_change(h):
    assert h.refresh_alerts([]) == SKIP
    store = AlertStore(h.service.settings.kb)
    store.upsert(Alert("P-3-60", "P-3", ("rms",), "zscore", 0.9, "alarm", 60.0, 60.0))
    shown = h.refresh_alerts([])
    assert [a["id"] for a in shown] == ["P-3-60"] and h.refresh_alerts(shown) == SKIP
    store.upsert(Alert("P-3-60", "P-3", ("rms",), "zscore", 0.9, "alarm", 60.0, 120.0, closed=120.0))
    assert h.refresh_alerts(shown) == []


def test_ask_about_an_alert_streams_the_assistants_explanation(h):
    alert = Alert("P-3-60", "P-3", ("bearing_de_rms", "bearing_temp_c"), "auto", 0.9, "warning", 60.0, 7260.0,
                  top_signals=("bearing_de_rms", "bearing_temp_c"))
    AlertStore(h.service.settings.kb).upsert(alert)
    assert h.show_alert_asset(alert.to_dict())[0] == "P-3"
    *_, (messages, box, turns, cited) = h.ask_alert("P-3-60", [], [])
    assert messages[0]["content"] == "About the warning on P-3 since 1970-01-01 00:01 UTC"
    assert box == SKIP and turns[0][1] == "P-3" and cited[0].n == "A1"
    assert "[\\[A1\\]](#src-A1)" in messages[1]["content"]  # the marker links to its source card
    with pytest.raises(gr.Error, match="no longer exists"):
        next(h.ask_alert("gone", [], []))


def test_pdf_citations_get_their_page_and_missing_files_a_message(h, tmp_path):
    pdf = str((tmp_path / "docs" / "manual.pdf").resolve())
    image, problem = h.page_image(Citation("1", pdf, 1, "", "WARNING: Isolate the motor"))
    assert problem is None and Path(image).read_bytes()[:4] == b"\x89PNG"
    md = str((tmp_path / "docs" / "pump.md").resolve())
    assert h.page_image(Citation("2", md, None, "", "x")) == (None, None)
    Path(pdf).unlink()
    image, problem = h.page_image(Citation("1", pdf, 2, "", "WARNING: Isolate the motor"))
    assert image is None and "cannot read the cited file" in problem


def test_history_and_statistics(h):
    rows = h.history("pump rattles with E-104", "", 5)
    assert rows[0][:4] == ["WO-1001", "2025-03-01", "P-3", "E-104"]
    summary, by_code, by_asset, recurring, plots = h.stats("", "")
    assert "**2** work orders, **2** failures" in summary
    # codes as the manuals write them (this KB's two manuals write "ALARM:9" and "ALARM 9"), ties by code
    assert by_code in ([["ALARM:9", 1], ["E-104", 1]], [["ALARM 9", 1], ["E-104", 1]])
    assert sorted(by_asset) == [["AC-1", 1], ["P-3", 1]] and recurring == []
    assert len(plots) == 2 and all(p.size[0] > 200 for p in plots)
    summary, *_ = h.stats("P-3", "2025-01-01")
    assert "**1** work orders" in summary
    with pytest.raises(gr.Error, match='"last tuesday" is not a date: type one like 2024-03-01'):
        h.stats("", "last tuesday")
    summary, *_ = h.stats("", "last week")  # date words are understood (no work order that recent)
    assert "**0** work orders" in summary


class Bar:
    """Records what a gr.Progress would show."""

    def __init__(self):
        self.calls = []

    def __call__(self, fraction, desc=None):
        self.calls.append((fraction, desc))


def test_uploads_are_ingested_with_progress_and_per_file_errors(h, tmp_path):
    up = tmp_path / "upload"
    up.mkdir()
    (up / "mixer.md").write_text("# MX-2 Mixer manual\n\nModel: MX-2\n\n## Faults\n\nM-201: the paddle jammed.\n")
    (up / "mixer_log.csv").write_text("WO,Asset,Equipment Model,Reported,Failure Code,Problem\n"
                                      "WO-9,MX-7,MX-2,2025-05-01,M-201,paddle jammed\n")
    (up / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    bar = Bar()
    summary, failed, assets = h.ingest([str(up / n) for n in ("mixer.md", "mixer_log.csv", "broken.pdf")], bar)
    assert summary.startswith("**2** added") and "**1** failed" in summary
    assert [row[0] for row in failed] == ["broken.pdf"] and "broken.pdf" in failed[0][1]
    assert ("MX-7 (MX-2)", "MX-7") in assets.choices
    assert bar.calls[-1][0] == 1.0 and "3/3 files" in bar.calls[-1][1]
    assert (h.service.settings.kb / "uploads" / "mixer.md").exists()
    with pytest.raises(gr.Error):
        h.ingest([], bar)


def test_alert_card_and_plot():
    lead = tuple((float(t), {"rms": 1.0, "temp": 40.0}) for t in range(0, 3600, 120))
    window = tuple((float(t), {"rms": 5.0, "temp": 60.0}) for t in range(7200, 10800, 120))
    a = Alert("P-3-1", "P-<3>", ("rms", "temp", "flow"), "auto", 0.87, "alarm", 7200.0, 10800.0,
              top_signals=("temp", "rms", "flow"), window=window, lead=lead)
    card = render.alert_markdown(a)
    assert card.startswith("**ALARM · P-&lt;3>**") and "since 1970-01-01 02:00 UTC (1 h 0 min)" in card
    fig = render.alert_figure(a)
    # readable names with units (flow has no readings)
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["temperature (temp)", "vibration (rms, mm/s)"]
    xs = fig.axes[0].lines[0].get_xdata()
    assert sum(math.isnan(x) for x in xs) == 1 and xs[0] == -2.0  # the gap between lead and window
