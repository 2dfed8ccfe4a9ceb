"""The ``faultdesk`` command: a root click group that mounts each package's
commands. It holds no logic; every command calls the Python API."""

from __future__ import annotations

import json

import click

from knowledge_base.errors import FaultdeskError
from knowledge_base.settings import get_settings

from assistant.factory import LLM_KINDS
from assistant.service import Service


@click.group()
@click.version_option(package_name="faultdesk")
def main() -> None:
    """faultdesk: equipment fault handling from manuals, fault logs and sensor streams."""
    try:
        get_settings()  # a bad FAULTDESK_* value: one line naming it, before any command runs
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc


@main.group("kb")
def kb_group() -> None:
    """Inspect, move and re-embed the knowledge base."""


@kb_group.command("stats")
@click.option("--kb", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True)
def kb_stats(kb, as_json) -> None:
    """Counts of files, chunks and work orders."""
    try:
        stats = Service(get_settings().with_kb(kb), create=False).store.stats()
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(stats) if as_json else "  ".join(f"{k}={v}" for k, v in stats.items()))


@kb_group.command("check")
@click.option("--kb", type=click.Path(file_okay=False))
@click.option("--repair", is_flag=True, help="Rebuild the keyword index from SQLite first.")
def kb_check(kb, repair) -> None:
    """Verify that SQLite, the keyword index and the vector store agree."""
    try:
        store = Service(get_settings().with_kb(kb), create=False).store
        if repair:
            click.echo(f"keyword index rebuilt from SQLite: {store.repair_keywords()} chunks")
        problems = store.check()
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    for p in problems:
        click.echo(p)
    if problems:
        raise click.ClickException(f"{len(problems)} inconsistencies")
    click.echo("ok")


@main.command("doctor")
@click.option("--kb", type=click.Path(file_okay=False))
@click.option("--llm", type=click.Choice(LLM_KINDS),
              help="Answer backend to check (default $FAULTDESK_LLM or local).")
@click.option("--json", "as_json", is_flag=True, help="One JSON list of checks instead of the table.")
def doctor_command(kb, llm, as_json) -> None:
    """Check Python, disk, the knowledge base, the embedder, the model (one token, in its
    worker process), the llama.cpp build's CPU flags, mosquitto and chromium; exit 1 on a
    failure, with the fix named."""
    from .doctor import as_json as checks_json
    from .doctor import render_table, run_checks

    checks = run_checks(get_settings().with_kb(kb), llm)
    click.echo(json.dumps(checks_json(checks)) if as_json else render_table(checks))
    if any(c.status == "fail" for c in checks):
        raise SystemExit(1)


@main.group("eval")
def eval_group() -> None:
    """Evaluate retrieval, answers and monitors."""


def _mount() -> None:
    from assistant.cli.ingest import ingest_command

    from .ask import ask_command, search_command

    main.add_command(ingest_command)
    main.add_command(search_command)
    main.add_command(ask_command)
    from .history import history_command, stats_command
    from .report import report_command

    main.add_command(report_command)

    main.add_command(history_command)
    main.add_command(stats_command)
    from assistant.cli.monitor import eval_monitors, monitor

    main.add_command(monitor)
    eval_group.add_command(eval_monitors, "monitors")
    from .evaluate import COMMANDS as EVAL_COMMANDS

    for name, command in EVAL_COMMANDS.items():
        eval_group.add_command(command, name)
    from .kb import COMMANDS as KB_COMMANDS

    for name, command in KB_COMMANDS.items():
        kb_group.add_command(command, name)
    from .feedback import feedback_group
    from .serve import serve_command, token_group

    main.add_command(serve_command)
    main.add_command(token_group)
    main.add_command(feedback_group)


_mount()

if __name__ == "__main__":
    main()
