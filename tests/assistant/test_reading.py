"""Symptom questions surface the manual's sentence that reads the observation
(issue 18 item 4): the explanation passage is chosen by it, a long passage
keeps it, and on the sample manuals the answer gives it with the diagnosis."""

from __future__ import annotations

import pytest

from assistant.answer.extractive import passage
from assistant.answer.reading import explanation, reading_score, readings
from assistant.answer.types import Source
from knowledge_base.types import Chunk


def text(cid: str, body: str) -> Chunk:
    return Chunk(cid, body, "m.pdf", section=("1 Intro", f"1.{cid}"), kind="text", doc_type="manual")


LIMIT = text("a", "The PLC compares the two speeds every 100 ms. If the belt speed is more than 5 % lower than the "
                  "pulley speed for 3 seconds, the PLC stops the conveyor.")
LAYOUT = text("b", "Two speed sensors are fitted. When the belt runs normally the two speeds are equal. "
                   "A difference means the belt is slipping on the drive pulley.")
OTHER = text("c", "A red lamp means the supply is missing.")
Q = "conveyor panel shows belt speed about 3% lower than the pulley speed"


@pytest.mark.unit
def test_a_reading_needs_a_meaning_cue_and_the_questions_words():
    assert readings(LAYOUT.text) == ["A difference means the belt is slipping on the drive pulley."]
    assert reading_score(LAYOUT, Q) == 2  # belt, pulley
    assert reading_score(LIMIT, Q) == 0  # shares many words, reads nothing
    assert reading_score(OTHER, Q) == 0  # reads something else


@pytest.mark.unit
def test_the_explanation_is_the_passage_that_reads_the_symptom_else_the_best_plain_one():
    assert explanation([LIMIT, OTHER, LAYOUT], [], Q) is LAYOUT
    assert explanation([LIMIT, OTHER, LAYOUT], [LAYOUT], Q) is LIMIT  # used by the diagnosis: the best other
    assert explanation([LIMIT, LAYOUT], []) is LIMIT  # no question: the best plain passage, as before
    wo = Chunk("w", "A difference means the belt is slipping.", "log.csv", kind="work_order", doc_type="fault_log")
    assert explanation([wo, LIMIT], [], Q) is LIMIT  # only manual passages explain


@pytest.mark.unit
def test_a_long_passage_keeps_its_reading_sentence():
    filler = " ".join(f"The belt number {i} is fitted with a speed wheel of type {i}." for i in range(12))
    chunk = text("d", f"Two sensors are fitted. {filler} A difference means the belt is slipping on the pulley.")
    out = passage(Source("1", chunk, ""), Q, limit=300)
    assert "A difference means the belt is slipping on the pulley." in out
    assert len(out) < 360


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize("question, reading, diagnosis", [
    ("On the compressor the discharge temperature goes up and up although the load does not change",
     "not removing the heat of compression", "Diagnosing compressor overheating"),
    ("Belt speed on the conveyor reads lower than the drive pulley speed",
     "the belt is slipping on the drive pulley", "Investigating belt slip"),
])
def test_a_symptom_answer_gives_the_reading_and_the_diagnosis_section(minilm_sample_kb, question, reading,
                                                                       diagnosis):
    from assistant.factory import build_assistant
    from knowledge_base.settings import get_settings

    ans = build_assistant(get_settings().with_kb(minilm_sample_kb), "extractive").ask(question)
    assert reading in ans.answer
    assert diagnosis in ans.answer
    assert any(diagnosis in (c.section or "") for c in ans.citations)


@pytest.mark.unit
def test_a_past_work_orders_time_is_written_for_people_with_its_zone():
    from assistant.answer.extractive import compose
    from knowledge_base.types import WorkOrder

    wo = WorkOrder("WO-7", "AC-2", "2025-07-15T13:10:00", "ALARM:9", "shut down hot", "fins blocked", "cleaned")
    log = Chunk("w", wo.as_text(), "work_orders.csv", kind="work_order", doc_type="fault_log")
    out = compose("compressor shut down hot", (), [Source("1", LAYOUT, ""), Source("W1", log, "")])
    assert "date 2025-07-15 13:10 (local time of the log) (July 2025)" in out
    assert "T13:10" not in out
    zoned = Chunk("z", WorkOrder("WO-8", "P-3", "2025-07-15T13:10:00+00:00", "E-104").as_text(), "wo.csv",
                  kind="work_order", doc_type="fault_log")
    assert "date 2025-07-15 13:10 UTC" in compose("pump rattles", (), [Source("W1", zoned, "")])
