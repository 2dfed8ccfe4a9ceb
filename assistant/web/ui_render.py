"""How the Gradio UI shows the Service's results: Markdown text, table rows
and small matplotlib figures. Pure functions of the result objects; no
Gradio import, so they are tested without a browser.

Text from the knowledge base or the model is shown as text: ``<`` and ``&``
are escaped before Gradio's Markdown sees it, so a document that contains
``<script>`` or ``<img onerror=...>`` shows those characters instead of
creating elements (Gradio's own HTML sanitiser stays on as a second layer).

>>> as_text("<img src=x onerror=alert(1)> & more")
'&lt;img src=x onerror=alert(1)> &amp; more'
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from assistant.alerts.analyst import when
from assistant.answer.types import Answer, Citation

PLOT_SIGNALS = 3  # signals drawn per alert: the top contributors
GAP_STEPS = 3  # a step this many times the typical one is missing readings, not a trend
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$])")


def as_text(s: str) -> str:
    """``s`` with the two characters that start HTML markup escaped."""
    return s.replace("&", "&amp;").replace("<", "&lt;")


def where(c: Citation) -> str:
    """``cp80s_pump.pdf p.6`` (file name, and page for paged documents)."""
    name = Path(c.source).name
    return f"{name} p.{c.page}" if c.page else name


BACKEND_WORDS = {"extractive": "quoted from the manuals (no language model)",
                 "local": "written by the local language model from the manuals",
                 "openai": "written by the language model server from the manuals"}
_MARKER = re.compile(r"\[((?:A|W)?\d+)\]")


def source_anchor(n: str) -> str:
    """The element id of source card ``n`` (``src-1``, ``src-W1``)."""
    return f"src-{n}"


def linked(text: str, labels) -> str:
    """``text`` (already escaped) with each ``[n]`` of a cited source made a
    link to its source card (``#src-n``); the UI's script opens the card."""
    known = set(labels)
    return _MARKER.sub(lambda m: (f"[\\[{m.group(1)}\\]](#{source_anchor(m.group(1))})"
                                  if m.group(1) in known else m.group(0)), text)


def status_line(answer: Answer) -> str:
    """The quiet line under an answer: who wrote it, and how long it took."""
    who = BACKEND_WORDS.get(answer.backend, f"answered by {answer.backend}")
    ms = answer.timings.get("retrieve_ms", 0) + answer.timings.get("generate_ms", 0)
    took = f" · {ms / 1000:.1f} s" if ms else ""
    return f"<sub class='answer-status'>{as_text(who)}{took}</sub>"


def answer_markdown(answer: Answer) -> str:
    """The final answer: its text with each [n] linked to its source card,
    notices, a line naming the cited files (each a link too), and a quiet
    status line naming the backend."""
    labels = [c.n for c in answer.citations]
    parts = [linked(as_text(answer.answer), labels)]
    parts += [f"*{as_text(n)}*" for n in answer.notices]
    if answer.citations:
        cited = " · ".join(f"[\\[{c.n}\\] {verbatim(where(c))}](#{source_anchor(c.n)})" for c in answer.citations)
        parts.append(f"<sub>Sources: {cited}</sub>")
    parts.append(status_line(answer))
    return "\n\n".join(parts)


def citation_heading(c: Citation) -> str:
    """``[1] cp80s_pump.pdf p.6 · 4 Fault codes > 4.2 Fault-code table``, plain
    text (for a label, which Gradio shows as text)."""
    section = f" · {c.section}" if c.section else ""
    return f"[{c.n}] {where(c)}{section}"


def verbatim(s: str) -> str:
    r"""Markdown that shows ``s`` exactly: markup escaped as :func:`as_text`
    does, and every character Markdown would read as formatting escaped with
    a backslash (a cited passage is read word for word: ``__init__`` or
    ``1. Lock out`` stay as written). Show it with line breaks on.

    >>> print(verbatim("1. Set __x__ to <5> $$"))
    1\. Set \_\_x\_\_ to &lt;5\> \$\$
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", as_text(s))


def citation_markdown(c: Citation) -> str:
    """The cited passage, verbatim."""
    return verbatim(c.text)


def alert_markdown(alert, units=None) -> str:
    """One alert's card text: severity, asset, since when (UTC), how long,
    the signals that moved by readable name and unit, and how far over its
    alert level the anomaly score is."""
    from assistant.answer.signals import signal_label

    minutes = max(0, round((alert.updated - alert.started) / 60))
    lasted = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
    signals = "  \n".join(f"· {as_text(signal_label(s, units))}" for s in (alert.top_signals or alert.signals))
    level = f" (alert level {alert.threshold:.2f})" if alert.threshold is not None else ""
    return (f"**{alert.severity.upper()} · {as_text(alert.asset)}**  \n"
            f"since {when(alert.started)} ({lasted})  \n"
            f"Signals that moved:  \n{signals}  \n"
            f"<sub>anomaly score {alert.score:.2f}{level}</sub>")


def alert_figure(alert, units=None):
    """Small multiples of the alert's top signals over the readings before and
    during the alert; the alert's span is shaded. A matplotlib Figure (not
    pyplot's global state, so concurrent sessions do not share figures)."""
    from matplotlib.figure import Figure

    from assistant.answer.signals import signal_label

    # lead, the thinned trail since the alert opened, and the recent window
    # (they may overlap): without the trail the plot had a gap of hours
    readings = sorted({**dict(alert.lead), **dict(alert.trail), **dict(alert.window)}.items())
    names = [s for s in (alert.top_signals or alert.signals)
             if any(s in v for _, v in readings)][:PLOT_SIGNALS]
    trail = sorted(t for t, _ in alert.trail)  # thinned: its spacing is the step that is not a gap
    spacing = (sorted(b - a for a, b in zip(trail, trail[1:]))[len(trail) // 2 - 1] / 3600
               if len(trail) > 2 else None)
    fig = Figure(figsize=(3.0, 0.2 + 0.7 * max(1, len(names))), dpi=100)
    axes = fig.subplots(max(1, len(names)), 1, sharex=True, squeeze=False)[:, 0]
    for ax, name in zip(axes, names):
        points = [((t - alert.started) / 3600, v[name]) for t, v in readings if name in v]
        hours, values = _broken_at_gaps(points, spacing)
        ax.plot(hours, values, lw=1, color="#1f5f99")
        ax.axvspan(0, (alert.updated - alert.started) / 3600, color="#e8590c", alpha=0.15, lw=0)
        ax.set_title(signal_label(name, units), fontsize=7, loc="left", pad=2)
        ax.tick_params(labelsize=6, length=2)
    axes[-1].set_xlabel("hours from alert start", fontsize=6, labelpad=1)
    fig.tight_layout(pad=0.3, h_pad=0.2)
    return fig


def _broken_at_gaps(points: list[tuple[float, float]],
                    spacing: float | None = None) -> tuple[list[float], list[float]]:
    """x and y lists with a NaN where readings are missing (a step over
    :data:`GAP_STEPS` times the typical one, or than ``spacing``, the step of
    the alert's thinned trail, when given), so the line is not drawn across a
    real gap but is drawn through the thinned readings of the alert's span.

    >>> _broken_at_gaps([(0, 1.0), (1, 2.0), (2, 3.0), (9, 4.0)])
    ([0, 1, 2, nan, 9], [1.0, 2.0, 3.0, nan, 4.0])
    >>> _broken_at_gaps([(0, 1.0), (1, 2.0), (2, 3.0), (9, 4.0)], spacing=7)
    ([0, 1, 2, 9], [1.0, 2.0, 3.0, 4.0])
    """
    steps = sorted(b[0] - a[0] for a, b in zip(points, points[1:]))
    typical = spacing if spacing else (steps[len(steps) // 2] if steps else 0.0)
    xs, ys = [], []
    for i, (x, y) in enumerate(points):
        if i and typical and x - points[i - 1][0] > GAP_STEPS * typical:
            xs.append(math.nan)
            ys.append(math.nan)
        xs.append(x)
        ys.append(y)
    return xs, ys


PAST_FAULT_COLUMNS = ["work order", "date", "asset", "code", "symptom", "cause", "action", "downtime h"]


def past_fault_rows(past, spellings=None) -> list[list]:
    """Rows of :data:`PAST_FAULT_COLUMNS` for :class:`assistant.alerts.history.PastFault` results
    (the code each is filed under as the statistics write it: ``signals.canonical_code``)."""
    from assistant.answer.signals import canonical_code

    return [[p.wo_id, (p.date or "")[:10], p.asset_id or "", canonical_code(p.fault_code or "", spellings or {}),
             p.symptom, p.cause, p.action, p.downtime_h] for p in past]


def stats_markdown(stats) -> str:
    """The headline figures of :class:`assistant.alerts.stats.FleetStats`."""
    mttr = " · ".join(f"{a} {h:.1f} h" for a, h in sorted(stats.mttr_h.items())) or "-"
    mtbf = " · ".join(f"{a} {h:.0f} h" for a, h in sorted(stats.mtbf_h.items())) or "-"
    return (f"**{stats.work_orders}** work orders, **{stats.failures}** failures (with a fault code)\n\n"
            f"**MTTR** (mean downtime of a failure): {mttr}\n\n"
            f"**MTBF** (mean time between an asset's failures): {mtbf}")


def count_rows(counts: dict[str, int], spellings=None) -> list[list]:
    """``{key: count}`` as rows, largest first (codes spelled as the manuals do
    when ``spellings`` is given)."""
    from assistant.answer.signals import spell

    sp = spellings or {}
    return [[spell(k, sp) if sp else k, n] for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def ingest_markdown(report) -> str:
    """One line per kind of outcome of an :class:`ingest.report.IngestReport`."""
    failed = len(report.failed)
    head = (f"**{report.added}** added, **{report.updated}** updated, **{report.unchanged}** unchanged"
            f"{f', **{failed}** failed' if failed else ''} · {report.chunks} chunks written in "
            f"{report.seconds:.1f} s")
    notes = [without_paths(n) for n in report.notes]
    notes = [_DUPLICATE.sub(r"\1 is already in the knowledge base (same content as \2): stored once", n)
             for n in notes]
    if report.unchanged and not (report.added or report.updated):
        notes.insert(0, f"{'This file is' if report.unchanged == 1 else 'These files are'} already in the "
                        "knowledge base with the same content: nothing was changed.")
    return "\n\n".join([head, *(f"*{as_text(n)}*" for n in notes)])


_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.\- ]+){2,}[\\/]([\w.\-]+)")
_DUPLICATE = re.compile(r"^([\w.\- ]+): same content as ([^ ]+)(?: \([^)]*\))?: stored once, not twice")


def without_paths(text: str) -> str:
    """``text`` with server paths shown as their file names.

    >>> without_paths("/srv/kb/uploads/pump.pdf: same content as manuals/p.pdf (/srv/docs/manuals/p.pdf)")
    'pump.pdf: same content as manuals/p.pdf (p.pdf)'
    """
    return _PATH.sub(lambda m: m.group(1), text)
