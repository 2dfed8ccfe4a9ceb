"""``faultdesk ingest``: a thin click front end over :meth:`assistant.service.Service.ingest`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from knowledge_base.errors import FaultdeskError
from knowledge_base.settings import get_settings

from ingest.loaders import load_mapping_file, suggest_mapping
from ingest.progress import TqdmProgress


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--kb", type=click.Path(file_okay=False), help="Knowledge-base folder (default $FAULTDESK_KB or ./.faultdesk/kb).")
@click.option("--asset-model", help="Equipment model of these documents (else detected from the title page).")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), help="JSON/YAML column mapping for fault-log exports.")
@click.option("--prune", is_flag=True, help="Remove files that disappeared under the given folders.")
@click.option("--suggest-mapping", "suggest", type=click.Path(exists=True, dir_okay=False),
              help="Only propose a column mapping for this export (confidence per field, unmapped columns) "
                   "and write it where --mapping-out says; nothing is ingested.")
@click.option("--mapping-out", type=click.Path(dir_okay=False),
              help="Where --suggest-mapping writes the mapping file (default: <export name>.mapping.yaml "
                   "in the current folder; '-' writes none).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary, no progress bars.")
def ingest_command(paths, kb, asset_model, mapping, prune, suggest, mapping_out, as_json) -> None:
    """Ingest manuals (PDF, Markdown, text, HTML, DOCX) and fault logs (CSV, JSON, XLSX).

    Re-running is idempotent: unchanged files are skipped, edited files are
    replaced. Exit code 1 when any file failed (the others are ingested).
    """
    if suggest:
        _suggest(suggest, mapping, mapping_out, as_json)
        return
    if not paths:
        raise click.UsageError("give the files or folders to ingest (or --suggest-mapping FILE)")
    settings = get_settings().with_kb(kb)
    from assistant.service import Service

    try:
        column_mapping = load_mapping_file(mapping) if mapping else None
        show = not as_json and sys.stderr.isatty()
        report = Service(settings).ingest(paths, prune=prune, progress=TqdmProgress() if show else None,
                                          asset_model=asset_model, column_mapping=column_mapping)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        click.echo("interrupted: every file is stored whole or not at all; run again to resume", err=True)
        sys.exit(130)
    if as_json:
        click.echo(json.dumps(report.as_json()))
    else:
        for f in report.failed:
            click.echo(f"error: {f.error}", err=True)
        for n in report.notes:
            click.echo(f"note: {n}", err=True)
        click.echo(f"{report.files_seen} files: {report.added} added, {report.updated} updated, "
                   f"{report.unchanged} unchanged, {report.removed} removed, {len(report.failed)} failed; "
                   f"{report.chunks} chunks written ({report.embedded} embedded) in {report.seconds:.1f} s")
    if report.failed:
        sys.exit(1)


def _suggest(path: str, mapping: str | None, out: str | None, as_json: bool) -> None:
    """Print the proposed mapping of one export and write it as a mapping file."""
    try:
        suggestion = suggest_mapping(path, load_mapping_file(mapping) if mapping else None)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    target = None if out == "-" else Path(out or f"{Path(path).stem}.mapping.yaml")
    if target is not None:
        try:
            target.write_text(suggestion.mapping_file(), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"{target}: cannot write the mapping file: {exc.strerror or exc}") from exc
    if as_json:
        click.echo(json.dumps(suggestion.as_json() | {"mapping_file": str(target) if target else None}))
        return
    click.echo(suggestion.as_text())
    if target is not None:
        click.echo(f"Mapping written to {target}: check it, edit any line, then run "
                   f"`faultdesk ingest {path} --mapping {target}`")
