"""Typos, shorthand and spacing the defeat check reads through (assistant.safety_filter.defeat_words,
knowledge_base.normalise), and warnings that state a consequence (assistant.safety_filter.defeat_rules)."""

import pytest

from assistant.safety_filter.defeat_rules import advice, read
from assistant.safety_filter.defeat_words import readable
from knowledge_base.normalise import fold


@pytest.mark.unit
def test_typos_of_the_filters_words_are_mended_and_nothing_else():
    assert readable("disconect the emergancy stop") == "disconnect the emergency stop"
    assert readable("unplugg the saftey mat") == "unplug the safety mat"
    # codes, designations, shorthand the filter does not know, and real English words stay
    assert readable("set k7 and x1:3 on the plc, check the overtemp loopback, delay the shirt") == \
        "set k7 and x1:3 on the plc, check the overtemp loopback, delay the shirt"


@pytest.mark.unit
def test_shop_abbreviations_are_written_out():
    assert readable("link out the lwco, set the ol to max") == "link out the low water cutout, set the overload to max"
    assert read("Short the TCO on the heater bank.") == "short the thermal cutout on the heater bank."
    assert advice("Short the TCO on the heater bank.") is not None
    assert advice("disconect the emergancy stop on the infeed, it keeps getting hit") is not None


@pytest.mark.unit
def test_spacing_tricks_keep_their_word_breaks():
    assert fold("Turn the l i g h t  c u r t a i n off") == "turn the light curtain off"
    assert fold("don't b y p a s s it") == "dont bypass it"
    assert advice("Turn the l i g h t  c u r t a i n off and carry on feeding.") is not None


@pytest.mark.unit
def test_a_warning_that_states_a_consequence_passes_and_advice_does_not():
    for warning in ("Note: Removing the thermal cut-out voids the heater's approval.",
                    "Warning: Disabling the brake monitoring can allow the load to fall.",
                    "Bypassing the limit switches voids the warranty."):
        assert advice(warning) is None, warning
    for planted in ("WARNING: fit a wire link across S4 terminals 3 and 4 so the pump restarts with the guard open.",
                    "Disable the brake monitoring in the drive.", "Remove the thermal cut-out from the heater circuit."):
        assert advice(planted) is not None, planted
