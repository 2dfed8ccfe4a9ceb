"""What keeps the API server responsive under load: a per-token rate limit,
a bounded answer-generation queue, and request body limits.

* :class:`RateLimiter`: a token bucket per key (API token id). ``burst``
  requests may come at once; the bucket refills at ``per_minute / 60`` per
  second. Over the limit :class:`RateLimited` says when to retry.
* :class:`GenerationQueue`: answers are generated one at a time (the Service
  serialises them), so at most ``1 + size`` are admitted; beyond that
  :class:`QueueFull` is raised at once instead of letting requests pile up.
  Admitted work runs on the queue's own threads, never on the event loop.
* :class:`BodyLimit`: an ASGI middleware that answers 413 when a request body
  under ``/api/`` is larger than its limit, by ``Content-Length`` before
  reading or by counting a chunked body while it is read.

>>> clock = iter([0.0, 0.0, 0.0, 30.0]).__next__
>>> rl = RateLimiter(per_minute=2, burst=2, clock=clock)
>>> rl.take("t"), rl.take("t")
(None, None)
>>> try:
...     rl.take("t")
... except RateLimited as e:
...     e.retry_after
30.0
>>> rl.take("t") is None
True
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from knowledge_base.errors import QueueFull, RateLimited

MB = 1024 * 1024


class RateLimiter:
    """A token bucket per key; thread-safe."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = per_minute / 60.0, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> None:
        """Spend one request of ``key``'s budget; RateLimited when it is empty."""
        with self._lock:
            tokens = self._check(key)
            self._buckets[key] = (tokens - 1, self._buckets[key][1])

    def check(self, key: str) -> None:
        """RateLimited when ``key``'s budget is empty; spends nothing."""
        with self._lock:
            self._check(key)

    def spend(self, key: str) -> None:
        """Spend one of ``key``'s budget without refusing (a failed login: the
        next :meth:`check` refuses once the failures used up the budget)."""
        with self._lock:
            tokens = self._refill(key)
            self._buckets[key] = (max(tokens - 1, -self.burst), self._buckets[key][1])

    def _refill(self, key: str) -> float:
        now = self.clock()
        tokens, at = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        self._buckets[key] = (tokens, now)
        return tokens

    def _check(self, key: str) -> float:
        tokens = self._refill(key)
        if tokens < 1:
            wait = (1 - tokens) / self.rate
            raise RateLimited(f"rate limit of {self.rate * 60:g} requests per minute exceeded; "
                              f"retry in {wait:.0f} s", retry_after=wait)
        return tokens


class GenerationQueue:
    """Admits at most ``1 + size`` answers at a time (one generating, ``size``
    waiting) and runs them on its own threads."""

    def __init__(self, size: int, retry_after: float = 5.0) -> None:
        self.capacity, self.retry_after = size + 1, retry_after
        self._admitted = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.capacity, thread_name_prefix="faultdesk-answer")

    @property
    def depth(self) -> int:
        """Answers admitted and not finished (generating or waiting)."""
        return self._admitted

    def submit(self, fn: Callable, *args) -> Future:
        """Run ``fn(*args)`` on a queue thread; QueueFull when ``capacity`` answers are admitted."""
        with self._lock:
            if self._admitted >= self.capacity:
                raise QueueFull(f"the answer queue is full ({self.capacity - 1} waiting behind the one "
                                f"being generated); retry in a few seconds", retry_after=self.retry_after)
            self._admitted += 1
        future = self._pool.submit(fn, *args)
        future.add_done_callback(self._release)
        return future

    def _release(self, _: Future) -> None:
        with self._lock:
            self._admitted -= 1

    def shutdown(self) -> None:
        """Stop: waiting answers are cancelled, the one generating finishes in the background."""
        self._pool.shutdown(wait=False, cancel_futures=True)


class BodyLimit:
    """ASGI middleware: 413 for request bodies under ``/api/`` over their limit.

    ``upload_paths`` may send ``upload_mb``, every other API path ``json_mb``.
    Paths outside ``/api/`` (the mounted UI) are not touched.
    """

    def __init__(self, app: ASGIApp, json_mb: float, upload_mb: float, upload_paths: frozenset[str]) -> None:
        self.app, self.json_mb, self.upload_mb, self.upload_paths = app, json_mb, upload_mb, upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        limit_mb = self.upload_mb if scope["path"] in self.upload_paths else self.json_mb
        limit = int(limit_mb * MB)
        message = f"request body larger than the limit of {limit_mb:g} MB for {scope['path']}"
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await _send_json(send, 413, {"error": message})
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            seen += len(msg.get("body", b""))
            if seen > limit:  # raised inside the route's body parsing: the app's handler answers 413
                raise HTTPException(413, message, headers={"Connection": "close"})  # the rest is not read
            return msg

        await self.app(scope, limited, send)


async def _send_json(send: Send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": data})
