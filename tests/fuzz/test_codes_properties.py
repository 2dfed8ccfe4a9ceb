"""Property tests: the fault-code extractor on arbitrary and adversarial text.

Codes found occur in the text and are normalised; a code written in any of its
documented forms between spaces is found; normalize_code is idempotent; and
long adversarial inputs (the kind that make a backtracking regex quadratic)
finish in well under a second.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge_base.codes import CodeMatcher, normalize_code

from .bounds import FAST, time_limit
from .checks import check_codes, check_normalize

pytestmark = pytest.mark.unit

PIECES = ["E", "E-", "e ", "ALARM", "ALM", "ERR", "ERROR", "XX", "IP", ":", "#", "-", " ", "  ", "\t", "\n",
          "1", "04", "104", "0023", "12345", "(", ")", "/", "_", "ſ", "K", "\u0661\u0662"]
code_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=60).map("".join)
FORMS = [("E-104", "E104"), ("E104", "E104"), ("ALARM:9", "ALARM9"), ("ALARM 12", "ALARM12"),
         ("ALM-7", "ALM7"), ("ERR 34", "ERR34"), ("ERROR:34", "ERR34"), ("F0023", "F0023"), ("XX101", "XX101")]


@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
@FAST
@given(text=st.text(max_size=300) | code_text)
def test_codes_found_occur_in_the_text(lenient, text):
    with time_limit():
        check_codes(text, lenient)


@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
@FAST
@given(before=st.text(max_size=40), form=st.sampled_from(FORMS), after=st.text(max_size=40))
def test_a_written_code_is_found(lenient, before, form, after):
    written, key = form
    with time_limit():
        assert key in CodeMatcher().find(f"{before} {written} {after}", lenient=lenient)


@FAST
@given(code=st.text(max_size=20) | code_text)
def test_normalize_code_is_idempotent(code):
    check_normalize(code)


# Each took seconds to minutes before the patterns and the overlap test were made linear
# ("ALARM" + 20,000 spaces: 12 s; 20,000 codes: 20 s).
ADVERSARIAL = {
    "E- x10000": "E-" * 10000,
    "ALARM :x5000": "ALARM" + ":" * 5000,
    "ALARM spaces": "ALARM" + " " * 20000 + "x",
    "ERROR spaces": "ERROR" + " " * 20000 + "x",
    "ALARM spaces x100": ("ALARM" + " " * 2000) * 100,
    "20,000 codes": "E10 " * 20000,
    "digits": "E" + "1" * 50000,
    "letters": "A" * 50000 + "1",
    "separators": "E" + "-: #" * 10000 + "1",
}


@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
@pytest.mark.parametrize("text", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_adversarial_text_is_fast(lenient, text):
    matcher = CodeMatcher()
    start = time.perf_counter()
    with time_limit(10):
        matcher.find(text, lenient=lenient)
    assert time.perf_counter() - start < 1.0


def test_many_codes_all_found_in_order():
    text = " ".join(f"E{n}" for n in range(100, 10000))
    assert CodeMatcher().find(text) == tuple(f"E{n}" for n in range(100, 10000))
