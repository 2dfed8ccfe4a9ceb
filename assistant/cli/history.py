"""``faultdesk history`` and ``faultdesk stats``: thin click front ends over
:meth:`assistant.service.Service.history` and :meth:`~assistant.service.Service.stats`."""

from __future__ import annotations

import json
from datetime import date

import click

from knowledge_base.errors import FaultdeskError
from knowledge_base.settings import get_settings

from assistant.service import Service
from assistant.alerts.stats import write_plots


@click.command("history")
@click.argument("query")
@click.option("--asset", help="The asset the question is about (e.g. P-3).")
@click.option("-k", "k", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--kb", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True)
def history_command(query, asset, k, kb, as_json) -> None:
    """Past work orders most like QUERY (a question or alert text): same
    fault code first, then same asset, then same model, then text similarity."""
    from assistant.answer.signals import canonical_code, spellings_of_index

    try:
        service = Service(get_settings().with_kb(kb))
        found = service.history(query, asset, k)
        spellings = spellings_of_index(service.store.index) if found and not as_json else {}
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:  # the records as stored (the log's own code spelling)
        click.echo(json.dumps([p.as_json() for p in found]))
        return
    if not found:
        click.echo("no similar past work orders")
    for i, p in enumerate(found, 1):  # each under the code it is filed under, as statistics write it
        down = f"{p.downtime_h:g} h" if p.downtime_h is not None else "? h"
        click.echo(f"{i:2d}. [{p.score:.3f}] {p.wo_id}  {p.asset_id or '-'}  {(p.date or '')[:10]}  "
                   f"{canonical_code(p.fault_code or '', spellings) or '-'}  down {down}")
        click.echo(f"    symptom: {p.symptom}\n    cause: {p.cause}\n    action: {p.action}")


def _since(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@click.command("stats")
@click.option("--asset", help="Only this asset's work orders.")
@click.option("--since", callback=_since, help="Only work orders on or after this date (YYYY-MM-DD).")
@click.option("--kb", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True)
@click.option("--plots", type=click.Path(file_okay=False), help="Also write PNG charts to this directory.")
def stats_command(asset, since, kb, as_json, plots) -> None:
    """Failure counts by code and asset, MTTR, MTBF and recurring faults."""
    from assistant.answer.signals import spellings_of_index

    try:
        service = Service(get_settings().with_kb(kb))
        stats = service.stats(asset, since)
        spellings = {} if as_json else spellings_of_index(service.store.index)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    written = []
    if plots:
        try:
            written = write_plots(stats, plots)
        except ImportError as exc:
            raise click.ClickException(f"--plots needs matplotlib: {exc}") from exc
    if as_json:
        click.echo(json.dumps({**stats.as_json(), "plots": [str(p) for p in written]}))
        return
    _print_tables(stats, spellings)
    for p in written:
        click.echo(f"wrote {p}")


def _print_tables(stats, spellings) -> None:
    """The figures as text tables, codes as the manuals write them (``signals.canonical_code``;
    ``--json`` keeps the normalised keys)."""
    from assistant.answer.signals import canonical_code

    click.echo(f"work orders: {stats.work_orders}   failures (with a fault code): {stats.failures}")
    click.echo("\nfailures by code")
    for code, n in stats.by_code.items():
        click.echo(f"  {canonical_code(code, spellings):<12}{n:>6}")
    click.echo("\nper asset        failures   MTTR h   MTBF h")
    for a in sorted(set(stats.by_asset) | set(stats.mttr_h)):
        mttr, mtbf = stats.mttr_h.get(a), stats.mtbf_h.get(a)
        click.echo(f"  {a:<14}{stats.by_asset.get(a, 0):>9}" + (f"{mttr:>9.2f}" if mttr is not None else f"{'-':>9}")
                   + (f"{mtbf:>9.1f}" if mtbf is not None else f"{'-':>9}"))
    click.echo("\ntop recurring (asset, code)")
    for a, c, n in stats.recurring:
        click.echo(f"  {a:<14}{canonical_code(c, spellings):<12}{n:>4}")
