"""Property tests: any bytes under any supported extension load or are refused cleanly.

Text formats get arbitrary bytes, arbitrary text and text built from each format's
markup; PDF, DOCX and XLSX get the tiny real files of tests/data with bytes (PDF)
or XML parts (DOCX, XLSX) mutated. The contract is :func:`checks.check_load`, run
under a time limit.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .bounds import FAST, SLOW, time_limit
from .checks import check_load

DATA = Path(__file__).resolve().parents[1] / "data"
TEXT_EXTS = [".md", ".txt", ".html", ".csv", ".json", ".jsonl"]
# Pieces of every text format's syntax and of the values the loaders interpret.
MARKUP = ["\n", "\r\n", " ", "  ", "\t", "#", "## ", "|", "| --- |", "---", "1. ", "2) ", "- ", "> ", "```",
          "WARNING: ", "DANGER", "Model: ", "5.3 Replacing", "E-104", "ALARM:9", "[a](b)", "![", "](", "**",
          "<div>", "</div>", "<table>", "<tr>", "<th>", "<td>", "</td>", "<ol>", "<li>", "<h1>", "<p class=warning>",
          "<script>", "&#xD800;", "&amp;", ",", ";", '"', '""', "{", "}", "[", "]", ":", "null", "true", "1e999",
          "-0", "9" * 30, "\\ud800", '"values"', '"downtime": ', "problem", "WO", "date", "03.01.2025", "90 min",
          "\x00", "\x0c", "\x1c", "\u2028", "\ufeff", "\u00e9"]
markup_text = st.lists(st.sampled_from(MARKUP) | st.text(max_size=4), max_size=80).map("".join)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-loaders")


def load_bytes(workdir: Path, ext: str, data: bytes) -> None:
    path = workdir / f"input{ext}"
    path.write_bytes(data)
    with time_limit():
        check_load(path)


@pytest.mark.parametrize("ext", TEXT_EXTS)
@FAST
@given(data=st.binary(max_size=2000))
def test_any_bytes(workdir, ext, data):
    load_bytes(workdir, ext, data)


@pytest.mark.parametrize("ext", TEXT_EXTS)
@FAST
@given(text=st.text(max_size=2000) | markup_text)
def test_any_text(workdir, ext, text):
    load_bytes(workdir, ext, text.encode("utf-8", "surrogatepass"))


def mutate(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    """``data`` with byte ``position -> value`` edits, cut to ``cut`` bytes (at least one)."""
    out = bytearray(data)
    for position, value in edits:
        out[position % len(out)] = value
    return bytes(out[:max(1, cut)])


edits = st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 255)), max_size=12)


@pytest.mark.slow
@SLOW
@given(edits=edits, cut=st.integers(1, 2**20))
def test_mutated_pdf(workdir, edits, cut):
    load_bytes(workdir, ".pdf", mutate((DATA / "manual.pdf").read_bytes(), edits, cut))


def mutate_zip(seed: Path, member: int, edits: list[tuple[int, int]], insert: str, at: int) -> bytes:
    """The Office file ``seed`` with one XML part byte-edited and ``insert`` spliced in."""
    out = io.BytesIO()
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        target = names[member % len(names)]
        for name in names:
            data = src.read(name)
            if name == target:
                data = mutate(data, edits, len(data))
                at %= len(data) + 1
                data = data[:at] + insert.encode("utf-8", "surrogatepass") + data[at:]
            dst.writestr(name, data)
    return out.getvalue()


XML = ["<", ">", "/>", "</w:p>", "<w:tbl>", "<w:tr>", "<w:tc>", '<c r="XFD1048576"/>', '<row r="1048576">',
       '<dimension ref="A1:XFD1048576"/>', '"', "&", "&#0;", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&a;"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", ["manual.docx", "log_sheet.xlsx"])
@SLOW
@given(member=st.integers(0, 50), edits=edits,
       insert=st.lists(st.sampled_from(XML) | st.text(max_size=3), max_size=10).map("".join),
       at=st.integers(0, 2**20))
def test_mutated_office_file(workdir, seed, member, edits, insert, at):
    load_bytes(workdir, Path(seed).suffix, mutate_zip(DATA / seed, member, edits, insert, at))
