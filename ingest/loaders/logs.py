"""Fault-log exports: CSV, JSON (a list of objects or JSON Lines) and XLSX.

Each reader yields ``(row number, {header: value})`` pairs and leaves the
field matching to :mod:`.records`. Row numbers are the ones a person sees:
the CSV/XLSX header is row 1, the first JSON record is row 1.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from knowledge_base.errors import CorruptInput, EmptyInput, EncodingError, EncryptedInput, MalformedRecords
from knowledge_base.types import ParsedDocument

from .options import LoadOptions
from .limits import cap_records, check_columns
from .records import build_log
from .textio import read_text
from .word import OLE_MAGIC
from .zipguard import check_zip

MAX_SHEET_CELLS = 20_000_000  # about 1 million work orders of 20 columns


def load_csv(path: Path, options: LoadOptions) -> ParsedDocument:
    return cap_records(build_log(path, *read_csv_table(path), options))


def read_csv_table(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """(headers, [(row number, {header: value})]) of a CSV export."""
    text = read_text(path)
    if not text.strip():
        raise EmptyInput(path, "no header and no rows")
    delimiter = max((",", ";", "\t", "|"), key=text.split("\n", 1)[0].count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    # Physical lines split as the reader's source splits them (\r, \n, \r\n): str.splitlines
    # also splits at \x1c-\x1e, \x85, \u2028..., which misaligned the raw text of a row.
    lines = io.StringIO(text, newline="").readlines()
    rows = list(_csv_rows(path, reader, lines))
    if not rows:
        raise EmptyInput(path, "only empty cells, no header")
    headers = [h.strip() for h in rows[0]]
    check_columns(path, headers)
    body = [(n, dict(zip(headers, cells))) for n, cells in enumerate(rows[1:], 2)]
    if not body:
        raise EmptyInput(path, "header but no rows")
    return headers, body


def _csv_rows(path: Path, reader, lines: list[str]):
    """Parsed rows, refusing broken quoting and rows with the wrong field count."""
    width = None
    start = 0  # physical line where the current record starts
    for number in range(1, 10**9):
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise MalformedRecords(path, f"row {number} (line {start + 1}): broken quoting ({exc})") from None
        raw = "".join(lines[start:reader.line_num])
        start = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        for cell in cells:
            # csv accepts a stray quote inside an unquoted field; a quoted field shows up doubled in raw.
            if '"' in cell and '"' + cell.replace('"', '""') + '"' not in raw:
                raise MalformedRecords(path, f"row {number} (line {reader.line_num}): stray quote in {cell[:40]!r}")
        if width is None:
            width = len(cells)
        elif len(cells) != width:
            raise MalformedRecords(path, f"row {number} (line {reader.line_num}): {len(cells)} fields, "
                                         f"header has {width} (unbalanced quotes?)")
        yield cells


def load_json(path: Path, options: LoadOptions) -> ParsedDocument:
    return cap_records(build_log(path, *read_json_table(path), options))


def read_json_table(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """(headers, [(record number, {key: value})]) of a JSON / JSON Lines export."""
    text = read_text(path).strip()
    if not text:
        raise EmptyInput(path, "no records")
    try:
        data = _parse_json(path, text)
        records = data if isinstance(data, list) else [data] if "\n" not in text else None
    except json.JSONDecodeError:
        records = None
    if records is None:
        records = _json_lines(path, text)
    if not all(isinstance(r, dict) for r in records):
        raise MalformedRecords(path, "expected a list of objects or JSON Lines of objects")
    if not records:
        raise EmptyInput(path, "empty list, no records")
    headers: dict[str, None] = {}
    for record in records:
        headers.update(dict.fromkeys(str(k) for k in record))
    check_columns(path, headers)
    rows = [(n, {str(k): _flat(v) for k, v in r.items()}) for n, r in enumerate(records, 1)]
    return list(headers), rows


def _json_lines(path: Path, text: str) -> list:
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(_parse_json(path, line))
        except json.JSONDecodeError as exc:
            raise MalformedRecords(path, f"neither a JSON list nor JSON Lines: line {number}: {exc.msg}") from None
    return records


def _parse_json(path: Path, text: str) -> object:
    """``json.loads``, with its other failures (nesting too deep, an integer of over 4,300
    digits, a ``\\ud800`` escape that is half a surrogate pair) as one-line errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise MalformedRecords(path, "JSON nested too deeply (over ~1,000 levels)") from None
    except ValueError as exc:  # int() refuses numbers over sys.get_int_max_str_digits()
        raise MalformedRecords(path, f"unreadable JSON value: {exc}") from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EncodingError(path, f"JSON string has a lone surrogate escape \\u{ord(exc.object[exc.start]):04x}, "
                                  "not a character") from None
    return data


def _flat(value: object) -> object:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def _sheet_rows(path: Path, sheet) -> list[tuple[int, tuple]]:
    """The non-blank rows of a read-only sheet, numbered, within a budget of cells.

    The sheet's declared dimension is ignored: openpyxl pads every row to it, so a
    two-row sheet declaring A1:XFD1048576 made 17 billion empty cells. Rows are read
    as written, and the cells read (one per skipped row) are counted.
    """
    sheet.reset_dimensions()
    rows, cells = [], 0
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        cells += max(len(row), 1)
        if cells > MAX_SHEET_CELLS:
            raise MalformedRecords(path, f"first sheet has over {MAX_SHEET_CELLS:,} cells (at row {number})")
        if any(v is not None and str(v).strip() for v in row):
            rows.append((number, row))
    return rows


def load_xlsx(path: Path, options: LoadOptions) -> ParsedDocument:
    return cap_records(build_log(path, *read_xlsx_table(path), options))


def read_xlsx_table(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """(headers, [(row number, {header: value})]) of the first sheet of a workbook."""
    from openpyxl import load_workbook

    with path.open("rb") as f:
        if f.read(8) == OLE_MAGIC:
            raise EncryptedInput(path, "workbook is password protected (or a legacy .xls file)")
    check_zip(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CorruptInput(path, f"not a readable XLSX file ({type(exc).__name__})") from None
    try:
        rows = _sheet_rows(path, workbook.worksheets[0])
    finally:
        workbook.close()
    if not rows:
        raise EmptyInput(path, "first sheet is empty")
    first, header_cells = rows[0]
    headers = [str(h).strip() if h is not None else f"Column {i + 1}" for i, h in enumerate(header_cells)]
    check_columns(path, headers)
    body = [(n, dict(zip(headers, cells))) for n, cells in rows[1:]]
    if not body:
        raise EmptyInput(path, "header but no rows")
    return headers, body


TABLE_READERS = {".csv": read_csv_table, ".json": read_json_table, ".jsonl": read_json_table,
                 ".xlsx": read_xlsx_table}
