"""REST API load: N concurrent clients asking through ``POST /api/v1/ask``.

For each backend (``extractive``, and ``local``: Qwen 0.5B through llama.cpp,
about 3 s an answer) a real server is started (``faultdesk serve``, uvicorn in
a child process) on the sample knowledge base (ingested into a temporary KB
unless ``--kb`` is given). After one untimed warm-up question, for each N in
``--clients`` (10, 50), N client threads, each with its own API token and
HTTP connection, ask ``--per-client`` in-scope questions of the development
gold set one after another.

Answers are generated one at a time and at most ``FAULTDESK_API_QUEUE_SIZE``
(default 8) wait, so under load most requests are refused at once with 503
(full queue) or 429 (rate limit): that is the design, and a refused client
moves on to its next question. Anything else is an error: another status, a
dropped connection, or no reply within ``--timeout`` s (a hang). Target: 0
errors and the server alive at the end. Meanwhile ``GET /api/v1/health`` is
polled every 0.25 s; its p95 latency shows whether the event loop stays
responsive while answers are generated.

Columns: requests, answered (200), refused (429 / 503), errors, wall time,
throughput (answers per second of wall time), p50 / p95 latency of answered
requests, health p95.

    FAULTDESK_DATA_DIR=/tmp/fddata .venv/bin/python benchmarks/api_load.py [--kb SAMPLE_KB] [--clients 10 50]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import FAULTDESK, ROOT, ingest_json  # noqa: E402

GOLD = ROOT / "knowledge_base" / "samples" / "gold" / "questions.jsonl"
REFUSED = (429, 503)


@dataclass(frozen=True)
class Outcome:
    """One request: its HTTP status (None when no response came) and latency."""

    status: int | None
    seconds: float
    error: str = ""


@dataclass(frozen=True)
class Row:
    backend: str
    clients: int
    outcomes: tuple[Outcome, ...]
    wall: float
    health_ms: tuple[float, ...]
    alive: bool

    def count(self, status: int) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != 200 and o.status not in REFUSED]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def questions() -> list[str]:
    from assistant.evaluation.gold import load_gold

    return [q.question for q in load_gold(GOLD) if q.in_scope]


def start_server(kb: str, backend: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen([FAULTDESK, "serve", "--kb", kb, "--port", str(port), "--llm", backend],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 120
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}); see {log}")
        try:
            httpx.get(f"{base}/api/v1/health", timeout=2).raise_for_status()
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"server not ready after 120 s; see {log}")


def ask_all(base: str, token: str, qs: list[str], timeout: float) -> list[Outcome]:
    """One client: the questions one after another; refusals are not retried."""
    out = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=timeout) as http:
        for q in qs:
            t0 = time.perf_counter()
            try:
                r = http.post("/api/v1/ask", json={"question": q})
                ok = r.status_code == 200 or r.status_code in REFUSED
                out.append(Outcome(r.status_code, time.perf_counter() - t0, "" if ok else r.text[:200]))
            except httpx.HTTPError as exc:
                out.append(Outcome(None, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}"))
    return out


def poll_health(base: str, stop: threading.Event, ms: list[float]) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        while not stop.wait(0.25):
            t0 = time.perf_counter()
            try:
                http.get("/api/v1/health").raise_for_status()
                ms.append((time.perf_counter() - t0) * 1000)
            except httpx.HTTPError:
                ms.append(float("inf"))


def load(backend: str, base: str, tokens: list[str], qs: list[str], per_client: int, timeout: float) -> Row:
    n = len(tokens)
    work = [[qs[(i * per_client + j) % len(qs)] for j in range(per_client)] for i in range(n)]
    stop, health_ms = threading.Event(), []
    poller = threading.Thread(target=poll_health, args=(base, stop, health_ms))
    poller.start()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(n) as pool:
        results = list(pool.map(lambda i: ask_all(base, tokens[i], work[i], timeout), range(n)))
    wall = time.perf_counter() - t0
    stop.set()
    poller.join()
    try:
        alive = httpx.get(f"{base}/api/v1/health", timeout=10).status_code == 200
    except httpx.HTTPError:
        alive = False
    return Row(backend, n, tuple(o for r in results for o in r), wall, tuple(health_ms), alive)


def print_table(rows: list[Row]) -> None:
    from assistant.evaluation.evaluate import percentile

    print(f"\n{'backend':10} {'clients':>7} {'requests':>8} {'answered':>8} {'429':>5} {'503':>5} {'errors':>6} "
          f"{'wall s':>7} {'answers/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'health p95 ms':>13} {'alive':>5}")
    for r in rows:
        ok = [o.seconds * 1000 for o in r.outcomes if o.status == 200]
        p50, p95 = (f"{percentile(ok, p):8.0f}" for p in (50, 95)) if ok else ("       -", "       -")
        health = f"{percentile(list(r.health_ms), 95):13.0f}" if r.health_ms else "            -"
        print(f"{r.backend:10} {r.clients:7d} {len(r.outcomes):8d} {len(ok):8d} {r.count(429):5d} "
              f"{r.count(503):5d} {len(r.errors):6d} {r.wall:7.1f} {len(ok) / r.wall:9.2f} {p50} {p95} "
              f"{health} {'yes' if r.alive else 'NO':>5}")
    for r in rows:
        for e in r.errors[:3]:
            print(f"  error ({r.backend}, {r.clients} clients): {e.status} {e.error}")
    errors = sum(len(r.errors) for r in rows)
    print(f"\ntarget 0 errors, server alive: {'met' if errors == 0 and all(r.alive for r in rows) else 'NOT met'}")


def run_backend(backend: str, kb: str, clients: list[int], per_client: int, timeout: float,
                log: Path) -> list[Row]:
    from assistant.web.tokens import TokenStore

    store = TokenStore(kb)
    made = [store.create("ask", name=f"api-load-{backend}-{i}-{os.getpid()}") for i in range(max(clients))]
    proc, base = start_server(kb, backend, log)
    rows = []
    try:
        qs = questions()
        t0 = time.perf_counter()
        httpx.post(f"{base}/api/v1/ask", json={"question": qs[0]}, timeout=600,
                   headers={"Authorization": f"Bearer {made[0][1]}"}).raise_for_status()
        print(f"{backend}: server up, warm-up answer {time.perf_counter() - t0:.1f} s, "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for n in clients:
            rows.append(load(backend, base, [secret for _, secret in made[:n]], qs, per_client, timeout))
            if proc.poll() is not None:
                raise SystemExit(f"server died under load; see {log}")
    finally:
        proc.terminate()
        proc.wait(30)
        for info, _ in made:
            store.revoke(info.id)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description="faultdesk REST API load benchmark")
    ap.add_argument("--kb", help="An ingested sample KB (default: ingest one into a temporary folder).")
    ap.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    ap.add_argument("--per-client", type=int, default=5, help="questions each client asks")
    ap.add_argument("--backends", nargs="+", default=["extractive", "local"])
    ap.add_argument("--timeout", type=float, default=120.0, help="client timeout per request, s")
    args = ap.parse_args()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fd-api-load-") as tmp:
        kb = args.kb
        if kb is None:
            kb = str(Path(tmp) / "sample-kb")
            wall, _, _ = ingest_json([str(ROOT / "knowledge_base" / "samples")], kb)
            print(f"ingested the sample corpus into {kb} in {wall:.0f} s")
        rows = []
        for backend in args.backends:
            rows += run_backend(backend, kb, args.clients, args.per_client, args.timeout,
                                Path(tmp) / f"server-{backend}.log")
        print_table(rows)
    print(f"\ntotal benchmark time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
