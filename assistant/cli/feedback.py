"""``faultdesk feedback export``: the engineers' ratings as gold questions
(:func:`assistant.evaluation.feedback.to_gold`)."""

from __future__ import annotations

import json

import click

from knowledge_base.errors import FaultdeskError
from knowledge_base.settings import get_settings

from assistant.service import Service


@click.group("feedback")
def feedback_group() -> None:
    """Ratings of answers given in the UI, the API and the widget."""


@feedback_group.command("export")
@click.option("--kb", type=click.Path(file_okay=False))
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="JSONL file (default stdout).")
def feedback_export(kb, out) -> None:
    """Write rated answers as gold questions (the format of
    knowledge_base/samples/gold/questions.jsonl): confirmed citations become the
    expected passages, a correction the expected answer phrase."""
    try:
        gold = Service(get_settings().with_kb(kb)).feedback_gold()
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    text = "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold)
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
        click.echo(f"{len(gold)} gold questions written to {out}", err=True)
    else:
        click.echo(text, nl=False)
