"""Issue 12 against a real server: ``faultdesk serve`` as a process (the
startup rules, the access log, bodies refused before they are read) and
uvicorn in a thread (the event loop stays free while the UI generates)."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time

import httpx
import pytest

from assistant.web.tokens import TokenStore

from tests.fakes import WAIT, GatedLLM, free_port
from .test_serve import FAULTDESK, served_in_thread, wait_healthy

pytestmark = pytest.mark.integration
ENV = os.environ | {"FAULTDESK_EMBEDDER": "hash", "FAULTDESK_VECTOR_BACKEND": "memory",
                    "FAULTDESK_API_MAX_UPLOAD_MB": "1"}


def serve(kb, *args, port=None):
    """``faultdesk serve`` on a loopback port; its stdout (the access log) and stderr go to one pipe."""
    port = port or free_port()
    proc = subprocess.Popen([FAULTDESK, "serve", "--kb", str(kb), "--port", str(port), "--llm", "extractive", *args],
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, f"http://127.0.0.1:{port}", port


def stop(proc) -> str:
    proc.terminate()
    return proc.communicate(timeout=30)[0]


def test_binding_beyond_loopback_without_a_login_is_refused(tmp_path):
    res = subprocess.run([FAULTDESK, "serve", "--kb", str(tmp_path / "kb"), "--host", "0.0.0.0", "--port",
                          str(free_port())], env=ENV, capture_output=True, text=True, timeout=120)
    assert res.returncode != 0
    assert "needs a login for the UI: create a token first with 'faultdesk token create" in res.stderr


def test_loopback_without_tokens_warns_once_then_a_token_closes_the_ui(tmp_path):
    proc, base, _ = serve(tmp_path / "kb")
    try:
        wait_healthy(base, proc)
        assert httpx.get(f"{base}/config").status_code == 200  # open, as the warning says
        TokenStore(tmp_path / "kb").create("ask")
        time.sleep(2.5)  # the policy looks the tokens up every 2 s
        assert httpx.get(f"{base}/config").status_code == 401
    finally:
        err = stop(proc)
    warnings = [ln for ln in err.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 1 and "open to anyone on this machine without a login" in warnings[0]


def test_the_widget_token_never_reaches_the_access_log(tmp_path):
    _, token = TokenStore(tmp_path / "kb").create("ask")
    proc, base, _ = serve(tmp_path / "kb")
    try:
        wait_healthy(base, proc)
        assert httpx.get(f"{base}/operator", params={"asset": "P-3", "token": token}).status_code == 200
        assert httpx.get(f"{base}/api/v1/alerts", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        err = stop(proc)
    assert "GET /operator?asset=P-3&token=[redacted]" in err
    assert token.split(".")[1] not in err


def raw_post(port: int, path: str, length: int, headers: str = "") -> bytes:
    """Send only the head of a POST announcing ``length`` bytes; the server's answer, read without sending any body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {length}\r\n"
                  f"Content-Type: multipart/form-data; boundary=x\r\n{headers}\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data


def _length(response: bytes) -> int:
    for line in response.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def test_a_200_mb_upload_is_refused_before_its_body_is_read(tmp_path):
    kb = tmp_path / "kb"
    _, token = TokenStore(kb).create("ingest")
    proc, base, port = serve(kb)
    try:
        wait_healthy(base, proc)
        rest = raw_post(port, "/api/v1/ingest", 200 * 2**20, f"Authorization: Bearer {token}\r\n")
        assert rest.startswith(b"HTTP/1.1 413")
        with httpx.Client(base_url=base) as client:
            client.post("/login", data={"token": token})
            cookie = f"Cookie: faultdesk_session={client.cookies['faultdesk_session']}\r\n"
        ui = raw_post(port, "/gradio_api/upload", 200 * 2**20, cookie)
        assert ui.startswith(b"HTTP/1.1 413") and b"over the limit of 1 MB" in ui
        # chunked (no length announced): counted while read, refused at the limit, not after 200 MB
        sent = 0

        def body():
            nonlocal sent
            yield (b'--x\r\nContent-Disposition: form-data; name="files"; filename="big.md"\r\n'
                   b"Content-Type: text/markdown\r\n\r\n")
            for _ in range(200):
                sent += 2**20
                yield b"x" * 2**20

        try:
            r = httpx.post(f"{base}/api/v1/ingest", content=body(), timeout=30,
                           headers={"Authorization": f"Bearer {token}",
                                    "Content-Type": "multipart/form-data; boundary=x"})
            assert r.status_code == 413
        except httpx.HTTPError:
            pass  # the server closed the connection while the client still sent
        assert sent < 50 * 2**20
        assert not (kb / "uploads").exists() or list((kb / "uploads").iterdir()) == []
    finally:
        stop(proc)


def test_health_answers_while_the_ui_generates(make_api):
    llm = GatedLLM(gate_at=1)
    llm.gate.clear()
    api = make_api(llm=llm)
    with served_in_thread(api, llm) as base:
        _, token = TokenStore(api.settings.kb).create("ask")
        with httpx.Client(base_url=base, timeout=WAIT * 3) as client:
            client.post("/login", data={"token": token})
            event = client.post("/gradio_api/call/respond",
                                json={"data": ["P-3 shows E-104, what now?", [], "", []]}).json()["event_id"]
            stream = threading.Thread(target=lambda: client.get(f"/gradio_api/call/respond/{event}"))
            stream.start()
            assert llm.waiting.wait(WAIT), "the UI answer never reached the model"
            t0 = time.perf_counter()
            assert httpx.get(f"{base}/api/v1/health", timeout=5).status_code == 200
            assert time.perf_counter() - t0 < 1.0
            llm.gate.set()
            stream.join(WAIT)
