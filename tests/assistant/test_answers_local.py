"""The assistant with the real local model (Qwen2.5-Coder-0.5B via llama.cpp)."""

import pytest

from assistant.answer.abstain import Abstainer
from assistant.answer.answer_text import split_answer
from assistant.answer.core import Assistant
from assistant.llm import LocalLLM

pytestmark = pytest.mark.slow


def test_local_model_answers_a_code_question_grounded_and_cited(retriever, qwen_path):
    llm = LocalLLM(qwen_path, n_ctx=2048)
    a = Assistant(retriever, Abstainer(retriever.store.index, threshold=0.3), llm, "local")
    ans = a.ask("P-3 shows E-104, what do I check first?")
    assert not ans.abstained and ans.citations
    assert ans.timings["first_token_ms"] > 0 and ans.timings["generate_ms"] > 0
    # The model must handle this question itself: an extractive fallback
    # (grounding rejected every generated sentence) fails the test.
    assert ans.backend == "local", (ans.notices, ans.answer)
    # Its own sentences -- not the fault-table facts put in front of them, not
    # the appended safety quotes (assistant.answer.answer_text) -- carry a fact of the
    # sources that the question does not contain: the first check, alignment.
    own, _ = split_answer(ans.answer, [c.text for c in ans.citations])
    assert "alignment" in own.lower(), (own, ans.answer)
    assert "WARNING: Lock out and tag out the motor supply before opening the pump." in ans.answer \
        or "CAUTION: Check for a soft foot" in ans.answer
    assert any(c.source.endswith("pump.md") for c in ans.citations)
