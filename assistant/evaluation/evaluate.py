"""Evaluation of retrieval and answers against a gold question set.

Metric functions are pure; the three runners at the end feed them from the
live API (a retriever, an assistant). Relevance is ``assistant.evaluation.gold``'s rule.

Retrieval, per question and mode: the rank of the first relevant hit
(None = not in the top k) gives recall@k and MRR; nDCG@k uses binary gains
where a hit gains 1 when it covers an expected passage (source + page, or
work-order anchor) that no earlier hit covered, against an ideal of
``min(expected passages, k)``. Out-of-scope questions have no expected
passage and are left out of retrieval metrics.

>>> recall_at([1, 3, None, 7], 5)
0.5
>>> mrr([1, 2, None, 4])
0.4375
>>> round(ndcg([0, 1, 0], 1, 10), 4)   # the one passage at rank 2: 1/log2(3)
0.6309
>>> round(ndcg([1, 0, 1], 2, 10), 4)   # (1 + 1/log2 4) / (1 + 1/log2 3)
0.9197
>>> percentile([1, 2, 3, 4], 50), round(percentile([1, 2, 3, 4], 95), 2)
(2.5, 3.85)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from knowledge_base.codes import normalize_code
from knowledge_base.retrieval import MODES, Query
from knowledge_base.types import Chunk

from assistant.answer.abstain import Evidence
from assistant.answer.answer_text import split_answer
from .gold import GoldQuestion, is_relevant, relevant_any
from assistant.answer.types import Answer, Done, Token

# -- retrieval metrics ---------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """How one mode ranked one question's expected passages."""

    qid: str
    category: str
    mode: str
    rank: int | None
    gains: tuple[int, ...]
    n_targets: int
    code_top3: bool | None = None  # code_lookup only: right chunk in the top 3


@dataclass(frozen=True)
class RetrievalMetrics:
    n: int
    recall1: float
    recall5: float
    recall10: float
    mrr: float
    ndcg10: float


def _target(e) -> tuple:
    return (e.source, e.page, " ".join(e.anchor.lower().split()))


def judge(chunks: Sequence[Chunk], q: GoldQuestion) -> tuple[int | None, tuple[int, ...], int]:
    """(rank of the first relevant chunk, binary gains per rank, distinct expected passages)."""
    targets = {_target(e): e for e in q.expected}
    covered: set[tuple] = set()
    gains, first = [], None
    for rank, c in enumerate(chunks, 1):
        new = {t for t, e in targets.items() if t not in covered and is_relevant(c, e)}
        covered |= new
        gains.append(1 if new else 0)
        if first is None and relevant_any(c, q):
            first = rank
    return first, tuple(gains), len(targets)


def right_code_chunk(chunks: Sequence[Chunk], q: GoldQuestion, top: int = 3) -> bool:
    """A relevant chunk that carries one of the expected codes is in the top ``top``."""
    want = {normalize_code(c) for c in q.expected_codes}
    return any(relevant_any(c, q) and (not want or want & set(c.fault_codes)) for c in chunks[:top])


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose first relevant hit is at rank <= k."""
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def mrr(ranks: Sequence[int | None]) -> float:
    """Mean reciprocal rank of the first relevant hit (0 for a miss)."""
    return sum(1 / r for r in ranks if r) / len(ranks) if ranks else 0.0


def ndcg(gains: Sequence[int], n_targets: int, k: int = 10) -> float:
    """nDCG@k of binary gains, ideal = ``min(n_targets, k)`` gains at the top."""
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(n_targets, k)))
    return dcg / ideal if ideal else 0.0


def summarise(rows: Sequence[Ranked]) -> RetrievalMetrics:
    ranks = [r.rank for r in rows]
    nd = sum(ndcg(r.gains, r.n_targets, 10) for r in rows) / len(rows) if rows else 0.0
    return RetrievalMetrics(len(rows), recall_at(ranks, 1), recall_at(ranks, 5), recall_at(ranks, 10),
                            mrr(ranks), nd)


def group(rows: Iterable, key: Callable) -> dict:
    """Rows grouped by ``key(row)``, keys in first-seen order."""
    out: dict = {}
    for r in rows:
        out.setdefault(key(r), []).append(r)
    return out


def percentile(values: Sequence[float], p: float) -> float:
    """Linearly interpolated percentile (numpy's default); 0.0 for no values."""
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * p / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# -- answer metrics --------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    """One graded answer. ``contains`` (phrases anywhere) and ``contains_own``
    (in its own sentences, ``answer_text``) are None when the gold lists none."""

    qid: str
    category: str
    in_scope: bool
    abstained: bool
    contains: bool | None
    cited: int
    cited_relevant: int
    timings: dict = field(default_factory=dict)  # retrieve_ms, first_token_ms, total_ms
    backend: str = ""
    contains_own: bool | None = None


def grade(q: GoldQuestion, answer: Answer, first_token_ms: float, total_ms: float) -> AnswerRow:
    """Grade one answer: phrases present (case-insensitive) anywhere and in
    its own sentences; cited chunks relevant by the gold rule (file, page and
    anchor in the passage or its section heading)."""
    own, _ = split_answer(answer.answer, [c.text for c in answer.citations])

    def has(text: str) -> bool | None:
        return all(p.lower() in text.lower() for p in q.answer_contains) if q.answer_contains else None

    cited = [Chunk(c.n, c.text, c.source, page=c.page, section=(c.section,) if c.section else ())
             for c in answer.citations]
    timings = {"retrieve_ms": answer.timings.get("retrieve_ms", 0.0), "first_token_ms": first_token_ms,
               "total_ms": total_ms}
    return AnswerRow(q.id, q.category, q.in_scope, answer.abstained, has(answer.answer), len(cited),
                     sum(relevant_any(c, q) for c in cited), timings, answer.backend, has(own))


def share(num: int, den: int) -> float | None:
    """num / den, or None when there is nothing to divide."""
    return num / den if den else None


def answer_metrics(rows: Sequence[AnswerRow]) -> dict:
    """Citation precision (pooled cited chunks of in-scope answered questions),
    answer-contains rate (in-scope questions with phrases; an abstention is a
    miss, and the rate over answered ones is given too; ``contains_own_rate``
    looks only at the answer's own sentences, not its quotes), abstention rates, and
    latency p50/p95 (first token over answered questions only: an abstention
    is instant)."""
    ins = [r for r in rows if r.in_scope]
    oos = [r for r in rows if not r.in_scope]
    answered = [r for r in ins if not r.abstained]
    phrased = [r for r in ins if r.contains is not None]
    lat = {"retrieve_ms": [r.timings["retrieve_ms"] for r in rows],
           "first_token_ms": [r.timings["first_token_ms"] for r in rows if not r.abstained],
           "total_ms": [r.timings["total_ms"] for r in rows]}
    return {
        "n": len(rows), "in_scope": len(ins), "out_of_scope": len(oos),
        "citation_precision": share(sum(r.cited_relevant for r in answered), sum(r.cited for r in answered)),
        "contains_rate": share(sum(bool(r.contains) for r in phrased), len(phrased)),
        "contains_rate_answered": share(sum(bool(r.contains) for r in phrased if not r.abstained),
                                         sum(1 for r in phrased if not r.abstained)),
        "contains_own_rate": share(sum(bool(r.contains_own) for r in phrased), len(phrased)),
        "abstain_oos": share(sum(r.abstained for r in oos), len(oos)),
        "abstain_in_scope": share(sum(r.abstained for r in ins), len(ins)),
        "latency": {k: {"p50": percentile(v, 50), "p95": percentile(v, 95), "n": len(v)} for k, v in lat.items()},
    }


# -- abstention calibration --------------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    threshold: float
    coverage_weight: float
    oos_abstained: float
    in_scope_abstained: float
    n_oos: int
    n_in_scope: int
    tied: tuple[float, float] = (0.0, 0.0)  # any threshold in (lo, hi] scores as well


def abstains(ev: Evidence, threshold: float, coverage_weight: float) -> bool:
    """The Abstainer's rule (assistant.answer.abstain) at a given threshold."""
    return ev.abstains(threshold, coverage_weight)


def rates(evidence: Sequence[tuple[Evidence, bool]], threshold: float, coverage_weight: float) -> Calibration:
    """Abstention rates on (evidence, in_scope) pairs at ``threshold``."""
    oos = [abstains(e, threshold, coverage_weight) for e, ins in evidence if not ins]
    ins = [abstains(e, threshold, coverage_weight) for e, i in evidence if i]
    return Calibration(threshold, coverage_weight, sum(oos) / max(1, len(oos)), sum(ins) / max(1, len(ins)),
                       len(oos), len(ins))


def calibrate(evidence: Sequence[tuple[Evidence, bool]], coverage_weight: float) -> Calibration:
    """The threshold maximising (share of OOS abstained - share of in-scope
    abstained). Candidates are midpoints between the observed scores (3
    decimals); ties go to the median tied candidate.

    >>> ev = lambda s: Evidence((), (), s, 0.0, ())
    >>> data = [(ev(.3), False), (ev(.5), False), (ev(.6), True), (ev(.9), True)]
    >>> c = calibrate(data, 0.2)
    >>> c.threshold, c.oos_abstained, c.in_scope_abstained, c.tied
    (0.55, 1.0, 0.0, (0.5, 0.6))
    """
    scores = sorted({round(e.score(coverage_weight), 6) for e, _ in evidence})
    cands = sorted({round((a + b) / 2, 3) for a, b in zip(scores, scores[1:])}
                   | {round(scores[0] - .01, 3), round(scores[-1] + .01, 3)} if scores else {0.0})
    results = [rates(evidence, t, coverage_weight) for t in cands]
    best = max(r.oos_abstained - r.in_scope_abstained for r in results)
    tied = [r for r in results if r.oos_abstained - r.in_scope_abstained == best]
    lo = max((x for x in scores if x < tied[0].threshold), default=float("-inf"))
    hi = min((x for x in scores if x >= tied[-1].threshold), default=float("inf"))
    return replace(tied[len(tied) // 2], tied=(lo, hi))


# -- runners: feed the metrics from the live API -------------------------------------


def rank_questions(retriever, gold: Sequence[GoldQuestion], modes: Sequence[str] = MODES,
                   k: int = 10) -> list[Ranked]:
    """Every in-scope question through every mode of ``retriever``."""
    rows = []
    for q in (q for q in gold if q.in_scope):
        for mode in modes:
            chunks = [h.chunk for h in retriever.retrieve(Query(q.question, k=k, mode=mode)).hits]
            rank, gains, n = judge(chunks, q)
            top3 = right_code_chunk(chunks, q) if q.category == "code_lookup" else None
            rows.append(Ranked(q.id, q.category, mode, rank, gains, n, top3))
    return rows


def run_answers(assistant, gold: Sequence[GoldQuestion], on_row: Callable | None = None,
                warm_up: bool = True) -> list[AnswerRow]:
    """Ask every question; first-token and total times are wall clock as a
    front end sees them (first streamed piece, Done). ``warm_up`` first asks
    the last in-scope question once, untimed, so model loading is not counted
    (the last, so its cached prompt is long gone when it is timed)."""
    warm = [q for q in gold if q.in_scope][-1:]
    if warm_up and warm:
        assistant.ask(warm[0].question)
    rows = []
    for q in gold:
        t0, first, answer = time.perf_counter(), None, None
        for event in assistant.stream(q.question):
            if isinstance(event, Token) and first is None:
                first = time.perf_counter()
            elif isinstance(event, Done):
                answer = event.answer
        end = time.perf_counter()
        row = grade(q, answer, ((first or end) - t0) * 1000, (end - t0) * 1000)
        rows.append(row)
        if on_row:
            on_row(row)
    return rows


def collect_evidence(assistant, gold: Sequence[GoldQuestion]) -> list[tuple[Evidence, bool]]:
    """(abstention evidence, in_scope) per question, retrieved as Assistant.stream does."""
    out = []
    for q in gold:
        r = assistant.retriever.retrieve(Query(q.question, k=max(8, assistant.n_sources)))
        ev = assistant.abstainer.evidence(q.question, r)
        out.append((ev, q.in_scope))
    return out
