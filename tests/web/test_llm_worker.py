"""The server with its model in a worker process that crashes: the API keeps
answering (from the manuals, with the notice), /api/v1/health and the UI
banner say the model is restarting, and after the restart the model answers."""

from __future__ import annotations

import sys
import time

import pytest

from assistant.llm.supervisor import STOPPED_NOTICE, SupervisedLLM
from assistant.web.ui import llm_banner
from tests.assistant.test_supervisor import FAKE

pytestmark = pytest.mark.integration

QUESTION = {"question": "Pump P-3 shows E-104, what do I check?", "asset": "P-3"}


def health_until(api, pred, timeout: float = 20.0) -> dict:
    end = time.monotonic() + timeout
    while True:
        h = api.client.get("/api/v1/health").json()
        if pred(h):
            return h
        assert time.monotonic() < end, h
        time.sleep(0.05)


def test_the_api_answers_through_a_worker_crash_and_reports_it(make_api, tmp_path):
    # times=2: the warm-up generation at start-up crashes once, then the first question.
    argv = [sys.executable, str(FAKE), "segv", "2", str(tmp_path / "count")]
    llm = SupervisedLLM(argv, "fake.gguf", backoff=1.0, load_timeout=20.0)
    api = make_api(llm=llm)
    ask = api.headers["ask"]
    health_until(api, lambda h: h["status"] == "ok" and h["llm"] == "ok")
    assert llm.status().restarts == 1  # the warm-up's crash

    r = api.client.post("/api/v1/ask", json=QUESTION, headers=ask)
    assert r.status_code == 200
    body = r.json()
    assert body["backend"] == "extractive" and "alignment" in body["answer"].lower()
    assert any(n.startswith(STOPPED_NOTICE) and "SIGSEGV" in n for n in body["notices"])

    h = api.client.get("/api/v1/health").json()
    assert h["status"] == "ok" and h["llm"] == "restarting" and "SIGSEGV" in h["llm_detail"]
    banner = llm_banner(api.service)
    assert banner["visible"] and "restarting" in banner["value"]
    # Meanwhile questions are answered at once, from the manuals.
    again = api.client.post("/api/v1/ask", json=QUESTION, headers=ask).json()
    assert again["backend"] == "extractive" and any(STOPPED_NOTICE in n for n in again["notices"])

    health_until(api, lambda h: h["llm"] == "ok")
    assert not llm_banner(api.service)["visible"]
    after = api.client.post("/api/v1/ask", json=QUESTION, headers=ask).json()
    assert after["backend"] == "fake.gguf" and "shaft" in after["answer"]


def test_health_says_starting_until_the_models_are_loaded(make_api, tmp_path):
    argv = [sys.executable, "-c", "import time; time.sleep(3)"]  # a worker that never gets ready
    api = make_api(llm=SupervisedLLM(argv, "slow.gguf", load_timeout=30.0))
    h = api.client.get("/api/v1/health").json()
    assert h["status"] == "starting" and h["llm"] == "starting" and h["llm_backend"] == "slow.gguf"
    assert llm_banner(api.service)["visible"]
