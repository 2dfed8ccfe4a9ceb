"""``faultdesk search`` and ``faultdesk ask``: thin click front ends over
:meth:`assistant.service.Service.search` and :meth:`~assistant.service.Service.stream`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from knowledge_base.errors import FaultdeskError
from knowledge_base.retrieval import MODES
from knowledge_base.settings import get_settings

from assistant.factory import LLM_KINDS
from assistant.service import Service
from assistant.answer.types import Done, Token


@click.command("search")
@click.argument("query")
@click.option("--kb", type=click.Path(file_okay=False))
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 200))
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True)
@click.option("--asset", help="Prefer the manuals of this asset's equipment model.")
@click.option("--model", "equipment_model", help="Only chunks of this equipment model.")
@click.option("--doc-type", type=click.Choice(["manual", "fault_log"]))
@click.option("--asset-id", help="Only chunks of this asset (work orders).")
@click.option("--source", type=click.Path(), help="Only chunks of this ingested file.")
@click.option("--json", "as_json", is_flag=True)
def search_command(query, kb, k, mode, asset, equipment_model, doc_type, asset_id, source, as_json) -> None:
    """Hybrid search of the knowledge base (fault-code lane + BM25 + dense)."""
    pairs = (("equipment_model", equipment_model), ("doc_type", doc_type), ("asset_id", asset_id),
             ("source", str(Path(source).resolve()) if source else None))
    filters = {key: v for key, v in pairs if v}
    try:
        res = Service(get_settings().with_kb(kb), create=False).search(query, k, mode, asset, filters)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps([h.as_json(i) for i, h in enumerate(res.hits, 1)]))
        return
    for i, h in enumerate(res.hits, 1):
        c = h.chunk
        where = Path(c.source).name + (f" p.{c.page}" if c.page else "")
        click.echo(f"{i:2d}. [{h.score:.4f}] {where}  {' > '.join(c.section)}")
        click.echo("    " + " ".join(c.text.split())[:160])


@click.command("ask")
@click.argument("question")
@click.option("--kb", type=click.Path(file_okay=False))
@click.option("--asset", help="Scope the question to this asset (e.g. P-3).")
@click.option("--llm", type=click.Choice(LLM_KINDS), help="Answer backend (default $FAULTDESK_LLM or local).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of streaming text.")
def ask_command(question, kb, asset, llm, as_json) -> None:
    """Answer a troubleshooting question with citations to file and page."""
    service = None
    try:
        service = Service(get_settings().with_kb(kb), llm, create=False)
        answer, streamed = None, []
        for event in service.stream(question, asset):
            if isinstance(event, Token) and not as_json:
                streamed.append(event.text)
                click.echo(event.text, nl=False)
                sys.stdout.flush()
            elif isinstance(event, Done):
                answer = event.answer
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:  # stop the model worker process, if one was started
        if service is not None:
            service.close()
    if as_json:
        click.echo(json.dumps(answer.as_json()))
        return
    click.echo()
    if " ".join(answer.answer.split()) != " ".join("".join(streamed).split()):
        # streamed tokens are provisional; show what survived the grounding check
        click.echo("\n--- checked against the sources ---")
        click.echo(answer.answer)
    for n in answer.notices:
        click.echo(f"note: {n}", err=True)
    for c in answer.citations:
        where = Path(c.source).name + (f", page {c.page}" if c.page else "")
        click.echo(f"[{c.n}] {where}" + (f" - {c.section}" if c.section else ""))
