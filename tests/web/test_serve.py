"""A real server on a loopback port: ``faultdesk serve`` as a process, and
uvicorn in a thread to see that answer tokens reach the client as generated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from click.testing import CliRunner

from assistant.cli import main
from assistant.web.app import create_app

from tests.fakes import WAIT, GatedLLM, free_port

from .conftest import write_docs

pytestmark = pytest.mark.integration
FAULTDESK = str(Path(sys.executable).with_name("faultdesk"))


def wait_healthy(base: str, proc: subprocess.Popen | None = None, timeout: float = 90) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert proc is None or proc.poll() is None, proc.stderr.read()
        try:
            return httpx.get(f"{base}/api/v1/health", timeout=2).raise_for_status().json()
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"{base} not healthy after {timeout} s")


@contextmanager
def serving(service, settings, timeout: float = 90):
    """``service``'s app on a uvicorn server in a thread, on a free loopback
    port; yields the base URL once healthy, stops the server on exit."""
    server = uvicorn.Server(uvicorn.Config(create_app(service, settings), host="127.0.0.1",
                                           port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.config.port}"
    try:
        wait_healthy(base, timeout=timeout)
        yield base
    finally:
        server.should_exit = True
        thread.join(WAIT)


@contextmanager
def served_in_thread(api, llm: GatedLLM):
    """:func:`serving` for ``api``; on exit the fake model's gate opens first."""
    try:
        with serving(api.service, api.settings) as base:
            yield base
    finally:
        llm.gate.set()


def test_faultdesk_serve_answers_over_http(tmp_path):
    kb = tmp_path / "kb"
    created = CliRunner().invoke(main, ["token", "create", "--scope", "ingest", "--kb", str(kb)])
    headers = {"Authorization": f"Bearer {created.stdout.strip()}"}
    port = free_port()
    env = os.environ | {"FAULTDESK_EMBEDDER": "hash", "FAULTDESK_VECTOR_BACKEND": "memory"}
    proc = subprocess.Popen([FAULTDESK, "serve", "--kb", str(kb), "--port", str(port), "--llm", "extractive"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_healthy(base, proc)["llm_backend"] == "extractive"
        docs = write_docs(tmp_path / "docs")
        files = [("files", (p.name, p.read_bytes())) for p in sorted(docs.iterdir())]
        assert httpx.post(f"{base}/api/v1/ingest", files=files, headers=headers, timeout=60).json()["added"] == 3
        with httpx.stream("POST", f"{base}/api/v1/ask", headers=headers, timeout=60,
                          json={"question": "P-3 shows E-104, what now?", "stream": True}) as r:
            frames = "".join(r.iter_text()).strip().split("\n\n")
        done = json.loads(frames[-1].split("data: ", 1)[1])
        assert frames[-1].startswith("event: done") and done["citations"]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Finished server process" in err  # a graceful stop (uvicorn re-raises SIGTERM afterwards)


def test_tokens_reach_the_client_while_the_answer_is_generated(make_api):
    # Text is shown a checked sentence at a time (the safety filter): a sentence is released when the next begins.
    llm = GatedLLM(pieces=("Check the alignment of the shaft [1]. Then", " refit the guard [1]."), gate_at=1)
    api = make_api(llm=llm)
    with served_in_thread(api, llm) as base:
        with httpx.stream("POST", f"{base}/api/v1/ask", headers=api.headers["ask"], timeout=WAIT,
                          json={"question": "P-3 shows E-104, what now?", "stream": True}) as r:
            lines = (ln for ln in r.iter_lines() if ln)
            assert next(lines) == "event: token"
            first = json.loads(next(lines).removeprefix("data: "))["text"]
            assert first.startswith("E-104: High bearing vibration")  # the table facts lead, shown at once
            texts = []
            while not texts or texts[-1] in ("", "\n"):
                assert next(lines) == "event: token"
                texts.append(json.loads(next(lines).removeprefix("data: "))["text"])
            assert texts[-1] == "Check the alignment of the shaft [1]."
            assert not llm.gate.is_set()  # the first token arrived while generation was still held
            llm.gate.set()
            assert "event: done" in list(lines)
