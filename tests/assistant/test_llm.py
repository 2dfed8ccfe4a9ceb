"""Tests of assistant.llm: protocol, OpenAI-compatible client, default model, local model.

Unit tests talk to a deterministic fake OpenAI-compatible server (a tiny
``http.server`` on a free loopback port that streams SSE). Slow tests run the
real Qwen2.5-Coder-0.5B GGUF, in-process and behind ``llama_cpp.server``; the
assembled model is cached under ``$FAULTDESK_TEST_MODEL_CACHE`` (default
``~/.cache/faultdesk``) so it is joined once per machine, not per run.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
import time
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.llm import LLM, LocalLLM, Message, OpenAICompatLLM, make_llm
from assistant.llm import models
from knowledge_base.errors import ConfigError, ModelError
from tests.fakes import free_port

unit = pytest.mark.unit
slow = pytest.mark.slow

SOURCES = "[1] E-104 means high bearing vibration; replace the drive-end bearing."
SYSTEM = ("You are a maintenance assistant. Answer only from the numbered sources "
          "and cite them like [1].")
QUESTION = [Message("system", SYSTEM),
            Message("user", f"Sources:\n{SOURCES}\n\nQuestion: What does E-104 mean?")]


# --------------------------------------------------------------------------- fake server
class FakeServer:
    """An OpenAI-compatible chat server with a script: fail N times, then stream pieces."""

    def __init__(self, pieces=("Hel", "lo", " [1]"), fail_first=0, status=503,
                 delay=0.0, hold_after_first=False, raw_lines=None):
        self.pieces, self.fail_first, self.status = list(pieces), fail_first, status
        self.delay, self.raw_lines = delay, raw_lines
        self.requests: list[dict] = []  # body, headers and arrival time of each request
        self.release = threading.Event()
        self.hold_after_first = hold_after_first
        handler = type("Handler", (_Handler,), {"fake": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    fake: FakeServer
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_POST(self):
        fake = self.fake
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        fake.requests.append({"path": self.path, "body": body, "headers": dict(self.headers),
                              "t": time.monotonic()})
        if len(fake.requests) <= fake.fail_first:
            return self._plain(fake.status, b'{"error": "overloaded"}')
        time.sleep(fake.delay)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for i, line in enumerate(fake.raw_lines or self._events()):
            self.wfile.write(line.encode() + b"\n\n")
            self.wfile.flush()
            if fake.hold_after_first and i == 1:  # role chunk, first piece, then wait
                fake.release.wait(5)

    def _events(self):
        yield "data: " + json.dumps({"choices": [{"delta": {"role": "assistant"}}]})
        for piece in self.fake.pieces:
            yield "data: " + json.dumps({"choices": [{"delta": {"content": piece}}]})
        yield ": keep-alive comment"
        yield "data: " + json.dumps({"choices": [{"delta": {}, "finish_reason": "stop"}]})
        yield "data: [DONE]"

    def _plain(self, status, data):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def serve():
    servers = []

    def start(**kw):
        servers.append(FakeServer(**kw))
        return servers[-1]

    yield start
    for s in servers:
        s.close()


# --------------------------------------------------------------------------- protocol
@unit
def test_message_is_frozen_and_checks_role():
    m = Message("user", "hi")
    with pytest.raises(AttributeError):
        m.content = "other"
    with pytest.raises(ValueError, match="'robot'"):
        Message("robot", "hi")


@unit
def test_complete_is_stream_joined_and_passes_options():
    seen = {}

    class Scripted(LLM):
        name = "scripted"

        def stream(self, messages, *, max_tokens=384, temperature=0.0, stop=None):
            seen.update(max_tokens=max_tokens, temperature=temperature, stop=stop)
            yield from ["E-104 ", "is ", "bearing ", "vibration"]

    out = Scripted().complete(QUESTION, max_tokens=7, temperature=0.5, stop=["\n"])
    assert out == "E-104 is bearing vibration"
    assert seen == {"max_tokens": 7, "temperature": 0.5, "stop": ["\n"]}


@unit
def test_make_llm_validates_its_values():
    with pytest.raises(ConfigError, match="unknown LLM backend 'extractive'"):
        make_llm("extractive")
    with pytest.raises(ConfigError, match="base_url and model"):
        make_llm("openai", base_url="http://127.0.0.1:1")
    with pytest.raises(ConfigError, match="model_path or a data_dir"):
        make_llm("local")
    with pytest.raises(ConfigError, match="ftp://x"):
        OpenAICompatLLM("ftp://x", "m")


# --------------------------------------------------------------------------- OpenAI client
@unit
def test_streams_pieces_and_sends_the_request(serve):
    srv = serve(pieces=["E-104", " means", " bearing", " vibration [1]"])
    llm = OpenAICompatLLM(srv.url + "/v1", "qwen", api_key="k-123")
    pieces = list(llm.stream(QUESTION, max_tokens=50, stop=["\n\n"]))
    assert pieces == ["E-104", " means", " bearing", " vibration [1]"]
    (req,) = srv.requests
    assert req["path"] == "/v1/chat/completions"
    assert req["headers"]["Authorization"] == "Bearer k-123"
    body = req["body"]
    assert body["model"] == "qwen" and body["stream"] is True
    assert body["max_tokens"] == 50 and body["temperature"] == 0.0 and body["stop"] == ["\n\n"]
    assert body["messages"][1] == {"role": "user", "content": QUESTION[1].content}


@unit
def test_yields_the_first_piece_before_the_reply_is_finished(serve):
    srv = serve(pieces=["first", "second"], hold_after_first=True)
    it = OpenAICompatLLM(srv.url, "m").stream(QUESTION)
    t0 = time.monotonic()
    assert next(it) == "first"
    # The server holds the rest back for 5 s unless released: a buffering
    # client would only return after that.
    assert time.monotonic() - t0 < 3.0
    srv.release.set()
    assert list(it) == ["second"]


@unit
def test_retries_5xx_with_exponential_backoff(serve):
    srv = serve(fail_first=2)
    llm = OpenAICompatLLM(srv.url, "m", retries=2, backoff=0.2)
    assert llm.complete(QUESTION) == "Hello [1]"
    t = [r["t"] for r in srv.requests]
    assert len(t) == 3
    assert t[1] - t[0] >= 0.2 and t[2] - t[1] >= 0.4  # 0.2 s, then doubled


@unit
def test_gives_up_after_the_retries_with_the_status(serve):
    srv = serve(fail_first=10, status=502)
    llm = OpenAICompatLLM(srv.url, "m", retries=2, backoff=0.01)
    with pytest.raises(ModelError, match=r"answered HTTP 502 .*overloaded.*\(after 3 attempts\)"):
        llm.complete(QUESTION)
    assert len(srv.requests) == 3


@unit
def test_client_errors_are_not_retried(serve):
    srv = serve(fail_first=10, status=404)
    with pytest.raises(ModelError, match="refused the request: HTTP 404"):
        OpenAICompatLLM(srv.url, "m", retries=3, backoff=0.01).complete(QUESTION)
    assert len(srv.requests) == 1


@unit
def test_clear_error_when_nothing_listens():
    port = free_port()
    llm = OpenAICompatLLM(f"http://127.0.0.1:{port}", "m", retries=1, backoff=0.01)
    with pytest.raises(ModelError) as err:
        llm.complete(QUESTION)
    assert str(err.value) == (
        f"cannot reach LLM server at http://127.0.0.1:{port}: connection refused"
        " (after 2 attempts)")


@unit
def test_times_out_when_the_server_is_silent(serve):
    srv = serve(delay=2.0)
    t0 = time.monotonic()
    with pytest.raises(ModelError, match="sent nothing for 0.3 s"):
        OpenAICompatLLM(srv.url, "m", timeout=0.3).complete(QUESTION)
    assert time.monotonic() - t0 < 1.5


@unit
@pytest.mark.parametrize("line, message", [
    ("data: {not json", "malformed event"),
    ('data: {"error": {"message": "model not loaded"}}', "model not loaded"),
])
def test_bad_events_raise_model_error(serve, line, message):
    srv = serve(raw_lines=[line, "data: [DONE]"])
    with pytest.raises(ModelError, match=message):
        OpenAICompatLLM(srv.url, "m").complete(QUESTION)


# --------------------------------------------------------------------------- default model
@pytest.fixture
def fake_parts(tmp_path, monkeypatch):
    """Three tiny part packages; the pinned size and digest are those of their join."""
    chunks = [b"GGUF" + bytes(range(256)) * 3, b"middle-part" * 50, b"tail"]
    names = []
    for i, data in enumerate(chunks):
        path = tmp_path / "site" / f"part{i}.bin"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        mod = types.ModuleType(f"fake_part{i}")
        mod.get_part_path = lambda p=str(path): p  # the real packages return str
        monkeypatch.setitem(sys.modules, mod.__name__, mod)
        names.append(mod.__name__)
    whole = b"".join(chunks)
    monkeypatch.setattr(models, "PART_MODULES", tuple(names))
    monkeypatch.setattr(models, "MODEL_SIZE", len(whole))
    monkeypatch.setattr(models, "MODEL_SHA256", hashlib.sha256(whole).hexdigest())
    return whole


@unit
def test_assembles_the_parts_once(fake_parts, tmp_path, monkeypatch):
    path = models.default_model_path(tmp_path / "data")
    assert path == tmp_path / "data" / "models" / models.MODEL_FILE
    assert path.read_bytes() == fake_parts
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, path.name + ".sha256"]
    # A second call trusts size + stamp: it must not join or hash again.
    monkeypatch.setattr(models, "_assemble", lambda *a: pytest.fail("re-assembled"))
    assert models.default_model_path(tmp_path / "data") == path


@unit
def test_a_damaged_model_file_is_assembled_again(fake_parts, tmp_path):
    path = models.default_model_path(tmp_path)
    path.write_bytes(fake_parts[:-1])  # truncated; the stamp still says OK
    assert models.default_model_path(tmp_path).read_bytes() == fake_parts


@unit
@pytest.mark.parametrize("pin, value, message", [
    ("MODEL_SHA256", "0" * 64, "has sha256 .* expected 0000"),
    ("MODEL_SIZE", 12345, "bytes, expected 12345"),
])
def test_wrong_parts_leave_nothing_behind(fake_parts, tmp_path, monkeypatch, pin, value, message):
    monkeypatch.setattr(models, pin, value)
    with pytest.raises(ModelError, match=message):
        models.default_model_path(tmp_path)
    assert list((tmp_path / "models").iterdir()) == []


@unit
def test_missing_part_package_is_named(fake_parts, tmp_path, monkeypatch):
    monkeypatch.setattr(models, "PART_MODULES", models.PART_MODULES + ("no_such_part7",))
    with pytest.raises(ModelError, match="no_such_part7 is not installed"):
        models.default_model_path(tmp_path)
    assert not (tmp_path / "models" / models.MODEL_FILE).exists()


# --------------------------------------------------------------------------- local model
@unit
def test_local_load_failure_names_the_file(tmp_path):
    pytest.importorskip("llama_cpp")
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"this is not a GGUF file" * 100)
    with pytest.raises(ModelError) as err:
        LocalLLM(bad).complete(QUESTION)
    msg = str(err.value)
    assert msg.startswith(f"cannot load GGUF model {bad}: ") and "\n" not in msg


# --------------------------------------------------------------------------- real model (slow)
@pytest.fixture(scope="module")
def qwen(qwen_path):
    return LocalLLM(qwen_path, n_ctx=2048)


def assert_grounded(answer: str):
    """The answer states what the source says E-104 means (high vibration), a
    fact the question ("What does E-104 mean?") does not contain; an answer
    that only repeats the question or says nothing fails."""
    low = answer.lower()
    assert "vibration" in low and "e-104" in low, answer


@slow
def test_local_qwen_answers_from_the_sources(qwen):
    llm = qwen
    pieces = list(llm.stream(QUESTION, max_tokens=60))
    assert len(pieces) > 3  # streamed, not one lump
    answer = "".join(pieces)
    assert_grounded(answer)
    # Greedy decoding: the same question gives the same answer, also after
    # another question moved the KV cache on (prefix reuse must not change it).
    other = [QUESTION[0], Message("user", "Sources:\n[1] E-201 means low oil pressure."
                                          "\n\nQuestion: What does E-201 mean?")]
    assert "oil" in llm.complete(other, max_tokens=40).lower()
    assert llm.complete(QUESTION, max_tokens=60) == answer
    assert llm.complete(QUESTION, max_tokens=3) != answer  # max_tokens is honoured


@slow
def test_local_prompt_longer_than_the_context_is_a_model_error(qwen):
    too_long = [Message("user", "bearing vibration " * 1500)]
    with pytest.raises(ModelError, match="exceed context window of 2048"):
        qwen.complete(too_long)
    assert_grounded(qwen.complete(QUESTION, max_tokens=60))  # still usable afterwards


@pytest.fixture(scope="module")
def llama_server(qwen_path, tmp_path_factory):
    """``python -m llama_cpp.server`` serving the same GGUF on a free loopback port."""
    pytest.importorskip("llama_cpp.server.app", reason="llama-cpp-python[server] not installed")
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(qwen_path),
             "--model_alias", "qwen", "--host", "127.0.0.1", "--port", str(port),
             "--n_ctx", "2048", "--seed", "0", "--verbose", "False"],
            stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc, log, deadline=time.monotonic() + 120)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(url, proc, log, deadline):
    import httpx

    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited {proc.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(url + "/v1/models", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"llama_cpp.server not ready within 120 s:\n{log.read_text()[-2000:]}")


@slow
def test_openai_backend_against_a_real_llama_cpp_server(llama_server):
    llm = make_llm("openai", base_url=llama_server, model="qwen")
    pieces = list(llm.stream(QUESTION, max_tokens=60))
    assert len(pieces) > 3
    assert_grounded("".join(pieces))
