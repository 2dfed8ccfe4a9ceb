"""The blind answer-quality set (``knowledge_base/samples/gold/answers18.jsonl``)
through this tree and through another version of faultdesk (default: the
commit before issue 18's answer work, "main's behaviour"), in the same run,
on the same sample documents, with the same conversation replay and grading
(``assistant/evaluation/answer_eval.py``, loaded by file path so it needs nothing else
of this tree), plus the plain "top chunk only" baseline.

    PYTHONPATH=. .venv/bin/python benchmarks/answers18.py --kb KB [--base-commit 87f3d15] [--llm extractive]
        [--split all|dev|test] [--no-base]

Both versions answer from a sample KB that each builds with its own code (an
older version cannot read a newer KB): ``--kb`` is built or brought up to date
for this tree, with the P-3, AC-1 and CV-2 streams replayed into their faults
(the set assumes their alerts: see its README). Prints pass / complete / clean per category and per
split (dev = odd ids, tuned on; test = even ids, untouched), with date and
commits.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "knowledge_base" / "samples" / "gold" / "answers18.jsonl"
EVAL = ROOT / "assistant" / "evaluation" / "answer_eval.py"

# Runs inside the tree under test: that tree's assistant, this tree's harness.
CHILD = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("answer_eval_harness", sys.argv[1])
ae = importlib.util.module_from_spec(spec); sys.modules[spec.name] = ae; spec.loader.exec_module(ae)
from knowledge_base.settings import get_settings
from assistant.factory import build_assistant
assistant = build_assistant(get_settings().with_kb(sys.argv[3]), sys.argv[4])
items = [i for i in ae.load_items(sys.argv[2]) if sys.argv[6] in ("all", ae.split_of(i.id))]
runs = {"faultdesk": ae.run(assistant.ask, items)}
if sys.argv[5] == "1":
    runs["top-chunk"] = ae.run(ae.top_chunk_answer(assistant.retriever), items)
print(json.dumps({k: [[r.id, r.category, r.passed, r.complete, r.clean] for r in rows] for k, rows in runs.items()}))
"""


def _commit(ref: str = "HEAD") -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", ref], capture_output=True,
                          text=True, check=True).stdout.strip()


# The streams the set assumes live alerts on (its README), replayed into their faults.
REPLAYS = (("pump_P-3.csv", "2024-03-15T00:00"), ("compressor_AC-1.csv", "2024-03-12T23:00"),
           ("conveyor_CV-2.csv", "2024-03-14T01:00"))


def _env(tree: Path) -> dict:
    return {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": str(Path.home())}


def build_kb(tree: Path, kb: Path) -> None:
    """The sample KB with the replayed alerts, built (or brought up to date) by
    ``tree``'s own code: an older version cannot read a knowledge base written
    by a newer one. Ingest is idempotent and a replay skips readings it has seen."""
    cli = [sys.executable, "-m", "assistant.cli"]
    samples = tree / "knowledge_base" / "samples"
    steps = [[*cli, "ingest", str(samples), "--kb", str(kb)]]
    steps += [[*cli, "monitor", "run", "--kb", str(kb), "--source", f"csv:{samples / 'streams' / name}",
               "--until", until] for name, until in REPLAYS]
    for step in steps:
        subprocess.run(step, cwd=tree, env=_env(tree) | {"FAULTDESK_EMBEDDER": "minilm"},
                       capture_output=True, text=True, check=True)


def _run(tree: Path, kb: str, llm: str, baseline: bool, split: str = "all") -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(EVAL), str(GOLD), kb, llm, "1" if baseline else "0",
                          split],
                         cwd=tree, env=_env(tree),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _table(name: str, rows: list) -> None:
    cats = ["all", *sorted({r[1] for r in rows})]
    print(f"\n{name}")
    print(f"  {'category':20} {'all pass':>9} {'dev pass':>9} {'test pass':>10} {'complete':>9} {'clean':>6}")
    for c in cats:
        rs = [r for r in rows if c == "all" or r[1] == c]
        dev = [r for r in rs if int(r[0].split("-")[-1]) % 2]
        test = [r for r in rs if not int(r[0].split("-")[-1]) % 2]
        print(f"  {c:20} {sum(r[2] for r in rs):4d}/{len(rs):<4d} {sum(r[2] for r in dev):4d}/{len(dev):<4d} "
              f"{sum(r[2] for r in test):5d}/{len(test):<4d} {sum(r[3] for r in rs):4d}/{len(rs):<4d} "
              f"{sum(r[4] for r in rs):3d}/{len(rs)}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kb", required=True)
    p.add_argument("--base-commit", default="87f3d15", help="the version to compare with (main before issue 18)")
    p.add_argument("--llm", default="extractive")
    p.add_argument("--split", choices=("all", "dev", "test"), default="all",
                   help="only these conversations (a slow model: the untouched test half)")
    p.add_argument("--no-base", action="store_true",
                   help="skip the base version (this tree and the top-chunk baseline only)")
    args = p.parse_args()
    args.kb = str(Path(args.kb).resolve())  # both trees run in their own folder
    build_kb(ROOT, Path(args.kb))  # idempotent: unchanged files and replayed readings are skipped
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    before = None
    if not args.no_base:
        with tempfile.TemporaryDirectory(prefix="faultdesk-base-") as base:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base_commit], capture_output=True,
                                     check=True).stdout
            subprocess.run(["tar", "-x", "-C", base], input=archive, check=True)
            build_kb(Path(base), Path(base) / "kb")
            before = _run(Path(base), str(Path(base) / "kb"), args.llm, baseline=False, split=args.split)
    now = _run(ROOT, args.kb, args.llm, baseline=True, split=args.split)
    print(f"answers18: {GOLD.name} (60 conversations, blind; run: {args.split})  kb: {args.kb}  llm: {args.llm}\n"
          f"date: {stamp}  this tree: {_commit()} (uncommitted changes not shown)  base: {_commit(args.base_commit)}\n"
          "pass = every must_include phrase and no must_not_include phrase; dev = odd ids (tuned on), "
          "test = even ids (untouched)")
    _table(f"faultdesk at {_commit()}", now["faultdesk"])
    if before is not None:
        _table(f"main's behaviour (faultdesk at {_commit(args.base_commit)})", before["faultdesk"])
    _table("plain baseline: the top retrieved chunk only", now["top-chunk"])


if __name__ == "__main__":
    main()
