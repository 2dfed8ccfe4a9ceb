"""Evaluation of alert -> procedure retrieval on hand-written alert scenarios.

A scenario (``knowledge_base/samples/gold/alert_scenarios*.jsonl``, format in
that folder's README) is what a monitor might report on one asset -- top
signals in order and the direction each moved -- with the manual section an
engineer should open first (``expected``) and others that are also right
(``acceptable``). The figure is the share of scenarios whose expected
section is among the top-``k`` procedures of
:meth:`assistant.alerts.analyst.AlertAnalyst.procedures` for the alert alone.

The baseline (:func:`fixed_guess`, :func:`score_guess`) ignores the alert:
for each manual it guesses the ``k`` sections most often expected in a
reference scenario file, the same guess for every scenario on that manual.

>>> sc = [_scenario({"id": i, "asset": "P-1", "equipment_model": "M", "top_signals": ["a"],
...                  "trends": {"a": "up"}, "expected": {"source": "m.pdf", "sections": [x]}})
...       for i, x in enumerate(["5.3", "5.1", "5.3", "5.2", "5.4", "5.1"])]
>>> fixed_guess(sc, 2)
{'m.pdf': ('5.1', '5.3')}
>>> score_guess(fixed_guess(sc, 2), sc)
4
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.alerts.analyst import AlertAnalyst
from assistant.alerts.fmea import AlertPattern
from .gold import read_jsonl


@dataclass(frozen=True)
class Scenario:
    id: str
    asset: str
    equipment_model: str
    pattern: AlertPattern
    source: str  # the manual's file name
    expected: tuple[str, ...]
    acceptable: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    got: tuple[tuple[str, str], ...]  # (file name, section number), best first
    hit: bool  # an expected section in the top k
    acceptable_hit: bool  # an expected or acceptable section in the top k


def _scenario(d: dict) -> Scenario:
    return Scenario(d["id"], d["asset"], d["equipment_model"],
                    AlertPattern(d["equipment_model"], tuple(d["top_signals"]), dict(d["trends"])),
                    d["expected"]["source"], tuple(d["expected"]["sections"]),
                    tuple(d.get("acceptable", {}).get("sections", ())))


def load_scenarios(path: str | Path) -> list[Scenario]:
    """Scenarios from a JSONL file; a bad line raises ConfigError naming it."""
    return read_jsonl(path, "alert scenario", _scenario)


def run_scenarios(analyst: AlertAnalyst, scenarios: Sequence[Scenario], k: int = 3) -> list[ScenarioResult]:
    """Each scenario's top-``k`` procedures and whether the right one is among them."""
    results = []
    for s in scenarios:
        got = tuple((Path(p.source).name, p.number) for p in analyst.procedures(s.pattern, s.asset, k))
        in_file = {num for name, num in got if name == s.source}
        results.append(ScenarioResult(s, got, bool(in_file & set(s.expected)),
                                      bool(in_file & set(s.expected + s.acceptable))))
    return results


def fixed_guess(reference: Sequence[Scenario], k: int = 3) -> dict[str, tuple[str, ...]]:
    """Per manual, the ``k`` sections most often expected in ``reference``
    (ties broken by section number)."""
    counts: dict[str, Counter] = {}
    for s in reference:
        counts.setdefault(s.source, Counter()).update(s.expected)
    return {src: tuple(sec for sec, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:k])
            for src, c in counts.items()}


def score_guess(guess: dict[str, tuple[str, ...]], scenarios: Sequence[Scenario]) -> int:
    """How many scenarios have an expected section in their manual's guess."""
    return sum(bool(set(guess.get(s.source, ())) & set(s.expected)) for s in scenarios)
