"""Hybrid retrieval: an exact fault-code lane, BM25 and dense search, fused.

Each lane ranks up to ``lane_k`` chunks; the lanes are fused by the weighted
sum of their own normalised scores (``fusion.convex``, the default) or by
reciprocal-rank fusion (``fusion="rrf"``: ``weight / (rrf_k + rank)`` per
lane; a ``Query`` may ask for either). The code lane only speaks when the
question names a fault code; it ranks the fault-table row that defines the
code first, then procedures and warnings that carry it, then work orders.
When the question names a known asset (``P-3``) or an equipment model, the
chunks of that model are preferred (a multiplicative boost, not a filter, so
a general safety rule elsewhere can still surface); explicit ``filters``
restrict every lane.

>>> from knowledge_base.types import Chunk, Hit
>>> a, b = Chunk("a", "x", "s"), Chunk("b", "y", "s")
>>> [h.chunk.id for h in rrf({"bm25": [Hit(a, 3.0), Hit(b, 1.0)], "dense": [Hit(b, .9)]}, {"bm25": 1, "dense": 1})]
['b', 'a']
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from .assets import AssetResolver
from .codelane import CodeLane, pin_definitions
from .codes import CodeMatcher
from .embedder import Embedder
from .fusion import DEFAULT_WEIGHTS, convex
from .sections import SectionLane, boost
from .store import Store
from .types import FAULT_LOG, Hit
from .vocabulary import id_spellings

MODES = ("hybrid", "bm25", "dense", "code", "section")


@dataclass(frozen=True)
class Query:
    """What to retrieve. ``asset`` scopes the question to one asset (as the
    UI's asset selector does); ``filters`` keys: equipment_model, asset_id,
    doc_type, source, kind. ``codes``: the fault codes a machine-made query
    means (normalised); None reads them from the text, as for a person's
    question (configured patterns and the learned vocabulary).
    ``dense_text``: what the dense lane embeds instead of ``text`` (the English
    translation of a question in another language, ``assistant.answer.crosslingual``)."""

    text: str
    k: int = 10
    mode: str = "hybrid"
    asset: str | None = None
    filters: Mapping[str, str] = field(default_factory=dict)
    codes: tuple[str, ...] | None = None
    fusion: str | None = None  # "convex" / "rrf"; None: the retriever's own
    dense_text: str | None = None


@dataclass(frozen=True)
class Retrieval:
    """Ranked hits plus what the retriever understood of the question."""

    hits: tuple[Hit, ...]
    codes: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()
    model: str | None = None
    lanes: Mapping[str, tuple[Hit, ...]] = field(default_factory=dict)
    ms: float = 0.0


def rrf(lanes: Mapping[str, Sequence[Hit]], weights: Mapping[str, float], rrf_k: int = 60) -> list[Hit]:
    """Reciprocal-rank fusion of several ranked lists of hits."""
    score: dict[str, float] = {}
    first: dict[str, Hit] = {}
    ranks: dict[str, dict[str, int]] = {}
    for lane, hits in lanes.items():
        w = weights.get(lane, 1.0)
        for rank, hit in enumerate(hits, 1):
            cid = hit.chunk.id
            score[cid] = score.get(cid, 0.0) + w / (rrf_k + rank)
            first.setdefault(cid, hit)
            ranks.setdefault(cid, {})[lane] = rank
    order = sorted(score, key=lambda c: -score[c])
    return [Hit(first[c].chunk, score[c], "hybrid", ranks[c]) for c in order]


class HybridRetriever:
    """Code lane + BM25 + dense, fused (``fusion``: "convex" or "rrf"), model-aware."""

    def __init__(self, store: Store, embedder: Embedder, matcher: CodeMatcher | None = None,
                 assets: AssetResolver | None = None, lane_k: int = 50, rrf_k: int = 60,
                 weights: Mapping[str, float] | None = None, model_boost: float = 1.5,
                 fusion: str = "convex") -> None:
        self.store, self.embedder = store, embedder
        self.matcher = matcher or CodeMatcher()
        self.assets = assets if assets is not None else AssetResolver.from_store(store.index)
        self.lane_k, self.rrf_k, self.model_boost = lane_k, rrf_k, model_boost
        if fusion not in ("convex", "rrf"):
            raise ValueError(f"unknown fusion {fusion!r}; use convex or rrf")
        self.fusion = fusion
        self.weights = dict(weights or (DEFAULT_WEIGHTS if fusion == "convex" else
                                        {"code": 2.0, "bm25": 1.0, "dense": 1.0}))
        self.codes = CodeLane(store.index, self.matcher)
        self.sections = SectionLane(store.index)
        self._executor: ThreadPoolExecutor | None = None
        self._models = {m for m in self.assets.assets().values() if m}

    def refresh(self, register=None) -> None:
        """Re-read the assets and known codes after the store changed (an
        ingest while serving); ``register`` is the asset-register CSV, if any."""
        self.assets = AssetResolver.from_store(self.store.index, register)
        self.codes.refresh()
        self.sections.refresh()
        self._models = {m for m in self.assets.assets().values() if m}

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="faultdesk-lane")
        return self._executor

    def _dense_lane(self, text: str, where) -> list[Hit]:
        return self.store.dense_search(self.embedder.embed(text), self.lane_k, where)

    def question_codes(self, text: str) -> tuple[str, ...]:
        """Codes the question names (``codelane.CodeLane.question_codes``)."""
        return self.codes.question_codes(text)

    def retrieve(self, query: Query) -> Retrieval:
        t0 = time.perf_counter()
        if query.mode not in MODES:
            raise ValueError(f"unknown retrieval mode {query.mode!r}; use one of {', '.join(MODES)}")
        codes = self.question_codes(query.text) if query.codes is None else query.codes
        assets = ((self.assets.canonical(query.asset) or query.asset,) if query.asset else ()) + \
            self.assets.find(query.text)
        assets = tuple(dict.fromkeys(assets))
        model = self._model_of(query.text, assets)
        docs = self.codes.named_documents(query.text)
        where = dict(query.filters) or None
        lanes: dict[str, list[Hit]] = {}
        # The lanes run concurrently: the query embedding (torch) and then the
        # vector search in one worker, the keyword lane (tantivy) in another,
        # the code lane (SQLite) here; their native code runs without the GIL.
        pool = self._pool()
        dense = pool.submit(self._dense_lane, query.dense_text or query.text, where) if query.mode in ("hybrid", "dense") else None
        # the codes, and an id pair in the device lists' spelling ("04c5:132b" -> "0x04c5 0x132b"), as terms too
        bm25 = (pool.submit(self.store.keyword_search, query.text, self.lane_k, where,
                            tuple(codes) + id_spellings(query.text))
                if query.mode in ("hybrid", "bm25") else None)
        if query.mode in ("hybrid", "code") and codes:
            lanes["code"] = self.codes.search(codes, self.lane_k, where, model, docs)
        if query.mode == "section":
            lanes["section"] = self.sections.search(query.text, self.lane_k, where)
        sec_w = (self.weights.get("section_boost", 0.0)
                 if query.mode == "hybrid" and (query.fusion or self.fusion) == "convex" else 0.0)
        secs = self.sections.section_scores(query.text) if sec_w else {}
        if bm25 is not None:
            lanes["bm25"] = bm25.result()
        if dense is not None:
            lanes["dense"] = dense.result()
        if query.mode == "hybrid":
            fusion = query.fusion or self.fusion
            fused = (convex(lanes, self.weights if self.fusion == fusion else None) if fusion == "convex"
                     else rrf(lanes, self.weights if self.fusion == fusion else {"code": 2.0, "bm25": 1.0, "dense": 1.0},
                              self.rrf_k))
        else:
            fused = list(lanes.get(query.mode, []))
        if secs:
            fused = boost(fused, secs, sec_w)
        if model and self.model_boost != 1.0:
            fused = self._prefer(fused, model, assets)
        # the page the question names by a name of two words or more, as an asked model's (a one-word
        # name is often the product's own, "mdadm", "gpsd", named by most questions: code pins only)
        pages = [d for d in docs if self.codes.named.stem_len(d) > 1]
        if pages and self.model_boost != 1.0:
            fused = sorted((replace(h, score=h.score * (self.model_boost if h.chunk.source in pages else 1.0))
                            for h in fused), key=lambda h: -h.score)
        if query.mode == "hybrid" and lanes.get("code"):
            fused = pin_definitions(fused, lanes["code"], codes, model, docs=docs)
        return Retrieval(tuple(fused[:query.k]), codes, assets, model,
                         {k: tuple(v) for k, v in lanes.items()}, (time.perf_counter() - t0) * 1000)

    def _model_of(self, text: str, assets: tuple[str, ...]) -> str | None:
        for a in assets:
            if m := self.assets.model(a):
                return m
        low = text.lower()
        return next((m for m in sorted(self._models) if m.lower() in low), None)

    def _prefer(self, hits: list[Hit], model: str, assets: tuple[str, ...]) -> list[Hit]:
        def boosted(h: Hit) -> float:
            c = h.chunk
            same = c.equipment_model == model
            if c.doc_type == FAULT_LOG and assets:
                same = c.asset_id in assets
            return h.score * (self.model_boost if same else 1.0)

        return sorted((replace(h, score=boosted(h)) for h in hits), key=lambda h: -h.score)
