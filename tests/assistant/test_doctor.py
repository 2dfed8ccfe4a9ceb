"""``faultdesk doctor``: the table, --json, exit 1 with the fix named when the
model worker crashes or the model file is bad; ``kb stats`` on a typo path and
a bad setting are one-line errors that create nothing."""

from __future__ import annotations

import json
import sys

import pytest

from assistant.cli import doctor
from knowledge_base.settings import Settings
from .test_supervisor import FAKE

pytestmark = pytest.mark.integration


def test_doctor_json_lists_every_check_and_exits_0_when_all_pass(cli_kb):
    r = cli_kb(["doctor", "--llm", "extractive", "--json"])
    assert r.exit_code == 0, r.output
    checks = {c["name"]: c for c in json.loads(r.stdout)}
    assert {"python", "disk", "knowledge base", "embedder", "model", "mosquitto", "chromium"} <= set(checks)
    assert checks["knowledge base"]["status"] == "ok" and "chunks=" in checks["knowledge base"]["detail"]
    assert all(c["status"] != "fail" for c in checks.values())


def test_doctor_table_names_the_fix_for_a_missing_kb(cli_kb, tmp_path):
    r = cli_kb(["doctor", "--llm", "extractive", "--kb", str(tmp_path / "nokb")])
    assert r.exit_code == 0  # a missing KB is a warning: `make demo` builds it next
    assert "knowledge base  WARN" in r.stdout and f"faultdesk ingest knowledge_base/samples --kb {tmp_path / 'nokb'}" in r.stdout
    assert not (tmp_path / "nokb").exists()


def test_a_model_worker_that_crashes_fails_the_doctor_with_the_rebuild_fix(tmp_path, monkeypatch):
    model = tmp_path / "x.gguf"
    model.write_bytes(b"GGUF")
    argv = [sys.executable, str(FAKE), "segv", "99", str(tmp_path / "count")]
    monkeypatch.setattr("assistant.llm.supervisor.worker_command", lambda *a, **k: argv)
    s = Settings(kb=tmp_path / "kb", embedder="hash", llm_model_path=model)
    [model_check] = doctor.check_model(s, "local")
    assert model_check.status == "fail" and "killed by SIGSEGV" in model_check.detail
    assert model_check.fix == doctor.REBUILD and "llama-rebuild" in doctor.render_table([model_check])


def test_a_bad_model_file_fails_the_doctor_naming_the_file(cli_kb, tmp_path, monkeypatch):
    pytest.importorskip("llama_cpp")
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"not a model at all" * 100)
    monkeypatch.setenv("FAULTDESK_LLM_MODEL_PATH", str(bad))
    from knowledge_base.settings import get_settings

    get_settings.cache_clear()
    r = cli_kb(["doctor", "--llm", "local", "--json"])
    assert r.exit_code == 1
    model = next(c for c in json.loads(r.stdout) if c["name"] == "model")
    assert model["status"] == "fail" and "bad.gguf" in model["detail"] and "FAULTDESK_LLM_MODEL_PATH" in model["fix"]


def test_kb_stats_on_a_typo_path_is_an_error_and_creates_nothing(cli_kb, tmp_path):
    r = cli_kb(["kb", "stats", "--kb", str(tmp_path / "typo")])
    assert r.exit_code == 1 and "no knowledge base at" in r.output and len(r.output.strip().splitlines()) == 1
    assert not (tmp_path / "typo").exists()


def test_a_bad_setting_is_one_line_naming_the_variable(cli_kb, monkeypatch):
    from knowledge_base.settings import get_settings

    monkeypatch.setenv("FAULTDESK_API_RATE_BURST", "-1")
    get_settings.cache_clear()
    r = cli_kb(["kb", "stats"])
    assert r.exit_code == 1
    assert r.output.strip() == "Error: invalid setting FAULTDESK_API_RATE_BURST='-1': must be positive, got -1"


def test_faultdesk_ask_answers_from_the_manuals_when_the_worker_crashes(cli_kb, tmp_path, monkeypatch):
    model = tmp_path / "x.gguf"
    model.write_bytes(b"GGUF")
    argv = [sys.executable, str(FAKE), "segv", "1", str(tmp_path / "count")]
    monkeypatch.setattr("assistant.llm.supervisor.worker_command", lambda *a, **k: argv)
    monkeypatch.setenv("FAULTDESK_LLM_MODEL_PATH", str(model))
    from knowledge_base.settings import get_settings

    get_settings.cache_clear()
    r = cli_kb(["ask", "P-3 shows E-104, what do I check first?", "--llm", "local", "--json"])
    assert r.exit_code == 0, r.output
    answer = json.loads(r.stdout)
    assert answer["backend"] == "extractive" and "alignment" in answer["answer"].lower()
    assert any(n.startswith("The language model stopped; answered from the manuals.") and "SIGSEGV" in n
               for n in answer["notices"])
