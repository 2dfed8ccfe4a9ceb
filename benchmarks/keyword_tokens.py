"""Do the tantivy lane's tokens equal SQLite FTS5's ``porter unicode61``? SQLite is the oracle.

Reads every text file under the given folders (default: the samples, the
real-documentation corpus, the installed Python packages' sources,
/usr/share/doc), plus one text holding every printable code point from
U+0080 to U+2FFFF, and tokenizes each with SQLite FTS5 (``unicode61`` and
``porter unicode61``, read back through ``fts5vocab``) and with
``knowledge_base.keyword_text`` (``tokens``, ``terms``). Printed: texts,
distinct words, texts whose token sequence differs, and the first
differences.

    PYTHONPATH=. .venv/bin/python benchmarks/keyword_tokens.py [FOLDER ...]
"""

from __future__ import annotations

import collections
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import ROOT  # noqa: E402

DEFAULT = [ROOT / "knowledge_base" / "samples", ROOT / ".faultdesk" / "real_docs",
           Path(sys.prefix) / "lib", Path("/usr/share/doc")]


def texts(folders, limit: int = 40_000) -> list[str]:
    out = []
    for folder in folders:
        for p in sorted(Path(folder).rglob("*")) if Path(folder).exists() else []:
            if len(out) >= limit:
                return out
            if p.is_file() and p.suffix in ("", ".py", ".txt", ".md", ".html", ".rst", ".json", ".csv", ".jsonl"):
                b = p.read_bytes()[:100_000]
                if b"\0" not in b[:1000]:
                    out.append(b.decode("utf-8", "replace"))
    return out


def fts5(docs: list[str], tokenize: str) -> list[list[str]]:
    """Each doc's token sequence as SQLite FTS5 with ``tokenize`` indexes it (the oracle)."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{tokenize}')")
    db.executemany("INSERT INTO t(rowid, x) VALUES(?, ?)", list(enumerate(docs)))
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    seq: list[dict] = [{} for _ in docs]
    for term, doc, off in db.execute("SELECT term, doc, offset FROM v"):
        seq[doc][off] = term
    return [[d[i] for i in sorted(d)] for d in seq]


def main() -> None:
    from knowledge_base.keyword_text import terms, tokens

    t0 = time.perf_counter()
    docs = texts(sys.argv[1:] or DEFAULT)
    docs.append(" ".join(chr(c) + "a" + chr(c) for c in range(0x80, 0x30000) if chr(c).isprintable()))
    print(f"keyword tokens vs SQLite {sqlite3.sqlite_version} FTS5: {len(docs)} texts "
          f"({sum(not d.isascii() for d in docs)} with non-ASCII)")
    for tokenize, fn in (("unicode61", tokens), ("porter unicode61", terms)):
        want = fts5(docs, tokenize)
        diff = collections.Counter()
        bad = 0
        words = set()
        for d, w in zip(docs, want):
            words.update(w)
            got = fn(d)
            if got != w:
                bad += 1
                diff.update((a, b) for a, b in zip(w, got) if a != b)
        print(f"  {tokenize}: {len(words):,} distinct terms; texts that differ: {bad}"
              + (f"; first differences {diff.most_common(10)}" if diff else ""))
    print(f"  {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
