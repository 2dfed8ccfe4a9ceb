"""FMEA tables: from what a monitor saw to candidate failure modes and codes.

Each equipment model has a small FMEA-style table (CSV, one file per model,
see ``knowledge_base/samples/fmea/``)::

    equipment_model,pattern,failure_mode,fault_codes,keywords
    CP-80S,bearing_de_rms:up bearing_temp_c:up,Drive-end bearing wear,E-104 E-105,replace drive-end bearing

``pattern`` is a list of ``signal:trend`` conditions (trend ``up``, ``down``
or ``any``), the first being the signal the failure mode shows on first.
:meth:`FmeaTable.candidates` ranks the model's rows against an
:class:`AlertPattern` (the alert's top signals, in order of contribution,
and the direction each moved):

* each condition earns the weight of its signal's rank among the top
  signals (1.0, 0.6, 0.4; 0.2 for another signal that moved clearly),
  times 1 when the trend agrees, 0.6 when the direction is unknown, 0.7 for
  ``any`` and -1 when the signal moved the other way;
* a condition whose signal the alert does not show costs 0.3, and a row
  whose first signal is not among the top signals counts half.

A candidate's fault codes and words become retrieval queries
(:mod:`assistant.alerts.analyst`), so the manual's procedure is found from the
alert alone.

>>> t = FmeaTable.parse_rows([
...     {"equipment_model": "M", "pattern": "vib:up temp:up", "failure_mode": "bearing wear",
...      "fault_codes": "E-104", "keywords": "bearing"},
...     {"equipment_model": "M", "pattern": "vib:up", "failure_mode": "misalignment",
...      "fault_codes": "E-104", "keywords": "alignment"}], "t.csv")
>>> [c.mode.failure_mode for c in t.candidates(AlertPattern("M", ("vib", "temp"), {"vib": "up", "temp": "up"}))]
['bearing wear', 'misalignment']
>>> [c.mode.failure_mode for c in t.candidates(AlertPattern("M", ("vib",), {"vib": "up"}))]
['misalignment', 'bearing wear']
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.errors import ConfigError
from knowledge_base.types import FMEA_COLUMNS

TRENDS = ("up", "down", "any")
RANK_WEIGHTS = (1.0, 0.6, 0.4)
OTHER_WEIGHT, MISSING_COST = 0.2, 0.3
#: |deviation| in reference standard deviations above which a signal "moved".
MOVED = 1.0
COLUMNS = FMEA_COLUMNS  # ingest recognises these tables by the same columns (doc type "fmea")


@dataclass(frozen=True)
class Condition:
    signal: str
    trend: str  # up | down | any


@dataclass(frozen=True)
class FailureMode:
    """One FMEA row: a signal pattern, the failure mode it suggests, its codes."""

    equipment_model: str
    pattern: tuple[Condition, ...]
    failure_mode: str
    fault_codes: tuple[str, ...]
    keywords: str
    source: str = ""

    def query(self) -> str:
        """The retrieval query for this failure mode."""
        return " ".join([*self.fault_codes, self.failure_mode, self.keywords])


@dataclass(frozen=True)
class AlertPattern:
    """What a monitor saw, as the FMEA matcher reads it."""

    equipment_model: str | None
    top_signals: tuple[str, ...]
    trends: Mapping[str, str]  # signal -> up | down (signals that clearly moved)

    @classmethod
    def from_alert(cls, alert, equipment_model: str | None) -> "AlertPattern":
        """The pattern of a :class:`monitors.types.Alert`: its top signals and
        the direction of every signal that moved more than ``MOVED``."""
        trends = {s: ("up" if z > 0 else "down") for s, z in alert.deviations().items() if abs(z) >= MOVED}
        return cls(equipment_model, tuple(alert.top_signals), trends)

    def describe(self) -> str:
        """``bearing_de_rms up, bearing_temp_c up``."""
        return ", ".join(f"{s} {self.trends.get(s, '')}".strip() for s in self.top_signals)


@dataclass(frozen=True)
class Candidate:
    """A failure mode judged likely for an alert, with the reason."""

    mode: FailureMode
    score: float
    why: str


class FmeaTable:
    """The FMEA rows of every equipment model, loaded from CSV files."""

    def __init__(self, rows: Iterable[FailureMode]) -> None:
        self.rows = tuple(rows)

    @classmethod
    def load(cls, path: str | Path | None) -> "FmeaTable":
        """All ``*.csv`` tables under ``path`` (a file or folder); None or a
        missing folder gives an empty table. A malformed file raises
        :class:`ConfigError` naming the file and the problem."""
        if path is None or not Path(path).exists():
            return cls(())
        p = Path(path)
        files = sorted(p.glob("*.csv")) if p.is_dir() else [p]
        rows: list[FailureMode] = []
        for f in files:
            try:
                with open(f, newline="", encoding="utf-8-sig") as fh:
                    rows += cls.parse_rows(csv.DictReader(fh), str(f)).rows
            except (OSError, UnicodeDecodeError, csv.Error) as exc:
                raise ConfigError(f"{f}: cannot read FMEA table: {exc}") from exc
        return cls(rows)

    @classmethod
    def parse_rows(cls, records: Iterable[Mapping[str, str]], source: str) -> "FmeaTable":
        rows = []
        for n, r in enumerate(records, 2):
            missing = [c for c in COLUMNS if not (r.get(c) or "").strip() and c != "keywords"]
            if missing:
                raise ConfigError(f"{source}: line {n}: FMEA row lacks {', '.join(missing)}")
            conds = []
            for item in r["pattern"].split():
                signal, _, trend = item.partition(":")
                if trend not in TRENDS:
                    raise ConfigError(f"{source}: line {n}: bad condition {item!r} (signal:up|down|any)")
                conds.append(Condition(signal, trend))
            codes = tuple(_split_codes(r["fault_codes"]))
            rows.append(FailureMode(r["equipment_model"].strip(), tuple(conds), r["failure_mode"].strip(),
                                    codes, (r.get("keywords") or "").strip(), source))
        return cls(rows)

    def models(self) -> set[str]:
        return {r.equipment_model for r in self.rows}

    def candidates(self, pattern: AlertPattern, k: int = 3) -> list[Candidate]:
        """The ``k`` best failure modes of the pattern's model, best first
        (rows of equal score keep the table's order)."""
        scored = []
        for row in self.rows:
            if pattern.equipment_model is not None and row.equipment_model != pattern.equipment_model:
                continue
            score, why = _match(row, pattern)
            if score > 0:
                scored.append(Candidate(row, round(score, 4), why))
        return sorted(scored, key=lambda c: -c.score)[:k]


def _split_codes(text: str) -> list[str]:
    """``"E-104 E-105"`` or ``"ERR 34; F0017"`` -> codes (a bare number joins the word before)."""
    out: list[str] = []
    for part in text.replace(";", " ").replace(",", " ").split():
        if part.isdigit() and out and not out[-1][-1].isdigit():
            out[-1] += " " + part
        else:
            out.append(part)
    return out


def _weight(signal: str, pattern: AlertPattern) -> float:
    if signal in pattern.top_signals:
        i = pattern.top_signals.index(signal)
        return RANK_WEIGHTS[i] if i < len(RANK_WEIGHTS) else OTHER_WEIGHT
    return OTHER_WEIGHT if signal in pattern.trends else 0.0


def _match(row: FailureMode, pattern: AlertPattern) -> tuple[float, str]:
    total, seen = 0.0, []
    for cond in row.pattern:
        w = _weight(cond.signal, pattern)
        if w == 0.0:
            total -= MISSING_COST
            continue
        moved = pattern.trends.get(cond.signal)
        if cond.trend == "any":
            f = 0.7
        elif moved is None:
            f = 0.6
        else:
            f = 1.0 if moved == cond.trend else -1.0
        total += w * f
        if f > 0:
            seen.append(f"{cond.signal} {moved or 'abnormal'}")
    if row.pattern and row.pattern[0].signal not in pattern.top_signals:
        total *= 0.5
    why = f"{' and '.join(seen)} match the pattern of {row.failure_mode.lower()}" if seen else ""
    return total, why


def default_fmea_path() -> Path:
    """The FMEA tables of the sample machines, shipped with the package."""
    import knowledge_base.samples as samples

    return Path(samples.__file__).resolve().parent / "fmea"


def load_fmea(path: str | Path | None) -> FmeaTable:
    """The table at ``path`` (the ``fmea`` setting), else the sample machines' tables."""
    return FmeaTable.load(path if path is not None else default_fmea_path())


def codes_of(candidates: Sequence[Candidate]) -> list[str]:
    """The fault codes of the candidates, in order, without repeats."""
    return list(dict.fromkeys(c for cand in candidates for c in cand.mode.fault_codes))
