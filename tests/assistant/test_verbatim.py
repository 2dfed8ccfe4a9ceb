"""What a machine translation must keep: codes, asset tags, numbers, and what is asked."""

import pytest

from assistant.answer.verbatim import faithful, keep_verbatim, must_keep, present


@pytest.mark.unit
def test_tokens_to_keep_are_codes_ids_numbers_and_acronyms():
    assert must_keep("HS-24K主轴报SP107，转速12000 rpm时VFD跳闸") == ["HS-24K", "SP107", "12000", "VFD"]
    assert must_keep("轴承很烫，bearing") == []  # English words are searched, not enforced


@pytest.mark.unit
@pytest.mark.parametrize("tok, text, found", [
    ("E-104", "alarm E104 again", True), ("E-104", "alarm E 104", True), ("e-104", "E-104.", True),
    ("P-3", "pumpP-3 failed", False), ("80", "at 180 degrees", False), ("80", "above 80°C", True),
    ("SP107", "SP1070 is another", False),
])
def test_present_needs_ascii_boundaries_but_not_the_separator(tok, text, found):
    assert present(tok, text) is found


@pytest.mark.unit
@pytest.mark.parametrize("question, translation, kept", [
    ("泵P-3出现E-104报警", "The pumpP-3 has an E-104 alarm.", "The pump P-3 has an E-104 alarm."),
    ("泵P-3出现E-104报警", "The pump has an alarm.", "The pump has an alarm. (P-3, E-104)"),
    ("温度超过80度", "Temperature above 180 degrees", "Temperature above 180 degrees (80)"),
    ("SP107是什么", "What is SP107?", "What is SP107?"),
    ("主轴报sp107", "Spindle reports SP-107", "Spindle reports SP-107"),
])
def test_keep_verbatim_sets_apart_glued_tokens_and_appends_lost_ones(question, translation, kept):
    assert keep_verbatim(question, translation) == kept


@pytest.mark.unit
def test_faithful_compares_the_state_question_only():
    assert faithful("P-3目前有没有报警？", "Does P-3 currently have any alarms?")
    assert not faithful("P-3目前有没有报警？", "P-3 alarm.")
    assert not faithful("泵P-3报E-104怎么办", "What is the status of P-3 now?")
    assert faithful("泵P-3报E-104怎么办", "Pump P-3 reports E-104, what to do?")
