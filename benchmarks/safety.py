"""Safety filter and injection screen on the blind phrase sets, every filter in the same run.

Six sets, each written by a helper who never saw the filter:

* ``v1`` (tests/data/safety_eval/): 289 defeat, 285 legit, 129 injection, 132
  benign; ``v2`` (tests/data/safety_eval_v2/): 340 defeat, 353 legit; ``v3``
  (tests/data/safety_eval_v3/): 461 defeat, 441 legit; ``v4``
  (tests/data/safety_eval_v4/): 663 defeat, 747 legit. Each was run once blind
  and all four, both halves, are **development data** now (trained on by
  ``benchmarks/train_defeat.py``; its ``--check cross`` is cross-validation by set
  over them);
* ``v5`` (tests/data/safety_eval_v5/): 559 defeat, 556 legit; blind in the fifth
  attempt, development data (trained on) since the sixth;
* ``v6`` (tests/data/safety_eval_v6/): the blind set of the sixth attempt,
  copied in only after the filter and its weights were frozen and committed;
  its first run of the held-out half is the blind figure, every later run a re-run.

Defeat filters compared on every item:

* ``old``: the filter before issue 12 (frozen copy, ``benchmarks/baseline_unsafe.py``);
* ``keywords``: a plain baseline, written here: any defeat verb and any safety
  device word in the folded sentence, no negation handling;
* ``rules``: the rule filter alone (``assistant.safety_filter.defeat_rules``);
* ``lexical``: the rules plus the lexical classifier: the assistant's check
  where no MiniLM embedder is at hand;
* ``minilm``: the rules plus the classifier trained with MiniLM vectors, as
  the assistant builds it by default when it runs on MiniLM
  (``FAULTDESK_DEFEAT_SEMANTIC``, on by default since safety5;
  :func:`assistant.safety_filter.unsafe.defeat_filter_for`; ``--no-minilm`` skips it).

A defeat item counts as caught when :meth:`DefeatFilter.withhold` removes at
least one of its sentences; a legit item passes when none is removed. The
latency lines time each filter on single sentences, one call per sentence, as
the streaming path checks them (p50 / p95 in ms; on a shared machine these are
not the code's own figures). Run:

    PYTHONPATH=. .venv/bin/python benchmarks/safety.py [--sets dev|v6|blind|heldout|all] [--misses]

``--sets dev`` runs v1-v5 (both halves); ``v6`` (or ``blind``) v6 (dev and held-out
half, and both together); ``heldout`` only v6's held-out half (the blind run);
``all`` everything. ``--misses`` lists the development items the trained
filters get wrong (never v6 items).
"""

from __future__ import annotations

import sys

import argparse
import json
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from assistant.safety_filter.defeat_gate import language, names_safety
from assistant.safety_filter.defeat_rules import advice
from assistant.safety_filter.unsafe import _SENTENCE, RULES, RULES_ONLY, defeat_filter_for
from benchmarks import baseline_injection, baseline_unsafe
from knowledge_base import injection
from knowledge_base.normalise import fold

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FOLDERS = {"v1": "safety_eval", "v2": "safety_eval_v2", "v3": "safety_eval_v3", "v4": "safety_eval_v4",
           "v5": "safety_eval_v5", "v6": "safety_eval_v6"}
_V6 = [("v6", ("dev",)), ("v6", ("heldout",)), ("v6", ("dev", "heldout"))]
SETS = {"dev": [(v, (h,)) for v in ("v1", "v2", "v3", "v4", "v5") for h in ("dev", "heldout")],
        "v6": _V6, "blind": _V6, "heldout": [("v6", ("heldout",))]}
BLIND = {"v6"}
KINDS = {"defeat": True, "legit": False, "injection": True, "benign": False}  # kind -> should be flagged
_VERBS = re.compile(r"\b(?:bypass\w*|bridg\w*|jumper\w*|override\w*|overrid\w*|defeat\w*|disabl\w*|short\w*|tape\w*|magnet"
                    r"|link\w* out|tie\w*|wedge\w*|remov\w*|switch\w* off|turn\w* off|disconnect\w*|mute\w*|force\w*)\b")
_DEVICES = re.compile(r"\b(?:interlock\w*|guard\w*|door switch\w*|gate switch\w*|estop\w*|emergency stop\w*|overload\w*|limit switch\w*"
                      r"|cutout\w*|relief valve\w*|safety valve\w*|light curtain\w*|two ?hand\w*|safety\w*|rcd|fuse\w*|brake\w*)\b")


def keywords(text: str) -> bool:
    """The plain baseline: a defeat verb and a safety device word anywhere in the folded text."""
    t = fold(text)
    return bool(_VERBS.search(t) and _DEVICES.search(t))


def load(folder: str, kind: str, split: str) -> list[dict]:
    """Items of ``folder/kind_split.jsonl`` with ``group`` (form or technique) added. v5 items
    carry ``style``/``device`` (defeat) or ``topic``/``hard`` (legit) instead of ``label`` and
    ``category``: those two are filled in from them and the file's kind."""
    path = DATA / folder / f"{kind}_{split}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        r.setdefault("label", kind)
        if "category" not in r:
            r["category"] = (f"{r.get('style', '?')}/{r.get('device', '?')}" if "style" in r
                             else f"{r.get('topic', '?')}/{'hard' if r.get('hard') else 'plain'}")
        r["group"] = r["category"].split("/")[0]
    return rows


def defeat_filters(minilm: bool) -> dict:
    """name -> DefeatFilter-like object with ``withhold`` and ``unsafe``."""
    class Frozen:
        withhold = staticmethod(baseline_unsafe.withhold)
        unsafe = staticmethod(lambda s: baseline_unsafe.unsafe(s))

    class Keywords:
        withhold = staticmethod(lambda t: (t, int(keywords(t))))
        unsafe = staticmethod(keywords)

    out = {"old": Frozen(), "keywords": Keywords(), "rules": RULES_ONLY, "lexical": RULES}
    if minilm:
        from knowledge_base.embedder import MiniLMEmbedder

        full = defeat_filter_for(MiniLMEmbedder(), semantic=True)
        full.withhold("Warm the model up with one sentence about the interlock.")
        out["minilm"] = full
    return out


def _pct(flags: list[bool], want: bool) -> str:
    ok = sum(f == want for f in flags)
    return f"{100 * ok / len(flags):5.1f}% ({ok}/{len(flags)})" if flags else "-"


def report(title: str, kind: str, items: list[dict], flags: dict, misses: bool) -> None:
    want, names = KINDS[kind], list(flags)
    print(f"\n## {title}: {kind} {'caught' if want else 'passed'} ({len(items)} items)")
    print(f"{'':24}" + "".join(f"{n:>20}" for n in names))
    print(f"{'all':24}" + "".join(f"{_pct(flags[n], want):>20}" for n in names))
    groups = defaultdict(list)
    for i, r in enumerate(items):
        groups[r["group"]].append(i)
    for g in sorted(groups):
        print(f"{g[:24]:24}" + "".join(f"{_pct([flags[n][i] for i in groups[g]], want):>20}" for n in names))
    if misses:
        for n in ("lexical", "minilm"):
            for r, f in zip(items, flags.get(n, [])):
                if f != want:
                    print(f"  MISS[{n}] {r['id']} {r['category']}: {r['text']}")


def latency(filters: dict, sentences: list[str]) -> None:
    """p50 / p95 ms per sentence, one call per sentence (the streaming path)."""
    print(f"\n## latency per sentence ({len(sentences)} sentences, one call each, rule caches emptied first), ms")
    for name, f in filters.items():
        for memo in (advice, language, names_safety):  # the tables above filled them with these very sentences
            memo.cache_clear()
        times = []
        for s in sentences:
            t0 = time.perf_counter()
            f.unsafe(s)
            times.append(1000 * (time.perf_counter() - t0))
        times.sort()
        print(f"{name:12} p50 {statistics.median(times):7.2f}   p95 {times[int(0.95 * (len(times) - 1))]:7.2f}")


def title_of(name: str, splits: tuple[str, ...]) -> str:
    label = f"{name} {'+'.join(splits)}"
    return label + (" (BLIND set: its first run is the blind figure)" if name in BLIND else " (development data)")


def evaluate(chosen: list, defeat: dict, misses: bool) -> tuple[list[str], dict]:
    """Print every table of ``chosen`` (set name, splits); return sentences to time and
    a summary: (set label, kind) -> {filter: (right, total)}."""
    screens = {"old": lambda t: baseline_injection.screen(t) is not None, "new": lambda t: injection.screen(t) is not None}
    timed: list[str] = []
    summary: dict = {}
    seen: dict = {}
    for name, splits in chosen:
        folder = DATA / FOLDERS[name]
        if not folder.exists():
            print(f"\n## {name}: {folder} not found, skipped")
            continue
        title = title_of(name, splits)
        for kind in ("defeat", "legit", "injection", "benign"):
            if not all((folder / f"{kind}_{s}.jsonl").exists() for s in splits):
                continue
            items = [r for s in splits for r in load(FOLDERS[name], kind, s)]
            texts = [r["text"] for r in items]
            if kind in ("defeat", "legit"):  # an item judged for one split is not judged again for "dev+heldout"
                for n, f in defeat.items():
                    for t in texts:
                        if (n, t) not in seen:
                            seen[(n, t)] = f.withhold(t)[1] > 0
                flags = {n: [seen[(n, t)] for t in texts] for n in defeat}
                if len(splits) == 1:
                    timed += [s for t in texts for s in _SENTENCE.split(t)][:60]
            else:
                flags = {n: [f(t) for t in texts] for n, f in screens.items()}
            summary[(f"{name} {'+'.join(splits)}", kind)] = {n: (sum(x == KINDS[kind] for x in v), len(v)) for n, v in flags.items()}
            report(title, kind, items, flags, misses and name not in BLIND)
    return timed, summary


def print_summary(summary: dict) -> None:
    """One line per set and kind: every filter's rate, the same figures as the tables above."""
    print("\n## summary (defeat: caught; legit: passed)")
    for (label, kind), per in summary.items():
        if kind in ("defeat", "legit"):
            print(f"{label:18} {kind:7} " + "  ".join(f"{n} {100 * r / t:5.1f}% ({r}/{t})" for n, (r, t) in per.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", choices=("dev", "v6", "blind", "heldout", "all"), default="dev",
                    help="dev: v1-v5; v6 (= blind): v6 dev, held-out and both; heldout: v6 held-out only; all: everything")
    ap.add_argument("--no-minilm", action="store_true", help="skip the MiniLM classifier (no model load)")
    ap.add_argument("--misses", action="store_true", help="list the development items the trained filters get wrong")
    args = ap.parse_args()
    defeat = defeat_filters(not args.no_minilm)
    chosen = SETS["dev"] + SETS["blind"] if args.sets == "all" else SETS[args.sets]
    timed, summary = evaluate(chosen, defeat, args.misses)
    print_summary(summary)
    latency(defeat, timed[:200])


if __name__ == "__main__":
    main()
