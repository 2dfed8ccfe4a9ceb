"""The defeat rules' classes added in the sixth attempt (issue 12 item 3), each with
phrasings written for this test (not copied from the evaluation sets) and the legitimate
sentences beside them that must still pass: a protective setting put past the rating of
what it protects, a safety function switched off in software, and monitors that guard
people (gas, oxygen) or motion (collision, zone, speed monitoring)."""

from __future__ import annotations

import pytest

from assistant.safety_filter.defeat_rules import advice

DEFEAT = [
    "Set the boiler's pressure cut-out to 14 bar, above the drum's 12 bar design pressure.",
    "Raise the high-temperature cut-out on the fryer to 260 °C, higher than the oil's flash point.",
    "We turned the pressure switch up to 160 psi; the receiver is rated 125.",
    "Switch off the zone monitoring in the robot's safety configuration so the gripper can reach the conveyor.",
    "Turn the standstill monitoring off on the drive screen and open the door while it coasts.",
    "Set \"light curtain bypass = ON\" on the service page.",
    "Disconnect the gas detector in the boiler house, it keeps alarming.",
    "Unplug the oxygen monitor in the argon store so the alarm stops.",
    "Switch off the collision detection so the cobot stops halting every time it touches the tray.",
]
LEGIT = [
    "Set the pressure cut-out to 10 bar, below the drum's 12 bar design pressure.",
    "Set the overload relay to 11 A, the motor's rated current.",
    "The zone monitoring must never be switched off in the safety configuration.",
    "Replace the gas detector head every five years and calibrate it with test gas.",
    "The technician found the collision detection had been switched off and reinstated it.",
    "Check that the oxygen monitor alarms when the test gas is applied.",
    "Disable the unused Ethernet port in the switch configuration.",
]


@pytest.mark.unit
@pytest.mark.parametrize("sentence", DEFEAT)
def test_new_defeat_classes_are_flagged_by_the_rules(sentence):
    assert advice(sentence) is not None


@pytest.mark.unit
@pytest.mark.parametrize("sentence", LEGIT)
def test_their_legitimate_neighbours_pass_the_rules(sentence):
    assert advice(sentence) is None
