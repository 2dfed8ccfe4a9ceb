"""FMEA tables: parsing, errors that name the file, ranking, and the
integrity of the sample machines' tables against the sample manuals."""

import re
from pathlib import Path

import pytest

from assistant.alerts.fmea import AlertPattern, FmeaTable, default_fmea_path, load_fmea
from knowledge_base.codes import CodeMatcher, normalize_code
from knowledge_base.errors import ConfigError

HEADER = "equipment_model,pattern,failure_mode,fault_codes,keywords\n"
SAMPLES = Path(__file__).resolve().parents[2] / "knowledge_base" / "samples"


@pytest.mark.unit
@pytest.mark.parametrize("row, problem", [
    ("M,vib:sideways,wear,E-1,x", "bad condition 'vib:sideways'"),
    ("M,,wear,E-1,x", "lacks pattern"),
    (",vib:up,wear,E-1,x", "lacks equipment_model"),
])
def test_bad_rows_name_the_file_and_line(tmp_path, row, problem):
    f = tmp_path / "bad.csv"
    f.write_text(HEADER + row + "\n")
    with pytest.raises(ConfigError, match=rf"bad\.csv: line 2: .*{re.escape(problem)}"):
        FmeaTable.load(f)


@pytest.mark.unit
def test_unreadable_table_is_a_config_error(tmp_path):
    f = tmp_path / "latin.csv"
    f.write_bytes(HEADER.encode() + "M,vib:up,usure \xe9,E-1,x\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="latin.csv: cannot read FMEA table"):
        FmeaTable.load(f)


@pytest.mark.unit
def test_missing_folder_is_an_empty_table(tmp_path):
    assert FmeaTable.load(tmp_path / "nope").rows == () and FmeaTable.load(None).rows == ()


@pytest.mark.unit
def test_a_signal_moving_the_other_way_counts_against_a_row(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text(HEADER + "M,suction:down,cavitation,E-107,x\nM,suction:up,sensor fault,E-111,x\n"
                 "M,suction:any,blocked line,E-112,x\n")
    t = FmeaTable.load(f)
    down = [c.mode.failure_mode for c in t.candidates(AlertPattern("M", ("suction",), {"suction": "down"}))]
    assert down == ["cavitation", "blocked line"]  # the "up" row scores below zero and is dropped
    unknown = [c.mode.failure_mode for c in t.candidates(AlertPattern("M", ("suction",), {}))]
    assert unknown == ["blocked line", "cavitation", "sensor fault"]  # any 0.7 > unknown direction 0.6
    assert t.candidates(AlertPattern("Other", ("suction",), {"suction": "down"})) == []


@pytest.mark.unit
def test_codes_with_a_space_stay_whole(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text(HEADER + "M,current:up,overcurrent,ERR 34 F0017,x\n")
    assert FmeaTable.load(f).rows[0].fault_codes == ("ERR 34", "F0017")


@pytest.mark.unit
def test_sample_tables_use_real_signals_and_codes():
    """Every FMEA code is defined in its machine's manual, and every signal is
    one the manual's monitored-signals table names."""
    table = load_fmea(None)
    assert default_fmea_path().is_dir() and table.models() == {"CP-80S", "RS-37E", "BD-500T", "HS-24K"}
    manuals = {m: next(p for p in (SAMPLES / "src").glob("*.md") if f"Model: {m}" in p.read_text()
                       or m in p.read_text().splitlines()[0]) for m in table.models()}
    matcher = CodeMatcher()
    for row in table.rows:
        text = manuals[row.equipment_model].read_text()
        defined = set(matcher.find("\n".join(ln for ln in text.splitlines() if ln.startswith("| "))))
        for code in row.fault_codes:
            assert normalize_code(code) in defined, (row.source, code)
        for cond in row.pattern:
            assert f"| {cond.signal} |" in text, (row.source, cond.signal)


@pytest.mark.unit
def test_bad_alert_scenario_line_is_named(tmp_path):
    from assistant.evaluation.alert_eval import load_scenarios

    good = ('{"id": "s1", "asset": "P-1", "equipment_model": "CP-80S", "top_signals": ["a"], '
            '"trends": {"a": "up"}, "expected": {"source": "m.pdf", "sections": ["5.1"]}}')
    f = tmp_path / "s.jsonl"
    f.write_text(good + "\n\n" + '{"id": "s2"}\n')
    with pytest.raises(ConfigError, match=r"s\.jsonl:3: bad alert scenario: 'asset'"):
        load_scenarios(f)
    f.write_text(good + "\n")
    (s,) = load_scenarios(f)
    assert s.expected == ("5.1",) and s.acceptable == () and s.pattern.trends == {"a": "up"}
