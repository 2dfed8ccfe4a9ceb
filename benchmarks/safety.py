"""Safety filter and injection screen on the blind set, old vs new, same run.

The set (tests/data/safety_eval/, README there) was written by a helper who
never saw either filter: advice to defeat a safety device (must be withheld),
legitimate maintenance sentences (must pass), prompt-injection passages (must
be screened out) and benign manual passages (must pass), each split into a dev
half (used for tuning) and a held-out half (run once at the end).

Filters compared on every item:

* ``old``: the filter and screen before issue 12 (frozen copies,
  ``benchmarks/baseline_unsafe.py`` and ``benchmarks/baseline_injection.py``);
* ``rules``: the new rule filter on folded text (``assistant.defeat_rules``);
* ``rules+minilm``: the rules plus the MiniLM similarity check, as the
  assistant runs it with ``settings.defeat_semantic`` on (default off;
  ``--no-semantic`` skips it here).

A defeat item counts as caught when :func:`withhold` removes at least one of
its sentences; a legit item passes when none is removed. Run:

    PYTHONPATH=. .venv/bin/python benchmarks/safety.py [--split dev|heldout|both] [--misses]

``--misses`` lists the dev items each new filter gets wrong (never held-out ones).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from assistant.unsafe import DefeatFilter
from benchmarks import baseline_injection, baseline_unsafe
from knowledge_base import injection

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "safety_eval"
KINDS = {"defeat": True, "legit": False, "injection": True, "benign": False}  # kind -> should be flagged


def load(kind: str, split: str) -> list[dict]:
    """Items of ``kind_split.jsonl`` with ``group`` (technique) and ``lang`` added."""
    rows = [json.loads(line) for line in (DATA / f"{kind}_{split}.jsonl").read_text(encoding="utf-8").splitlines() if line]
    for r in rows:
        group = r["category"].split("/")[0]
        r["group"], r["lang"] = group, group[5:] if group.startswith("lang-") else "en"
    return rows


def defeat_filters(semantic: bool) -> dict:
    """name -> function(list of texts) -> list of flags."""
    out = {"old": lambda ts: [baseline_unsafe.withhold(t)[1] > 0 for t in ts],
           "rules": lambda ts: [DefeatFilter().withhold(t)[1] > 0 for t in ts]}
    if semantic:
        from assistant.defeat_semantic import SemanticCheck
        from knowledge_base.embedder import MiniLMEmbedder

        full = DefeatFilter(SemanticCheck(MiniLMEmbedder()))
        full.withhold("Warm the model up with one sentence about the interlock.")
        out["rules+minilm"] = lambda ts: [full.withhold(t)[1] > 0 for t in ts]
    return out


def screens() -> dict:
    return {"old": lambda ts: [baseline_injection.screen(t) is not None for t in ts],
            "new": lambda ts: [injection.screen(t) is not None for t in ts]}


def run(items: list[dict], filters: dict) -> tuple[dict, dict]:
    """(name -> flags, name -> items per second)."""
    flags, speed = {}, {}
    texts = [r["text"] for r in items]
    for name, f in filters.items():
        t0 = time.perf_counter()
        flags[name] = f(texts)
        speed[name] = len(texts) / max(time.perf_counter() - t0, 1e-9)
    return flags, speed


def _pct(rows: list[dict], flags: list[bool], want: bool) -> str:
    ok = sum(f == want for f in flags)
    return f"{100 * ok / len(rows):5.1f}% ({ok}/{len(rows)})" if rows else "-"


def report(split: str, kind: str, items: list[dict], flags: dict, speed: dict, misses: bool) -> None:
    want = KINDS[kind]
    verb = "caught" if want else "passed"
    names = list(flags)
    print(f"\n## {split}: {kind} {verb} ({len(items)} items)")
    print(f"{'':22}" + "".join(f"{n:>22}" for n in names))
    print(f"{'all':22}" + "".join(f"{_pct(items, flags[n], want):>22}" for n in names))
    for key in ("lang", "group"):
        groups = defaultdict(list)
        for i, r in enumerate(items):
            groups[r[key]].append(i)
        for g in sorted(groups, key=lambda g: (g != "en", g)):
            idx = groups[g]
            label = f"{key}={g}"
            print(f"{label:22}" + "".join(f"{_pct([items[i] for i in idx], [flags[n][i] for i in idx], want):>22}"
                                           for n in names))
    print(f"{'items/s':22}" + "".join(f"{speed[n]:>22.0f}" for n in names))
    if misses and split == "dev":
        for n in names[1:]:
            for r, f in zip(items, flags[n]):
                if f != want:
                    print(f"  MISS[{n}] {r['id']} {r['category']}: {r['text']}")


def chunk_speed() -> None:
    """The injection screen on 900-character chunks of the sample manuals (what
    ingest and every retrieved passage pay), old vs new."""
    root = Path(__file__).resolve().parent.parent / "knowledge_base" / "samples" / "src"
    chunks = [t[i:i + 900] for p in sorted(root.glob("*.md")) for t in [p.read_text(encoding="utf-8")]
              for i in range(0, len(t), 900)]
    _, speed = run([{"text": c} for c in chunks], screens())
    print(f"\n## injection screen on {len(chunks)} sample-manual chunks of 900 characters")
    print("chunks/s " + "  ".join(f"{n}: {v:.0f}" for n, v in speed.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("dev", "heldout", "both"), default="both")
    ap.add_argument("--no-semantic", action="store_true", help="skip the MiniLM check (no model load)")
    ap.add_argument("--misses", action="store_true", help="list the dev items the new filters get wrong")
    args = ap.parse_args()
    defeat, screen = defeat_filters(not args.no_semantic), screens()
    for split in (("dev", "heldout") if args.split == "both" else (args.split,)):
        for kind in KINDS:
            items = load(kind, split)
            flags, speed = run(items, defeat if kind in ("defeat", "legit") else screen)
            report(split, kind, items, flags, speed, args.misses)
    chunk_speed()


if __name__ == "__main__":
    main()
