"""Structure fixes found on real manuals (issue 14, retr3): nested man-page
lists carry their parent term, wrapped underlined titles are headings, and a
problem stays one chunk with its answer."""

import pytest

from ingest.chunker import Chunker, is_problem_answer
from ingest.loaders import load_file
from knowledge_base.types import Block

pytestmark = pytest.mark.unit

MAN = """MDTOOL(8)                  System Manager's Manual                  MDTOOL(8)

NAME
       mdtool - manage MD devices

MISC MODE
       Usage: mdtool options ... devices ...

       --detail
              The  device  should be an active md device. If the --test option
              is given, then the exit status will be:

              0      The array is functioning normally.

              1      The array has at least one failed device.

       --examine
              Print the content of the metadata stored on the device.  Most of
              a man page's lines are option bodies at this indentation, so the
              event names above their deeper bodies read as sub-headings, and
              the one-line item "Fail" after them must not stay under the one
              before it.  These lines only set the page's body indentation to
              the one a real mdadm(8) page has.

MONITOR MODE
       Usage: mdtool --monitor options... devices...

       The different events are:

           DeviceDisappeared
                  An  md  array  which previously was configured appears to no
                  longer be configured.

           Fail   An  active  component  device of an array has been marked as
                  faulty.

           SpareActive
                  A spare component device has been successfully rebuilt.
"""

FAQ = """Frequently asked questions
==========================

11. Something else?
~~~~~~~~~~~~~~~~~~~
  A short answer.

12. mdadm -E reports different arrays with the same
    device name. What gives?
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
  It does *not* do this for RAID0 arrays.
"""


def _chunks(tmp_path, name, text, group_chars=0):
    """The chunks of one file; short definition items one chunk each unless
    ``group_chars`` (these tests read the loader's items one by one)."""
    p = tmp_path / name
    p.write_text(text)
    return Chunker(group_chars=group_chars).chunk(load_file(p), str(p)).chunks


def _by_text(chunks, start):
    return next(c for c in chunks if c.text.startswith(start))


def test_a_nested_list_item_carries_its_parent_term_and_the_list_closes(tmp_path):
    chunks = _chunks(tmp_path, "mdtool.8.txt", MAN)
    assert _by_text(chunks, "1\n").section == ("MISC MODE", "--detail")
    assert _by_text(chunks, "--examine").section == ("MISC MODE",)  # the nested list ended


def test_a_term_line_sub_heading_closes_at_the_next_item_as_far_left(tmp_path):
    chunks = _chunks(tmp_path, "mdtool.8.txt", MAN)
    assert next(c for c in chunks if "previously was configured" in c.text).section == \
        ("MONITOR MODE", "DeviceDisappeared")
    assert _by_text(chunks, "Fail").section == ("MONITOR MODE",)  # not under DeviceDisappeared


def test_a_title_wrapped_onto_two_underlined_lines_is_a_heading(tmp_path):
    chunks = _chunks(tmp_path, "FAQ.txt", FAQ)
    c = next(c for c in chunks if "RAID0" in c.text)
    assert c.section[-1] == "12. mdadm -E reports different arrays with the same device name. What gives?"
    assert c.kind == "text"


def test_problem_and_its_answer_are_one_chunk_even_past_the_merge_size():
    from knowledge_base.types import ParsedDocument

    filler = "Some unrelated text about the programmer. " * 19  # ~800 characters
    blocks = (Block(filler, page=3, section=("B",)),
              Block("Problem: my ATtiny reads fine but programming through TPI fails.", page=3, section=("B",)),
              Block("Solution: mind the limited programming supply voltage range.", page=3, section=("B",)),
              Block("It is only guaranteed at 5 V.", page=3, section=("B",)),
              Block("Problem: another one.", page=3, section=("B",)),
              Block("Solution: none yet.", page=3, section=("B",)))
    chunks = Chunker().chunk(ParsedDocument("m.pdf", "Manual", blocks=blocks), "m.pdf").chunks
    pair = next(c for c in chunks if "ATtiny" in c.text)
    assert "supply voltage" in pair.text and "5 V" in pair.text and "another" not in pair.text
    assert any(c.text.startswith("Problem: another one.") and "none yet" in c.text for c in chunks)


def test_what_counts_as_a_problem_and_an_answer():
    assert is_problem_answer(Block("Problem\nudev makes no nodes", "definition"),
                             Block("Workaround\nEdit the rules", "definition"))
    assert not is_problem_answer(Block("Problem: x"), Block("Note: y"))
    assert not is_problem_answer(Block("Problem: x", section=("A",)), Block("Solution: y", section=("B",)))


PLUSTEK_FAQ = """Scanner driver TROUBLESHOOTING/FAQ
-----------------------------------------------

Here you will not find how to set up a frontend.
SYMPTOM: error in loading shared libraries: libsane.so.1: cannot open
-------- shared object file: No such file or directory

PROBLEM:
--------
The shared libraries have been installed to a directory
which is not in your "library path"

SOLUTION:
---------
Add the path to /etc/ld.so.conf and run "ldconfig -v".

SYMPTOM: "no SANE devices found"
--------
While testing with "scanimage -L" nothing happens.
"""


def test_faq_symptom_labels_head_their_problem_and_solution(tmp_path):
    # Underlined SYMPTOM / PROBLEM / SOLUTION labels: the symptom is the entry's heading
    # (its title wrapped past the rule), problem and solution one chunk under it.
    chunks = _chunks(tmp_path, "FAQ.txt", PLUSTEK_FAQ)
    c = next(c for c in chunks if "library path" in c.text)
    assert c.section[-1] == ("SYMPTOM: error in loading shared libraries: libsane.so.1: cannot open "
                             "shared object file: No such file or directory")
    assert c.text.startswith("PROBLEM: The shared libraries") and "SOLUTION: Add the path" in c.text
    assert not {"PROBLEM", "SOLUTION", "SYMPTOM"} & set(c.fault_codes)
    assert next(c for c in chunks if "nothing happens" in c.text).section[-1] == 'SYMPTOM: "no SANE devices found"'


MAN_VALUES = """SANE-X(5)                 SANE Scanner Access Now Easy                SANE-X(5)

NAME
       sane-x - SANE backend for X scanners

ENVIRONMENT
       The backend uses a single environment variable, SANE_DEBUG_X,
       which enables debugging output to stderr. Valid values are:

              5  Errors
              10 Function trace
              15 Function detail

KNOWN ISSUES
       Flatbed units may fail to scan at maximum area.
"""


def test_a_block_of_numbered_value_lines_is_a_list_with_its_lead_in_not_headings(tmp_path):
    chunks = _chunks(tmp_path, "sane-x.5.txt", MAN_VALUES, group_chars=400)
    c = next(c for c in chunks if "Function trace" in c.text)
    assert c.section == ("ENVIRONMENT",) and c.kind == "definition"
    assert c.text.startswith("The backend uses") and "10\nFunction trace" in c.text
    assert not any(s.startswith("10 ") for c in chunks for s in c.section)
