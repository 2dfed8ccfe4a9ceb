"""A work order quoted in an answer keeps the log's own code spelling ("E104": the quote
is the log's text), and the code it is filed under is named as the statistics and the
manuals write it ("filed under E-104"); the report's past-fault table shows the same form.
On the small two-machine KB with the log's WO-1001 written "E104" (the manual: "E-104")."""

import pytest

from assistant.alerts.analyst import AlertAnalyst, AlertFeed
from assistant.alerts.fmea import load_fmea
from assistant.alerts.report import build_report
from assistant.alerts.report_render import render
from assistant.answer.abstain import Abstainer
from assistant.answer.core import Assistant
from assistant.answer.extractive import compose
from assistant.answer.types import Source
from ingest.pipeline import Ingestor
from knowledge_base.embedder import HashEmbedder
from knowledge_base.index import SqliteIndex
from knowledge_base.retrieval import HybridRetriever
from knowledge_base.store import Store
from knowledge_base.types import Chunk
from knowledge_base.vectors import MemoryVectorStore
from monitors.store import AlertStore

from .conftest import COMPRESSOR, LOG, PUMP
from .test_alert_answers import NOW, bearing_alert

QUOTE = "fault code E104;"  # the log's spelling, quoted as it is


@pytest.mark.unit
def test_the_quote_stays_verbatim_and_names_the_code_it_is_filed_under():
    wo = Chunk("w1", "Work order WO-7; asset P-3; fault code E108; symptom: seal leak.", "log.csv",
               kind="work_order", doc_type="fault_log")
    text = compose("seal leak on P-3", (), [Source("W1", wo, wo.text)], {"E108": "E-108"})
    assert text == "Past work order, filed under E-108: Work order WO-7; asset P-3; fault code E108; " \
                   "symptom: seal leak. [W1]"
    same = Chunk("w2", "Work order WO-8; fault code E-108.", "log.csv", kind="work_order", doc_type="fault_log")
    assert compose("leak", (), [Source("W1", same, same.text)], {"E108": "E-108"}) == \
        "Past work order: Work order WO-8; fault code E-108. [W1]"  # already canonical: nothing added


@pytest.fixture(scope="module")
def assistant_e104(tmp_path_factory):
    root = tmp_path_factory.mktemp("kb-spelling")
    (root / "pump.md").write_text(PUMP)
    (root / "compressor.md").write_text(COMPRESSOR)
    (root / "wo.csv").write_text(LOG.replace(",E-104,", ",E104,"))
    store = Store(SqliteIndex(root / "index.sqlite"), MemoryVectorStore())
    assert Ingestor(store, HashEmbedder()).run([root]).failed == ()
    retriever = HybridRetriever(store, HashEmbedder())
    alerts = AlertStore(root / "alerts")
    alerts.upsert(bearing_alert())
    return Assistant(retriever, Abstainer(store.index, matcher=retriever.matcher), None,
                     alerts=AlertFeed(alerts, recent_h=24, clock=lambda: NOW),
                     analyst=AlertAnalyst(retriever, load_fmea(None)))


@pytest.mark.integration
def test_an_alert_answer_names_the_filed_code_in_the_manuals_spelling(assistant_e104):
    ans = assistant_e104.ask("what's wrong with P-3 right now?")
    line = next(ln for ln in ans.answer.splitlines() if "WO-1001" in ln)
    assert line.startswith("Similar past work order, filed under E-104: Work order WO-1001;"), line
    assert QUOTE in line


@pytest.mark.integration
def test_the_report_files_past_faults_under_the_canonical_code(assistant_e104):
    report = build_report(assistant_e104, bearing_alert())
    assert [p.fault_code for p in report.past][:1] == ["E104"]
    text = render(report, "md").decode()
    past = text[text.index("## Similar past faults"):text.index("## Sources")]
    assert "| WO-1001 | 2025-03-01 | P-3 | E-104 |" in past and "E104" not in past
    assert "filed under E-104" in text and QUOTE in text  # the analysis quotes it verbatim


@pytest.mark.integration
def test_the_cli_history_and_stats_write_the_code_alike(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from assistant.cli import main
    from knowledge_base.settings import get_settings

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "pump.md").write_text(PUMP)
    (tmp_path / "docs" / "wo.csv").write_text(LOG.replace(",E-104,", ",E104,"))
    monkeypatch.setenv("FAULTDESK_EMBEDDER", "hash")
    monkeypatch.setenv("FAULTDESK_KB", str(tmp_path / "kb"))
    get_settings.cache_clear()
    try:
        assert CliRunner().invoke(main, ["ingest", str(tmp_path / "docs"), "--json"]).exit_code == 0
        history = CliRunner().invoke(main, ["history", "rattling pump", "--asset", "P-3", "-k", "1"])
        stats = CliRunner().invoke(main, ["stats"])
    finally:
        get_settings.cache_clear()
    assert history.exit_code == 0 and stats.exit_code == 0, (history.output, stats.output)
    assert "WO-1001  P-3  2025-03-01  E-104  down 3.5 h" in history.output
    assert "  E-104 " in stats.output and "E104" not in stats.output
