"""Loaders over the small real files in tests/data (regenerate with tests/data/make_data.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import SUPPORTED, LoadOptions, load_file, load_mapping_file
from knowledge_base.errors import (ConfigError, CorruptInput, EmptyInput, EncodingError, EncryptedInput,
                                   FileTooLarge, IngestError, MalformedRecords, UnsupportedFormat)
from knowledge_base.types import FAULT_LOG, MANUAL, PROCEDURE, TABLE_ROW, TEXT, WARNING

pytestmark = pytest.mark.unit

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "knowledge_base" / "samples"
MANUALS = ["manual.pdf", "manual.md", "manual.txt", "manual.html", "manual.docx"]
BEARING = ("5 Troubleshooting", "5.3 Replacing the drive-end bearing")


def kinds(doc, kind):
    return [b for b in doc.blocks if b.kind == kind]


@pytest.mark.parametrize("name", MANUALS)
def test_manual_structure(name):
    doc = load_file(DATA / name)
    assert doc.source == str(DATA / name) and doc.doc_type == MANUAL
    assert doc.title == "AquaMax CP-80S Pump Service Manual"
    assert doc.equipment_model == "CP-80S"
    (procedure,) = kinds(doc, PROCEDURE)  # lead-in and three steps: one block
    assert procedure.section == BEARING
    assert procedure.text.startswith("To replace the bearing:\n1. Lock out")
    assert "2. Remove the coupling guard" in procedure.text and "\n3. Pull the old bearing" in procedure.text
    assert "keeping the key and the spacer bolts together" in procedure.text  # wrapped step line kept
    warning = kinds(doc, WARNING)[0]
    assert warning.text.startswith("WARNING: Isolate the motor") and warning.text.endswith("five minutes.")
    assert warning.section[-1].lower() == "3 safety"
    assert all(not b.text.startswith(("5.3 Replacing", "AquaMax")) for b in doc.blocks)  # headings are no blocks
    after = [b for b in kinds(doc, TEXT) if b.text.startswith("After the repair")]
    assert after and after[0].section == BEARING


@pytest.mark.parametrize("name", ["manual.pdf", "manual.md", "manual.html", "manual.docx"])
def test_table_rows_stand_alone(name):
    rows = kinds(load_file(DATA / name), TABLE_ROW)
    assert [r.text.split(" | ")[0] for r in rows] == ["Code: E-104", "Code: E-105", "Code: ALARM 9"]
    assert rows[0].text == ("Code: E-104 | Description: High bearing vibration at the drive end | "
                            "Possible cause: Bearing wear; shaft misalignment at the coupling | "
                            "Remedy: Check alignment (5.2); replace the drive-end bearing (5.3)")
    assert all(r.section == ("4 Fault codes",) for r in rows)


def test_pdf_pages_and_footer_removed():
    doc = load_file(DATA / "manual.pdf")
    assert doc.pages == 3 and doc.notes == ()
    assert kinds(doc, WARNING)[0].page == 1
    assert kinds(doc, PROCEDURE)[0].page == 2
    assert {r.page for r in kinds(doc, TABLE_ROW)} == {3}
    assert not any("page" in b.text and "of 3" in b.text for b in doc.blocks)


def test_pdf_without_spaces_uses_fallback():
    doc = load_file(DATA / "nospace.pdf")
    assert doc.notes == ("page 1 read with the fallback extractor (pypdfium2)",)
    assert kinds(doc, TEXT)[0].text == ("The spindle drive uses a closed loop with encoder feedback for "
                                        "accurate positioning of the tool at every speed.")
    assert kinds(doc, WARNING)[0].text.startswith("WARNING: Keep hands clear")
    assert doc.blocks[0].section == ("2 Spindle drive",)


def test_asset_model_option_wins():
    assert load_file(DATA / "manual.md", LoadOptions(asset_model="XR-1")).equipment_model == "XR-1"


def test_markdown_code_fence_is_text():
    doc = load_file(DATA / "manual.md")
    assert doc.blocks[-1].kind == TEXT and doc.blocks[-1].text == "P = Q * H * 9.81 / eta"


def test_html_drops_nav_and_reads_alert_class():
    doc = load_file(DATA / "manual.html")
    assert not any("Home" in b.text or "console" in b.text for b in doc.blocks)
    assert any(b.kind == WARNING and b.text.startswith("Hot surfaces") for b in doc.blocks)


def test_csv_log_with_sample_headers():
    doc = load_file(DATA / "log_export.csv")
    assert doc.doc_type == FAULT_LOG and doc.title == "log_export" and doc.equipment_model == "CP-80S"
    assert doc.notes == ("unmapped columns: Technician",)
    first, second, third = doc.records
    assert (first.wo_id, first.asset_id, first.timestamp, first.fault_code) == ("WO-1", "P-1", "2025-01-03T13:09:00", "E-104")
    assert (first.symptom, first.cause, first.action) == ("High vibration", "Bearing wear", "Replaced bearing")
    assert first.downtime_h == 2.5 and second.downtime_h == 1.5 and third.downtime_h == 1.5
    assert first.extra == (("Technician", "T. Nyberg"),)
    assert third.wo_id == "log_export-row4" and third.timestamp == "not recorded"


def test_json_list_snake_case_and_minutes():
    (rec,) = load_file(DATA / "log_list.json").records
    assert (rec.wo_id, rec.asset_id, rec.fault_code, rec.cause, rec.action) == (
        "WO-10", "CV-1", "F0023", "Worn lagging", "Relagged pulley")
    assert rec.downtime_h == 0.75 and rec.timestamp == "2025-02-01T06:30:00"
    assert dict(rec.extra) == {"shift": "night", "details": '{"crew": 2}'}


def test_json_lines_log():
    doc = load_file(DATA / "log_lines.jsonl")
    a, b = doc.records
    assert (a.wo_id, a.asset_id, a.fault_code, a.timestamp, a.downtime_h) == ("T-7", "HS-1", "ERR 34", "2025-01-03", 0.5)
    assert b.downtime_h is None and ("hours_down", "n/a") in b.extra
    assert any("unreadable downtime" in n for n in doc.notes)


def test_xlsx_log_skips_blank_rows():
    doc = load_file(DATA / "log_sheet.xlsx")
    assert [r.wo_id for r in doc.records] == ["WO-77", "WO-78"]
    assert doc.records[0].timestamp == "2025-04-02T09:15:00" and doc.records[0].downtime_h == 3.0
    assert doc.records[1].action == "Changed filter" and doc.notes[0] == "unmapped columns: Notes"


def test_explicit_mapping_file():
    mapping = load_mapping_file(DATA / "mapping.yaml")
    (rec,) = load_file(DATA / "log_custom.csv", LoadOptions(column_mapping=mapping)).records
    assert (rec.wo_id, rec.asset_id, rec.fault_code, rec.symptom, rec.action) == (
        "R-1", "RS-2", "SP-112", "Oil temperature high", "Cleaned cooler")


def test_bad_mapping_file():
    with pytest.raises(ConfigError, match="failure_mode"):
        load_mapping_file(DATA / "bad_mapping.yaml")


def test_non_utf8_text_is_decoded_with_a_note_naming_the_encoding(tmp_path):
    path = tmp_path / "kuehlung.txt"
    text = "K\u00fchlwasserpumpe\n\nDie Pumpe f\u00f6rdert K\u00fchlwasser. Lager pr\u00fcfen, \u00d6l wechseln.\n"
    path.write_bytes(text.encode("cp1252"))
    doc = load_file(path)
    assert "Die Pumpe f\u00f6rdert K\u00fchlwasser" in doc.blocks[0].text
    assert doc.notes[0].startswith("not UTF-8: decoded as ") and "detected" in doc.notes[0]
    assert load_file(DATA / "manual.txt").notes == ()  # UTF-8 gets no note


def test_binary_bytes_are_refused_as_not_text(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(EncodingError, match="not valid UTF-8 at byte 128"):
        load_file(path)


def test_a_table_without_work_order_columns_is_a_table_document():
    doc = load_file(DATA / "no_fields.csv")
    assert (doc.doc_type, doc.records) == ("table", ())
    assert [(b.kind, b.text) for b in doc.blocks] == [("table_row", "Colour: red | Weight: 3")]
    assert "not work orders" in doc.notes[0]


def test_an_fmea_table_is_its_own_kind_not_work_orders():
    doc = load_file(SAMPLES / "fmea" / "cp80s_pump.csv")
    assert (doc.doc_type, doc.records, doc.equipment_model) == ("fmea", (), "CP-80S")
    assert len(doc.blocks) == 11 and all(b.kind == "table_row" for b in doc.blocks)
    assert doc.blocks[0].text.startswith("equipment_model: CP-80S | pattern: bearing_de_rms:up")
    assert "FMEA table" in doc.notes[0] and "not stored as passages or work orders" in doc.notes[0]


def test_utf8_bom_accepted():
    assert load_file(DATA / "bom.csv").records[0].wo_id == "WO-9"


BAD = [
    ("manual.rtf", UnsupportedFormat, "unsupported file type"),
    ("empty.csv", EmptyInput, "0 bytes"),
    ("encrypted.pdf", EncryptedInput, "encrypted"),
    ("truncated.pdf", CorruptInput, "PDF"),
    ("scanned.pdf", EmptyInput, "no extractable text"),
    ("broken_quote.csv", MalformedRecords, "row 2"),
    ("stray_quote.csv", MalformedRecords, "row 3"),
    ("header_only.csv", EmptyInput, "no rows"),
    ("not_records.json", MalformedRecords, "JSON"),
    ("encrypted.xlsx", EncryptedInput, "password"),
    ("corrupt.xlsx", CorruptInput, "XLSX"),
]


@pytest.mark.parametrize(("name", "error", "words"), BAD)
def test_bad_input_is_one_line_error_naming_the_file(name, error, words):
    path = DATA / name
    with pytest.raises(error) as info:
        load_file(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ") and words in message
    assert info.value.path == str(path)


def test_file_too_large_is_refused_before_reading(tmp_path):
    big = tmp_path / "huge.pdf"
    with big.open("wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: no disk used, and never read
    with pytest.raises(FileTooLarge, match="over the 100 MB limit"):
        load_file(big)


def test_unexpected_loader_failure_becomes_corrupt_input(tmp_path, monkeypatch):
    import ingest.loaders as loaders

    def boom(path, options):
        raise ValueError("bad\nthing")

    monkeypatch.setitem(loaders.LOADERS, ".md", boom)
    path = tmp_path / "x.md"
    path.write_text("# x\n")
    with pytest.raises(CorruptInput) as info:
        load_file(path)
    assert str(info.value) == f"{path}: cannot parse as MD: ValueError: bad thing"
    assert isinstance(info.value, IngestError)


def test_supported_extensions():
    assert SUPPORTED == {".pdf", ".md", ".markdown", ".txt", ".rst", ".adoc", ".asciidoc", ".html", ".htm",
                         ".docx", ".csv", ".json", ".jsonl", ".xlsx"}


def test_mapping_file_json(tmp_path):
    path = tmp_path / "map.json"
    path.write_text('{"fault_code": "Msg", "wo_id": "Ref"}')
    assert load_mapping_file(path) == {"fault_code": "Msg", "wo_id": "Ref"}
    path.write_text("[1, 2]")
    with pytest.raises(ConfigError, match="must be an object"):
        load_mapping_file(path)
