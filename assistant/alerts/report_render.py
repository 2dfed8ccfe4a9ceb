"""Rendering a :class:`~assistant.alerts.report.Report` as Markdown, HTML or PDF.

The report is first laid out as a list of blocks (heading, paragraph,
table, image, quote, pre-formatted lines); each format renders the same
blocks, so the three never disagree. Every file is self-contained: the
plot is embedded (a data URI in Markdown and HTML). Document and model text
is escaped in Markdown, HTML and PDF: nothing from a manual or a model becomes markup.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.errors import ConfigError

from assistant.answer import safety
from assistant.answer.alert_answer import plain_alert
from assistant.answer.signals import canonical_code, signal_label
from .analyst import when
from .report import Report


@dataclass(frozen=True)
class Block:
    kind: str  # h1 | h2 | p | table | image | quote | pre
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()  # table: header row first
    data: bytes = b""  # image: PNG


def _where(source: str, page: int | None) -> str:
    name = Path(source).name
    return f"{name} p.{page}" if page else name


def layout(r: Report) -> list[Block]:
    """The report's blocks, in reading order."""
    a, ctx, units = r.alert, r.context, dict(r.units)
    b = [Block("h1", f"Fault analysis: {a.asset}, alert {a.id}"),
         Block("p", f"Generated {r.generated} by faultdesk ({r.answer.backend} backend) in {r.seconds:.1f} s. "
                    f"Equipment model: {ctx.equipment_model or 'unknown'}."),
         Block("h2", "Recommended first action"), Block("p", r.first_action),
         Block("h2", "What the monitor saw"), Block("p", plain_alert(ctx, units)),
         Block("image", "Top signals around the alert, and the detector score with its threshold", data=r.plot_png)]
    dev = a.deviations()
    if dev:
        b.append(Block("table", rows=(("signal", "change vs. before the alert (std. dev.)"),
                                      *((signal_label(s, units), f"{dev[s]:+.1f}")
                                        for s in sorted(dev, key=lambda s: -abs(dev[s]))))))
    b.append(Block("h2", "Likely failure modes"))
    if ctx.candidates:
        b.append(Block("table", rows=(("failure mode", "fault codes", "match", "why"),
                                      *((c.mode.failure_mode, ", ".join(c.mode.fault_codes), f"{c.score:.2f}",
                                         c.why) for c in ctx.candidates))))
    else:
        b.append(Block("p", f"The FMEA table has no failure mode for this pattern on "
                            f"{ctx.equipment_model or 'this model'}."))
    # the answer's own safety quotes are the report's "Safety" section, with file and page
    b += [Block("h2", "Analysis"), Block("pre", r.answer.answer.split(f"\n\n{safety.HEADING}:")[0])]
    if r.procedure is not None:
        p = r.procedure
        title = p.section[-1] if p.section else "Procedure"
        b += [Block("h2", f"Procedure: {title} ({_where(p.source, p.page)})"), Block("pre", p.text.strip())]
    if r.warnings:
        b.append(Block("h2", safety.HEADING))
        b += [Block("quote", f"{' '.join(w.text.split())} ({_where(w.source, w.page)})") for w in r.warnings]
    if len(ctx.procedures) > 1:
        b.append(Block("p", "Other relevant procedures: " + "; ".join(
            f"{p.title} ({_where(p.source, p.chunk.page)})" for p in ctx.procedures[1:]) + "."))
    b.append(Block("h2", "Similar past faults"))
    if r.past:  # each under the code it is filed under, as the statistics write it ("E108" as E-108)
        spellings = dict(r.spellings)
        b.append(Block("table", rows=(("work order", "date", "asset", "code", "cause", "action", "downtime h"),
                                      *((p.wo_id, (p.date or "")[:10], p.asset_id or "",
                                         canonical_code(p.fault_code or "", spellings),
                                         p.cause, p.action, "" if p.downtime_h is None else f"{p.downtime_h:g}")
                                        for p in r.past))))
        mttr = f"{r.mttr_h:g} h" if r.mttr_h is not None else "not recorded"
        b.append(Block("p", f"Mean time to repair of these {len(r.past)} work orders: {mttr}."))
    else:
        b.append(Block("p", "No similar past work orders were found."))
    b.append(Block("h2", "Sources"))
    b += [Block("p", f"[{c.n}] {_where(c.source, c.page)}" + (f", {c.section}" if c.section else ""))
          for c in r.answer.citations]
    b.append(Block("p", f"Alert first seen {when(a.started)}; last update {when(a.updated)}."))
    return b


# Characters that make inline markup anywhere: backslash, code, emphasis, links and images
# (an image needs "[", so "!" alone is text), strikethrough, table pipes; "_" only at a
# word's edge ("shaft_alignment" stays, "_x_" and "___" do not become markup).
_MD_INLINE = re.compile(r"[\\`*\[\]~|]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# What opens a block at a line's start: a quote; a heading or list marker (not before a
# digit: "-1.5", "+2.3" and "#1" open nothing); an ordered-list number followed by a space.
_MD_LINE_START = re.compile(r"^(?:>|[#+-](?!\d)|\d{1,9}(?=[.)](?:\s|$)))")


def md_text(s: str, cell: bool = False) -> str:
    r"""Document or model text as Markdown that shows it as written and creates
    nothing, escaping only what would be markup where it stands: one line;
    ``&`` and ``<`` as entities (no HTML), link, image, code, emphasis,
    strikethrough and table characters backslash-escaped, and a leading quote,
    heading or list marker escaped. In a table ``cell`` (inline content only:
    no block opens there) the line-start markers are left as they are.

    >>> print(md_text("# Fit ![x](http://e.example/t.png) <script>|"))
    \# Fit !\[x\](http://e.example/t.png) &lt;script>\|
    >>> print(md_text("5.2 Checking shaft_alignment at 1.25 mm"), md_text("1. Isolate"), md_text("- x"))
    5.2 Checking shaft_alignment at 1.25 mm 1\. Isolate \- x
    >>> print(md_text("1.25", cell=True), md_text("+2.3", cell=True), md_text("# a | _b_", cell=True))
    1.25 +2.3 # a \| \_b\_
    """
    s = " ".join(str(s).split()).replace("&", "&amp;").replace("<", "&lt;")
    s = _MD_INLINE.sub(lambda m: "\\" + m[0], s)
    if cell:
        return s
    return _MD_LINE_START.sub(lambda m: "\\" + m[0] if not m[0].isdigit() else m[0] + "\\", s, count=1)


def to_markdown(r: Report) -> str:
    """The report as Markdown; every text is :func:`md_text` (pre-formatted text is fenced)."""
    out = []
    for x in layout(r):
        if x.kind == "h1":
            out.append(f"# {md_text(x.text)}")
        elif x.kind == "h2":
            out.append(f"## {md_text(x.text)}")
        elif x.kind == "p":
            out.append(md_text(x.text))
        elif x.kind == "quote":
            out.append(f"> {md_text(x.text)}")
        elif x.kind == "pre":
            out.append("```\n" + x.text.replace("```", "'''") + "\n```")
        elif x.kind == "image":
            out.append(f"![{md_text(x.text)}](data:image/png;base64,{base64.b64encode(x.data).decode()})")
        elif x.kind == "table":
            cells = [" | ".join(md_text(c, cell=True) for c in row) for row in x.rows]
            out.append("\n".join([f"| {cells[0]} |", "|" + "---|" * len(x.rows[0]), *(f"| {c} |" for c in cells[1:])]))
    return "\n\n".join(out) + "\n"


_CSS = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.2em .5em;"
        "font-size:.9em;text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f5f5f5;"
        "padding:.6em}blockquote{border-left:4px solid #c33;margin:.5em 0;padding:.2em .8em;background:#fff4f4}"
        "img{max-width:100%}")


def to_html(r: Report) -> str:
    e = html.escape
    blocks = layout(r)
    out = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(blocks[0].text)}</title>"
           f"<style>{_CSS}</style></head><body>"]
    for x in blocks:
        if x.kind in ("h1", "h2", "p"):
            out.append(f"<{x.kind}>{e(x.text)}</{x.kind}>")
        elif x.kind == "quote":
            out.append(f"<blockquote>{e(x.text)}</blockquote>")
        elif x.kind == "pre":
            out.append(f"<pre>{e(x.text)}</pre>")
        elif x.kind == "image":
            out.append(f"<img alt='{e(x.text)}' src='data:image/png;base64,{base64.b64encode(x.data).decode()}'>")
        elif x.kind == "table":
            head, *rows = x.rows
            out.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"
                       + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
                       + "</table>")
    return "".join(out) + "</body></html>\n"


def to_pdf(r: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, Preformatted, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    e = html.escape  # reportlab paragraphs read a small markup language
    story = []
    width = A4[0] - 4 * cm
    for x in layout(r):
        if x.kind == "h1":
            story.append(Paragraph(e(x.text), styles["Title"]))
        elif x.kind == "h2":
            story.append(Paragraph(e(x.text), styles["Heading2"]))
        elif x.kind == "p":
            story.append(Paragraph(e(x.text), styles["BodyText"]))
        elif x.kind == "quote":
            story.append(Paragraph(f"<b>{e(x.text)}</b>", styles["BodyText"]))
        elif x.kind == "pre":
            story.append(Preformatted(x.text, styles["Code"], maxLineLength=95))
        elif x.kind == "image":
            img = Image(io.BytesIO(x.data))
            scale = width / img.drawWidth
            img.drawWidth, img.drawHeight = width, img.drawHeight * scale
            story.append(img)
        elif x.kind == "table":
            cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
            t = Table([[Paragraph(e(str(c)), cell) for c in row] for row in x.rows], repeatRows=1)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(t)
        story.append(Spacer(1, 4))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                      title=f"Fault analysis {r.alert.id}").build(story)
    return buf.getvalue()


def render(r: Report, fmt: str) -> bytes:
    """The report as ``md``, ``html`` or ``pdf`` bytes."""
    if fmt == "md":
        return to_markdown(r).encode()
    if fmt == "html":
        return to_html(r).encode()
    if fmt == "pdf":
        return to_pdf(r)
    raise ConfigError(f"unknown report format {fmt!r}; choose md, html or pdf")
