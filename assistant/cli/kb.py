"""``faultdesk kb export | import | reembed``: thin click front ends over
``knowledge_base.portable`` and ``knowledge_base.reembed``."""

from __future__ import annotations

import json
import sys

import click

from knowledge_base.embedder import EMBEDDERS
from knowledge_base.errors import FaultdeskError
from knowledge_base.portable import export_kb, import_kb
from knowledge_base.settings import get_settings

from assistant.service import Service

KB_OPTION = click.option("--kb", type=click.Path(file_okay=False),
                         help="Knowledge-base folder (default $FAULTDESK_KB or ./.faultdesk/kb).")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print one JSON summary.")


def _interrupted(message: str) -> None:
    click.echo(f"interrupted: {message}; run again to resume", err=True)
    sys.exit(130)


@click.command("export")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Archive to write (a tar).")
@KB_OPTION
@JSON_OPTION
def export_command(out, kb, as_json) -> None:
    """Write the knowledge base (index, vectors, embedding model) to one archive."""
    try:
        report = export_kb(Service(get_settings().with_kb(kb)).store, out)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(report.as_json()) if as_json else
               f"exported {report.files} files, {report.chunks} chunks ({report.embedder}) "
               f"to {report.path} in {report.seconds:.1f} s")


@click.command("import")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@KB_OPTION
@JSON_OPTION
def import_command(archive, kb, as_json) -> None:
    """Load an archive into the knowledge base (embedded, or the Chroma server
    of FAULTDESK_CHROMA_URL). Re-running resumes an interrupted import."""
    try:
        report = import_kb(Service(get_settings().with_kb(kb)).store, archive)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        _interrupted("every file is imported whole or not at all")
    click.echo(json.dumps(report.as_json()) if as_json else
               f"imported {report.written} files ({report.skipped} already there), {report.chunks} chunks "
               f"({report.embedder}) from {report.path} in {report.seconds:.1f} s")


@click.command("reembed")
@click.option("--embedder", "name", type=click.Choice(sorted(EMBEDDERS)),
              help="Embedding model to switch to (default $FAULTDESK_EMBEDDER).")
@KB_OPTION
@JSON_OPTION
def reembed_command(name, kb, as_json) -> None:
    """Re-embed every chunk with another embedding model into a fresh vector
    collection, then switch to it. Resumable; run it while no ingest runs."""
    settings = get_settings().with_kb(kb)
    name = name or settings.embedder
    bar = None
    try:
        service = Service(settings)
        if not as_json and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=service.store.stats()["chunks"], unit="chunk", desc="re-embedding", file=sys.stderr)
        report = service.reembed(name, bar.update if bar else None)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        _interrupted("the knowledge base still uses its previous model")
    finally:
        if bar:
            bar.close()
    if as_json:
        click.echo(json.dumps(report.as_json()))
        return
    click.echo(f"{report.chunks} chunks now embedded with {report.model} ({report.dim} dims), "
               f"was {report.old_model}: {report.embedded} embedded, {report.kept} kept from an "
               f"interrupted run, {report.seconds:.1f} s")
    if name != settings.embedder:
        click.echo(f"note: set FAULTDESK_EMBEDDER={name} for searches and ingests", err=True)


COMMANDS = {"export": export_command, "import": import_command, "reembed": reembed_command}
