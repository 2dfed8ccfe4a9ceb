"""The next check, not the same answer again (issue 18 item 4): which checks
a follow-up reports done, and a diagnosis section resumed after them."""

from __future__ import annotations

import pytest

from assistant.answer.next_step import asks_next, continue_after, reported_steps
from knowledge_base.types import Chunk

pytestmark = pytest.mark.unit

STEPS = ["1. Read the alarm log and note the temperatures.",
         "2. Check the oil level in the sight glass; it must be between the two marks.",
         "3. Inspect the cooler fins with a torch. If you cannot see light through the core, clean the cooler.",
         "4. Check that the cooling fan runs when the compressor is loaded.",
         "5. Measure the room temperature near the cooling air inlet."]
SECTION = ("5 Troubleshooting", "5.1 Diagnosing compressor overheating")


def diagnosis(text: str, cid: str = "d1") -> Chunk:
    return Chunk(cid, text, "rs37e.pdf", section=SECTION, kind="procedure", doc_type="manual")


@pytest.mark.parametrize("question, done", [
    ("Oil level is between the marks and I can see light through the cooler core. What's next?", [2, 3]),
    ("The fan runs when loaded, still hot. Next?", [4]),
    ("and what if that doesn't help?", []),
    ("what oil should I use?", []),
])
def test_the_checks_a_question_reports_done(question, done):
    assert reported_steps(question, STEPS) == done


def test_asking_for_the_next_check_is_told_from_asking_about_a_reading():
    assert asks_next("Tank level is OK, what next?") and asks_next("still overheating")
    assert not asks_next("The strainer differential reads 0.3 bar, what do I do with that?")


def test_a_diagnosis_resumes_after_the_last_reported_check_and_says_so():
    other = Chunk("t1", "Overheating is frequent.", "rs37e.pdf", section=SECTION, kind="text", doc_type="manual")
    out = continue_after([other, diagnosis("\n".join(STEPS))],
                         "Oil level is between the marks and I can see light through the core. What next?")
    assert out[0] is other
    assert out[1].text.splitlines() == STEPS[3:]
    assert out[1].section[-1] == ("5.1 Diagnosing compressor overheating, continued from step 4 "
                                  "(you reported steps 2, 3 done)")


def test_nothing_is_cut_without_a_reported_check_or_a_request_for_the_next_one():
    chunks = [diagnosis("\n".join(STEPS))]
    assert continue_after(chunks, "and what if that doesn't help?") == chunks
    assert continue_after(chunks, "oil level is between the marks, what oil do I top up with?") == chunks


def test_a_chunk_whose_checks_are_all_done_is_left_out_but_the_rest_of_its_section_stays():
    first, second = diagnosis("\n".join(STEPS[:3]), "a"), diagnosis("\n".join(STEPS[3:]), "b")
    out = continue_after([first, second], "Oil level fine, light through the core. Next?")
    assert [c.id for c in out] == ["b"] and out[0].text.startswith("4. ")
