"""Scale benchmark: the embedded Chroma store (baseline) vs a ``chroma run`` server, lane by lane.

Sizes are ``--sizes`` (default 10k and 100k; up to 1M); chunks carry Zipf
vocabulary (``benchmarks/zipf_text.py``); past ``--vectors-up-to`` they get
no vector (writing 1M Chroma vectors takes hours on two shared cores); each
stage prints every lane (``benchmarks/lanes.py``: tantivy keyword lane and
the FTS5 baseline, dense, code, fusion, hybrid with each), RSS and index
sizes; the end prints the keyword index's ingest rates (full rebuild and
per-file sync).

One run builds two knowledge bases side by side from the same synthetic manual
chunks (``benchmarks/query.py``'s generator: maintenance vocabulary, fault
codes, six equipment models; files of 500 chunks written through
``Store.replace_file``, so SQLite FTS5, the code lane, the vector journal and
Chroma's HNSW are all exercised): one with its vectors in the embedded
PersistentClient, one on a ``chroma run`` server on loopback (same machine, same
two cores: the server's cost is HTTP and JSON, not a network). Both grow to
10k chunks, are measured, grow to 100k and are measured again.

**No embedding model is in the store figures**: chunk vectors are random
unit vectors (384 dims, seeded) and query vectors come from the hash embedder
(384 dims, a fraction of a millisecond), so write throughput and search
latency are the store's own. One extra figure (``--minilm N``, default 10,000)
embeds N of the same chunks with MiniLM and writes them to both stores, to
show what a real ingest is dominated by.

    .venv/bin/python benchmarks/scale.py [--queries 40] [--minilm 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.query import grow, queries, synthetic_file  # noqa: E402

STAGE_FILE = 500  # chunks per synthetic file


def open_stores(tmp: Path, url: str | None) -> dict:
    """{backend: Store}, each on a fresh SQLite index, keyword index and collection."""
    from knowledge_base.index import SqliteIndex
    from knowledge_base.keyword_index import KeywordIndex
    from knowledge_base.store import Store
    from knowledge_base.store_open import new_collection_name
    from knowledge_base.vectors import ChromaVectorStore

    def store(name: str, **where) -> Store:
        return Store(SqliteIndex(tmp / name / "index.sqlite"),
                     ChromaVectorStore(collection=new_collection_name(), **where),
                     keywords=KeywordIndex(tmp / name / "keywords"))

    out = {"embedded": store("embedded", path=tmp / "embedded" / "chroma")}
    if url:
        out["server"] = store("server", url=url)
    return out


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def grow_text_only(store, rng: random.Random, start: int, files: int, bulk: bool = False) -> float:
    """Chunks without vectors (past --vectors-up-to): SQLite + keyword index only.
    ``bulk``: the files' keyword-journal entries are synced at the end in one
    commit (as a recovery would), and that sync's rate is printed."""
    from knowledge_base import keyword_sync
    from knowledge_base.store import text_hash

    t0 = time.perf_counter()
    for n in range(start, start + files):
        content, _ = synthetic_file(rng, n)
        store.index.replace_file(content.record, content.chunks, [text_hash(c) for c in content.chunks])
        if not bulk:
            keyword_sync.sync(store.index, store.keywords, [content.record.path])
    if bulk and files:
        t1 = time.perf_counter()
        keyword_sync.sync(store.index, store.keywords)
        secs = time.perf_counter() - t1
        print(f"  keyword index: {files * STAGE_FILE:,} chunks synced from SQLite in one commit in {secs:.0f} s "
              f"({files * STAGE_FILE / secs:.0f} chunks/s); {store.keywords.count():,} documents", flush=True)
    return time.perf_counter() - t0


def keyword_ingest(store) -> list[tuple[str, dict]]:
    """Keyword-index ingest rates: a full rebuild from SQLite, and per-file syncs."""
    from knowledge_base import keyword_sync

    n = store.stats()["chunks"]
    rows = []
    if n <= 200_000:  # larger: the --bulk sync printed above is the full-ingest figure
        t0 = time.perf_counter()
        store.repair_keywords()
        rows.append((f"keyword index rebuild of {n:,} chunks (chunks/s)", n / (time.perf_counter() - t0)))
    paths = sorted(store.catalog())[:20]
    t0 = time.perf_counter()
    for p in paths:
        keyword_sync.sync(store.index, store.keywords, [p])
    per_file = len(paths) * STAGE_FILE / (time.perf_counter() - t0)
    return rows + [(f"keyword index per-file sync at {n:,} (chunks/s)", per_file)]


def stores_part(tmp: Path, url: str | None, n_queries: int, sizes: list[int],
                vectors_up_to: int, bulk: bool = False, baseline: int | None = None) -> list[tuple[str, dict]]:
    """Rows (label, {backend: value}) for writes, lanes, RSS and sizes at each stage."""
    from benchmarks.lanes import lane_times, print_lanes, rss_mb, sizes_mb, summary
    from knowledge_base.embedder import HashEmbedder

    stores, embedder, qs = open_stores(tmp, url), HashEmbedder(dim=384), queries(n_queries)
    rngs = {b: random.Random(1) for b in stores}  # the same chunks for both
    rows, start = [], 0
    for total in sizes:
        label = f"{start // 1000}k->{total // 1000}k"
        with_vectors = max(0, min(total, vectors_up_to) - start) // STAGE_FILE
        text_only = (total - start) // STAGE_FILE - with_vectors
        secs = {}
        for b, s in stores.items():
            secs[b] = grow(s, rngs[b], start // STAGE_FILE, with_vectors)
            secs[b] += grow_text_only(s, rngs[b], start // STAGE_FILE + with_vectors, text_only, bulk)
        rows.append((f"write {label} (chunks/s)", {b: (total - start) / secs[b] for b in stores}))
        vecs = min(total, vectors_up_to)
        print(f"  grew to {total:,} chunks ({vecs:,} with vectors): "
              + ", ".join(f"{b} {secs[b]:.0f} s" for b in stores) + f"; load {load()}", flush=True)
        for b, s in stores.items():
            summ = summary(lane_times(s, embedder, qs, baseline=baseline if total > 100_000 else None))
            print_lanes(f"{b} at {total // 1000}k", summ)
            for lane, (p50, p95) in summ.items():
                rows.append((f"{lane} p50/p95 at {total // 1000}k (ms)", {b: f"{p50:.1f}/{p95:.1f}"}))
            for k, v in sizes_mb(s).items():
                rows.append((f"{k} size at {total // 1000}k (MB)", {b: f"{v:.0f}"}))
        cur, peak = rss_mb()
        rows.append((f"RSS now/peak at {total // 1000}k, both stores (MB)", {"embedded": f"{cur:.0f}/{peak:.0f}"}))
        start = total
    rows += [(k, {"embedded": f"{v:.0f}"}) for k, v in keyword_ingest(stores["embedded"])]
    for s in stores.values():
        s.close()
    return _merge(rows)


def _merge(rows: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    out: dict[str, dict] = {}
    for label, v in rows:
        out.setdefault(label, {}).update(v)
    return list(out.items())


def minilm_part(tmp: Path, url: str, n: int) -> tuple[str, dict]:
    """MiniLM-embedded ingest of ``n`` synthetic chunks into each store: chunks/s
    counting the (shared, timed once) embedding and each store's writes."""
    from knowledge_base.embedder import MiniLMEmbedder
    from knowledge_base.store import FileContent

    rng, embedder = random.Random(2), MiniLMEmbedder()
    embedder.warm()
    files = [synthetic_file(rng, i)[0] for i in range(n // 500)]
    t0 = time.perf_counter()
    vectors = [dict(zip([c.id for c in f.chunks], embedder.embed_batch([c.embed_text() for c in f.chunks])))
               for f in files]
    embed_s = time.perf_counter() - t0
    print(f"  MiniLM embedded {n:,} chunks in {embed_s:.0f} s ({n / embed_s:.1f} chunks/s); load {load()}",
          flush=True)
    out = {}
    for backend, store in open_stores(tmp / "minilm", url).items():
        t0 = time.perf_counter()
        for f, v in zip(files, vectors):
            store.replace_file(FileContent(f.record, f.chunks), v)
        out[backend] = n / (embed_s + time.perf_counter() - t0)
        store.close()
    return f"MiniLM ingest {n // 1000}k (chunks/s)", out


def print_table(rows: list[tuple[str, dict]]) -> None:
    print(f"\n{'':48} {'embedded':>14} {'chroma server':>14}")
    for label, v in rows:
        cell = lambda x: f"{x:14.1f}" if isinstance(x, float) else f"{x if x is not None else '-':>14}"  # noqa: E731
        print(f"{label:48} {cell(v.get('embedded'))} {cell(v.get('server'))}")


def main() -> None:
    from knowledge_base.chroma_server import ChromaServer

    ap = argparse.ArgumentParser(description="faultdesk scale benchmark: lanes at each size, embedded "
                                 "Chroma vs chroma run, tantivy keyword lane vs the FTS5 baseline")
    ap.add_argument("--queries", type=int, default=40, help="queries per stage")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="chunks at each stage")
    ap.add_argument("--vectors-up-to", type=int, default=10**9,
                    help="write vectors only for the first N chunks (Chroma writes are the slow part)")
    ap.add_argument("--no-server", action="store_true", help="embedded Chroma only")
    ap.add_argument("--bulk", action="store_true",
                    help="past --vectors-up-to, sync the keyword index once per stage (not per file)")
    ap.add_argument("--baseline-queries", type=int, default=10,
                    help="FTS5 baseline queries per stage above 100k chunks (seconds each at 1M)")
    ap.add_argument("--minilm", type=int, default=0, help="chunks for the MiniLM ingest figure (0: skip)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    print("scale benchmark: synthetic chunks (maintenance text + Zipf vocabulary), RANDOM 384-d vectors, "
          "hash-embedded queries (no model time); chroma run on loopback on the same "
          f"{os.cpu_count()} cores; sizes {args.sizes}, vectors for the first {min(args.vectors_up_to, max(args.sizes)):,}"
          f"; load average {load()} (1/5/15 min)", flush=True)
    with tempfile.TemporaryDirectory(prefix="fd-scale-") as tmp:
        server = None if args.no_server else ChromaServer(Path(tmp) / "server-data")
        url = server.__enter__() if server else None
        try:
            rows = stores_part(Path(tmp), url, args.queries, args.sizes, args.vectors_up_to, args.bulk,
                               args.baseline_queries)
            if args.minilm:
                rows.append(minilm_part(Path(tmp), url, args.minilm))
        finally:
            if server:
                server.__exit__(None, None, None)
    print_table(rows)
    print(f"\nload average at the end {load()}; total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
