"""Fault analysis report for one monitor alert.

:func:`build_report` gathers everything an engineer needs about an alert
into one frozen :class:`Report`:

* what the monitor saw: the alert, and a plot of its top signals around the
  alert with the detector score and threshold (:mod:`assistant.alerts.report_plot`);
* the likely failure modes from the FMEA table, and why;
* the assistant's answer about the alert (local model, server or
  extractive), with its citations;
* the manual's procedure, whole, and its safety warnings verbatim, cited to
  file and page;
* similar past work orders, how they were fixed, and their mean time to
  repair;
* a recommended first action: the first check of the most likely code's
  fault-table row, else the procedure's first step.

Text quoted from documents goes through the assistant's defeat filter
(``unsafe``) like an answer: a procedure step that advises defeating a safety
device is replaced by :data:`STEP_WITHHELD` (the step stays numbered, so no
step is silently dropped), and such a remedy is never the first action.

:mod:`assistant.alerts.report_render` writes it as Markdown, HTML or PDF.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from knowledge_base.types import Chunk

from assistant.answer import safety
from .analyst import AlertContext
from assistant.answer.core import Assistant
from assistant.answer.extractive import row_fields
from .history import PastFault
from .report_plot import plot_alert
from assistant.answer.types import Answer, Done
from assistant.safety_filter.unsafe import RULES, DefeatFilter

FORMATS = ("md", "html", "pdf")
_STEP = re.compile(r"^\s*\d{1,2}[.)]\s+(.*)")
STEP_WITHHELD = "[step withheld: it advises defeating a safety device; ask the manufacturer]"


def safe_procedure(chunk: Chunk | None, check: DefeatFilter = RULES) -> Chunk | None:
    """``chunk`` with each line that advises defeating a safety device replaced
    by :data:`STEP_WITHHELD` (its step number kept).

    >>> from knowledge_base.types import Chunk
    >>> safe_procedure(Chunk("p", "1. Stop the pump.\\n2. Place a magnet on the door switch.", "m.md")).text
    '1. Stop the pump.\\n2. [step withheld: it advises defeating a safety device; ask the manufacturer]'
    """
    if chunk is None:
        return None
    lines = chunk.text.split("\n")
    flags = check.unsafe_all(lines)
    if not any(flags):
        return chunk
    out = [(ln[: len(ln) - len(m.group(1))] if (m := _STEP.match(ln)) else "") + STEP_WITHHELD if bad else ln
           for ln, bad in zip(lines, flags)]
    return replace(chunk, text="\n".join(out))


@dataclass(frozen=True)
class Report:
    alert: object  # monitors.types.Alert
    context: AlertContext
    answer: Answer
    plot_png: bytes
    procedure: Chunk | None
    warnings: tuple[Chunk, ...]
    past: tuple[PastFault, ...]
    mttr_h: float | None  # mean downtime of the similar past faults that record one
    first_action: str
    generated: str  # ISO 8601, UTC
    seconds: float  # time taken to build
    units: tuple[tuple[str, str], ...] = ()  # (signal tag, unit) from the manuals, for readable signal names
    spellings: tuple[tuple[str, str], ...] = ()  # (code key, the manuals' spelling): codes as statistics write them


def mean_downtime(past: tuple[PastFault, ...]) -> float | None:
    """Mean ``downtime_h`` of the past faults that record one.

    >>> from assistant.alerts.history import PastFault
    >>> p = lambda h: PastFault("W", "P-1", None, None, "", "", "", h, 1.0, "x")
    >>> mean_downtime((p(2.0), p(None), p(5.0))), mean_downtime(())
    (3.5, None)
    """
    hours = [p.downtime_h for p in past if p.downtime_h is not None]
    return round(sum(hours) / len(hours), 2) if hours else None


def first_action(ctx: AlertContext, procedure: Chunk | None, check: DefeatFilter = RULES) -> str:
    """The fault-table row's first check for the most likely code, else the
    procedure's first step, else a generic instruction; never a remedy or
    step that advises defeating a safety device."""
    for row in ctx.rows[:1]:
        remedy = row_fields(row.text).get("remedy", "")
        if remedy and not check.unsafe(re.split(r";\s*", remedy)[0]):
            first = re.split(r";\s*", remedy)[0].rstrip(".")
            code = row_fields(row.text).get("code", "")
            return f"{first} ({code}, first check in the fault table)."
    if procedure is not None:
        for line in procedure.text.splitlines():
            if (m := _STEP.match(line)) and STEP_WITHHELD not in line:
                title = procedure.section[-1] if procedure.section else "the procedure"
                return f"{m.group(1).rstrip('.')} (first step of {title})."
    return "Inspect the asset against the alert's top signals; no matching fault-table entry was found."


def build_report(assistant: Assistant, alert, k_past: int = 5) -> Report:
    """Everything about ``alert`` (see the module docstring)."""
    t0 = time.perf_counter()
    ctx = assistant.analyse(alert, k_past=k_past)  # once: the answer uses the same analysis
    answer = None
    for event in assistant.stream_alert(alert, context=ctx):
        if isinstance(event, Done):
            answer = event.answer
    if answer is None:  # pragma: no cover - stream_alert always ends with Done
        raise RuntimeError(f"alert {alert.id}: the answer stream ended without a result")
    procedure = safe_procedure(ctx.procedures[0].chunk if ctx.procedures else None, assistant.defeat)
    used = [c for c in (*ctx.rows[:1], procedure) if c is not None]
    warnings = tuple(safety.warnings_for(assistant.index, used, limit=5))
    return Report(alert, ctx, answer, plot_alert(alert), procedure, warnings, ctx.past,
                  mean_downtime(ctx.past), first_action(ctx, procedure, assistant.defeat),
                  datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  round(time.perf_counter() - t0, 2), tuple(sorted(assistant.units.items())),
                  tuple(sorted(assistant.spellings.items())) if ctx.past else ())
