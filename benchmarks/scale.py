"""Scale benchmark: the embedded Chroma store (baseline) vs a ``chroma run`` server.

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

from benchmarks.query import grow, queries, synthetic_file, time_retrieval  # noqa: E402

MODES = ("hybrid", "dense")
STAGES = ((10_000, 20), (100_000, 180))  # (chunks after the stage, files of 500 added)


def open_stores(tmp: Path, url: str) -> dict:
    """{backend: Store}, each on a fresh SQLite index and its own collection."""
    from knowledge_base.index import SqliteIndex
    from knowledge_base.store import Store, new_collection_name
    from knowledge_base.vectors import ChromaVectorStore

    def store(name: str, **where) -> Store:
        return Store(SqliteIndex(tmp / name / "index.sqlite"),
                     ChromaVectorStore(collection=new_collection_name(), **where))

    return {"embedded": store("embedded", path=tmp / "embedded" / "chroma"), "server": store("server", url=url)}


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def stores_part(tmp: Path, url: str, n_queries: int) -> list[tuple[str, dict]]:
    """Rows (label, {backend: text}) for write throughput and search latency at each stage."""
    from assistant.evaluate import percentile
    from knowledge_base.embedder import HashEmbedder

    stores, embedder, qs = open_stores(tmp, url), HashEmbedder(dim=384), queries(n_queries)
    rngs = {b: random.Random(1) for b in stores}  # the same chunks for both
    rows, start = [], 0
    for total, files in STAGES:
        label = f"{start // 1000}k->{total // 1000}k"
        secs = {b: grow(s, rngs[b], start // 500, files) for b, s in stores.items()}
        rows.append((f"write {label} (chunks/s)", {b: files * 500 / secs[b] for b in stores}))
        print(f"  grew to {total:,} chunks: " + ", ".join(f"{b} {secs[b]:.0f} s" for b in stores)
              + f"; load {load()}", flush=True)
        times = {b: time_retrieval(s, embedder, qs, MODES) for b, s in stores.items()}
        for mode in MODES:
            for pct in (50, 95):
                rows.append((f"{mode} p{pct} at {total // 1000}k (ms)",
                             {b: percentile(times[b][mode], pct) for b in stores}))
        start = total
    for s in stores.values():
        s.close()
    return rows


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
    print(f"\n{'':34} {'embedded (baseline)':>20} {'chroma server':>14} {'server / embedded':>18}")
    for label, v in rows:
        print(f"{label:34} {v['embedded']:20.1f} {v['server']:14.1f} {v['server'] / v['embedded']:18.2f}")


def main() -> None:
    from knowledge_base.chroma_server import ChromaServer

    ap = argparse.ArgumentParser(description="faultdesk scale benchmark: embedded Chroma vs chroma run")
    ap.add_argument("--queries", type=int, default=40, help="queries per mode and stage")
    ap.add_argument("--minilm", type=int, default=10_000, help="chunks for the MiniLM ingest figure (0: skip)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    print("scale benchmark: synthetic chunks, RANDOM 384-d vectors, hash-embedded queries (no model time "
          f"in the store figures); chroma run on loopback on the same {os.cpu_count()} cores; "
          f"load average {load()} (1/5/15 min)", flush=True)
    with tempfile.TemporaryDirectory(prefix="fd-scale-") as tmp, ChromaServer(Path(tmp) / "server-data") as url:
        rows = stores_part(Path(tmp), url, args.queries)
        if args.minilm:
            rows.append(minilm_part(Path(tmp), url, args.minilm))
    print_table(rows)
    print(f"\nload average at the end {load()}; total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
