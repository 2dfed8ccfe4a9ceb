"""Safety filter and injection screen on the blind phrase sets, every filter in the same run.

Two sets, each written by a helper who never saw the filter:

* ``v1`` (tests/data/safety_eval/): 289 defeat, 285 legit, 129 injection, 132
  benign. Both halves are **development data** now: the dev half was tuned on
  by the first session, and its held-out half was run three times in
  aggregate and then studied and trained on by the second;
* ``v2`` (tests/data/safety_eval_v2/): 340 defeat, 353 legit, split dev /
  held-out. Its dev half is trained on (``benchmarks/train_defeat.py``); its
  held-out half is the blind figure and is run once.

Defeat filters compared on every item:

* ``old``: the filter before issue 12 (frozen copy, ``benchmarks/baseline_unsafe.py``);
* ``keywords``: a plain baseline, written here: any defeat verb and any safety
  device word in the folded sentence, no negation handling;
* ``rules``: the rule filter (``assistant.defeat_rules``);
* ``lexical``: the rules plus the trained classifier without sentence vectors
  (the assistant's default);
* ``minilm``: the rules plus the classifier trained with MiniLM vectors
  (opt-in, ``FAULTDESK_DEFEAT_SEMANTIC=1``; ``--no-minilm`` skips it here).

A defeat item counts as caught when :meth:`DefeatFilter.withhold` removes at
least one of its sentences; a legit item passes when none is removed. The
latency lines time each filter on single sentences, one call per sentence, as
the streaming path checks them (p50 / p95 in ms). Run:

    PYTHONPATH=. .venv/bin/python benchmarks/safety.py [--sets dev|heldout|all] [--misses]

``--sets dev`` runs v1 (both halves) and the v2 dev half; ``heldout`` the v2
held-out half; ``all`` both. ``--misses`` lists the development items each
trained filter gets wrong (never held-out ones).
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

from assistant.defeat_model import MODEL_PATH, DefeatModel
from assistant.unsafe import _SENTENCE, RULES, RULES_ONLY, DefeatFilter
from benchmarks import baseline_injection, baseline_unsafe
from knowledge_base import injection
from knowledge_base.normalise import fold

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = {"dev": [("v1", "dev", "safety_eval"), ("v1", "heldout", "safety_eval"), ("v2", "dev", "safety_eval_v2")],
        "heldout": [("v2", "heldout", "safety_eval_v2")]}
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
    """Items of ``folder/kind_split.jsonl`` with ``group`` (form or technique) added."""
    path = DATA / folder / f"{kind}_{split}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
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

        full = DefeatFilter(model=DefeatModel.load(MODEL_PATH), embedder=MiniLMEmbedder())
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
    print(f"\n## latency per sentence ({len(sentences)} sentences, one call each), ms")
    for name, f in filters.items():
        times = []
        for s in sentences:
            t0 = time.perf_counter()
            f.unsafe(s)
            times.append(1000 * (time.perf_counter() - t0))
        times.sort()
        print(f"{name:12} p50 {statistics.median(times):7.2f}   p95 {times[int(0.95 * (len(times) - 1))]:7.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", choices=("dev", "heldout", "all"), default="dev")
    ap.add_argument("--no-minilm", action="store_true", help="skip the MiniLM classifier (no model load)")
    ap.add_argument("--misses", action="store_true", help="list the development items the trained filters get wrong")
    args = ap.parse_args()
    defeat = defeat_filters(not args.no_minilm)
    screens = {"old": lambda t: baseline_injection.screen(t) is not None, "new": lambda t: injection.screen(t) is not None}
    chosen = SETS["dev"] + SETS["heldout"] if args.sets == "all" else SETS[args.sets]
    timed: list[str] = []
    for name, split, folder in chosen:
        title = f"{name} {split}" + (" (development data)" if (name, split) != ("v2", "heldout") else " (blind set; first run e616cb7 2026-12-04 22:47 UTC, every later run is a re-run)")
        for kind in ("defeat", "legit", "injection", "benign"):
            if not (DATA / folder / f"{kind}_{split}.jsonl").exists():
                continue
            items = load(folder, kind, split)
            texts = [r["text"] for r in items]
            if kind in ("defeat", "legit"):
                flags = {n: [f.withhold(t)[1] > 0 for t in texts] for n, f in defeat.items()}
                timed += [s for t in texts for s in _SENTENCE.split(t)][:60]
            else:
                flags = {n: [f(t) for t in texts] for n, f in screens.items()}
            report(title, kind, items, flags, args.misses and "BLIND" not in title)
    latency(defeat, timed[:200])


if __name__ == "__main__":
    main()
