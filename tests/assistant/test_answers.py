"""The assistant end to end over a small real KB: citations, grounding,
abstention, safety quotes, fallback, conversation, streaming."""

import pytest

from assistant.answer.abstain import Abstainer
from assistant.answer.citations import resolve
from assistant.answer.core import Assistant
from assistant.factory import build_llm
from assistant.answer.types import NOT_FOUND, Done, Token
from knowledge_base.errors import ModelError
from knowledge_base.settings import Settings
from tests.fakes import ScriptedLLM

pytestmark = pytest.mark.integration


def make(retriever, llm=None, backend="local"):
    # threshold 0 on the hash embedder's scale: abstention is tested separately
    return Assistant(retriever, Abstainer(retriever.store.index, threshold=0.3), llm, backend)


@pytest.mark.unit
@pytest.mark.parametrize("text, labels, clean, used", [
    ("Check it [1].", {"1"}, "Check it [1].", ["1"]),
    ("Check it [ 2 , 1 ][2].", {"1", "2"}, "Check it [2, 1][2].", ["2", "1"]),
    ("See [9] and [1,9].", {"1"}, "See and [1].", ["1"]),
    ("Broken [1 and [x] and [] stay.", {"1"}, "Broken [1 and [x] and [] stay.", []),
    ("Alert [a1] and [W2].", {"A1"}, "Alert [A1] and.", ["A1"]),
])
def test_citation_markers_resolve_and_dangling_ones_drop(text, labels, clean, used):
    assert resolve(text, labels) == (clean, used)


def test_extractive_code_answer_cites_row_and_quotes_procedure_warning(retriever):
    ans = make(retriever, backend="extractive").ask("P-3 shows E104, what do I check first?")
    assert not ans.abstained and ans.backend == "extractive"
    assert "Check alignment (5.2)" in ans.answer
    row = ans.citations[0]
    assert row.source.endswith("pump.md") and "E-104" in row.text
    assert "CAUTION: Check for a soft foot before aligning the motor." in ans.answer  # verbatim, from 5.2
    assert "WARNING: Lock out and tag out the motor supply before opening the pump." in ans.answer
    assert any(c.text.startswith("WARNING: Lock out") for c in ans.citations)


def test_generated_answer_is_grounded_and_attributed(retriever):
    llm = ScriptedLLM("First check the shaft alignment with the laser alignment tool. "
                      "The moon is made of cheese and spaghetti.")
    ans = make(retriever, llm).ask("E-104 on P-3, what first?")
    assert ans.backend == "local" and "alignment" in ans.answer
    assert "cheese" not in ans.answer
    assert any("not supported" in n for n in ans.notices)
    assert ans.citations and all(c.source.endswith(".md") for c in ans.citations)
    user_msg = llm.seen[0][-1].content
    assert "Document 1 (" in user_msg and "Question: E-104 on P-3, what first?" in user_msg


def test_answer_that_contradicts_a_warning_is_replaced(retriever):
    llm = ScriptedLLM("Yes, you can bridge the temperature sensor to keep the compressor running.")
    ans = make(retriever, llm).ask("Can I bridge the compressor temperature sensor to keep it running?")
    assert "Yes, you can" not in ans.answer
    assert "WARNING: Do not bridge the temperature sensor to keep the compressor running." in ans.answer
    assert ans.backend == "extractive" and any("could not be verified" in n for n in ans.notices)


def test_dangling_markers_from_the_model_are_dropped(retriever):
    llm = ScriptedLLM("Clean the suction strainer [7]. Cavitation comes from low suction pressure [1].")
    ans = make(retriever, llm).ask("pump cavitation E-107")
    assert "[7]" not in ans.answer and "[1]" in ans.answer


def test_model_that_cannot_load_falls_back_to_extractive(retriever):
    ans = make(retriever, ScriptedLLM(ModelError("cannot load GGUF model /x.gguf: file not found"))).ask(
        "ALARM 9 on AC-1")
    assert ans.backend == "extractive" and "Clean the oil cooler" in ans.answer
    assert any("unavailable" in n and "/x.gguf" in n for n in ans.notices)


def test_missing_model_file_gives_no_model_and_a_notice(tmp_path):
    s = Settings(kb=tmp_path / "kb", llm_model_path=tmp_path / "missing.gguf")
    llm, notice = build_llm(s, "local")  # checked before any worker process is started
    assert llm is None and "missing.gguf" in notice and "extractively" in notice


@pytest.mark.parametrize("question, reason", [
    ("What does fault code E-999 mean?", "E999 does not appear"),
    ("What is the company policy on overtime pay for weekends?", ""),
])
def test_out_of_scope_questions_abstain_and_list_closest_documents(retriever, question, reason):
    ans = make(retriever, ScriptedLLM("should not be called")).ask(question)
    assert ans.abstained and ans.answer.startswith(NOT_FOUND) and ans.citations == ()
    assert reason in ans.answer and "Closest documents:" in ans.answer


def test_model_saying_not_found_despite_evidence_gets_the_evidence(retriever):
    ans = make(retriever, ScriptedLLM(NOT_FOUND)).ask("ALARM:9 on the compressor")
    assert not ans.abstained and "Clean the oil cooler" in ans.answer


def test_follow_up_question_reuses_the_previous_turn(retriever):
    a = make(retriever, backend="extractive")
    first = a.ask("E-107 on P-1")
    follow = a.ask("and if that doesn't help?", history=[first.retrieval_query])
    assert "E-107" in follow.retrieval_query and not follow.abstained
    assert any("E-107" in c.text for c in follow.citations)


def test_stream_yields_tokens_then_one_done(retriever):
    events = list(make(retriever, ScriptedLLM("Check the shaft alignment first.")).stream("E-104 on P-3"))
    assert isinstance(events[-1], Done) and all(isinstance(e, Token) for e in events[:-1])
    assert len(events) > 3
    t = events[-1].answer.timings
    assert set(t) == {"retrieve_ms", "generate_ms", "first_token_ms", "model_first_ms"}
    assert t["model_first_ms"] >= t["first_token_ms"] >= t["retrieve_ms"]


def test_code_question_answer_leads_with_the_exact_table_facts(retriever):
    llm = ScriptedLLM("The pump vibrates because the drive-end bearing is worn.")
    ans = make(retriever, llm).ask("E-104 on P-3, what now?")
    first_line = ans.answer.splitlines()[0]
    assert first_line.startswith("E-104: High bearing vibration") and "Check alignment (5.2)" in first_line
    assert "drive-end bearing is worn" in ans.answer


def test_code_facts_are_shown_before_the_model_answers_and_not_repeated(retriever):
    """The table facts the answer opens with stream first (while the model reads its
    prompt); the streamed text is the final answer's opening, each part once."""
    events = list(make(retriever, ScriptedLLM("The drive-end bearing is worn.")).stream("E-104 on P-3, what now?"))
    streamed = "".join(e.text for e in events if isinstance(e, Token))
    assert events[0].text.startswith("E-104: High bearing vibration") and streamed.count("E-104: High") == 1
    final = events[-1].answer
    assert final.answer.startswith(streamed.split("\n")[0]) and final.answer.count("E-104: High") == 1
    assert final.timings["model_first_ms"] >= final.timings["first_token_ms"]


@pytest.mark.unit
def test_extractive_procedure_keeps_every_step_and_wrapped_lines():
    """The last steps (refit the guard, remove the locks, re-prime) are never cut."""
    from assistant.answer.extractive import compose
    from assistant.answer.types import Source
    from knowledge_base.types import PROCEDURE, Chunk

    steps = [f"{i}. Step number {i} of the job." for i in range(1, 9)]
    steps[6] = "7. Refit the coupling guard\n   before removing the locks."
    steps[7] = "8. Reassemble the pump, vent the seal chamber and re-prime (5.7) before starting."
    chunk = Chunk(id="p", text="Intro line.\n" + "\n".join(steps), source="/m/pump.pdf", page=8,
                  section=("5", "5.2 Checking and correcting shaft alignment"), kind=PROCEDURE)
    answer = compose("how do I align the shaft?", [], [Source("1", chunk, chunk.text)])
    assert "7. Refit the coupling guard before removing the locks." in answer
    assert "8. Reassemble the pump, vent the seal chamber and re-prime (5.7) before starting." in answer
    assert answer.count("Step number") == 6
