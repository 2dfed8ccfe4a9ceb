"""The first question after ``faultdesk serve --llm local`` starts, cold vs warm
(used by ``benchmarks/llm.py --serve-kb KB``).

Each mode starts a fresh server over KB (its own process, a free loopback
port) and asks over the REST API, with an ``ask`` token:

* cold: as soon as ``/api/v1/health`` answers at all, i.e. while the
  embedder, the indexes and the model worker are still loading (what the
  first question paid when everything loaded lazily);
* warm: once health says ``status: ok`` and ``llm: ok`` (the warm start).

Then a second, different question in the same server: the steady state the
first question should match. Wall times include retrieval, generation (up to
``answer_max_tokens``) and the grounding check.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

QUESTIONS = ("What does E-104 mean on the CP80S pump?",
             "How do I check the shaft alignment on the CP80S pump?")
ROOT = Path(__file__).resolve().parent.parent


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True,
                          text=True, check=True)


def _ask(base: str, headers: dict, question: str) -> tuple[float, str]:
    """(wall seconds, "backend, first token at X s" as the server timed it)."""
    t0 = time.perf_counter()
    r = httpx.post(f"{base}/api/v1/ask", json={"question": question}, headers=headers, timeout=900)
    r.raise_for_status()
    body = r.json()
    return time.perf_counter() - t0, f"{body['backend']}, first token {body['timings']['first_token_ms'] / 1e3:.2f} s"


def _health(base: str) -> dict | None:
    try:
        return httpx.get(f"{base}/api/v1/health", timeout=2).json()
    except httpx.HTTPError:
        return None


def one_server(kb: Path, env: dict, headers: dict, mode: str) -> str:
    port = _port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    log = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--kb", str(kb), "--port",
                             str(port), "--llm", "local"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while (h := _health(base)) is None:
            if proc.poll() is not None:
                return f"{mode:5s} server exited with {proc.returncode}"
            time.sleep(0.1)
        accepting = time.perf_counter() - t0
        if mode == "warm":
            while not (h and h["status"] == "ok" and h["llm"] == "ok"):
                time.sleep(0.1)
                h = _health(base)
        ready = time.perf_counter() - t0
        try:
            first, b1 = _ask(base, headers, QUESTIONS[0])
            second, b2 = _ask(base, headers, QUESTIONS[1])
        except httpx.HTTPError as exc:
            log.seek(0)
            return f"{mode:5s} {exc}\n{log.read()[-3000:]}"
        return (f"{mode:5s} accepting after {accepting:5.1f} s, asked at {ready:5.1f} s: first question "
                f"{first:5.2f} s ({b1}), second question {second:5.2f} s ({b2})")
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def serve_first_question(kb: Path, data_dir: Path) -> None:
    """Print the cold and warm lines (see the module docstring)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))),
               FAULTDESK_DATA_DIR=str(data_dir), FAULTDESK_LLM="local")
    token = _cli("token", "create", "--scope", "ask", "--kb", str(kb), env=env).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    print(f"serve over {kb}; questions: {QUESTIONS[0]!r}, then {QUESTIONS[1]!r}", flush=True)
    for mode in ("cold", "warm"):
        print(one_server(kb, env, headers, mode), flush=True)
