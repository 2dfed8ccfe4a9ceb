"""Click commands for monitors: ``faultdesk monitor run|score|alerts`` and
``faultdesk eval monitors``. Thin: parse options, call the Python API, print.
"""

from __future__ import annotations

import json
import logging
import signal
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import click

from knowledge_base.errors import FaultdeskError
from knowledge_base.settings import get_settings

from monitors.factory import DEFAULT_DETECTOR, DETECTORS

DETECTOR_OPT = click.option("--detector", type=click.Choice(sorted(DETECTORS)),
                            default=DEFAULT_DETECTOR, show_default=True)
KB_OPT = click.option("--kb", type=click.Path(file_okay=False), default=None,
                      help="Knowledge-base folder (default: settings).")

CHANGES_OPT = click.option("--changes", type=click.Path(exists=True, dir_okay=False), default=None,
                           help="Operations log of declared changes (CSV or JSON: asset, time, kind = "
                                "setpoint / stop / start, optional signals, note): the signals concerned "
                                "re-baseline after settling instead of alerting.")


def _kb(kb: str | None) -> Path:
    return get_settings().with_kb(kb).kb


def _cols(text: str | None) -> list[str] | None:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _until(ctx, param, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time, e.g. 2024-03-14T20:00") from None
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).timestamp()


@click.group("monitor")
def monitor() -> None:
    """Watch sensor streams and raise alerts."""


@monitor.command("run")
@click.option("--source", required=True, help="csv:FILE or mqtt://HOST:PORT/TOPIC")
@KB_OPT
@DETECTOR_OPT
@click.option("--asset", default=None, help="Asset id when the CSV has no asset column.")
@click.option("--speed", default="max", show_default=True, help="CSV replay speed, e.g. 600x, or max.")
@click.option("--warmup", default=300, show_default=True, help="Readings per asset to calibrate the threshold.")
@click.option("--timestamp-col", default="timestamp", show_default=True)
@click.option("--value-cols", default=None, help="Comma-separated value columns (default: all).")
@click.option("--publish/--no-publish", default=None,
              help="Publish alerts to MQTT (default: on for mqtt sources).")
@click.option("--until", callback=_until, default=None,
              help="Stop at the first reading after this time (ISO 8601, UTC if no zone), e.g. a replay "
                   "stopped in the middle of a fault.")
@click.option("--partition", default=None, metavar="K/N",
              help="Worker K of N (mqtt sources): score only the assets hashed to partition K.")
@click.option("--stats-json", type=click.Path(dir_okay=False), default=None,
              help="Keep the run's counts (readings per asset, skipped, alerts) in this JSON file, "
                   "rewritten whenever the worker has caught up and at the end.")
@CHANGES_OPT
def run_cmd(source, kb, detector, asset, speed, warmup, timestamp_col, value_cols, publish, until,
            partition, stats_json, changes) -> None:
    """Run until stopped (or the CSV ends); Ctrl-C or SIGTERM (a service manager's
    stop) saves detector state in the kb folder. MQTT connection events
    (connected, subscribed, lost) are logged."""
    from monitors.runner import run_monitor

    signal.signal(signal.SIGTERM, _interrupt)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    logging.getLogger("monitors.mqtt").setLevel(logging.INFO)
    settings = get_settings().with_kb(kb)
    try:
        stats, state = run_monitor(settings, source, detector, asset=asset, speed=speed,
                                   warmup=warmup, timestamp_col=timestamp_col,
                                   value_cols=_cols(value_cols), publish=publish, until=until,
                                   partition=partition, stats_json=stats_json, changes=changes)
    except FaultdeskError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{stats.readings} readings, {stats.skipped} skipped, {stats.alerts} alerts; state saved to {state}")


@monitor.command("score")
@click.argument("input_csv", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@DETECTOR_OPT
@click.option("--timestamp-col", default="timestamp", show_default=True)
@click.option("--value-cols", default="value", show_default=True, help="Comma-separated value columns.")
@KB_OPT
def score_cmd(input_csv, out, detector, timestamp_col, value_cols, kb) -> None:
    """Write INPUT rows plus ``anomaly_score`` in [0, 1], in order (labels unused).
    Rows that cannot be parsed keep an empty score."""
    from monitors.runner import score_csv

    try:
        n, skipped = score_csv(input_csv, out, detector, timestamp_col, _cols(value_cols))
    except FaultdeskError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"scored {n} rows ({skipped} skipped) -> {out}")


@monitor.command("alerts")
@click.option("--asset", default=None)
@click.option("--active", is_flag=True, help="Only open alerts.")
@click.option("--json", "as_json", is_flag=True)
@KB_OPT
def alerts_cmd(asset, active, as_json, kb) -> None:
    """List alerts, newest first."""
    from assistant.service import Service
    from monitors.types import iso

    try:
        alerts = Service(get_settings().with_kb(kb), create=False).alerts(asset, active, exact=True)
    except FaultdeskError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        click.echo(json.dumps([a.to_dict() for a in alerts], indent=1))
        return
    for a in alerts:
        state = "open" if a.active else f"closed {iso(a.closed)}"
        click.echo(f"{a.id}  {a.asset}  {a.severity:7s}  score {a.score:.3f}  {iso(a.started)}  "
                   f"{state}  top: {', '.join(a.top_signals)}")
    if not alerts:
        click.echo("no alerts")


@click.command("monitors")
@click.option("--labels", required=True, type=click.Path(exists=True, dir_okay=False),
              help="NAB label windows JSON.")
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@DETECTOR_OPT
@click.option("--threshold", type=float, default=None,
              help="Score this fixed threshold instead of tuning it on the data (NAB's way).")
@click.option("--warmup", default=300, show_default=True, help="Alert filter calibration readings.")
@click.option("--timestamp-col", default="timestamp", show_default=True)
@click.option("--value-cols", default=None, help="Comma-separated value columns (default: all).")
@click.option("--json", "as_json", is_flag=True)
@CHANGES_OPT
@KB_OPT
def eval_monitors(labels, data, detector, threshold, warmup, timestamp_col, value_cols, as_json, changes,
                  kb) -> None:
    """NAB scores (all profiles) and alert precision / recall / F1 / delay on labelled DATA.

    A DATA file with an ``anomaly_score`` column is scored as is; otherwise
    DETECTOR scores it. Unless --threshold is given the NAB threshold is tuned
    on DATA itself, as NAB does."""
    from monitors.runner import evaluate

    try:
        report = evaluate(labels, data, detector, threshold, warmup, timestamp_col, _cols(value_cols),
                          changes=changes)
    except FaultdeskError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        click.echo(json.dumps(report, indent=1, default=lambda o: asdict(o)))
        return
    for line in report["lines"]:
        click.echo(line)
