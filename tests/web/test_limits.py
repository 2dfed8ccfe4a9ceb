"""Body limits (413), per-token rate limit (429), bounded generation queue (503), CORS."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.web.limits import GenerationQueue, RateLimiter
from knowledge_base.errors import QueueFull, RateLimited

from tests.fakes import WAIT, GatedLLM

pytestmark = pytest.mark.integration


def wait_until(condition, timeout=WAIT):
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.01)


# -- body limits ----------------------------------------------------------------
def test_oversize_json_is_413_before_auth(make_api):
    api = make_api(api_max_json_mb=0.001)  # 1,048 bytes
    r = api.client.post("/api/v1/ask", json={"question": "x" * 1500})
    assert r.status_code == 413
    assert r.json() == {"error": "request body larger than the limit of 0.001 MB for /api/v1/ask"}


def test_oversize_chunked_json_is_413(make_api):
    api = make_api(api_max_json_mb=0.001)
    body = iter([b'{"question": "', b"x" * 800, b"x" * 800, b'"}'])  # no Content-Length
    r = api.client.post("/api/v1/ask", content=body, headers=api.headers["ask"] | {"Content-Type": "application/json"})
    assert r.status_code == 413 and "0.001 MB" in r.json()["error"]


def test_json_under_the_limit_passes(make_api):
    api = make_api(api_max_json_mb=0.001)
    assert api.client.post("/api/v1/ask", json={"question": "E-104?"}, headers=api.headers["ask"]).status_code == 200


def test_oversize_upload_is_413_and_nothing_is_saved(make_api):
    api = make_api(api_max_upload_mb=0.01)
    files = {"files": ("big.md", b"# Big\n\n" + b"word " * 5000, "text/markdown")}
    r = api.client.post("/api/v1/ingest", files=files, headers=api.headers["ingest"])
    assert r.status_code == 413 and "0.01 MB for /api/v1/ingest" in r.json()["error"]
    assert not (api.settings.kb / "uploads" / "big.md").exists()


# -- rate limit -----------------------------------------------------------------
def test_rate_limit_is_per_token_with_retry_after(make_api):
    api = make_api(api_rate_burst=3, api_rate_per_minute=1)
    codes = [api.client.get("/api/v1/alerts", headers=api.headers["ask"]).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = api.client.get("/api/v1/alerts", headers=api.headers["ask"])
    assert r.status_code == 429 and "1 requests per minute" in r.json()["error"]
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert api.client.get("/api/v1/alerts", headers=api.headers["admin"]).status_code == 200
    assert api.client.get("/api/v1/health").status_code == 200  # no token, no budget


@pytest.mark.unit
def test_token_bucket_refills_at_the_rate():
    now = [0.0]
    rl = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    rl.take("a")
    rl.take("a")
    with pytest.raises(RateLimited) as err:
        rl.take("a")
    assert err.value.retry_after == pytest.approx(1.0)
    rl.take("b")  # another key has its own bucket
    now[0] = 1.0
    rl.take("a")
    now[0] = 100.0  # a long pause refills only up to the burst
    rl.take("a")
    rl.take("a")
    with pytest.raises(RateLimited):
        rl.take("a")


# -- generation queue -----------------------------------------------------------
@pytest.mark.unit
def test_queue_admits_capacity_then_refuses_until_one_finishes():
    queue = GenerationQueue(size=1)
    gate = threading.Event()
    futures = [queue.submit(gate.wait, WAIT) for _ in range(2)]
    assert queue.capacity == 2 and queue.depth == 2
    with pytest.raises(QueueFull, match=r"1 waiting"):
        queue.submit(gate.wait, WAIT)
    gate.set()
    for f in futures:
        assert f.result(WAIT) is True
    wait_until(lambda: queue.depth == 0)
    assert queue.submit(lambda: 42).result(WAIT) == 42
    queue.shutdown()


def test_full_queue_answers_503_at_once_and_admitted_answers_finish(make_api):
    llm = GatedLLM(gate_at=1)
    api = make_api(llm=llm, api_queue_size=1)
    results = []

    def ask():
        results.append(api.client.post("/api/v1/ask", json={"question": "E-104 on the pump, what now?"},
                                       headers=api.headers["ask"]))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    wait_until(lambda: api.client.app.state.queue.depth == 2 and llm.waiting.is_set())
    t0 = time.monotonic()
    r = api.client.post("/api/v1/ask", json={"question": "E-104?"}, headers=api.headers["admin"])
    assert time.monotonic() - t0 < 2
    assert r.status_code == 503 and "queue is full" in r.json()["error"]
    assert int(r.headers["retry-after"]) >= 1
    stream = api.client.post("/api/v1/ask", json={"question": "E-104?", "stream": True}, headers=api.headers["admin"])
    assert stream.status_code == 503  # refused before the event stream starts
    assert api.client.get("/api/v1/health").json()["queue"] == {"depth": 2, "capacity": 2}
    llm.gate.set()
    for t in threads:
        t.join(WAIT)
    assert [r.status_code for r in results] == [200, 200]
    assert all(r.json()["backend"] in ("fake", "extractive") for r in results)


# -- CORS -----------------------------------------------------------------------
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}


def test_cors_allows_only_configured_origins(make_api):
    api = make_api(api_origins=("http://hmi.plant.local",))
    ok = api.client.options("/api/v1/ask", headers={"Origin": "http://hmi.plant.local"} | PREFLIGHT)
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "http://hmi.plant.local"
    bad = api.client.options("/api/v1/ask", headers={"Origin": "http://evil.example"} | PREFLIGHT)
    assert bad.status_code == 400 and "access-control-allow-origin" not in bad.headers
    got = api.client.get("/api/v1/alerts", headers=api.headers["ask"] | {"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in got.headers
    got = api.client.get("/api/v1/alerts", headers=api.headers["ask"] | {"Origin": "http://hmi.plant.local"})
    assert got.headers["access-control-allow-origin"] == "http://hmi.plant.local"


def test_no_cross_origin_access_by_default(api):
    r = api.client.options("/api/v1/ask", headers={"Origin": "http://hmi.plant.local"} | PREFLIGHT)
    assert "access-control-allow-origin" not in r.headers
