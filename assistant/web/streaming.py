"""Answers as Server-Sent Events, generated on a queue thread.

:func:`answer_events` submits the Service's token stream to the
:class:`~assistant.web.limits.GenerationQueue` (so a full queue is refused
before the response starts) and returns an async iterator of SSE frames that
the event loop awaits without blocking:

``event: token`` / ``data: {"text": ...}`` for each provisional piece, then
``event: done`` / ``data: <answer JSON>`` (the authoritative answer), or
``event: error`` / ``data: {"error": ...}`` when generation fails midway.

When the client goes away, the generation thread stops after its current
piece and releases the Service's generation lock.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import closing

from knowledge_base.errors import FaultdeskError

from ..service import Service
from assistant.answer.types import Done, Token
from .limits import GenerationQueue

log = logging.getLogger(__name__)
_END = object()


def sse(event: str, data: dict) -> bytes:
    """One SSE frame; ``data`` is JSON on one line, so no payload can break the framing."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def error_message(exc: BaseException) -> str:
    """What a client is told: the error tree's message, or a generic line for a bug (logged)."""
    if isinstance(exc, FaultdeskError):
        return str(exc)
    log.error("answer failed", exc_info=exc)
    return f"internal error while answering ({type(exc).__name__})"


def answer_events(service: Service, queue: GenerationQueue, question: str, asset: str | None,
                  history: Sequence[str]) -> AsyncIterator[bytes]:
    """Admit the question to ``queue`` now (QueueFull propagates) and return its SSE frames."""
    loop = asyncio.get_running_loop()
    frames: asyncio.Queue = asyncio.Queue()
    stop = threading.Event()

    def put(item) -> None:
        loop.call_soon_threadsafe(frames.put_nowait, item)

    def generate() -> None:
        try:
            if stop.is_set():  # the client left while the question waited
                return
            with closing(service.stream(question, asset, history)) as events:
                for event in events:
                    if isinstance(event, Token):
                        put(sse("token", {"text": event.text}))
                    elif isinstance(event, Done):
                        put(sse("done", event.answer.as_json()))
                    if stop.is_set():
                        return
        except Exception as exc:  # noqa: BLE001 - reported to the client as an error event
            put(sse("error", {"error": error_message(exc)}))
        finally:
            put(_END)

    queue.submit(generate)

    async def frames_until_end() -> AsyncIterator[bytes]:
        try:
            while (frame := await frames.get()) is not _END:
                yield frame
        finally:
            stop.set()

    return frames_until_end()
