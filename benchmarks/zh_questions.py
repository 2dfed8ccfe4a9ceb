"""Chinese questions on the English sample manuals (blind Chinese gold set).

knowledge_base/samples/gold/zh/zh_questions.jsonl: 74 questions written by a
helper who saw only the English gold questions (70 with ``en_id``, 4 about P-3's
current state). On one sample KB (built fresh, with the P-3 replay opening an
alert as `make alerts` does), in one run:

* hit@5 (hybrid; anchor rule of ``faultdesk eval retrieval``) of the English
  originals (``en_question``) - the baseline - and of the Chinese questions
  without a model (codes, asset ids, English words only) and with the local
  model translating (Qwen 0.5B through the supervised worker);
* abstention: out-of-scope items abstained, in-scope items answered, for each;
* translation latency p50 / p95 of the local model;
* "泵P-3现在有什么问题？" through the assistant, with and without the model.

* each Chinese variant with nothing added, with the Chinese maintenance glossary
  only (``assistant/answer/glossary.py``), and with the glossary plus the general
  dictionary for the words it lacks (``assistant/answer/dictionary.py``, CC-CEDICT;
  the default), without and with the model.

    .venv/bin/python benchmarks/zh_questions.py [--kb DIR] [--no-local] [--every N] [--half a|b]
    .venv/bin/python benchmarks/zh_questions.py --latency   # translation p50/p95 only (no KB)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import ROOT  # noqa: E402
from benchmarks.quality import run, stamp  # noqa: E402

ZH = ROOT / "knowledge_base" / "samples" / "gold" / "zh" / "zh_questions.jsonl"
P3 = "泵P-3现在有什么问题？"


VARIANTS = (("zh_bare", "Chinese, no model (codes/ids/English words)"),
            ("zh_gloss_only", "Chinese, no model + maintenance glossary only"),
            ("zh_gloss", "Chinese, no model + glossary + general dictionary (default)"),
            ("zh_llm", "Chinese, local model translates"),
            ("zh_llm_gloss_only", "Chinese, local model + maintenance glossary only"),
            ("zh_llm_gloss", "Chinese, local model + glossary + general dictionary (default)"))


class Once:
    """The LLM's ``complete`` remembered per prompt: one translation serves both model variants."""

    def __init__(self, llm) -> None:
        self.llm, self.seen = llm, {}

    def complete(self, messages, **kw):
        key = tuple((m.role, m.content) for m in messages)
        if key not in self.seen:
            self.seen[key] = self.llm.complete(messages, **kw)
        return self.seen[key]


def latency(every: int) -> None:
    """p50 / p95 of the translation call alone (local model, no KB, no retrieval)."""
    import time

    from assistant.answer import crosslingual as xl
    from assistant.factory import build_llm
    from assistant.evaluation.gold import load_gold
    from knowledge_base.settings import get_settings

    llm = build_llm(get_settings(), "local")[0]
    items = load_gold(ZH)[::every]
    xl.translate(items[0].question, llm)  # warm-up: model load is not a translation
    ms = []
    for it in items:
        t0 = time.perf_counter()
        english = xl.translate(it.question, llm)
        ms.append((time.perf_counter() - t0) * 1000)
        print(f"  {it.id} {ms[-1] / 1000:.2f} s  {it.question}  ->  {english}", flush=True)
    q = statistics.quantiles(ms, n=20)
    import os

    print(f"\ntranslation latency, local model ({llm.name}), {len(ms)} questions after one warm-up: "
          f"p50 {statistics.median(ms) / 1000:.2f} s, p95 {q[18] / 1000:.2f} s; "
          f"load average {os.getloadavg()[0]:.1f} at the end")


def build_kb(kb: Path) -> None:
    run("ingest", str(ROOT / "knowledge_base" / "samples"), "--kb", str(kb), "--json")
    if not (kb / "monitor_state" / "auto.json").exists():
        run("monitor", "run", "--kb", str(kb), "--source",
            f"csv:{ROOT / 'knowledge_base' / 'samples' / 'streams' / 'pump_P-3.csv'}", "--until", "2024-03-15T00:00")


def outcome(assistant, text: str, xq) -> tuple[list, bool]:
    """(top-10 chunks, abstained) exactly as Assistant.stream decides them."""
    from assistant.answer.screening import screen_hits
    from knowledge_base.retrieval import Query

    q = Query(xq.search_text, k=10, dense_text=xq.dense_text) if xq else Query(text, k=10)
    retrieval, _ = screen_hits(assistant.retriever.retrieve(q))
    if assistant._alert_contexts(retrieval.assets):
        return [h.chunk for h in retrieval.hits], False
    ev = assistant.abstainer.evidence(xq.evidence_text if xq else text, retrieval)
    return [h.chunk for h in retrieval.hits], assistant.abstainer.should_abstain(ev)


def score(rows: list[dict], key: str) -> str:
    from assistant.evaluation.evaluate import judge

    scoped = [r for r in rows if r["item"].in_scope]
    hits = sum(1 for r in scoped if (rank := judge(r[key][0], r["item"])[0]) is not None and rank <= 5)
    oos = [r for r in rows if not r["item"].in_scope]
    abst = sum(r[key][1] for r in oos)
    answered = sum(not r[key][1] for r in scoped)
    return (f"{hits}/{len(scoped)} = {hits / len(scoped):.3f} | {abst}/{len(oos)} | "
            f"{answered}/{len(scoped)}"), hits / len(scoped)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=Path)
    ap.add_argument("--no-local", action="store_true")
    ap.add_argument("--every", type=int, default=1,
                    help="Only every N-th question (a shorter run on a loaded machine; all figures on that subset).")
    ap.add_argument("--half", choices=("a", "b"),
                    help="Only half of the set: a = 1st, 3rd, 5th ... item, b = the others (an unseen check).")
    ap.add_argument("--latency", action="store_true", help="Only time the translation call (local model).")
    args = ap.parse_args()
    print(f"Chinese questions benchmark, {stamp()}", flush=True)
    if args.latency:
        latency(args.every)
        print(f"\ndone, {stamp()}")
        return
    from assistant.answer import crosslingual as xl
    from assistant.factory import build_assistant, build_llm
    from assistant.evaluation.gold import load_gold
    from knowledge_base.settings import get_settings

    with tempfile.TemporaryDirectory(prefix="faultdesk-zh-") as tmp:
        kb = args.kb or Path(tmp) / "kb"
        build_kb(kb)
        settings = get_settings().with_kb(kb)
        assistant = build_assistant(settings, "extractive")
        items = load_gold(ZH)
        items = (items[{"a": 0, "b": 1}[args.half]::2] if args.half else items)[::args.every]
        raw = {json.loads(x)["id"]: json.loads(x) for x in ZH.read_text(encoding="utf-8").splitlines() if x.strip()}
        llm = None if args.no_local else build_llm(settings, "local")[0]
        rows, ms = [], []
        for it in items:
            en = raw[it.id].get("en_question") or ""
            row = {"item": it, "en": outcome(assistant, en, None),
                   "zh_bare": outcome(assistant, it.question, xl.prepare(it.question, None, glossary=False)),
                   "zh_gloss_only": outcome(assistant, it.question, xl.prepare(it.question, None, general=False)),
                   "zh_gloss": outcome(assistant, it.question, xl.prepare(it.question, None))}
            if llm is not None:
                memo = Once(llm)
                xq = xl.prepare(it.question, memo, glossary=False)
                ms.append(xq.translate_ms)
                row["zh_llm"] = outcome(assistant, it.question, xq)
                row["zh_llm_gloss_only"] = outcome(assistant, it.question, xl.prepare(it.question, memo, general=False))
                row["zh_llm_gloss"] = outcome(assistant, it.question, xl.prepare(it.question, memo))
                row["translation"] = xq.translation or (f"(only an extra search: {xq.extra})" if xq.extra else None)
                print(f"  {it.id} {xq.translate_ms / 1000:.1f} s  {it.question}  ->  {row['translation']}", flush=True)
            rows.append(row)
        n_oos = sum(not it.in_scope for it in items)
        print(f"\n{len(items)} questions ({len(items) - n_oos} in scope, {n_oos} out of scope); KB {kb}")
        print("| questions | hit@5 (in scope) | out-of-scope abstained | in-scope answered |\n|---|---|---|---|")
        text, base = score(rows, "en")
        print(f"| English originals (baseline) | {text} |")
        for key, name in VARIANTS:
            if key in rows[0]:
                text, got = score(rows, key)
                print(f"| {name} | {text} | ratio to English {got / base:.2f} |")
        for key, _ in VARIANTS:
            if key in rows[0]:
                differ = [r["item"].id for r in rows if r[key][1] != r["en"][1]]
                print(f"abstention differs from the English version ({key}): {len(differ)} {differ}")
        if ms:
            q = statistics.quantiles(ms, n=20)
            print(f"\ntranslation latency, local model ({llm.name}), {len(ms)} questions: "
                  f"p50 {statistics.median(ms) / 1000:.2f} s, p95 {q[18] / 1000:.2f} s")
            for r in rows[:8]:
                print(f"  {r['item'].question}  ->  {r['translation']}")
        for name, backend in (("no model", "extractive"), ("local model", llm)):
            if backend is None:
                continue
            a = build_assistant(settings, backend)
            ans = a.ask(P3)
            alert = [c.as_json() for c in ans.citations if str(c.as_json().get("n", "")).startswith("A")]
            print(f"\n{P3} ({name}): abstained={ans.abstained}, alert cited={bool(alert)}, backend={ans.backend}")
            print("  " + ans.answer[:600].replace("\n", "\n  "))
    print(f"\ndone, {stamp()}")


if __name__ == "__main__":
    main()
