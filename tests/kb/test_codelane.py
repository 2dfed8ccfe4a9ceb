"""The learned code vocabulary in the code lane and in abstention."""

import pytest

from ingest.chunker import Chunker
from ingest.loaders import load_file
from knowledge_base.codelane import CodeLane, pin_definitions
from knowledge_base.codes import CodeMatcher
from knowledge_base.index import SqliteIndex
from knowledge_base.types import Hit

pytestmark = pytest.mark.unit

DOC = """Drive manual
============

Matrix-UPS register 1
---------------------

Bit 1
    In bypass mode due to internal fault.

Smart-UPS register 1
--------------------

Bit 1
    Battery is low.

Backend codes
-------------

CUPS_BACKEND_STOP
    The queue is stopped.

CUPS_BACKEND_HOLD
    The job is held.
"""


@pytest.fixture
def lane(tmp_path):
    p = tmp_path / "d.rst"
    p.write_text(DOC)
    chunks = Chunker().chunk(load_file(p), str(p)).chunks
    index = SqliteIndex(":memory:")
    from knowledge_base.store import text_hash
    from knowledge_base.types import FileRecord

    index.replace_file(FileRecord(str(p), "x", 1, 0.0, len(chunks)), chunks, [text_hash(c) for c in chunks])
    return CodeLane(index, CodeMatcher())


def test_question_tokens_that_the_vocabulary_knows_are_codes(lane):
    assert lane.question_codes("what does cups_backend_stop do?") == ("CUPS_BACKEND_STOP",)
    assert "BIT1" in lane.question_codes("Register 1 bit 1 is set")
    assert "BIT1" in lane.question_codes("bit1 set?")
    assert lane.question_codes("after 5 minutes the queue stops") == ()


def test_every_definition_is_pinned_the_asked_model_first(lane):
    hits = lane.search(["BIT1"], 10)
    assert len(hits) == 2
    fused = [Hit(h.chunk, 1.0 / (i + 1)) for i, h in enumerate(hits)]
    for model, first in (("Matrix-UPS", "internal fault"), ("Smart-UPS", "Battery is low")):
        pinned = pin_definitions(fused, hits, ["BIT1"], model)
        assert first in pinned[0].chunk.text and len(pinned) == 2


def test_undefined_code_of_a_known_family_is_unknown(lane):
    assert lane.unknown_codes("A backend exited with CUPS_BACKEND_PAUSE.") == ("CUPS_BACKEND_PAUSE",)
    assert lane.unknown_codes("What does CUPS_BACKEND_STOP mean?") == ()
    assert lane.unknown_codes("the printer is slow") == ()


def test_abstention_rules_for_learned_codes():
    from assistant.answer.abstain import Evidence

    def ev(known, unknown, strong=()):
        return Evidence(known, unknown, 0.9, 1.0, (), (), strong)

    assert ev((), ("CUPS_BACKEND_PAUSE",)).abstains(0.65, 0.2)
    assert ev(("BIT2",), ("REG4",), ("REG4",)).abstains(0.65, 0.2)  # "REG4 bit 2": REG4 is not defined
    assert not ev(("BIT3",), ("STATUS8",)).abstains(0.65, 0.2)  # "status 8 (bit 3 set)"
    assert ev(("SG3_UTILS",), ("STATUS13",)).abstains(0.65, 0.2)  # "exit status 13 from sg3_utils"
    assert not ev(("E104",), ()).abstains(0.65, 0.2)


def test_a_table_key_column_qualifies_a_bare_number(tmp_path):
    p = tmp_path / "regs.md"
    p.write_text("# UPS\n\n## Register 2\n\n| Bit | Meaning |\n|---|---|\n| 4 | DC imbalance |\n")
    chunks = Chunker().chunk(load_file(p), str(p)).chunks
    assert "BIT4" in chunks[0].fault_codes and "REG4" not in chunks[0].fault_codes


def test_a_device_path_is_not_a_code(lane):
    from knowledge_base.codelane import without_paths

    assert without_paths("mdadm --detail /dev/md0 returned 1") == "mdadm --detail   returned 1"
    assert lane.question_codes("what does cups_backend_stop do for /dev/cups_backend_hold?") == ("CUPS_BACKEND_STOP",)
    assert lane.unknown_codes("log in /var/log/cups_backend_pause") == ()


def test_a_placeholder_code_and_a_model_revision_are_not_unknown(tmp_path):
    from knowledge_base.store import text_hash
    from knowledge_base.types import FileRecord

    p = tmp_path / "events.rst"
    p.write_text("Events\n======\n\nRebuildNN\n    Rebuild has passed NN percent.\n\n"
                 "Workarounds\n===========\n\nRX300\n    Fujitsu RX300: sensors read N/A.\n\n"
                 "SpareActive\n    A spare was rebuilt.\n")
    chunks = Chunker().chunk(load_file(p), str(p)).chunks
    index = SqliteIndex(":memory:")
    index.replace_file(FileRecord(str(p), "x", 1, 0.0, len(chunks)), chunks, [text_hash(c) for c in chunks])
    lane = CodeLane(index, CodeMatcher())
    assert "REBUILDNN" in lane.question_codes("got event Rebuild40 from the monitor")
    assert lane.unknown_codes("got event Rebuild40 from the monitor") == ()
    assert lane.unknown_codes("fujitsu RX300S2 sensors listed N/A") == ()
    assert "RX300" not in lane.question_codes("fujitsu RX300S2 sensors listed N/A")
    assert lane.unknown_codes("what is SpareFailed?") == ("SPAREFAILED",)
