"""Man pages' box-drawing tables are read as rows that carry their header."""

import pytest

from ingest.chunker import Chunker
from ingest.loaders import load_file
from knowledge_base.types import TABLE_ROW

pytestmark = pytest.mark.unit

MAN = """WIDGET-SET(1)               Widget Manual              WIDGET-SET(1)

NAME
       widget-set - set a widget's mode

OPTIONS
       --mode=<mode>, -m <mode>
           The mode to set.

           ┌──────┬─────────────────────────┐
           │Value │ Meaning                 │
           ├──────┼─────────────────────────┤
           │0     │ Off: the widget draws   │
           │      │ no current.             │
           ├──────┼─────────────────────────┤
           │1     │ Idle: the fan runs at   │
           │      │ low speed only.         │
           └──────┴─────────────────────────┘

EXIT STATUS
       0 on success.
"""


def test_each_drawn_row_is_one_row_with_its_header(tmp_path):
    p = tmp_path / "widget-set.1.txt"
    p.write_text(MAN, encoding="utf-8")
    doc = load_file(p)
    rows = [b.text for b in doc.blocks if b.kind == TABLE_ROW]
    assert rows == ["Value: 0 | Meaning: Off: the widget draws no current.",
                    "Value: 1 | Meaning: Idle: the fan runs at low speed only."]
    assert not any("│" in b.text or "───" in b.text for b in doc.blocks)
    # the table gives the values of the option above it: the rows sit under its term
    assert {b.section for b in doc.blocks if b.kind == TABLE_ROW} == {("OPTIONS", "--mode=<mode>, -m <mode>")}
    assert next(b for b in doc.blocks if "0 on success" in b.text).section == ("EXIT STATUS",)
    chunks = Chunker().chunk(doc, str(p)).chunks
    assert any("low speed only" in c.text and c.kind == TABLE_ROW for c in chunks)


def test_a_bar_inside_a_cell_does_not_split_the_row(tmp_path):
    p = tmp_path / "widget-clean.1.txt"
    p.write_text("OPTIONS\n       -a <act>\n           The action.\n\n"
                 "           ┌──────────────┬────────────┐\n"
                 "           │Value         │ Definition │\n"
                 "           ├──────────────┼────────────┤\n"
                 "           │0x04 | purge  │ Start a    │\n"
                 "           │              │ purge.     │\n"
                 "           └──────────────┴────────────┘\n", encoding="utf-8")
    rows = [b.text for b in load_file(p).blocks if b.kind == TABLE_ROW]
    assert rows == ["Value: 0x04 / purge | Definition: Start a purge."]
