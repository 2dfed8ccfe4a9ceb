"""Which keyword tokenization makes Chinese text searchable: measured on real
Chinese man pages (Debian's manpages-zh, fetched here with `apt-get download`,
never committed).

Known-item search: each zh_CN man page is indexed without its NAME section; its
NAME line's Chinese description ("ls - 列出目录内容" -> "列出目录内容") is the query,
and the page is the one right answer. Three SQLite FTS5 set-ups, BM25, OR of
the query's terms, in one run:

* ``unicode61`` - today's tokenizer (porter unicode61): a CJK run is one token;
* ``trigram``   - FTS5's trigram tokenizer; the query is the OR of its 3-grams;
* ``bigram``    - knowledge_base.cjk_terms.segment at index and query time
                  (overlapping character pairs), then porter unicode61.

    .venv/bin/python benchmarks/cjk_tokenizer.py [--work DIR]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quality import stamp  # noqa: E402
from knowledge_base.cjk_terms import _RUN, segment  # noqa: E402

NAME_HEADS = ("名称", "名字", "NAME", "名 称", "名称 ")


def fetch(work: Path) -> Path:
    """Extract manpages-zh into ``work`` (apt-get download + dpkg-deb -x)."""
    root = work / "x" / "usr" / "share" / "man" / "zh_CN"
    if not root.exists():
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run(["apt-get", "download", "manpages-zh"], cwd=work, check=True, capture_output=True)
        deb = next(work.glob("manpages-zh_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "x")], check=True)
    return root


def plain(line: str) -> str:
    line = re.sub(r"\\f[BIRP]|\\f\(..|\\[,/&]|\\\(..", "", line)
    return line.replace("\\-", "-").replace("\\e", "\\").strip()


def parse(path: Path) -> tuple[str, str] | None:
    """(body without the NAME section, Chinese NAME description) of one page."""
    try:
        src = gzip.open(path, "rt", encoding="utf-8", errors="replace").read()
    except OSError:
        return None
    body, name, section = [], "", ""
    for line in src.splitlines():
        if line.startswith(".SH"):
            section = plain(line[3:]).strip('" ')
            continue
        if line.startswith(".\\\"") or line.startswith("'\\\""):
            continue
        text = plain(re.sub(r"^\.[A-Za-z]+\s*", "", line)) if line.startswith(".") else plain(line)
        if not text:
            continue
        if section in NAME_HEADS or section.upper() == "NAME":
            name += " " + text
        else:
            body.append(text)
    desc = name.split(" - ", 1)[1] if " - " in name else ""
    desc = "".join(_RUN.findall(desc)) and desc.strip()
    return ("\n".join(body), desc) if desc and body and _RUN.search(desc) else None


def terms(query: str, how: str) -> list[str]:
    if how == "trigram":
        grams = []
        for run in _RUN.findall(query):
            grams += [run[i:i + 3] for i in range(max(1, len(run) - 2))]
        return grams + re.findall(r"[A-Za-z0-9]{3,}", query)
    text = segment(query) if how == "bigram" else query
    return re.findall(r"\w+", text)


def measure(pages: list[tuple[str, str, str]], how: str) -> dict:
    db = sqlite3.connect(":memory:")
    tok = "trigram" if how == "trigram" else "porter unicode61"
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize='{tok}')")
    t0 = time.perf_counter()
    db.executemany("INSERT INTO t(rowid, body) VALUES(?, ?)",
                   [(i, segment(b) if how == "bigram" else b) for i, (_, b, _) in enumerate(pages)])
    build = time.perf_counter() - t0
    ranks, q_ms = [], []
    for i, (_, _, desc) in enumerate(pages):
        ts = list(dict.fromkeys(terms(desc, how)))
        if not ts:
            ranks.append(None)
            continue
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in ts)
        t1 = time.perf_counter()
        ids = [r[0] for r in db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10", (match,))]
        q_ms.append((time.perf_counter() - t1) * 1000)
        ranks.append(ids.index(i) + 1 if i in ids else None)
    n = len(pages)
    q_ms.sort()
    return {"hit1": sum(r == 1 for r in ranks) / n, "hit5": sum(r is not None and r <= 5 for r in ranks) / n,
            "mrr": sum(1 / r for r in ranks if r) / n, "build_s": build,
            "p50_ms": q_ms[len(q_ms) // 2] if q_ms else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, help="Keep the downloaded package here (default: a temporary folder).")
    args = ap.parse_args()
    print(f"CJK keyword tokenization on manpages-zh, {stamp()}")
    with tempfile.TemporaryDirectory(prefix="faultdesk-mz-") as tmp:
        root = fetch(args.work or Path(tmp))
        pages = [(p.name, *got) for p in sorted(root.glob("man*/*.gz")) if (got := parse(p))]
        chars = sum(len(b) for _, b, _ in pages)
        print(f"{len(pages)} zh_CN man pages with a Chinese NAME line ({chars:,} characters of body)")
        print("| tokenization | hit@1 | hit@5 | MRR@10 | index build | query p50 |\n|---|---|---|---|---|---|")
        for how in ("unicode61", "trigram", "bigram"):
            m = measure(pages, how)
            print(f"| {how} | {m['hit1']:.3f} | {m['hit5']:.3f} | {m['mrr']:.3f} | {m['build_s']:.2f} s "
                  f"| {m['p50_ms']:.2f} ms |", flush=True)
        print("examples:", "; ".join(f"{n}: {d}" for n, _, d in pages[:4]))


if __name__ == "__main__":
    main()
