"""Similar past faults: the work orders most like a question or an alert.

Candidates are the fault-log chunks the hybrid retriever finds for the text
(every lane restricted with ``filters={"doc_type": "fault_log"}``, so the
exact fault-code lane, BM25 and dense search all speak, with the retriever's
asset / equipment-model preference). Each candidate is mapped back to its
structured :class:`~knowledge_base.types.WorkOrder` (preventive work is
left out: it is no fault) and ranked by, in order:

1. its fault code is one of the codes named in the text (normalised, so
   ``e 104`` matches ``E-104``);
2. it is the asset in question (``asset=`` or an asset named in the text);
3. it is the same equipment model as that asset (or the model named);
4. its text-similarity score (the fused retrieval score).

``PastFault.score`` encodes that order in one number:
``8 * code + 4 * asset + 2 * model + similarity`` with the similarity scaled
to [0, 1], so a higher criterion always outweighs all lower ones.

>>> past_score(code=True, asset=False, model=True, similarity=0.5)
10.5
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from knowledge_base.codes import normalize_code
from knowledge_base.retrieval import HybridRetriever, Query
from knowledge_base.types import FAULT_LOG, PREVENTIVE, Hit, WorkOrder

#: Retrieval depth per requested result: the ranking above reorders a pool
#: wider than ``k`` so an exact code match beyond the first k still counts.
POOL_FACTOR, MIN_POOL = 10, 50


@dataclass(frozen=True)
class PastFault:
    """One past work order judged similar, with what was done and its cost."""

    wo_id: str
    asset_id: str | None
    date: str | None  # ISO 8601 timestamp as recorded
    fault_code: str | None
    symptom: str
    cause: str
    action: str
    downtime_h: float | None
    score: float
    source: str
    chunk_id: str = ""

    def as_json(self) -> dict:
        return asdict(self)


def past_score(*, code: bool, asset: bool, model: bool, similarity: float) -> float:
    """The lexicographic ranking as one number (see the module docstring)."""
    return 8.0 * code + 4.0 * asset + 2.0 * model + max(0.0, min(1.0, similarity))


def similar_work_orders(retriever: HybridRetriever, query: str, asset: str | None = None,
                        k: int = 5) -> list[PastFault]:
    """The ``k`` past work orders most similar to ``query``, best first.

    ``asset`` scopes the question to one asset (its id as typed, e.g. ``p3``);
    an asset named in the text counts too. Work orders of other models are
    kept but ranked below those of the asset's model.
    """
    if k < 1:
        return []
    res = retriever.retrieve(Query(query, max(MIN_POOL, k * POOL_FACTOR), "hybrid", asset,
                                   {"doc_type": FAULT_LOG}))
    orders = _work_orders_of(retriever, res.hits)
    top = max((h.score for h in res.hits), default=0.0) or 1.0
    codes, assets = set(res.codes), set(res.assets)
    found: list[PastFault] = []
    for h in res.hits:
        wo = orders.get(h.chunk.id)
        if wo is None or wo.work_type == PREVENTIVE:  # similar past *faults*: planned work is not one
            continue
        code_hit = bool(wo.fault_code) and normalize_code(wo.fault_code) in codes
        score = past_score(code=code_hit, asset=wo.asset_id in assets,
                           model=res.model is not None and wo.equipment_model == res.model,
                           similarity=h.score / top)
        found.append(PastFault(wo.wo_id, wo.asset_id, wo.timestamp, wo.fault_code, wo.symptom, wo.cause,
                               wo.action, wo.downtime_h, round(score, 6), h.chunk.source, h.chunk.id))
    # stable sort: equal scores keep the retriever's order
    return sorted(found, key=lambda p: -p.score)[:k]


def _work_orders_of(retriever: HybridRetriever, hits: Sequence[Hit]) -> dict[str, WorkOrder]:
    """{chunk id: work order} for the fault-log hits (exact, by chunk id)."""
    ids = [h.chunk.id for h in hits if h.chunk.doc_type == FAULT_LOG]
    return retriever.store.index.work_orders_by_chunk(ids)
