"""The safety filter's own cost per answer, in one process (issue 12's REST regression).

The sample knowledge base's development gold questions (in scope) are answered
by the extractive backend with three defeat filters swapped into the same
assistant, one question after another in rotating order (so machine load falls
on all three alike):

* ``lexical``: rules + lexical classifier (``FAULTDESK_DEFEAT_SEMANTIC=0``, the default since safety6);
* ``minilm-nocache``: rules + MiniLM classifier, every check embeds its sentences
  again (the code at a11267f);
* ``minilm-cache``: the same with :class:`~assistant.safety_filter.defeat_cache.VectorCache`
  (what ``FAULTDESK_DEFEAT_SEMANTIC=1`` builds now), starting empty.

Printed per filter: time inside the filter per answer (mean, p50, p95), whole
answer time (mean, p50), sentences sent to MiniLM per answer; and whether the
two MiniLM variants gave the same answer text for every question (they must:
the cache keeps vectors, never verdicts).

    PYTHONPATH=. .venv/bin/python benchmarks/safety_cost.py [--kb SAMPLE_KB] [--questions 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import ROOT, ingest_json  # noqa: E402

GOLD = ROOT / "knowledge_base" / "samples" / "gold" / "questions.jsonl"


class Counting:
    """An embedder proxy that counts the texts it embeds."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.texts = inner, inner.name, 0

    def embed_batch(self, texts):
        self.texts += len(texts)
        return self.inner.embed_batch(texts)


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", help="An ingested sample KB (default: ingest the samples into a temporary one).")
    ap.add_argument("--questions", type=int, default=40)
    args = ap.parse_args()
    from assistant.evaluation.gold import load_gold
    from assistant.factory import build_assistant
    from assistant.safety_filter import unsafe
    from assistant.safety_filter.defeat_model import MODEL_PATH, DefeatModel
    from knowledge_base.settings import get_settings

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"== safety_cost.py: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}, "
          f"load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        kb = args.kb
        if kb is None:
            kb = str(Path(tmp) / "sample-kb")
            wall, _, _ = ingest_json([str(ROOT / "knowledge_base" / "samples")], kb)
            print(f"ingested the sample corpus into {kb} in {wall:.0f} s")
        a = build_assistant(get_settings().with_kb(kb), "extractive")
        emb = a.retriever.embedder
        model = DefeatModel.load(MODEL_PATH)
        filters = {
            "lexical (SEMANTIC=0, default since safety6)": unsafe.RULES,
            "minilm-nocache (SEMANTIC=1, a11267f)": unsafe.DefeatFilter(model=model, embedder=Counting(emb), vectors=None),
            "minilm-cache (SEMANTIC=1, this branch)": unsafe.DefeatFilter(model=model, embedder=Counting(emb)),
        }
        spent = [0.0]
        inner = unsafe.DefeatFilter.reasons

        def timed(self, *a_, **k):
            t = time.perf_counter()
            try:
                return inner(self, *a_, **k)
            finally:
                spent[0] += time.perf_counter() - t

        unsafe.DefeatFilter.reasons = timed
        ins = [q for q in load_gold(GOLD) if q.in_scope]
        picked = ins[:: max(1, len(ins) // args.questions)][: args.questions]
        a.defeat = unsafe.RULES
        a.ask(picked[0].question)  # warm-up: retrieval, MiniLM loaded
        emb.embed_batch(["warm up"])
        names = list(filters)
        rows = {n: {"filter": [], "answer": [], "texts": []} for n in names}
        for k, q in enumerate(picked):
            for n in names[k % 3:] + names[: k % 3]:
                a.defeat = filters[n]
                spent[0] = 0.0
                t = time.perf_counter()
                ans = a.ask(q.question)
                rows[n]["answer"].append(time.perf_counter() - t)
                rows[n]["filter"].append(spent[0])
                rows[n]["texts"].append(ans.answer)
        unsafe.DefeatFilter.reasons = inner
        print(f"{len(picked)} answers per filter (extractive, sample KB, development gold questions), rotating order")
        print(f"{'filter':<50} {'filter ms/answer mean':>22} {'p50':>7} {'p95':>7} {'answer ms mean':>15} {'p50':>7} {'MiniLM texts/answer':>20}")
        for n in names:
            f, w = [x * 1000 for x in rows[n]["filter"]], [x * 1000 for x in rows[n]["answer"]]
            emb_n = filters[n].embedder.texts / len(picked) if isinstance(filters[n].embedder, Counting) else 0.0
            print(f"{n:<50} {statistics.mean(f):>22.1f} {pct(f, .5):>7.1f} {pct(f, .95):>7.1f} "
                  f"{statistics.mean(w):>15.1f} {pct(w, .5):>7.1f} {emb_n:>20.1f}")
        same = sum(x == y for x, y in zip(rows[names[1]]["texts"], rows[names[2]]["texts"]))
        print(f"MiniLM with and without the cache: {same}/{len(picked)} answers identical")
        withheld = {n: sum("withheld" in t for t in rows[n]["texts"]) for n in names}
        print("answers with a sentence withheld: " + ", ".join(f"{n.split()[0]} {v}" for n, v in withheld.items()))


if __name__ == "__main__":
    main()
