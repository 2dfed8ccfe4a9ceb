"""Score fusion of the retrieval lanes: each lane trusted by its own evidence.

Reciprocal-rank fusion (``retrieval.rrf``) rewards a chunk for being listed
by several lanes, however low: on real manuals a passage that only BM25
finds (rank 1, because it holds the question's rare words) lost to passages
that BM25 and a weak embedding both listed around rank 20 (the real-docs
development questions: 27 of 200 in-scope questions had BM25's rank 1-3
chunk pushed below rank 10). :func:`convex` instead adds each lane's own
normalised score:

* BM25: score / the lane's best score (0..1; a chunk BM25 did not list
  scores 0), so a clear lexical winner stays a clear winner;
* dense: (cosine - the lane's k-th cosine) / (best - k-th), so a flat
  embedding ranking (every chunk about as similar) adds little and a
  chunk far above the rest adds much;
* code: 1 for the code lane's first chunk down to ~0 for its last (the
  definitions are pinned afterwards by ``codelane.pin_definitions``).

Weights: bm25 0.6, dense 0.4, code 0.3 (``DEFAULT_WEIGHTS``), chosen on the
real-docs development questions (bm25 0.6-0.7 gave the same figure; 0.5 and
0.8 were worse) and kept when the samples' gold set held.

>>> from knowledge_base.types import Chunk, Hit
>>> a, b, c = Chunk("a", "x", "s"), Chunk("b", "y", "s"), Chunk("c", "z", "s")
>>> lanes = {"bm25": [Hit(a, 9.0), Hit(b, 1.0)], "dense": [Hit(b, .52), Hit(c, .51), Hit(a, .50)]}
>>> [h.chunk.id for h in convex(lanes)]   # BM25's clear winner is not outvoted
['a', 'b', 'c']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .types import Hit

DEFAULT_WEIGHTS = {"bm25": 0.6, "dense": 0.4, "code": 0.3}


def normalised(lane: str, hits: Sequence[Hit]) -> dict[str, float]:
    """Each chunk's score in ``hits`` on 0..1 as described above (best first)."""
    if not hits:
        return {}
    if lane == "code":
        n = len(hits)
        return {h.chunk.id: 1.0 - i / n for i, h in enumerate(hits)}
    hi = hits[0].score
    lo = 0.0 if lane in ("bm25", "section") else hits[-1].score
    if hi - lo <= 1e-12:
        return {h.chunk.id: 1.0 for h in hits}
    return {h.chunk.id: max(0.0, (h.score - lo) / (hi - lo)) for h in hits}


def convex(lanes: Mapping[str, Sequence[Hit]], weights: Mapping[str, float] | None = None) -> list[Hit]:
    """The lanes' hits fused by the weighted sum of their normalised scores,
    best first; ``Hit.ranks`` keeps each lane's rank of the chunk."""
    weights = weights or DEFAULT_WEIGHTS
    score: dict[str, float] = {}
    first: dict[str, Hit] = {}
    ranks: dict[str, dict[str, int]] = {}
    for lane, hits in lanes.items():
        w = weights.get(lane, 0.0)
        for cid, s in normalised(lane, hits).items():
            score[cid] = score.get(cid, 0.0) + w * s
        for rank, hit in enumerate(hits, 1):
            first.setdefault(hit.chunk.id, hit)
            ranks.setdefault(hit.chunk.id, {})[lane] = rank
    order = sorted(score, key=lambda c: -score[c])
    return [Hit(first[c].chunk, score[c], "hybrid", ranks[c]) for c in order]
