"""The contract every LLM backend keeps (:class:`assistant.llm.base.LLM`), run against
the OpenAI-compatible client (over a scripted local server) and the supervised worker
process (over a fake model): text pieces out, ``complete`` the pieces joined, the same
messages the same reply at temperature 0, and a model that cannot be reached is a
ModelError."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.llm import OpenAICompatLLM
from assistant.llm.base import LLM, Message
from assistant.llm.supervisor import SupervisedLLM
from knowledge_base.errors import ModelError
from tests.fakes import free_port

from .test_llm import FakeServer

pytestmark = pytest.mark.integration

FAKE_WORKER = Path(__file__).with_name("fake_worker.py")
MESSAGES = [Message("system", "Answer from the sources."), Message("user", "E-104 on P-3?")]


def _openai(tmp_path):
    server = FakeServer(pieces=("Check the alignment of the ", "shaft [1]."))
    return OpenAICompatLLM(server.url, "qwen"), server.close


def _supervised(tmp_path):
    argv = [sys.executable, str(FAKE_WORKER), "segv", "0", str(tmp_path / "count")]
    llm = SupervisedLLM(argv, "fake.gguf", backoff=0.2, stall_timeout=5.0, load_timeout=20.0)
    return llm, llm.close


@pytest.fixture(params=[_openai, _supervised], ids=["openai", "supervised"])
def backend(request, tmp_path):
    llm, close = request.param(tmp_path)
    yield llm
    close()


def test_streams_text_pieces_and_complete_joins_them(backend: LLM):
    assert isinstance(backend.name, str) and backend.name
    pieces = list(backend.stream(MESSAGES, max_tokens=32))
    assert pieces and all(isinstance(p, str) for p in pieces)
    assert backend.complete(MESSAGES, max_tokens=32) == "".join(pieces)


def test_the_same_messages_give_the_same_reply_at_temperature_zero(backend: LLM):
    assert backend.complete(MESSAGES, temperature=0.0) == backend.complete(MESSAGES, temperature=0.0)


@pytest.mark.parametrize("unreachable", ["openai", "supervised"])
def test_a_model_that_cannot_be_reached_is_a_model_error(unreachable, tmp_path):
    if unreachable == "openai":
        llm = OpenAICompatLLM(f"http://127.0.0.1:{free_port()}", "qwen")
    else:
        llm = SupervisedLLM([sys.executable, "-c", "import sys; sys.exit(3)"], "gone.gguf",
                            backoff=0.1, load_timeout=5.0)
    try:
        with pytest.raises(ModelError):
            llm.complete(MESSAGES, max_tokens=8)
    finally:
        getattr(llm, "close", lambda: None)()
