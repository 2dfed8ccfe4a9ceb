"""The relevance rule of the gold sets: the anchor may run from a chunk's
heading into its body, as it does in a baseline's page or section unit."""

import pytest

from assistant.evaluation.gold import Expected, is_relevant
from knowledge_base.types import Chunk

pytestmark = pytest.mark.unit


def test_an_anchor_running_from_the_heading_into_the_body_is_found():
    c = Chunk("c", "This OEM command will reset the motherboard intrusion flag.", "/kb/ipmi-oem.8.txt",
              section=("IPMI-OEM OPTIONS", "reset-intrusion"))
    assert is_relevant(c, Expected("ipmi-oem.8.txt", None, "reset-intrusion This OEM command will reset"))
    assert not is_relevant(c, Expected("ipmi-oem.8.txt", None, "OPTIONS This OEM command"))
    assert not is_relevant(c, Expected("bmc-device.8.txt", None, "This OEM command will reset"))
