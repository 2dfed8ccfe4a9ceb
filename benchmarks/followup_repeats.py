"""Repeated lines in follow-ups (issue 18 item 4), extractive backend.

For each answers18 ``symptom`` item the symptom is asked, then "and what if
that doesn't help?"; each ``followup`` item is replayed as written. Printed:
per item (repeated lines, lines) of the follow-up's answer, i.e. its step and
passage lines of at least 40 characters (the Safety block and the past work
order left out) that were already in the previous answer; and the totals.
Run it in this tree and in an older one (``git archive``) on the same KB:

    PYTHONPATH=. .venv/bin/python benchmarks/followup_repeats.py KB
"""
import json, sys, importlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo before benchmarks/ (its monitors.py)

from knowledge_base.settings import get_settings
from assistant.factory import build_assistant
ae = importlib.import_module("assistant.evaluation.answer_eval")
a = build_assistant(get_settings().with_kb(sys.argv[1]), "extractive")
items = ae.load_items("knowledge_base/samples/gold/answers18.jsonl")

def lines(text):
    body = text.split("\n\nSafety")[0]
    return [l.strip() for l in body.splitlines() if len(l.strip()) >= 40 and not l.startswith("Similar past")]

def pair(asset, first_q, hist, q):
    h = []
    for x in hist:
        h.append(a.ask(x, asset, h).retrieval_query)
    prev = a.ask(first_q, asset, h)
    nxt = a.ask(q, asset, [*h, prev.retrieval_query])
    pl, nl = set(lines(prev.answer)), lines(nxt.answer)
    return sum(l in pl for l in nl), len(nl)

out = {}
for it in items:
    if it.category == "symptom":
        out[it.id] = pair(it.asset, it.question, list(it.history), "and what if that doesn't help?")
    elif it.category == "followup" and it.history:
        out[it.id] = pair(it.asset, it.history[-1], list(it.history[:-1]), it.question)
print(json.dumps(out))
groups = {"symptom": "symptom items + \"and what if that doesn't help?\"",
          "followup": "follow-up items as written"}
for cat, label in groups.items():
    got = [out[it.id] for it in items if it.category == cat and it.id in out]
    rep, tot = sum(r for r, _ in got), sum(n for _, n in got)
    full = sum(1 for r, n in got if n and r == n)
    print(f"{label}: repeated lines {rep}/{tot}; answers repeating every line {full}/{len(got)}")
