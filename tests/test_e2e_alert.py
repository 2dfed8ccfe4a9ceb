"""End to end, through the real CLI: the sample knowledge base (MiniLM), a
sample pump trace with an injected drive-end bearing fault replayed through
the monitor up to three quarters into the fault (as if live; this slow
drift is detected about 30 h into its 53 h window), then ``ask`` about
the asset with no fault code, then ``report`` for the alert."""

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from assistant.answer.answer_text import split_answer
from monitors.evaluate import load_windows, windows_for
from monitors.sources import parse_time

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "knowledge_base" / "samples"
pytestmark = [pytest.mark.slow, pytest.mark.integration]


def cli(*args: str, kb: Path, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    res = subprocess.run([sys.executable, "-m", "assistant.cli", *args, "--kb", str(kb)], cwd=ROOT,
                         capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})
    assert res.returncode == 0, res.stderr[-2000:]
    return res


@pytest.fixture(scope="module")
def sample_kb(minilm_sample_kb, tmp_path_factory) -> Path:
    """A copy of the session's MiniLM sample KB (this module adds alerts to it)."""
    kb = tmp_path_factory.mktemp("e2e") / "kb"
    shutil.copytree(minilm_sample_kb, kb)
    return kb


@pytest.fixture(scope="module")
def live_alert(sample_kb) -> dict:
    """Replay pump_P-3.csv up to 3/4 of its labelled E-104 window."""
    (window,) = windows_for("pump_P-3.csv", load_windows(SAMPLES / "streams" / "labels.json"))
    start, end = map(parse_time, window)
    cut = start + (end - start) * 0.75
    cli("monitor", "run", "--source", f"csv:{SAMPLES / 'streams' / 'pump_P-3.csv'}",
        "--until", datetime.fromtimestamp(cut, tz=timezone.utc).isoformat(), kb=sample_kb)
    out = cli("monitor", "alerts", "--asset", "P-3", "--json", kb=sample_kb).stdout
    alerts = json.loads(out)
    assert len(alerts) == 1 and alerts[0]["closed"] is None, out  # one alert, still open
    assert start <= alerts[0]["started"] <= cut
    return alerts[0]


def check_answer(answer: dict) -> None:
    cites = answer["citations"]
    assert cites[0]["n"] == "A1" and cites[0]["source"].startswith("alerts/P-3-")
    procedures = [c for c in cites if c["source"].endswith("cp80s_pump.pdf") and c["page"]
                  and c["section"].split(" > ")[-1][:4] in ("5.2 ", "5.3 ")]
    assert procedures, cites  # the manual's bearing / alignment procedure, with its page
    assert "[A1]" in answer["answer"] and f"[{procedures[0]['n']}]" in answer["answer"]


def test_ask_about_the_asset_cites_the_alert_and_the_procedure(live_alert, sample_kb):
    res = cli("ask", "what's wrong with P-3?", "--json", "--llm", "extractive", kb=sample_kb)
    check_answer(json.loads(res.stdout))


def test_ask_with_the_local_model(live_alert, sample_kb, qwen_path):
    res = cli("ask", "what's wrong with P-3?", "--json", "--llm", "local", kb=sample_kb,
              env={"FAULTDESK_LLM_MODEL_PATH": str(qwen_path)})
    answer = json.loads(res.stdout)
    check_answer(answer)
    # the model must handle a plain alert question itself; the extractive fallback fails the test
    assert answer["backend"] == "local", (answer["notices"], answer["answer"])
    # a sentence of the model's own, beyond the alert facts, the quotes and the composed pointers
    own, _ = split_answer(answer["answer"], [c["text"] for c in answer["citations"]])
    said = [s for s in own.splitlines() if not s.startswith(("Procedure to follow", "Similar past fault"))]
    assert any(len(s.split()) > 5 for s in said), answer["answer"]


def test_report_has_plot_procedure_and_past_work_order(live_alert, sample_kb, tmp_path):
    out = tmp_path / "report.md"
    cli("report", live_alert["id"], "--format", "md", "--out", str(out), "--llm", "extractive", kb=sample_kb)
    text = out.read_text()
    assert "data:image/png;base64,iVBOR" in text  # the embedded PNG plot
    assert "## Procedure: 5.2 Checking and correcting shaft alignment (cp80s_pump.pdf p." in text
    assert "| WO-" in text and "Mean time to repair of these" in text
    assert "## Safety (quoted from the manual)" in text


def test_unknown_alert_is_a_clear_error(sample_kb):
    res = subprocess.run([sys.executable, "-m", "assistant.cli", "report", "P-9-1", "--kb", str(sample_kb)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "no alert with id 'P-9-1'" in res.stderr


def test_alert_scenarios_regression(sample_kb):
    """A regression gate, not a held-out measurement: all three scenario sets
    have been run during development (the first two were adjusted on, the
    "final" one is run here on every test run and code changed after its first
    run). Floors at the README's figures (right procedure in the top 3: 93%,
    80%, 90%), and each set must beat the fixed-guess baseline of the same run
    (per manual the 3 sections most often expected in the first set)."""
    names = ("alert_scenarios.jsonl", "alert_scenarios_heldout.jsonl", "alert_scenarios_final.jsonl")
    args = [a for n in names for a in ("--scenarios", str(SAMPLES / "gold" / n))]
    files = json.loads(cli("eval", "alerts", "--json", *args, kb=sample_kb).stdout)["files"]
    first, heldout, final = (files[str(SAMPLES / "gold" / n)] for n in names)
    assert first["n"] == 30 and first["hit"] >= 0.9
    assert heldout["n"] == 20 and heldout["hit"] >= 0.8
    assert final["n"] == 20 and final["hit"] >= 0.9
    assert all(f["hits"] > f["baseline_hits"] for f in (first, heldout, final)), files
