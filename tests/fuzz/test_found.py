"""Inputs the fuzz tests found, each kept as a regression test.

Each was a crash (an exception caught only by load_file's safety net), a wrong
refusal, a multi-line error, or a regex that backtracked for seconds to minutes.
"""

from __future__ import annotations

import time

import pytest

from ingest.loaders import load_file, load_mapping_file
from ingest.loaders.markdown import inline, load_markdown
from ingest.loaders.options import LoadOptions
from ingest.loaders.records import parse_downtime
from ingest.loaders.structure import is_warning
from ingest.loaders.textio import find_model
from knowledge_base.errors import ConfigError, EmptyInput, EncodingError, MalformedRecords

from .bounds import time_limit

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("name", "data", "error", "words"), [
    ("blank.md", b"\t", EmptyInput, "no text"),  # was a document without a block
    ("cells.csv", b";", EmptyInput, "only empty cells"),  # was IndexError
    ("surrogate.json", b'[{"problem": "\\ud800"}]', EncodingError, "lone surrogate"),  # store failed later
    ("surrogate.jsonl", b'{"problem": "\\udfff"}', EncodingError, "lone surrogate"),
    ("deep.json", b"[" * 100_000, MalformedRecords, "nested too deeply"),  # was RecursionError
    ("digits.json", b'[{"downtime": ' + b"9" * 5000 + b"}]", MalformedRecords, "4300 digits"),  # was ValueError
])
def test_refused_with_its_own_error(tmp_path, name, data, error, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error, match=words) as caught:
        load_file(path)
    assert caught.value.__cause__ is None and str(caught.value).startswith(f"{path}: ")


def test_csv_cell_with_a_record_separator_and_a_quote_loads(tmp_path):
    # str.splitlines() split at \x1e while the csv reader did not: the quoted '"' looked stray.
    path = tmp_path / "log.csv"
    path.write_text('action\na\x1eb\n""""\n', encoding="utf-8")
    # One column of text is a table document now (no work-order columns), read the same way.
    assert [b.text for b in load_file(path).blocks] == ["action: a b", 'action: "']


@pytest.mark.parametrize(("text", "words"), [
    ('{"action": "Fix", "asset_id": "fix"}', "fields action and asset_id both name the column 'fix'"),
    ('{"\\n": "x"}', "unknown work-order field(s) '\\n'"),  # the name was printed raw, over two lines
])
def test_mapping_file_errors(tmp_path, text, words):
    path = tmp_path / "mapping.json"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_mapping_file(path)
    assert words in str(caught.value) and "\n" not in str(caught.value)


# Each took from 1 s to over 10 minutes before its regex was rewritten.
SLOW_BEFORE = {
    "heading closed by #s": lambda: load_markdown_text("# a" + " " * 20000 + "#" * 20000 + "x"),
    "table separator": lambda: load_markdown_text("| a |\n" + " " * 20000 + "x"),
    "links": lambda: inline("[a](" * 20000),
    "model line": lambda: find_model(["Model:" + " " * 20000 + "!"]),
    "warning": lambda: is_warning("WARNING" + " " * 20000 + "x"),
    "downtime": lambda: parse_downtime("1" + " " * 20000 + "x"),
}


def load_markdown_text(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.md"
        path.write_text(text)
        return load_markdown(path, LoadOptions())


@pytest.mark.parametrize("call", list(SLOW_BEFORE.values()), ids=list(SLOW_BEFORE))
def test_adversarial_lines_are_fast(call):
    start = time.perf_counter()
    with time_limit(10):
        call()
    assert time.perf_counter() - start < 1.0

