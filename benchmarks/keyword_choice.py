"""Which keyword index? FTS5 bm25() vs bm25s vs tantivy on the same Zipf chunks.

Each candidate indexes the same ``--chunks`` synthetic chunks
(``benchmarks/zipf_text.py``: Zipf vocabulary with English function words,
four fields like the knowledge base's: text, section, title, codes) and
answers the same OR queries for the top 50, warm. Printed: index build
time, p50/p95 query latency, index size on disk. bm25s has one field (it
scores one token list per document), so its row is a lower bound on work,
not the same ranking; tantivy and FTS5 score the four fields with the
knowledge base's weights.

    PYTHONPATH=. .venv/bin/python benchmarks/keyword_choice.py [--chunks 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.zipf_text import ZipfVocabulary  # noqa: E402

WEIGHTS = (1.0, 0.6, 0.2, 2.0)  # text, section, title, codes: as knowledge_base/index.py


def corpus(n: int, seed: int = 3) -> list[tuple[str, str, str, str]]:
    vocab, rng = ZipfVocabulary(seed=seed), random.Random(seed)
    texts = vocab.chunks(n, seed)
    heads = vocab.chunks(n, seed + 1, mean_words=4)
    out = []
    for i in range(n):
        out.append((texts[i], heads[i], f"manual {i // 500} {rng.choice(vocab.words[:5000])}",
                    f"e{rng.randint(100, 999)}" if rng.random() < 0.35 else ""))
    return out


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def pct(ms: list[float], p: int) -> float:
    return statistics.quantiles(ms, n=100)[p - 1] if len(ms) > 1 else ms[0]


def timed(fn, qs) -> list[float]:
    for q in qs[:10]:
        fn(q)
    out = []
    for q in qs:
        t0 = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def fts5(docs, qs, tmp: Path):
    db = sqlite3.connect(tmp / "fts.sqlite", isolation_level=None)
    db.execute("CREATE VIRTUAL TABLE f USING fts5(text, section, title, codes, tokenize='porter unicode61')")
    t0 = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("INSERT INTO f(rowid, text, section, title, codes) VALUES(?,?,?,?,?)",
                   [(i, *d) for i, d in enumerate(docs)])
    db.execute("COMMIT")
    build = time.perf_counter() - t0
    w = ", ".join(map(str, WEIGHTS))

    def q(text):
        match = " OR ".join(f'"{t}"' for t in dict.fromkeys(text.split()))
        return db.execute(f"SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f, {w}) LIMIT 50", (match,)).fetchall()

    return build, timed(q, qs), dir_size(tmp) - 0


def bm25s_lane(docs, qs, tmp: Path):
    import bm25s

    t0 = time.perf_counter()
    tokens = bm25s.tokenize([" ".join(d) for d in docs], stopwords=None, show_progress=False)
    model = bm25s.BM25()
    model.index(tokens, show_progress=False)
    build = time.perf_counter() - t0
    model.save(tmp / "bm25s")

    def q(text):
        return model.retrieve(bm25s.tokenize([text], stopwords=None, show_progress=False, return_ids=True),
                              k=50, show_progress=False, n_threads=1)

    return build, timed(q, qs), dir_size(tmp / "bm25s")


def tantivy_lane(docs, qs, tmp: Path):
    from knowledge_base.keyword_index import KeywordIndex
    from knowledge_base.types import Chunk

    idx = KeywordIndex(tmp / "tantivy")
    t0 = time.perf_counter()
    idx.rebuild([[(i, Chunk(f"c{i}", d[0], "/bench", section=(d[1],), title=d[2], fault_codes=tuple(d[3].split())))
                  for i, d in enumerate(docs)]])
    build = time.perf_counter() - t0
    return build, timed(lambda text: idx.search(text, 50), qs), dir_size(tmp / "tantivy")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunks", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--terms", type=int, default=8)
    ap.add_argument("--only", nargs="+", default=["fts5", "bm25s", "tantivy"])
    args = ap.parse_args()
    docs = corpus(args.chunks)
    vocab, rng = ZipfVocabulary(seed=3), random.Random(11)
    qs = [vocab.query(rng, args.terms) for _ in range(args.queries)]
    print(f"{args.chunks:,} Zipf chunks, {args.queries} OR queries of {args.terms} terms, top 50, warm; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'':10} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8} {'size MB':>8}")
    for name, fn in [c for c in (("fts5", fts5), ("bm25s", bm25s_lane), ("tantivy", tantivy_lane)) if c[0] in args.only]:
        with tempfile.TemporaryDirectory(prefix=f"kw-{name}-") as tmp:
            build, ms, size = fn(docs, qs, Path(tmp))
            print(f"{name:10} {build:8.1f} {pct(ms, 50):8.2f} {pct(ms, 95):8.2f} {size / 1e6:8.1f}", flush=True)


if __name__ == "__main__":
    main()
