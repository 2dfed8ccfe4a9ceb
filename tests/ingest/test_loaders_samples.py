"""The PDF loader against the sample manuals: the PDF must give the same warnings,
table rows and sections as the Markdown it was rendered from."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_file
from knowledge_base.types import PROCEDURE, TABLE_ROW, WARNING

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[2] / "knowledge_base" / "samples"
SOURCES = sorted((SAMPLES / "src").glob("*.md"))


@pytest.mark.skipif(not SOURCES, reason="sample manuals not present")
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_pdf_matches_its_markdown_source(source):
    md = load_file(source)
    pdf = load_file(SAMPLES / "manuals" / f"{source.stem}.pdf")
    assert pdf.title == md.title and pdf.equipment_model == md.equipment_model and pdf.notes == ()
    for kind in (WARNING, TABLE_ROW):
        assert [b.text for b in pdf.blocks if b.kind == kind] == [b.text for b in md.blocks if b.kind == kind]
    assert {b.section for b in pdf.blocks} == {b.section for b in md.blocks}
    # A procedure that crosses a page break is split in two there, never more.
    md_procs = sum(b.kind == PROCEDURE for b in md.blocks)
    assert md_procs <= sum(b.kind == PROCEDURE for b in pdf.blocks) <= md_procs + pdf.pages
    assert all(b.page is not None for b in pdf.blocks)
