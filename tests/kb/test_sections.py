"""The section lane (small to big): whole sections scored like a plain BM25,
their chunks returned; and the section boost of the fused ranking."""

import pytest

from knowledge_base.sections import SectionIndex, boost, cs_by_id
from knowledge_base.types import FAULT_LOG, Chunk, Hit

pytestmark = pytest.mark.unit

CHUNKS = [
    Chunk("grow1", "When decreasing the number of devices the size of the array must be reduced first.",
          "mdadm.8.txt", 1, section=("GROW MODE", "RAID-DEVICES CHANGES")),
    Chunk("grow2", "Changing the number of active devices in a RAID5 is much more effort.",
          "mdadm.8.txt", 2, section=("GROW MODE", "RAID-DEVICES CHANGES")),
    Chunk("raid5", "RAID5 is very similar to RAID4: parity blocks are distributed.", "md.4.txt", 1,
          section=("RAID5",)),
    Chunk("spare", "A spare device replaces a failed disk.", "mdadm.8.txt", 3, section=("SPARES",)),
    Chunk("wo", "Work order 7: reduce number of disks in raid5, replaced disk.", "log.csv", 1,
          section=("A-1",), doc_type=FAULT_LOG),
]


def test_a_section_that_holds_the_question_words_between_its_chunks_wins():
    idx = SectionIndex(CHUNKS)
    best = idx.sections("reduce number of disks in raid5", 1)[0][0]
    assert idx.keys[best] == ("mdadm.8.txt", ("GROW MODE", "RAID-DEVICES CHANGES"))


def test_the_chunks_of_a_winning_section_come_back_the_one_with_more_of_the_question_first():
    hits = SectionIndex(CHUNKS).search("reduce the size, number of devices", 10, cs_by_id(CHUNKS))
    assert [h.chunk.id for h in hits[:2]] == ["grow1", "grow2"] and hits[0].lane == "section"


def test_work_orders_are_not_section_units():
    idx = SectionIndex(CHUNKS)
    assert all(src != "log.csv" for src, _ in idx.keys)


def test_filters_apply_to_the_section_lane():
    hits = SectionIndex(CHUNKS).search("raid5", 10, cs_by_id(CHUNKS), keep=lambda c: c.source == "md.4.txt")
    assert [h.chunk.id for h in hits] == ["raid5"]


def test_boost_lifts_a_chunk_whose_section_wins_and_keeps_order_without_scores():
    a, b = Chunk("a", "x", "m", section=("S1",)), Chunk("b", "y", "m", section=("S2",))
    fused = [Hit(a, 0.50), Hit(b, 0.45)]
    assert [h.chunk.id for h in boost(fused, {("m", ("S2",)): 3.0}, 0.2)] == ["b", "a"]
    assert [h.chunk.id for h in boost(fused, {}, 0.2)] == ["a", "b"]
