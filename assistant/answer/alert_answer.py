"""Live alerts as evidence in an answer.

When a question is about an asset that has active or recent alerts, each
alert becomes a numbered source ``[A1]`` whose text says what the monitor
saw and which failure modes the FMEA table suggests. The manual evidence
found from the alert alone follows (the fault-table row of the most likely
code, then its procedure), then the most similar past work orders ``[W1]``.

Whatever backend writes the answer, it opens with :func:`alert_facts` (the
alert, the likely failure modes and the first check, each cited), and
:func:`pointers` adds the procedure and the past fault when the text does
not cite them: an engineer asking about an alert always gets where to look.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from knowledge_base.index import SqliteIndex
from knowledge_base.types import PROCEDURE, TABLE_ROW, Chunk

from assistant.alerts.analyst import AlertContext, when
from .extractive import row_fields
from .signals import signal_label
from .types import Source

ALERT_KIND = "alert"


def failure_modes(ctx: AlertContext) -> str:
    """``drive-end bearing wear (E-104, E-105); shaft misalignment (E-104)``."""
    return "; ".join(f"{c.mode.failure_mode.lower()} ({', '.join(c.mode.fault_codes)})" for c in ctx.candidates)


def alert_chunk(ctx: AlertContext) -> Chunk:
    """An alert as a pseudo-chunk (source ``alerts/<id>``), so it can be
    numbered, cited and checked like any other evidence."""
    a = ctx.alert
    modes = failure_modes(ctx)
    text = f"Alert {a.id}: {plain_alert(ctx)}"
    if modes:
        text += f" Likely failure modes (FMEA): {modes}."
    return Chunk(id=f"alert:{a.id}", text=text, source=f"alerts/{a.id}", section=("Monitor alert",),
                 title=f"Monitor alert on {a.asset}", equipment_model=ctx.equipment_model,
                 doc_type=ALERT_KIND, kind=ALERT_KIND, asset_id=a.asset)


def alert_sources(contexts: Sequence[AlertContext], index: SqliteIndex, extra: Sequence[Chunk],
                  n_manual: int = 2, n_past: int = 1) -> list[Source]:
    """[A1].. for the alerts, [1].. for the manual evidence (fault rows, then
    procedures of the first alert, then ``extra`` chunks from the question's
    own retrieval), [W1].. for the past work orders."""
    from .prompt import compact

    out = [Source(f"A{i}", c, c.text) for i, c in enumerate((alert_chunk(x) for x in contexts), 1)]
    manual: list[Chunk] = []
    first = contexts[0]
    for c in [*first.rows[:1], *(p.chunk for p in first.procedures), *extra]:
        if c not in manual and len(manual) < n_manual + (1 if first.rows else 0):
            manual.append(c)
    out += [Source(str(i), c, compact(c)) for i, c in enumerate(manual, 1)]
    past_ids = list(dict.fromkeys(p.chunk_id for x in contexts for p in x.past if p.chunk_id))[:n_past]
    found = index.chunks(past_ids)
    out += [Source(f"W{i}", found[cid], compact(found[cid]))
            for i, cid in enumerate((c for c in past_ids if c in found), 1)]
    return out


def plain_alert(ctx: AlertContext, units: Mapping[str, str] | None = None) -> str:
    """The alert in an engineer's words: severity, since when (UTC), the
    signals that moved with readable names, units and latest values, and the
    anomaly score against its alarm level."""
    a = ctx.alert
    state = "active" if a.closed is None else f"closed {when(a.closed)}"
    latest = a.window[-1][1] if a.window else {}
    trends = ctx.pattern.trends if ctx.pattern is not None else {}
    moved = []
    for tag in a.top_signals or a.signals:
        value = f" now {latest[tag]:.3g}" if tag in latest else ""
        way = {"up": "rising", "down": "falling"}.get(trends.get(tag, ""), "unusual")
        moved.append(f"{signal_label(tag, units)} {way}{value}")
    level = f" (alert level {a.threshold:.2f})" if a.threshold is not None else ""
    return (f"{a.severity.upper()} on {a.asset} since {when(a.started)}, {state}: " + "; ".join(moved)
            + f". Anomaly score {a.score:.2f}{level}.")


def alert_facts(contexts: Sequence[AlertContext], sources: Sequence[Source],
                units: Mapping[str, str] | None = None) -> str:
    """The lines every alert answer opens with: what the monitor saw [A1]
    in plain words (:func:`plain_alert`), the likely failure modes, and the
    fault table's meaning and first check of the likely code [n]."""
    by_chunk = {s.chunk.id: s.label for s in sources}
    lines = []
    for ctx in contexts:
        label = by_chunk.get(f"alert:{ctx.alert.id}")
        if label is None:
            continue
        lines.append(f"Monitor alert: {plain_alert(ctx, units)} [{label}]")
        if ctx.candidates:
            lines.append(f"Likely failure modes: {failure_modes(ctx)}. [{label}]")
    for s in sources:
        if s.chunk.kind == TABLE_ROW:
            f = row_fields(s.chunk.text)
            code, remedy = f.get("code", ""), f.get("remedy", "")
            meaning = f.get("description", "")
            if code and remedy:
                said = f" ({meaning.rstrip('.')})" if meaning else ""
                lines.append(f"{code}{said}. First check: {remedy.rstrip('.')}. [{s.label}]")
            break
    return "\n".join(lines)


def pointers(text: str, sources: Sequence[Source]) -> str:
    """Lines naming the procedure and the past work order when ``text`` does
    not already cite them."""
    lines = []
    proc = next((s for s in sources if s.chunk.kind == PROCEDURE), None)
    if proc is not None and f"[{proc.label}]" not in text:
        title = proc.chunk.section[-1] if proc.chunk.section else "procedure"
        lines.append(f"Procedure to follow: {title} ({proc.where}). [{proc.label}]")
    wo = next((s for s in sources if s.label.startswith("W")), None)
    if wo is not None and f"[{wo.label}]" not in text:
        lines.append(f"Similar past fault: {' '.join(wo.chunk.text.split())} [{wo.label}]")
    return "\n".join(lines)
