"""Quality figures: every retrieval, answer and alert-scenario figure the README
quotes, re-derived through the real CLI on a freshly built sample knowledge
base (MiniLM), printed with the date and the git commit they come from.

1. ``faultdesk ingest knowledge_base/samples`` into a new KB (or ``--kb``):
   files, chunks, work orders, and work orders without an asset or a timestamp;
2. ``faultdesk eval retrieval`` on the development and held-out gold sets:
   recall@1/5/10, MRR, nDCG@10 per mode (hybrid against its bm25 and dense
   lanes as baselines), code questions with the right chunk in the top 3;
3. ``faultdesk eval answers`` with the extractive backend on both sets and
   with the local model (Qwen 0.5B) on the development set: expected phrases
   anywhere in the answer and in its own sentences (quotes left out),
   citation precision, abstention, latency, and who wrote the text shown;
4. ``faultdesk eval alerts`` on the three alert-scenario files beside the
   fixed-guess baseline (per manual, the 3 sections most often expected in
   ``alert_scenarios.jsonl``).

Each command is printed before its figures, so any line can be re-run alone.
The local model part takes several minutes on two cores (``--no-local`` skips
it, and says so in the output).

    .venv/bin/python benchmarks/quality.py [--kb DIR] [--no-local]
"""

from __future__ import annotations

import argparse
import json
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import FAULTDESK, ROOT  # noqa: E402

GOLD = ROOT / "knowledge_base" / "samples" / "gold"
SETS = {"development": GOLD / "questions.jsonl", "held-out": GOLD / "heldout.jsonl"}
SCENARIOS = ("alert_scenarios.jsonl", "alert_scenarios_heldout.jsonl", "alert_scenarios_final.jsonl")


def stamp() -> str:
    """Date, commit and whether the worktree differs from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()

    dirty = " + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"{now}, commit {git('rev-parse', '--short=10', 'HEAD') or 'unknown'}{dirty}"


def run(*args: str) -> str:
    cmd = [FAULTDESK, *args]
    shown = " ".join(shlex.quote(str(a).replace(str(ROOT) + "/", "")) for a in ["faultdesk", *args])
    print(f"\n$ {shown}", flush=True)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"{shown} failed ({res.returncode}): {res.stderr.strip()[-1500:]}")
    print(f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
    return res.stdout


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def kb_part(kb: Path) -> None:
    summary = json.loads(run("ingest", str(ROOT / "knowledge_base" / "samples"), "--kb", str(kb), "--json"))
    stats = json.loads(run("kb", "stats", "--kb", str(kb), "--json"))
    con = sqlite3.connect(f"file:{kb / 'index.sqlite'}?mode=ro", uri=True)
    try:
        bare = con.execute("SELECT COUNT(*) FROM work_orders WHERE COALESCE(asset_id, '') = '' "
                           "OR COALESCE(ts, '') = ''").fetchone()[0]
    finally:
        con.close()
    print(f"sample KB: {stats}; failed files {len(summary['failed'])}; "
          f"work orders without an asset or a timestamp: {bare}")


def retrieval_part(kb: Path) -> None:
    print("\nretrieval (out-of-scope questions left out; hybrid vs its own lanes as baselines)")
    header = ("| set | in scope | hybrid recall@5 | bm25 | dense | hybrid MRR | bm25 MRR "
              "| code qs: right chunk in top 3 (hybrid) |\n|---|---|---|---|---|---|---|---|")
    for name, path in SETS.items():
        out = json.loads(run("eval", "retrieval", "--gold", str(path), "--kb", str(kb), "--json"))
        m, top3 = out["modes"], out["code_lookup_top3"]
        n_code = out["category_n"].get("code_lookup", 0)
        hits = round((top3["hybrid"] or 0) * n_code)
        print(header)
        print(f"| {name} | {m['hybrid']['n']} | {m['hybrid']['recall5']:.3f} | {m['bm25']['recall5']:.3f} "
              f"| {m['dense']['recall5']:.3f} | {m['hybrid']['mrr']:.3f} | {m['bm25']['mrr']:.3f} "
              f"| {hits}/{n_code} |", flush=True)


def answers_part(kb: Path, local: bool) -> None:
    runs = [("development", "extractive"), ("held-out", "extractive")]
    if local:
        runs.append(("development", "local"))
    header = ("| set | backend | phrases anywhere | in its own sentences | citation precision | abstained OOS "
              "| abstained in-scope | text written by | first token / whole p50 |\n|---|---|---|---|---|---|---|---|---|")
    print("\nanswers (phrases: share of in-scope questions with phrases, an abstention a miss)")
    for name, llm in runs:
        out = json.loads(run("eval", "answers", "--gold", str(SETS[name]), "--kb", str(kb), "--llm", llm, "--json"))
        lat = out["latency"]
        print(header)
        print(f"| {name} | {llm} | {pct(out['contains_rate'])} | {pct(out['contains_own_rate'])} "
              f"| {pct(out['citation_precision'])} | {pct(out['abstain_oos'])} | {pct(out['abstain_in_scope'])} "
              f"| {', '.join(f'{b} {n}' for b, n in out['answered_by'].items())} "
              f"| {lat['first_token_ms']['p50'] / 1000:.2f} / {lat['total_ms']['p50'] / 1000:.2f} s |", flush=True)
    if not local:
        print("(local model not run: --no-local)")


def alerts_part(kb: Path) -> None:
    args = [a for n in SCENARIOS for a in ("--scenarios", str(GOLD / n))]
    out = json.loads(run("eval", "alerts", *args, "--kb", str(kb), "--json"))
    base = out["baseline"]
    print(f"\nalert -> expected procedure in the top {out['k']} (baseline: per manual the {out['k']} sections "
          f"most often expected in {Path(base['from']).name}, the same for every alert)")
    print("| scenarios | method | expected or acceptable | fixed-guess baseline |")
    print("|---|---|---|---|")
    total = [0, 0, 0]
    for path, s in out["files"].items():
        tag = " (baseline in-sample)" if path == base["from"] else ""
        print(f"| {Path(path).name}{tag} | {s['hits']}/{s['n']} = {pct(s['hit'])} | {pct(s['hit_or_acceptable'])} "
              f"| {s['baseline_hits']}/{s['n']} = {pct(s['baseline_hits'] / s['n'])} |")
        total = [total[0] + s["hits"], total[1] + s["baseline_hits"], total[2] + s["n"]]
    print(f"| all | {total[0]}/{total[2]} | | {total[1]}/{total[2]} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=Path, help="Build (or refresh) the sample KB here instead of a temporary folder.")
    ap.add_argument("--no-local", action="store_true", help="Skip the local-model answer run.")
    ap.add_argument("--parts", default="kb,retrieval,answers,alerts",
                    help="Comma-separated subset of kb,retrieval,answers,alerts (default: all; without kb, --kb "
                         "must name a built sample KB).")
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    if "kb" not in parts and args.kb is None:
        ap.error("--kb is needed when the kb part is not run")
    print(f"quality figures ({', '.join(sorted(parts))}), {stamp()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="faultdesk-quality-") as tmp:
        kb = args.kb or Path(tmp) / "kb"
        if "kb" in parts:
            kb_part(kb)
        if "retrieval" in parts:
            retrieval_part(kb)
        if "answers" in parts:
            answers_part(kb, not args.no_local)
        if "alerts" in parts:
            alerts_part(kb)
    print(f"\nquality figures done, {stamp()}")


if __name__ == "__main__":
    main()
