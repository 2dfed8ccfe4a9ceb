"""Answers quote only the asked items of a grouped definition chunk."""

import pytest

from assistant.answer.extractive import code_facts
from assistant.answer.items import asked_items
from assistant.answer.types import Source
from knowledge_base.types import DEFINITION, Chunk

pytestmark = pytest.mark.unit

GROUP = ("The tool exits with one of these statuses:\n\n"
         "4\nThe link went down.\n\n5\nThe peer refused the login.\n\n6\nThe lock file is held by another run.")


def test_only_the_asked_item_and_its_lead_in_are_quoted():
    c = Chunk("c", GROUP, "/m/tool.8.txt", section=("EXIT STATUS",), kind=DEFINITION,
              fault_codes=("STATUS4", "STATUS5", "STATUS6"))
    text = code_facts(["STATUS5"], [Source("1", c, "")])
    assert "refused the login" in text and "exits with one of these statuses" in text
    assert "link went down" not in text and "lock file" not in text


def test_a_code_opening_the_item_body_counts_and_unpicked_groups_stay_whole():
    text = "1\nERR_NOLINK - no link.\n\n2\nERR_BUSY - busy."
    assert asked_items(["ERR_BUSY"], text) == "2\nERR_BUSY - busy."
    assert asked_items(["ERR_GONE"], text) == text           # no item carries it: the whole chunk
    assert asked_items(["ERR_BUSY"], "2\nERR_BUSY - busy.") == "2\nERR_BUSY - busy."
