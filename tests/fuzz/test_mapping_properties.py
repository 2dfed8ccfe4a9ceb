"""Property tests: fault-log column mapping, mapping files and whole CSV / JSON exports.

Arbitrary headers and rows give mapped work orders, a table document, or a
MalformedRecords / EmptyInput / ConfigError naming the file. An export whose
headers are plain (no delimiter, quote or line break in them) and include a
known one must load: one work order per non-blank row when its columns make a
work-order log, else one table row per non-blank row with every cell's text
in it; an id column and an asset column always make a work-order log.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ingest.loaders.columns import CANONICAL, SYNONYMS, normalize_header
from knowledge_base.errors import EmptyInput, EncodingError, IngestError, MalformedRecords
from knowledge_base.types import ParsedDocument

from .bounds import FAST, time_limit
from .checks import check_load, check_mapping, check_mapping_file

pytestmark = pytest.mark.unit

KNOWN = sorted({s for syns in SYNONYMS.values() for s in syns} | {"Failure Code", "WO#", "Downtime (min)"})
text = st.text(st.characters(codec="utf-8"), max_size=30)  # UTF-8 files: no lone surrogates
header = st.sampled_from(KNOWN) | text
plain_header = st.sampled_from(KNOWN) | st.text(st.characters(codec="utf-8", exclude_characters=',;\t|"\r\n\x0b\x0c'
                                                              '\x1c\x1d\x1e\x85\u2028\u2029'), min_size=1, max_size=12)
cell = text | st.sampled_from(["", " ", "90 min", "1:30", "2,5", "03.01.2025", "E-104", '"', "1e999"])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-mapping")


@FAST
@given(headers=st.lists(header, max_size=12),
       explicit=st.none() | st.dictionaries(st.sampled_from(sorted(CANONICAL)), header, max_size=4)
       .filter(lambda d: len({normalize_header(h) for h in d.values()}) == len(d)))  # load_mapping_file's rule
def test_map_columns(headers, explicit):
    with time_limit():
        check_mapping(headers, explicit)


mapping_doc = st.dictionaries(st.sampled_from(sorted(CANONICAL)) | text, text | st.integers() | st.none(), max_size=5)


@pytest.mark.parametrize("ext", [".json", ".yaml", ".yml"])
@FAST
@given(data=st.binary(max_size=300) | text.map(str.encode)
       | mapping_doc.map(lambda d: json.dumps(d).encode()))
def test_mapping_file(workdir, ext, data):
    path = workdir / f"mapping{ext}"
    path.write_bytes(data)
    with time_limit():
        check_mapping_file(path)


def write_csv(path: Path, headers: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([headers, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def assert_refused_clearly(result: ParsedDocument | IngestError) -> None:
    if isinstance(result, IngestError):
        assert isinstance(result, (MalformedRecords, EmptyInput, EncodingError)), result


@FAST
@given(headers=st.lists(header, min_size=1, max_size=6), data=st.data())
def test_any_csv_table(workdir, headers, data):
    rows = data.draw(st.lists(st.lists(cell, min_size=len(headers), max_size=len(headers)), max_size=6))
    path = workdir / "log.csv"
    write_csv(path, headers, rows)
    with time_limit():
        assert_refused_clearly(check_load(path))


@FAST
@given(headers=st.lists(plain_header, min_size=1, max_size=6, unique_by=lambda h: h.strip()), data=st.data())
def test_plain_csv_with_a_known_header_loads(workdir, headers, data):
    assume(any(h in KNOWN for h in headers))
    rows = data.draw(st.lists(st.lists(cell, min_size=len(headers), max_size=len(headers)), min_size=1,
                              max_size=6))
    assume(any(c.strip() for row in rows for c in row))
    path = workdir / "log.csv"
    write_csv(path, headers, rows)
    with time_limit():
        doc = check_load(path)
    assert isinstance(doc, ParsedDocument), doc
    filled = [row for row in rows if any(c.strip() for c in row)]
    if doc.records:
        assert doc.doc_type == "fault_log" and len(doc.records) == len(filled) and not doc.blocks
    else:
        assert doc.doc_type == "table" and len(doc.blocks) == len(filled), doc
        for block, row in zip(doc.blocks, filled):
            assert all(" ".join(c.split()) in block.text for c in row), (block.text, row)
    names = {normalize_header(h) for h in headers}
    if {"wo", "asset"} <= names and all(r[i].strip() for r in filled for i, h in enumerate(headers)
                                        if normalize_header(h) in ("wo", "asset")):
        assert doc.records, doc


# "\ud800" is written as the escape \ud800, which json.loads turns into a lone surrogate.
records = st.lists(st.dictionaries(header, cell | st.integers() | st.floats() | st.none() | st.booleans()
                                   | st.lists(cell, max_size=2) | st.just("\ud800"), max_size=5), max_size=5)


@pytest.mark.parametrize("lines", [False, True], ids=["list", "json-lines"])
@FAST
@given(records=records)
def test_any_json_records(workdir, lines, records):
    path = workdir / ("log.jsonl" if lines else "log.json")
    text = "\n".join(json.dumps(r) for r in records) if lines else json.dumps(records)
    path.write_text(text, encoding="utf-8")
    with time_limit():
        assert_refused_clearly(check_load(path))
