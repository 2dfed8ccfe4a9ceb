"""The model runs in a supervised worker process: a worker that segfaults,
is OOM-killed or aborts mid-answer, one that hangs, one that exits at load.
Each question still gets an answer (from the manuals, with the notice), the
worker is restarted, and the next question uses the model again."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from assistant.answer.abstain import Abstainer
from assistant.answer.core import Assistant
from assistant.llm.base import Message
from assistant.llm.supervisor import STOPPED_NOTICE, SupervisedLLM
from knowledge_base.errors import ModelStopped

pytestmark = pytest.mark.integration

FAKE = Path(__file__).with_name("fake_worker.py")
QUESTION = "P-3 shows E-104, what do I check first?"
MODEL_TEXT = "Check the alignment of the shaft [1]."


def fake_llm(tmp_path, mode: str, times: int = 1, **kw) -> SupervisedLLM:
    argv = [sys.executable, str(FAKE), mode, str(times), str(tmp_path / f"{mode}.count")]
    kw = {"backoff": 0.2, "stall_timeout": 5.0, "load_timeout": 20.0} | kw
    return SupervisedLLM(argv, "fake.gguf", **kw)


def assistant_with(retriever, llm) -> Assistant:
    return Assistant(retriever, Abstainer(retriever.store.index, threshold=0.3), llm, "local")


def wait_state(llm: SupervisedLLM, state: str, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while llm.state != state:
        assert time.monotonic() < end, f"state {llm.state!r}, wanted {state!r}: {llm.status()}"
        time.sleep(0.05)


def test_a_healthy_worker_streams_the_model_text(tmp_path):
    llm = fake_llm(tmp_path, "segv", times=0)
    try:
        assert llm.wait_ready(20) and llm.state == "ok"
        assert llm.complete([Message("user", "hi")]) == MODEL_TEXT
        assert llm.complete([Message("user", "again")]) == MODEL_TEXT  # one worker, many requests
    finally:
        llm.close()


@pytest.mark.parametrize("mode, reason", [("segv", "SIGSEGV"), ("sigkill", "SIGKILL (out of memory?)"),
                                          ("abort", "SIGABRT")])
def test_a_worker_dying_mid_answer_gives_the_manuals_answer_then_the_model_again(retriever, tmp_path,
                                                                                 mode, reason):
    llm = fake_llm(tmp_path, mode)
    a = assistant_with(retriever, llm)
    try:
        first = a.ask(QUESTION)
        assert first.backend == "extractive" and not first.abstained
        assert any(n.startswith(STOPPED_NOTICE) and reason in n for n in first.notices), first.notices
        assert "Check alignment (5.2)" in first.answer or "alignment" in first.answer.lower()
        assert "Check the alignment of the " not in first.answer  # the dead worker's text is dropped
        assert llm.status().restarts == 1 and llm.state in ("restarting", "ok")
        wait_state(llm, "ok")
        second = a.ask(QUESTION)
        assert second.backend == "local" and "shaft" in second.answer, second
        assert not any(n.startswith(STOPPED_NOTICE) for n in second.notices)
    finally:
        llm.close()


def test_a_hung_worker_is_killed_at_the_stall_deadline_and_restarted(retriever, tmp_path):
    llm = fake_llm(tmp_path, "hang", stall_timeout=1.0)
    a = assistant_with(retriever, llm)
    try:
        t0 = time.monotonic()
        first = a.ask(QUESTION)
        assert time.monotonic() - t0 < 10
        assert first.backend == "extractive"
        assert any(STOPPED_NOTICE in n and "hung: made no progress for 1 s" in n for n in first.notices)
        wait_state(llm, "ok")
        assert a.ask(QUESTION).backend == "local"
    finally:
        llm.close()


def test_a_worker_computing_without_sending_is_not_taken_for_hung(tmp_path):
    """A long prompt on a busy machine: no text for 3 s (stall limit 1 s), but the
    heartbeat shows the CPU time growing, so the answer is waited for; a sleeping
    worker with the same heartbeat is killed (the test above)."""
    llm = fake_llm(tmp_path, "busy", stall_timeout=1.0)
    try:
        assert llm.complete([Message("user", "hi")]) == MODEL_TEXT
        assert llm.status().restarts == 0
    finally:
        llm.close()


def test_the_whole_answer_deadline_bounds_a_slow_worker(tmp_path):
    llm = fake_llm(tmp_path, "hang", stall_timeout=5.0, deadline=1.0)
    try:
        with pytest.raises(ModelStopped, match="no answer within 1 s"):
            llm.complete([Message("user", "hi")])
    finally:
        llm.close()


def test_a_worker_exiting_at_load_is_retried_with_backoff(retriever, tmp_path):
    llm = fake_llm(tmp_path, "exit-at-load", times=2, backoff=0.3)
    a = assistant_with(retriever, llm)
    try:
        assert not llm.wait_ready(20)
        assert llm.state == "restarting" and "exited with status 3 while loading" in llm.status().detail
        t0 = time.monotonic()
        answer = a.ask(QUESTION)  # not made to wait for the restart
        assert time.monotonic() - t0 < 5
        assert answer.backend == "extractive" and any(STOPPED_NOTICE in n for n in answer.notices)
        wait_state(llm, "ok")  # third start works (after 0.3 s, then 0.6 s)
        assert a.ask(QUESTION).backend == "local"
    finally:
        llm.close()


def test_a_worker_that_never_loads_is_reported_down(tmp_path):
    llm = fake_llm(tmp_path, "exit-at-load", times=99, backoff=0.05, down_after=3)
    try:
        assert not llm.wait_ready(20)
        wait_state(llm, "down")
        with pytest.raises(ModelStopped, match="is down after: the model worker exited with status 3"):
            llm.complete([Message("user", "hi")])
    finally:
        llm.close()
