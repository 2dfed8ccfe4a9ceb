"""The figures of ``faultdesk eval retrieval`` and ``faultdesk eval alerts`` as frozen
dataclasses, computed here (library code) so that any front end or benchmark gets the same
numbers; the click commands only print them.

>>> r = RetrievalReport("g.jsonl", "kb", {"bm25": {"recall5": 1.0}}, {"fault": {"bm25": 1.0}},
...                     {"fault": 1}, {"bm25": (True, False)})
>>> r.as_json()["code_lookup_top3"]
{'bm25': 0.5}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from knowledge_base.retrieval import MODES

from . import evaluate as ev
from .alert_eval import ScenarioResult, fixed_guess, load_scenarios, run_scenarios, score_guess
from .gold import GoldQuestion


@dataclass(frozen=True)
class RetrievalReport:
    """Retrieval figures per mode on one gold set: ``modes[mode]`` the
    :class:`~assistant.evaluation.evaluate.RetrievalMetrics` fields, recall@5 per category and mode,
    questions per category, and per mode whether each code question's right chunk was in
    the top 3."""

    gold: str
    kb: str
    modes: dict[str, dict]
    recall5_by_category: dict[str, dict[str, float]]
    category_n: dict[str, int]
    code_top3: dict[str, tuple[bool, ...]]

    def as_json(self) -> dict:
        return {"gold": self.gold, "kb": self.kb, "modes": self.modes,
                "recall5_by_category": self.recall5_by_category, "category_n": self.category_n,
                "code_lookup_top3": {m: ev.share(sum(v), len(v)) for m, v in self.code_top3.items()}}


def retrieval_report(retriever, gold: Sequence[GoldQuestion], gold_path: str, kb: str) -> RetrievalReport:
    """Every gold question ranked in every retrieval mode, summarised."""
    rows = ev.rank_questions(retriever, gold)
    by_mode = ev.group(rows, lambda r: r.mode)
    table = {m: asdict(ev.summarise(by_mode.get(m, []))) for m in MODES}
    by_cat = ev.group(rows, lambda r: r.category)
    cats = {c: {m: ev.recall_at([r.rank for r in rs if r.mode == m], 5) for m in MODES} for c, rs in by_cat.items()}
    counts = {c: len(rs) // len(MODES) for c, rs in by_cat.items()}
    top3 = {m: tuple(r.code_top3 for r in by_mode.get(m, []) if r.code_top3 is not None) for m in MODES}
    return RetrievalReport(gold_path, kb, table, cats, counts, top3)


@dataclass(frozen=True)
class ScenarioFile:
    """One scenario file's figures: hits in the top k, the fixed-guess baseline's hits, misses."""

    n: int
    hits: int
    hit: float | None
    baseline_hits: int
    hit_or_acceptable: float | None
    misses: tuple[dict, ...]

    def as_json(self) -> dict:
        return {"n": self.n, "hits": self.hits, "hit": self.hit, "baseline_hits": self.baseline_hits,
                "hit_or_acceptable": self.hit_or_acceptable, "misses": list(self.misses)}


@dataclass(frozen=True)
class AlertReport:
    """Alert -> procedure retrieval on scenario files beside a baseline that ignores the alert:
    per manual, the ``k`` sections most often expected in ``baseline_from``."""

    kb: str
    k: int
    baseline_from: str
    guess: dict[str, tuple[str, ...]]
    files: dict[str, ScenarioFile]

    def as_json(self) -> dict:
        return {"kb": self.kb, "k": self.k, "baseline": {"from": self.baseline_from, "guess": self.guess},
                "files": {p: f.as_json() for p, f in self.files.items()}}


def _scenario_file(results: Sequence[ScenarioResult], guess: dict) -> ScenarioFile:
    n = len(results)
    return ScenarioFile(n, sum(r.hit for r in results), ev.share(sum(r.hit for r in results), n),
                        score_guess(guess, [r.scenario for r in results]),
                        ev.share(sum(r.acceptable_hit for r in results), n),
                        tuple({"id": r.scenario.id, "expected": list(r.scenario.expected),
                               "got": [name for _, name in r.got]} for r in results if not r.hit))


def alert_report(analyst, paths: Sequence[str], k: int, baseline_path: str | None, kb: str) -> AlertReport:
    """Every scenario of ``paths`` run through ``analyst``; the baseline counted on
    ``baseline_path`` (default: the first file)."""
    baseline_path = baseline_path or paths[0]
    guess = fixed_guess(load_scenarios(baseline_path), k)
    files = {p: _scenario_file(run_scenarios(analyst, load_scenarios(p), k), guess) for p in paths}
    return AlertReport(kb, k, baseline_path, guess, files)
