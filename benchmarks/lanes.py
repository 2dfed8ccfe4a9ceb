"""Per-lane query timings at a KB size, for ``benchmarks/query.py`` and ``benchmarks/scale.py``.

Each query is timed lane by lane on the same store: the query embedding,
the dense lane (vector search only), the keyword lane on the tantivy index
and on the FTS5 baseline, the code lane, the fusion (RRF, model preference
and definition pinning over the lanes' hits), and the whole hybrid
retrieval (``HybridRetriever.retrieve``, lanes concurrent) with each
keyword backend. Also: RSS and the size on disk of each index.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

from assistant.evaluation.evaluate import percentile

LANES = ("embed", "dense", "bm25", "bm25_fts5", "code", "fusion", "hybrid", "hybrid_fts5")


def _ms(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return out, (time.perf_counter() - t0) * 1000


def lane_times(store, embedder, qs: list[str], warm: int = 5, baseline: int | None = None) -> dict[str, list[float]]:
    """{lane: milliseconds per query}; the first ``warm`` queries once, untimed.
    The FTS5 baseline runs for the first ``baseline`` queries only (all when
    None): at 1M chunks one FTS5 query takes seconds."""
    from knowledge_base.codelane import pin_definitions
    from knowledge_base.retrieval import HybridRetriever, Query, rrf

    r = HybridRetriever(store, embedder)
    times: dict[str, list[float]] = {k: [] for k in LANES}
    for i, q in enumerate(qs[:warm] + qs):
        keep = i >= warm
        codes = r.question_codes(q)
        vec, t_embed = _ms(embedder.embed, q)
        dense, t_dense = _ms(store.dense_search, vec, r.lane_k, None)
        lanes = {}
        t_fts = t_hyb_fts = None
        if baseline is None or i < warm + baseline:
            store.keyword_backend = "fts5"
            _, t_fts = _ms(store.keyword_search, q, r.lane_k, None, codes)
            _, t_hyb_fts = _ms(r.retrieve, Query(q))
        store.keyword_backend = "tantivy"
        bm25, t_bm25 = _ms(store.keyword_search, q, r.lane_k, None, codes)
        code, t_code = (_ms(r.codes.search, codes, r.lane_k, None, None) if codes else ([], 0.0))
        if code:
            lanes["code"] = code
        lanes.update(bm25=bm25, dense=dense)
        t0 = time.perf_counter()
        fused = rrf(lanes, r.weights, r.rrf_k)
        if code:
            fused = pin_definitions(fused, code, codes, None)
        t_fusion = (time.perf_counter() - t0) * 1000
        _, t_hyb = _ms(r.retrieve, Query(q))
        if keep:
            for k, v in zip(LANES, (t_embed, t_dense, t_bm25, t_fts, t_code, t_fusion, t_hyb, t_hyb_fts)):
                if v is not None:
                    times[k].append(v)
    return times


def summary(times: dict[str, list[float]]) -> dict[str, tuple[float, float]]:
    return {k: (percentile(v, 50), percentile(v, 95)) for k, v in times.items() if v}


def print_lanes(label: str, summ: dict[str, tuple[float, float]]) -> None:
    print(f"  {label}: " + "  ".join(f"{k} {p50:.1f}/{p95:.1f}" for k, (p50, p95) in summ.items())
          + "   (ms p50/p95)", flush=True)


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB."""
    with open("/proc/self/statm") as f:
        cur = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return cur, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sizes_mb(store) -> dict[str, float]:
    """Size on disk of the SQLite file (chunks + FTS5 + code lane), the tantivy
    index and the embedded Chroma folder (0 for a server)."""
    def size(p: Path) -> float:
        if not p.exists():
            return 0.0
        files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()]
        return sum(f.stat().st_size for f in files) / 2**20

    db = Path(store.index.path)
    sqlite = sum(size(Path(str(db) + sfx)) for sfx in ("", "-wal"))
    chroma = getattr(store.vectors, "path", None)
    return {"sqlite": sqlite, "tantivy": store.keywords.size_bytes() / 2**20,
            "chroma": size(Path(chroma)) if chroma else 0.0}
