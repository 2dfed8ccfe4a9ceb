"""``faultdesk eval answers`` on a conversation set (:mod:`assistant.evaluation.answer_eval`):
the backend's answers and a plain baseline's, scored in the same run."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone

import click

from knowledge_base.errors import FaultdeskError

from assistant.evaluation import answer_eval as ae
from assistant.service import Service


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=False).stdout.strip() or "?"
    except OSError:
        return "?"


def _line(r: ae.Graded) -> None:
    flag = "pass" if r.passed else ("HIJACKED/STALE " + "; ".join(r.unwanted) if not r.clean else "")
    miss = f"missing: {'; '.join(r.missing)}" if r.missing else ""
    click.echo(f"  {r.id} {r.category:18} {r.backend:10} {flag} {miss}".rstrip(), err=True)


def _table(name: str, s: dict) -> list[str]:
    out = [f"{name}"]
    for cat, t in s.items():
        out.append(f"  {cat:20} n={t['n']:3d}  pass {t['passed']:3d}  complete {t['complete']:3d}  "
                   f"clean {t['clean']:3d}")
    return out


def conversation_eval(settings, gold_path: str, llm: str | None, limit: int | None, as_json: bool,
                      baseline: str, split: str) -> None:
    """Run, print (or ``--json``) the figures per category and split."""
    try:
        items = ae.load_items(gold_path)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    items = [i for i in items if split == "all" or ae.split_of(i.id) == split][:limit]
    try:
        assistant = Service(settings, llm).assistant
        if hasattr(assistant.llm, "wait_ready") and not assistant.llm.wait_ready(settings.llm_load_s):
            click.echo(f"note: the model worker is not ready ({assistant.llm.status().state}); "
                       "answers come from the manuals meanwhile", err=True)
        runs = {"faultdesk": ae.run(assistant.ask, items, None if as_json else _line)}
        if baseline == "top-chunk":
            runs["baseline top-chunk"] = ae.run(ae.top_chunk_answer(assistant.retriever), items,
                                                None if as_json else _line)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    report = {"gold": gold_path, "kb": str(settings.kb), "llm": llm or settings.llm, "split": split,
              "date": stamp, "commit": _commit(), "notices": list(assistant.notices)}
    for name, rows in runs.items():
        report[name] = {"all": ae.summary(rows),
                        **{s: ae.summary([r for r in rows if ae.split_of(r.id) == s]) for s in ("dev", "test")},
                        "answered_by": {b: sum(r.backend == b for r in rows) for b in sorted({r.backend for r in rows})}}
    if as_json:
        report["rows"] = {name: [{"id": r.id, "passed": r.passed, "complete": r.complete, "clean": r.clean,
                                  "missing": r.missing, "unwanted": r.unwanted, "backend": r.backend}
                                 for r in rows] for name, rows in runs.items()}
        click.echo(json.dumps(report))
        return
    click.echo(f"gold: {gold_path} ({len(items)} conversations, split {split})  kb: {settings.kb}\n"
               f"llm: {report['llm']}  date: {stamp}  commit: {report['commit']}\n"
               "pass = every must_include phrase (complete) and no must_not_include phrase (clean)")
    for n in assistant.notices:
        click.echo(f"note: {n}")
    for name in runs:
        r = report[name]
        click.echo(f"\n{name}  answered by: " + ", ".join(f"{b} {n}" for b, n in r["answered_by"].items()))
        for part in ("all", "dev", "test"):
            if split in ("all", part) or part == "all":
                click.echo("\n".join(_table(f" {part} (dev = odd ids, test = even ids)" if part != "all" else " all",
                                            r[part])))
