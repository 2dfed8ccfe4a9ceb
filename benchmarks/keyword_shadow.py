"""Run a faultdesk command or a benchmark with every keyword-lane query
answered by both lanes, and say where the tantivy lane's ranking differs
from the FTS5 baseline's.

Every ``Store.keyword_search`` call (the retriever's, the alert analysis's,
the benchmarks') runs ``keyword_search_fts5`` and ``keyword_search_tantivy``
on the same store and the same arguments; the configured backend's hits are
returned, so the command behaves as usual. At exit one line per differing
call goes to ``--log`` (JSON: query, codes, filters, both top-10s) and a
summary to stderr: calls, identical lists (same chunks, same order, same
scores to the bit), same chunk set, same top 5.

    PYTHONPATH=. .venv/bin/python -m benchmarks.keyword_shadow --log OUT.jsonl -- eval alerts --scenarios F --kb KB
    PYTHONPATH=. .venv/bin/python -m benchmarks.keyword_shadow --log OUT.jsonl --script benchmarks/real_docs.py -- --split both
"""

from __future__ import annotations

import argparse
import atexit
import json
import runpy
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Shadow:
    """Counts and logs how the two lanes' answers to the same calls compare."""

    def __init__(self, log: Path | None, calls: Path | None = None) -> None:
        self.log, self.calls_log, self.lock = log, calls, threading.Lock()
        self.args: list[tuple] = []
        self.calls = self.identical = self.same_set = self.same_top5 = 0
        self.diffs: list[dict] = []

    def compare(self, args: tuple, fts5: list, tantivy: list) -> None:
        a = [(h.chunk.id, h.score) for h in fts5]
        b = [(h.chunk.id, h.score) for h in tantivy]
        with self.lock:
            self.args.append(args)
            self.calls += 1
            self.identical += a == b
            self.same_set += {i for i, _ in a} == {i for i, _ in b}
            self.same_top5 += [i for i, _ in a[:5]] == [i for i, _ in b[:5]]
            if a != b:
                first = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                q, k, where, extra = args
                self.diffs.append({"query": q, "k": k, "where": where, "codes": list(extra), "first_diff": first,
                                   "overlap": len({i for i, _ in a} & {i for i, _ in b}),
                                   "fts5": a[:10], "tantivy": b[:10]})

    def report(self) -> None:
        if self.calls_log:
            self.calls_log.write_text("".join(json.dumps(a) + "\n" for a in self.args))
        if self.log:
            self.log.write_text("".join(json.dumps(d) + "\n" for d in self.diffs))
        print(f"keyword shadow: {self.calls} keyword-lane calls; identical (chunks, order, scores) "
              f"{self.identical}; same chunks {self.same_set}; same top 5 {self.same_top5}"
              + (f"; differing calls in {self.log}" if self.log and self.diffs else ""), file=sys.stderr)


def install(shadow: Shadow) -> None:
    from knowledge_base.store import Store

    def keyword_search(self, query, k=10, where=None, extra_terms=()):
        args = (query, k, dict(where) if where else None, tuple(extra_terms))
        a = Store.keyword_search_fts5(self, *args)
        b = Store.keyword_search_tantivy(self, *args)
        shadow.compare(args, a, b)
        return a if self.keyword_backend == "fts5" else b

    Store.keyword_search = keyword_search


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--log", type=Path)
    ap.add_argument("--calls", type=Path, help="write every call's arguments here (JSON lines), to replay")
    ap.add_argument("--script", help="a Python script to run instead of the faultdesk CLI")
    ap.add_argument("rest", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
    shadow = Shadow(args.log, args.calls)
    install(shadow)
    atexit.register(shadow.report)
    if args.script:
        sys.argv = [args.script, *rest]
        runpy.run_path(args.script, run_name="__main__")
    else:
        from assistant.cli import main as cli

        sys.argv = ["faultdesk", *rest]
        cli()


if __name__ == "__main__":
    main()
