"""``faultdesk report``: a thin click front end over :meth:`Service.report`."""

from __future__ import annotations

import click

from knowledge_base.errors import FaultdeskError
from knowledge_base.settings import get_settings

from assistant.factory import LLM_KINDS
from assistant.alerts.report import FORMATS
from assistant.service import REPORTS, Service


@click.command("report")
@click.argument("alert_id")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="File to write (default <kb>/reports/alert-ALERT_ID.FORMAT).")
@click.option("--kb", type=click.Path(file_okay=False))
@click.option("--llm", type=click.Choice(LLM_KINDS), help="Answer backend (default $FAULTDESK_LLM or local).")
def report_command(alert_id, fmt, out, kb, llm) -> None:
    """Write the fault analysis report of one monitor alert: what the monitor
    saw (plot), likely failure modes, the manual's procedure and safety steps,
    similar past faults with their repair times, and a first action."""
    service = Service(get_settings().with_kb(kb), llm)
    try:
        path = service.save_report(alert_id, fmt, out)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        where = exc.filename or out or service.settings.kb / REPORTS
        raise click.ClickException(f"{where}: cannot write the report: {exc.strerror or exc}") from exc
    click.echo(f"wrote {path}")
