"""Unknown-code rule 7: a hexadecimal value the documents never list abstains."""

import re

import pytest

from assistant.answer.unknown import absent_asked

pytestmark = pytest.mark.unit

DOCS = ["Key 0x10050007 enables the first pulse output.",
        "Result codes: 0h success, 1h aborted, 3Bh vendor specific.",
        "Offsets: CAP=0x0, VS=0x8, CC=0x14."]


def term_count(phrase: str) -> int:
    return sum(1 for d in DOCS if re.search(r"\b" + re.escape(phrase) + r"\b", d.lower()))


@pytest.mark.parametrize("question, expected", [
    ("key id 0x10050099 what is it", ("0X10050099",)),
    ("self-test result 0x4e in the log", ("0X4E",)),
    ("offset 0x24 which register", ("0X24",)),
])
def test_a_value_no_passage_lists_is_absent(question, expected):
    assert absent_asked(question, term_count, frozenset()) == expected


@pytest.mark.parametrize("question", [
    "key id 0x10050007 meaning",     # listed as is
    "result 0x3b from self-test",    # listed as 3Bh
    "offset 0x14 register",          # listed
    "action 0x2 what does it do",    # one hex digit: written as a plain number too
])
def test_a_listed_or_one_digit_value_is_not_absent(question):
    assert absent_asked(question, term_count, frozenset()) == ()


def test_a_numbered_member_inside_a_longer_name():
    docs = ["Item CFG-TP-TP1_ENA/0x10050007 enables time pulse 1."]
    count = lambda p: sum(1 for d in docs if re.search(r"\b" + re.escape(p) + r"\b", d.lower()))  # noqa: E731
    tokens = frozenset({"TP1ENA", "X10050007"})
    assert absent_asked("how to enable CFG-TP-TP9_ENA with ubxtool", count, tokens) == ("TP9_ENA",)
    assert absent_asked("how to enable CFG-TP-TP1_ENA with ubxtool", count, tokens) == ()
