"""The first question after ``faultdesk serve --llm local`` starts, cold vs warm
(used by ``benchmarks/llm.py --serve-kb KB``).

Each run starts a fresh server over KB (its own process, a free loopback
port) and asks over the streaming REST API (``"stream": true``), with an
``ask`` token:

* cold (one run): as soon as ``/api/v1/health`` answers at all, i.e. while
  the embedder, the indexes and the model worker are still loading (what the
  first question paid when everything loaded lazily);
* warm (``runs`` runs): once health says ``status: ok`` and ``llm: ok`` (the
  warm start).

Then a second, different question in the same server: the steady state the
first question should match. Times are measured by this client:

* *visible*: the first text event, i.e. the first sentence the safety check
  released (what the engineer sees first);
* *answer*: the final event (the whole answer, grounding check included).

The server's own timings break the answer down: retrieval, when the model's
first piece came (before the sentence check held it), prompt tokens (evaluated
/ reused from the KV cache) and llama.cpp's prompt and generation times.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
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


def ask_streaming(base: str, headers: dict, question: str) -> dict:
    """One streamed question: client-side ``visible`` and ``answer`` seconds,
    the answer's ``backend`` and the server's ``timings``."""
    t0 = time.perf_counter()
    visible, event = None, ""
    with httpx.stream("POST", f"{base}/api/v1/ask", json={"question": question, "stream": True},
                      headers=headers, timeout=900) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "token" and visible is None:
                visible = time.perf_counter() - t0
            elif line.startswith("data:") and event == "error":
                raise httpx.HTTPError(line[5:].strip())
            elif line.startswith("data:") and event == "done":
                body = json.loads(line[5:])
                answer = time.perf_counter() - t0
                return {"visible": visible or answer, "answer": answer, "backend": body["backend"],
                        "timings": body["timings"], "text": body["answer"]}
    raise httpx.HTTPError("the stream ended without a done event")


def _health(base: str) -> dict | None:
    try:
        return httpx.get(f"{base}/api/v1/health", timeout=2).json()
    except httpx.HTTPError:
        return None


def describe(q: dict) -> str:
    """One question's line: client times, then the server's breakdown."""
    t = q["timings"]
    line = (f"visible {q['visible']:5.2f} s, answer {q['answer']:5.2f} s ({q['backend']}; retrieval "
            f"{t.get('retrieve_ms', 0) / 1e3:.2f} s")
    if "model_first_ms" in t:
        line += f", model's first piece {t['model_first_ms'] / 1e3:.2f} s"
    if "llm_prompt_tokens" in t:
        reused = t["llm_prompt_tokens"] - t["llm_prompt_eval"]
        line += (f", prompt {t['llm_prompt_tokens']} tok ({reused} reused) in {t['llm_prompt_ms'] / 1e3:.2f} s"
                 f", generated {t['llm_gen_tokens']} tok in {t['llm_gen_ms'] / 1e3:.2f} s"
                 f", {t.get('llm_threads', '?')} threads")
    return line + ")"


def one_server(kb: Path, env: dict, headers: dict, mode: str) -> dict:
    """Start a server, ask both questions (``mode`` cold or warm); a dict with
    ``accepting``/``ready`` seconds and the two questions, or ``error``."""
    port = _port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    log = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--kb", str(kb), "--port",
                             str(port), "--llm", "local"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while (h := _health(base)) is None:
            if proc.poll() is not None:
                return {"error": f"server exited with {proc.returncode}"}
            time.sleep(0.1)
        accepting = time.perf_counter() - t0
        if mode == "warm":
            while not (h and h["status"] == "ok" and h["llm"] == "ok"):
                time.sleep(0.1)
                h = _health(base)
        ready = time.perf_counter() - t0
        try:
            first = ask_streaming(base, headers, QUESTIONS[0])
            second = ask_streaming(base, headers, QUESTIONS[1])
        except httpx.HTTPError as exc:
            log.seek(0)
            return {"error": f"{exc}\n{log.read()[-3000:]}"}
        return {"accepting": accepting, "ready": ready, "first": first, "second": second}
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def serve_first_question(kb: Path, data_dir: Path, runs: int = 3) -> list[dict]:
    """Print one cold run and ``runs`` warm runs, then the warm medians."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))),
               FAULTDESK_DATA_DIR=str(data_dir), FAULTDESK_LLM="local")
    token = _cli("token", "create", "--scope", "ask", "--kb", str(kb), env=env).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    print(f"serve over {kb}; questions: {QUESTIONS[0]!r}, then {QUESTIONS[1]!r}", flush=True)
    warm = []
    for i, mode in enumerate(["cold"] + ["warm"] * runs):
        r = one_server(kb, env, headers, mode)
        load = os.getloadavg()[0]
        if "error" in r:
            print(f"{mode:5s} FAILED: {r['error']}", flush=True)
            continue
        print(f"{mode:5s} run {i}: accepting after {r['accepting']:5.1f} s, asked at {r['ready']:5.1f} s "
              f"(load {load:.1f})\n      first question:  {describe(r['first'])}\n"
              f"      second question: {describe(r['second'])}", flush=True)
        if mode == "warm":
            warm.append(r)
    if warm:
        med = {k: statistics.median(r["first"][k] for r in warm) for k in ("visible", "answer")}
        model = [r["first"]["timings"]["model_first_ms"] / 1e3 for r in warm if "model_first_ms" in r["first"]["timings"]]
        local = sum(r["first"]["backend"] == "local" for r in warm)
        print(f"warm first question, median of {len(warm)} ({local} answered by the local model): "
              f"first visible sentence {med['visible']:.2f} s, model's first piece "
              f"{statistics.median(model) if model else float('nan'):.2f} s, whole answer {med['answer']:.2f} s; "
              f"target <= 3 s: first visible {'met' if med['visible'] <= 3 else 'NOT met'}, "
              f"whole answer {'met' if med['answer'] <= 3 else 'NOT met'}", flush=True)
        print(f"warm first answer (run 1): {warm[0]['first']['text'][:400]!r}", flush=True)
    return warm
