"""Structure of real manuals in text form: RST, AsciiDoc, man pages, Markdown setext and bullets."""

import pytest

from ingest.chunker import Chunker
from ingest.loaders import load_file

pytestmark = pytest.mark.unit

RST = """Drive manual
============

Fault codes
-----------

BRAKE_CHOPPER_OVERHEAT
    The brake resistor is too hot. Let it cool.

* 41 - supply under voltage - check the mains
* 42 - supply over voltage - check the mains

.. warning::

   Disconnect power before opening the cover.

.. image:: drive.png

Spindle.fault:: the spindle drive reports a fault.
"""

MAN = """SG_TEST(8)                         SG3_UTILS                        SG_TEST(8)

NAME
       sg_test - test a device

EXIT STATUS
       The exit status values are:

       0      success. Also used for some utilities  that  wish  to  return  a
              boolean value.

       2      the  DEVICE  reports  that it is not ready for the operation re\u2010
              quested.

   Self-test codes
       dmc_save  [5, 0x5]
              Download microcode, save, and activate.

       Bit 3: SMART status check returned "DISK FAILING".

sg3_utils-1.46                     May 2021                        SG_TEST(8)
"""


def _chunks(tmp_path, name, text, group_chars=0):
    """The chunks of one file; short definition items one chunk each unless
    ``group_chars`` (these tests read the loader's items one by one)."""
    p = tmp_path / name
    p.write_text(text)
    return Chunker(group_chars=group_chars).chunk(load_file(p), str(p)).chunks


def test_rst_headings_definitions_and_admonitions(tmp_path):
    chunks = _chunks(tmp_path, "drive.rst", RST)
    by_kind = [(c.kind, c.text.split("\n")[0]) for c in chunks]
    assert ("definition", "BRAKE_CHOPPER_OVERHEAT") in by_kind
    assert ("definition", "41") in by_kind and ("definition", "42") in by_kind
    assert ("warning", "WARNING: Disconnect power before opening the cover.") in by_kind
    assert ("definition", "Spindle.fault") in by_kind
    assert all(c.section == ("Drive manual", "Fault codes") or c.title == "Drive manual" for c in chunks)
    codes = {code for c in chunks for code in c.fault_codes}
    assert {"BRAKE_CHOPPER_OVERHEAT", "41", "42", "SPINDLE.FAULT"} <= codes
    assert not any("image::" in c.text for c in chunks)


def test_man_page_definition_items_keep_their_term(tmp_path):
    chunks = _chunks(tmp_path, "sg_test.8.txt", MAN)
    assert chunks[0].title == "sg_test - test a device"
    items = {c.text.split("\n")[0]: c for c in chunks if c.kind == "definition"}
    assert " ".join(items["2"].text.split()) == "2 the DEVICE reports that it is not ready for the operation requested."
    assert items["2"].section == ("EXIT STATUS",) and "STATUS2" in items["2"].fault_codes
    assert items["dmc_save [5, 0x5]"].section == ("EXIT STATUS", "Self-test codes")
    assert {"DMC_SAVE", "0X5"} <= set(items["dmc_save [5, 0x5]"].fault_codes)
    assert "BIT3" in items["Bit 3"].fault_codes


def test_short_definition_items_are_grouped_each_whole_with_every_code(tmp_path):
    # A man page's exit statuses: the items of one list share a chunk up to
    # group_chars with the sentence that introduces them, none split, each item's code learned.
    chunks = _chunks(tmp_path, "sg_test.8.txt", MAN, group_chars=400)
    status = [c for c in chunks if c.section == ("EXIT STATUS",) and c.kind == "definition"]
    items = [" ".join(i.split()) for c in status for i in c.text.split("\n\n")]
    assert "2 the DEVICE reports that it is not ready for the operation requested." in items
    grouped = next(c for c in status if "2\n" in c.text)
    assert grouped.text.count("\n\n") >= 1 and len(grouped.text) <= 400
    assert {"STATUS2"} <= set(grouped.fault_codes)
    single = {c.text.split("\n")[0] for c in _chunks(tmp_path, "sg_test.8.txt", MAN) if c.kind == "definition"}
    grouped_terms = {i.split("\n")[0] for c in chunks if c.kind == "definition" for i in c.text.split("\n\n")}
    assert grouped_terms - single == {"The exit status values are:"}  # the lead-in goes with its items
    assert single <= grouped_terms  # the same items, none lost or cut


def test_markdown_setext_heading_bulleted_warning_and_code_bullets(tmp_path):
    md = ("Drive manual\n============\n\nFaults\n------\n\n## BRAKE_CHOPPER_OVERHEAT\n\nToo hot.\n\n"
          "* 41 - *supply under voltage* - check the mains\n* 42 - over voltage - check\n\n"
          "- **WARNING:** disconnect power first.\n- ordinary bullet\n")
    chunks = _chunks(tmp_path, "m.md", md)
    assert chunks[0].title == "Drive manual"
    assert chunks[0].fault_codes == ("BRAKE_CHOPPER_OVERHEAT",)  # the code is only in the heading
    assert [c.kind for c in chunks] == ["text", "definition", "definition", "warning", "text"]
    assert chunks[3].text == "WARNING: disconnect power first."
