"""Deterministic fakes at the edge of the tests, in one place: scripted and gated
generators (the model edge) and a free loopback port (servers started by tests)."""

from __future__ import annotations

import socket
import threading

from assistant.llm.base import LLM
from knowledge_base.errors import ModelError

WAIT = 10.0  # seconds a gated fake waits at most, so a broken test fails instead of hanging


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScriptedLLM(LLM):
    """A deterministic stand-in for the generator: replies with fixed text."""

    name = "scripted"

    def __init__(self, reply):
        self.reply, self.seen = reply, []

    def stream(self, messages, *, max_tokens=384, temperature=0.0, stop=None):
        self.seen.append(messages)
        if isinstance(self.reply, Exception):
            raise self.reply
        yield from (w + " " for w in self.reply.split(" "))


class GatedLLM(LLM):
    """Streams ``pieces``; before the piece at ``gate_at`` it waits until ``gate`` is set.
    ``fail_at`` raises ModelError at that piece instead (a model dying mid-answer)."""

    name = "fake"

    def __init__(self, pieces=("Check the alignment of the ", "shaft [1]."), gate_at: int | None = None,
                 fail_at: int | None = None) -> None:
        self.pieces, self.gate_at, self.fail_at = pieces, gate_at, fail_at
        self.gate, self.waiting = threading.Event(), threading.Event()

    def stream(self, messages, *, max_tokens=384, temperature=0.0, stop=None):
        for i, piece in enumerate(self.pieces):
            if i == self.gate_at:
                self.waiting.set()
                self.gate.wait(WAIT)
            if i == self.fail_at:
                raise ModelError("fake model crashed")
            yield piece
