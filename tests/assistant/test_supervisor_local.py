"""The real worker process with the real model (Qwen2.5-Coder-0.5B, llama.cpp):
it answers, reports the build's CPU features, survives a segfault mid-answer
(sent from outside, as a crash in llama_decode would) and answers again."""

from __future__ import annotations

import os
import signal
import time

import pytest

from assistant.llm.base import Message
from assistant.llm.supervisor import SupervisedLLM, worker_command
from knowledge_base.errors import ModelStopped

pytestmark = pytest.mark.slow
pytest.importorskip("llama_cpp")

HELLO = [Message("user", "Reply with the word OK.")]


def test_the_real_worker_answers_survives_a_segfault_and_answers_again(qwen_path):
    llm = SupervisedLLM(worker_command(qwen_path, n_ctx=2048), qwen_path.name, backoff=0.2,
                        stall_timeout=300, deadline=600)  # generous: the machine may be loaded
    try:
        assert llm.wait_ready(180), llm.status()
        assert "AVX2 = 1" in llm.status().system_info
        before = llm.complete(HELLO, max_tokens=8)
        assert before.strip()
        stream = llm.stream([Message("user", "Count from one to fifty in words.")], max_tokens=120)
        assert next(stream)
        pid = llm.pid
        os.kill(pid, signal.SIGSEGV)
        with pytest.raises(ModelStopped, match="killed by SIGSEGV"):
            list(stream)
        end = time.monotonic() + 180
        while llm.state != "ok":
            assert time.monotonic() < end, llm.status()
            time.sleep(0.1)
        assert llm.pid != pid and llm.status().restarts == 1
        assert llm.complete(HELLO, max_tokens=8) == before  # greedy decoding: the same reply
    finally:
        llm.close()
