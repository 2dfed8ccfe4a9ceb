"""Kill the server mid-answer: a real ``faultdesk serve`` process, fed documents
through its API (Chroma and SQLite on disk) and rated once, is SIGKILLed while
an answer streams to a client over SSE.

The answer model is a deterministic fake at the model's own I/O boundary: an
OpenAI-compatible HTTP server in the test process (the ``openai`` backend
talks to it) that sends the first piece of the answer and then holds, so the
kill always lands while tokens are flowing.

The client must see a broken stream (a token, then the connection closed
without the ``done`` event) within a bounded time, not hang; afterwards
nothing is corrupted: ``kb check`` passes, the feedback and token databases
pass SQLite's integrity check and keep their rows, and a restarted server on
the same knowledge base answers the same question with the same token.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.fakes import WAIT, free_port

from .conftest import write_docs
from .test_serve import FAULTDESK, wait_healthy

pytestmark = pytest.mark.slow

QUESTION = "P-3 shows E-104, what now?"
# The first piece holds a whole sentence and the start of the next: checked sentences are
# released as the next one begins (the safety filter), so a token reaches the client before the hold.
PIECES = ("Check the alignment of the shaft [1]. Then", " recheck the coupling [1].")


class FakeOpenAI(ThreadingHTTPServer):
    """``POST /v1/chat/completions`` streaming PIECES as OpenAI chunks. While
    ``hold`` is set it stops after the first piece until ``release`` is set
    (at most WAIT seconds); ``holding`` says a reply is being held."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hold, self.release, self.holding = threading.Event(), threading.Event(), threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for i, piece in enumerate(PIECES):
                if i == 1 and self.server.hold.is_set():
                    self.server.holding.set()
                    self.server.release.wait(WAIT)
                self._event({"choices": [{"delta": {"content": piece}}]})
            self.wfile.write(b"data: [DONE]\n\n")
        except OSError:
            pass  # the faultdesk server that asked was killed

    def _event(self, data: dict) -> None:
        self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake_llm():
    server = FakeOpenAI()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([FAULTDESK, *args], env=env, capture_output=True, text=True, timeout=120, check=False)


@contextmanager
def serving(kb: Path, env: dict):
    """A ``faultdesk serve`` process on a free port; yields (base URL, process)."""
    port = free_port()
    proc = subprocess.Popen([FAULTDESK, "serve", "--kb", str(kb), "--port", str(port), "--llm", "openai"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.communicate(timeout=30)


def stream_events(base: str, headers: dict, on_first_token=None) -> tuple[list[str], Exception | None]:
    """The SSE event names of one streamed answer and the error that ended the
    stream, if any; ``on_first_token`` runs once the first token arrived."""
    events: list[str] = []
    try:
        with httpx.stream("POST", f"{base}/api/v1/ask", headers=headers, timeout=WAIT,
                          json={"question": QUESTION, "stream": True}) as r:
            for line in r.iter_lines():
                if line.startswith("event: "):
                    events.append(line.removeprefix("event: "))
                if line.startswith("data: ") and events == ["token"] and on_first_token:
                    on_first_token()
        return events, None
    except httpx.HTTPError as exc:
        return events, exc


def integrity(db: Path, table: str) -> tuple[str, int]:
    with closing(sqlite3.connect(db)) as con:
        return con.execute("PRAGMA integrity_check").fetchone()[0], con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_killing_the_server_mid_answer_breaks_the_stream_and_corrupts_nothing(tmp_path, fake_llm):
    kb = tmp_path / "kb"
    env = os.environ | {"FAULTDESK_EMBEDDER": "hash", "FAULTDESK_LLM_BASE_URL": fake_llm.url,
                        "FAULTDESK_LLM_MODEL": "fake"}
    created = cli("token", "create", "--scope", "ingest", "--name", "station-1", "--kb", str(kb), env=env)
    assert created.returncode == 0, created.stderr
    headers = {"Authorization": f"Bearer {created.stdout.strip()}"}

    with serving(kb, env) as (base, proc):
        docs = write_docs(tmp_path / "docs")
        files = [("files", (p.name, p.read_bytes())) for p in sorted(docs.iterdir())]
        assert httpx.post(f"{base}/api/v1/ingest", files=files, headers=headers, timeout=120).json()["added"] == 3
        answer = httpx.post(f"{base}/api/v1/ask", json={"question": QUESTION}, headers=headers, timeout=WAIT).json()
        assert answer["citations"] and not answer["abstained"]
        rated = httpx.post(f"{base}/api/v1/feedback", json={"answer": answer, "rating": "up"}, headers=headers,
                           timeout=WAIT)
        assert rated.status_code == 200, rated.text

        fake_llm.hold.set()
        killed_at: list[float] = []

        def kill() -> None:
            assert fake_llm.holding.wait(WAIT)  # generation is under way, held after its first piece
            os.kill(proc.pid, signal.SIGKILL)
            killed_at.append(time.monotonic())

        events, error = stream_events(base, headers, on_first_token=kill)
        ended = time.monotonic()
        assert proc.wait(WAIT) == -signal.SIGKILL
    assert events[:1] == ["token"] and "done" not in events and "error" not in events, events
    assert error is not None, "the stream ended as if complete"  # the connection closed mid-body
    assert ended - killed_at[0] < WAIT

    check = cli("kb", "check", "--kb", str(kb), env=env)
    assert check.returncode == 0 and check.stdout.strip() == "ok", check.stdout + check.stderr
    assert integrity(kb / "feedback.sqlite", "feedback") == ("ok", 1)
    assert integrity(kb / "tokens.sqlite", "tokens") == ("ok", 1)

    fake_llm.hold.clear()
    fake_llm.release.set()
    with serving(kb, env) as (base, _):
        assert httpx.get(f"{base}/api/v1/health", timeout=WAIT).json()["llm_backend"] == "openai"
        events, error = stream_events(base, headers)
        assert error is None and events[0] == "token" and events[-1] == "done", (events, error)
        again = httpx.post(f"{base}/api/v1/ask", json={"question": QUESTION}, headers=headers, timeout=WAIT).json()
    assert again["answer"] == answer["answer"] and again["citations"] == answer["citations"]
