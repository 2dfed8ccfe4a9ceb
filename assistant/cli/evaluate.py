"""``faultdesk eval retrieval | answers | calibrate | alerts``: thin click front ends
over ``assistant.evaluation.evaluate``. Every report names the gold file it ran on."""

from __future__ import annotations

import json
from pathlib import Path

import click

from knowledge_base.errors import FaultdeskError
from knowledge_base.retrieval import MODES
from knowledge_base.settings import get_settings

from assistant.evaluation import evaluate as ev
from assistant.evaluation.answer_eval import is_conversation_set
from assistant.evaluation.reports import alert_report, retrieval_report
from assistant.factory import LLM_KINDS
from assistant.evaluation.gold import load_gold
from assistant.service import Service

_GOLD = click.option("--gold", "gold_path", required=True, type=click.Path(exists=True, dir_okay=False),
                     help="Gold questions (JSONL), e.g. knowledge_base/samples/gold/questions.jsonl.")
_KB = click.option("--kb", type=click.Path(file_okay=False))
_SET = click.option("--set", "doc_set", help="Only the questions of this documentation set (real-docs "
                    "question files, benchmarks/real_docs/questions_dev.jsonl), each set in its own --kb.")


def _load(gold_path: str, doc_set: str | None) -> list:
    gold = load_gold(gold_path)
    return [q for q in gold if q.set == doc_set] if doc_set else gold


def _fmt(x: float | None, pct: bool = False) -> str:
    return "  n/a" if x is None else (f"{100 * x:5.1f}%" if pct else f"{x:.3f}")


def _header(gold_path: str, gold: list, settings) -> str:
    oos = sum(1 for q in gold if not q.in_scope)
    return (f"gold: {gold_path} ({len(gold)} questions, {len(gold) - oos} in scope, {oos} out of scope)\n"
            f"kb: {settings.kb}  embedder: {settings.embedder}")


@click.command("retrieval")
@_GOLD
@_KB
@_SET
@click.option("--json", "as_json", is_flag=True)
def eval_retrieval(gold_path, kb, doc_set, as_json) -> None:
    """Recall@1/5/10, MRR and nDCG@10 per retrieval mode, recall@5 per category."""
    settings = get_settings().with_kb(kb)
    try:
        gold = _load(gold_path, doc_set)
        report = retrieval_report(Service(settings).retriever, gold, gold_path, str(settings.kb))
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    table, cats, counts, top3 = report.modes, report.recall5_by_category, report.category_n, report.code_top3
    if as_json:
        click.echo(json.dumps(report.as_json()))
        return
    click.echo(_header(gold_path, gold, settings) + "  (out-of-scope questions are not in these figures)")
    click.echo(f"\n{'mode':8} {'recall@1':>9} {'recall@5':>9} {'recall@10':>9} {'MRR':>7} {'nDCG@10':>8}")
    for m, t in table.items():
        click.echo(f"{m:8} {t['recall1']:9.3f} {t['recall5']:9.3f} {t['recall10']:9.3f} "
                   f"{t['mrr']:7.3f} {t['ndcg10']:8.3f}")
    click.echo(f"\nrecall@5 per category\n{'category':12} {'n':>3} " + " ".join(f"{m:>7}" for m in MODES))
    for c, per in cats.items():
        click.echo(f"{c:12} {counts[c]:3d} " + " ".join(f"{per[m]:7.3f}" for m in MODES))
    click.echo("\ncode_lookup: right chunk (expected page, carries the code) in the top 3")
    click.echo("  " + "   ".join(f"{m} {sum(v)}/{len(v)}" for m, v in top3.items()))


def _print_row(r: ev.AnswerRow) -> None:
    flag = "abstained" if r.abstained else f"cited {r.cited_relevant}/{r.cited}"
    click.echo(f"  {r.qid:6} {r.category:12} {flag:12} contains={r.contains} own={r.contains_own}  "
               f"first {r.timings['first_token_ms']:.0f} ms  total {r.timings['total_ms']:.0f} ms", err=True)


@click.command("answers")
@_GOLD
@_KB
@_SET
@click.option("--llm", type=click.Choice(LLM_KINDS), help="Answer backend (default $FAULTDESK_LLM or local).")
@click.option("--limit", type=click.IntRange(1), help="Only the first N questions.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--baseline", type=click.Choice(["top-chunk", "none"]), default="top-chunk", show_default=True,
              help="Conversation sets: also score this plain baseline in the same run.")
@click.option("--split", type=click.Choice(["all", "dev", "test"]), default="all", show_default=True,
              help="Conversation sets: only the dev (odd ids) or test (even ids) half.")
def eval_answers(gold_path, kb, doc_set, llm, limit, as_json, baseline, split) -> None:
    """Citation precision, answer-contains rate, abstention rates, latency.
    A conversation set (entries with must_include, e.g. answers18.jsonl) is
    scored for complete procedures, no hijacked or stale answer (answer_eval)."""
    settings = get_settings().with_kb(kb)
    if is_conversation_set(gold_path):
        from .eval_answers import conversation_eval

        conversation_eval(settings, gold_path, llm, limit, as_json, baseline, split)
        return
    try:
        gold = _load(gold_path, doc_set)[:limit]
        assistant = Service(settings, llm).assistant
        rows = ev.run_answers(assistant, gold, None if as_json else _print_row)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    m = ev.answer_metrics(rows)
    backends = {b: sum(1 for r in rows if r.backend == b) for b in sorted({r.backend for r in rows})}
    if as_json:
        click.echo(json.dumps({"gold": gold_path, "kb": str(settings.kb), "llm": llm or settings.llm,
                               "answered_by": backends, "notices": list(assistant.notices), **m}))
        return
    click.echo(_header(gold_path, gold, settings) + f"\nllm: {llm or settings.llm}  answered by: "
               + ", ".join(f"{b} {n}" for b, n in backends.items()))
    for n in assistant.notices:
        click.echo(f"note: {n}")
    click.echo(f"citation precision (in-scope answered): {_fmt(m['citation_precision'], True)}\n"
               f"answer contains expected phrases: {_fmt(m['contains_rate'], True)} of in-scope "
               f"({_fmt(m['contains_rate_answered'], True)} of those answered), quotes included\n"
               f"  in the answer's own sentences (without quoted passages and safety quotes): "
               f"{_fmt(m['contains_own_rate'], True)} of in-scope\n"
               f"abstained: out-of-scope {_fmt(m['abstain_oos'], True)}   "
               f"in-scope {_fmt(m['abstain_in_scope'], True)}")
    for name, lat in m["latency"].items():
        click.echo(f"{name:15} p50 {lat['p50']:8.0f}   p95 {lat['p95']:8.0f}   (n={lat['n']})")


@click.command("calibrate")
@_GOLD
@_KB
@click.option("--coverage-weight", type=float, help="Default: the abstain_coverage_weight setting.")
def eval_calibrate(gold_path, kb, coverage_weight) -> None:
    """Choose the abstention threshold on a development gold set (prints it, writes nothing)."""
    settings = get_settings().with_kb(kb)
    weight = settings.abstain_coverage_weight if coverage_weight is None else coverage_weight
    if "heldout" in Path(gold_path).name:
        click.echo("warning: calibrating on the held-out set spends it; use the development set", err=True)
    try:
        gold = load_gold(gold_path)
        evidence = ev.collect_evidence(Service(settings, "extractive").assistant, gold)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    best = ev.calibrate(evidence, weight)
    now = ev.rates(evidence, settings.abstain_threshold, weight)
    click.echo(_header(gold_path, gold, settings) + f"\ncoverage weight: {weight}")
    for label, c in (("current", now), ("chosen ", best)):
        click.echo(f"{label} threshold {c.threshold:.3f}: abstains on {_fmt(c.oos_abstained, True)} of "
                   f"{c.n_oos} out-of-scope, {_fmt(c.in_scope_abstained, True)} of {c.n_in_scope} in-scope")
    click.echo(f"any threshold above {best.tied[0]:.3f} and up to {best.tied[1]:.3f} scores as well "
               "(scores observed on this gold set)")
    click.echo(f"to use it: export FAULTDESK_ABSTAIN_THRESHOLD={best.threshold:.3f}"
               + (f" FAULTDESK_ABSTAIN_COVERAGE_WEIGHT={weight}"
                  if weight != settings.abstain_coverage_weight else "")
               + "  (or put it in .env); settings are not changed by this command")


@click.command("alerts")
@click.option("--scenarios", "paths", required=True, multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Alert scenarios (JSONL), e.g. knowledge_base/samples/gold/alert_scenarios.jsonl.")
@_KB
@click.option("-k", "k", default=3, show_default=True, type=click.IntRange(1, 20))
@click.option("--baseline-from", "baseline_path", type=click.Path(exists=True, dir_okay=False),
              help="Scenarios the fixed-guess baseline counts sections in (default: the first --scenarios file).")
@click.option("--json", "as_json", is_flag=True)
def eval_alerts(paths, kb, k, baseline_path, as_json) -> None:
    """Share of alert scenarios whose right procedure is in the top k found from
    the alert alone, beside a baseline that ignores the alert: per manual, the k
    sections most often expected in the baseline file."""
    from assistant.factory import build_analyst

    settings = get_settings().with_kb(kb)
    try:
        analyst = build_analyst(settings, Service(settings).retriever)
        report = alert_report(analyst, paths, k, baseline_path, str(settings.kb))
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    baseline_path, guess = report.baseline_from, report.guess
    summary = {p: f.as_json() for p, f in report.files.items()}
    if as_json:
        click.echo(json.dumps(report.as_json()))
        return
    click.echo(f"baseline: per manual the {k} sections most often expected in {baseline_path} "
               f"(ignores the alert): " + "; ".join(f"{src} {', '.join(g)}" for src, g in sorted(guess.items())))
    for p, s in summary.items():
        click.echo(f"scenarios: {p} ({s['n']})  kb: {settings.kb}")
        click.echo(f"  expected procedure in top {k}: {s['hits']}/{s['n']} = {_fmt(s['hit'], True)}   "
                   f"expected or acceptable: {_fmt(s['hit_or_acceptable'], True)}   "
                   f"fixed-guess baseline: {s['baseline_hits']}/{s['n']}"
                   + ("  (in-sample: the guess was counted on this file)" if p == baseline_path else ""))
        for m in s["misses"]:
            click.echo(f"  miss {m['id']}: expected {', '.join(m['expected'])}, got {', '.join(m['got']) or '-'}")


COMMANDS = {"retrieval": eval_retrieval, "answers": eval_answers, "calibrate": eval_calibrate,
            "alerts": eval_alerts}
