"""The engineers' Gradio UI, served at ``/`` by ``faultdesk serve``.

Layout only: every event calls a :class:`.ui_handlers.Handlers` method, which
calls the one :class:`assistant.service.Service`. The sidebar holds the asset
selector and the live active-alerts panel; the tabs are the chat with its
sources panel, fault history and statistics, and adding documents.

It works offline: Gradio's analytics and update check are off (set before
gradio is imported), the theme uses fonts bundled with Gradio or the
system's, and no page asset comes from another host (the browser tests
block every other host and check).
"""

from __future__ import annotations

import os
from functools import partial

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # also disables Gradio's version check
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from assistant.alerts.report import FORMATS as REPORT_FORMATS  # noqa: E402
from assistant.service import REPORTS  # noqa: E402
from monitors.types import Alert  # noqa: E402

from . import ui_render as render  # noqa: E402
from .ui_handlers import ALL_ASSETS, Handlers  # noqa: E402
from .ui_js import JS  # noqa: E402

ALERT_REFRESH_S = 5
OPEN_SOURCES = 2  # citations shown unfolded; the rest are one click away
THEME = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
CSS = """
.alert-card { border-left: 5px solid #f08c00 !important; }
#conn-lost { margin: 4px 0; padding: 6px 10px; border-left: 4px solid #c92a2a; background: #fff5f5; color: #7d1a1a; }
.alert-card.alarm { border-left-color: #c92a2a !important; }
.alert-card .alert-card { border-left: none !important; }  /* gr.Group repeats its classes inside */
.llm-banner { background: #fff3bf; border-left: 5px solid #f08c00; padding: 6px 12px; }
.source-text { border-left: 3px solid #ced4da; padding-left: 8px; font-size: 0.92em; }
.source-card.flash { outline: 3px solid #f0a500; }
.answer-status { color: #6c757d; }
#chat { height: min(560px, calc(100vh - 230px)) !important; min-height: 260px; }
@media (max-width: 1279px) { #chat { height: min(560px, calc(100vh - 190px)) !important; } }
@media (max-width: 700px) { #sources { min-width: 0 !important; } .gradio-container { padding: 0 4px !important; } }
"""


def mount_ui(app, service, sessions):
    """Mount the UI at ``/`` of the FastAPI ``app`` (routes added before keep
    their paths); rendered pages are served from ``<kb>/cache``, reports from
    ``<kb>/reports`` (:meth:`Service.save_report <assistant.service.Service.save_report>`),
    uploads are limited to the ingestion's file size limit.

    ``sessions`` (:class:`.sessions.Sessions`) names the user of a request for
    Gradio (its ``auth_dependency``: no session, no access, on every Gradio
    route) and gives the handlers the session's scope.

    Gradio checks that a file named in an event's input was uploaded (and is
    not any file of the server) only when ``Blocks.has_launched`` is set, which
    only ``launch()`` does: a mounted Blocks skipped the check. It is set here
    so that Gradio's own check holds too (the gate of :mod:`.gate` checks the
    same first, per session)."""
    cache = service.settings.kb / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    blocks = build_ui(service, lambda request: _session(sessions, request))
    mounted = gr.mount_gradio_app(app, blocks, path="/", footer_links=[], run_history=False,
                                  allowed_paths=[str(cache), str(service.settings.kb / REPORTS)], theme=THEME, css=CSS, js=JS, ssr_mode=False,
                                  max_file_size=int(service.settings.max_file_mb * 2**20), mcp_server=False,
                                  show_error=False,  # only gr.Error texts reach the browser, no internals
                                  auth_dependency=lambda request: _user(sessions, request))
    blocks.has_launched = True
    return mounted


def _session(sessions, request):
    from .sessions import COOKIE

    return sessions.get(request.cookies.get(COOKIE)) if request is not None else None


def _user(sessions, request) -> str | None:
    session = _session(sessions, request)
    return session.name if session else None


def build_ui(service, session_of=lambda request: None) -> gr.Blocks:
    """The UI's Blocks over ``service`` (mount with :func:`mount_ui`);
    ``session_of(request)`` is the login session of a request, or None."""
    h = Handlers(service, session_of)
    with gr.Blocks(title="faultdesk", analytics_enabled=False, fill_width=True,
                   delete_cache=(3600, 86400)) as ui:
        turns = gr.State([])  # (Answer, asset) of this conversation
        ratings = gr.State({})  # turn index -> "up" / "down"
        fix_target = gr.State(None)  # turn the correction box applies to; None = latest
        cited = gr.State(())  # citations of the latest answer
        alerts = gr.State([])  # active alerts as shown (Alert.to_dict)
        asset = gr.Dropdown([("All assets", ALL_ASSETS)], value=ALL_ASSETS, label="Asset", render=False,
                            info="Scopes questions, history and statistics", elem_id="asset")
        banner = gr.Markdown(visible=False, elem_id="llm-banner", elem_classes="llm-banner")
        with gr.Tabs() as tabs:
            with gr.Tab("Troubleshoot", id="chat"):
                chat = _chat_tab(h, asset, turns, ratings, fix_target, cited)
            with gr.Tab("Fault history", id="history"):
                _history_tab(h, asset)
            with gr.Tab("Add documents", id="ingest"):
                _ingest_tab(h, asset)
        with gr.Sidebar(width=360, elem_id="sidebar"):
            gr.Markdown("## faultdesk\nEquipment fault assistant")
            asset.render()
            gr.Markdown("### Active alerts")
            report_format = gr.Radio(list(REPORT_FORMATS), value="pdf", label="Report format", render=False,
                                     interactive=True)  # its events are in gr.render: say so
            report_file = gr.File(label="Analysis report", visible=False, elem_id="report-file", render=False)

            @gr.render(inputs=alerts)
            def alert_cards(items):
                if not items:
                    gr.Markdown("No active alerts.")
                for a in items:
                    _alert_card(h, a, report_format, report_file, tabs, asset, chat)

            report_format.render()
            report_file.render()

        ui.load(h.asset_choices, outputs=asset)
        ui.load(partial(llm_banner, service), outputs=banner)
        gr.Timer(ALERT_REFRESH_S).tick(partial(llm_banner, service), outputs=banner, show_progress="hidden")
        ui.load(h.refresh_alerts, inputs=alerts, outputs=alerts)
        gr.Timer(ALERT_REFRESH_S).tick(h.refresh_alerts, inputs=alerts, outputs=alerts,
                                       show_progress="hidden")
    return ui


def llm_banner(service):
    """The banner over the tabs: hidden while the language model is ``ok``,
    else what is going on and that answers come from the manuals meanwhile."""
    status = service.llm_status()
    if status.state == "ok":
        return gr.update(visible=False, value="")
    text = {"starting": "The language model is loading; answers come from the manuals until it is ready.",
            "restarting": "The language model stopped and is restarting; answers come from the manuals.",
            "down": "The language model is down; answers come from the manuals."}[status.state]
    detail = f" ({status.detail})" if status.detail else ""
    return gr.update(visible=True, value=f"**{text}**{detail}")


def _chat_tab(h: Handlers, asset, turns, ratings, fix_target, cited) -> dict:
    with gr.Row(equal_height=False):
        with gr.Column(scale=1):
            chatbot = gr.Chatbot(label="Answers", height=560, buttons=["copy"], allow_tags=False,
                                 elem_id="chat", placeholder="Ask about a fault code, a symptom or an alert.")
            with gr.Row():
                question = gr.Textbox(
                    show_label=False, scale=5, elem_id="question",
                    placeholder="e.g. Pump P-3 shows E-104 and rattles, what do I check first?")
                send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
            fresh = gr.Button("New conversation", size="sm", elem_id="new-conversation")
            with gr.Accordion("Correct an answer", open=False, elem_id="correction-box") as fix_box:
                fix_label = gr.Markdown(h.correction_target([], None))
                correction = gr.Textbox(show_label=False, lines=2, elem_id="correction",
                                        placeholder="What should the answer have said?")
                send_fix = gr.Button("Send correction", size="sm")
        with gr.Column(scale=1, elem_id="sources"):
            gr.Markdown("### Sources")

            @gr.render(inputs=cited)
            def source_cards(citations):
                if not citations:
                    gr.Markdown("The passages an answer cites appear here, with the manual page.")
                for i, c in enumerate(citations):
                    with gr.Accordion(render.citation_heading(c), open=i < OPEN_SOURCES,
                                      elem_id=render.source_anchor(c.n), elem_classes="source-card"):
                        gr.Markdown(render.citation_markdown(c), elem_classes="source-text", line_breaks=True)
                        image, problem = h.page_image(c)
                        if image:
                            gr.Image(image, show_label=False, buttons=["fullscreen"], interactive=False)
                        elif problem:
                            gr.Markdown(f"*{render.as_text(problem)}*")

    outputs = [chatbot, question, turns, cited]
    label_io = dict(fn=h.correction_target, inputs=[turns, fix_target], outputs=fix_label)
    for trigger in (question.submit, send.click):
        trigger(h.respond, inputs=[question, chatbot, asset, turns], outputs=outputs).then(**label_io)
    chatbot.like(h.rate, inputs=[turns, ratings], outputs=[ratings, fix_target, fix_box]).then(**label_io)
    send_fix.click(h.correct, inputs=[correction, turns, fix_target, ratings], outputs=correction)
    fresh.click(h.new_conversation, outputs=[chatbot, question, turns, cited, ratings, fix_target]).then(**label_io)
    return {"history": [chatbot, turns], "outputs": outputs, "label_io": label_io}


def _alert_card(h: Handlers, alert: dict, report_format, report_file, tabs, asset, chat: dict) -> None:
    shown = Alert.from_dict(alert)
    with gr.Group(elem_classes=["alert-card", shown.severity]):
        gr.Markdown(render.alert_markdown(shown, h.units()))
        gr.Plot(render.alert_figure(shown, h.units()), show_label=False)
        with gr.Row():
            ask = gr.Button("Ask about this alert", size="sm", variant="primary")
            report = gr.Button("Generate analysis report", size="sm")
    scoped = ask.click(partial(h.show_alert_asset, alert), outputs=[asset, tabs])
    answered = scoped.then(partial(h.ask_alert, alert["id"]), inputs=chat["history"], outputs=chat["outputs"])
    answered.then(**chat["label_io"])
    report.click(partial(h.report, alert["id"]), inputs=report_format, outputs=report_file)


def _history_tab(h: Handlers, asset) -> None:
    gr.Markdown("### Similar past work orders")
    with gr.Row():
        query = gr.Textbox(label="Symptom, fault code or alert text", scale=4)
        k = gr.Slider(1, 20, value=5, step=1, label="How many", scale=1)
        find = gr.Button("Search history", variant="primary", scale=1)
    past = gr.Dataframe(headers=render.PAST_FAULT_COLUMNS, interactive=False, wrap=True,
                        column_widths=["9%", "9%", "6%", "7%", "21%", "21%", "21%", "6%"])
    for trigger in (query.submit, find.click):
        trigger(h.history, inputs=[query, asset, k], outputs=past)

    gr.Markdown("### Statistics")
    with gr.Row():
        since = gr.Textbox(label="Since (a date such as 2024-03-01, or 'last week', 'last 30 days', "
                           "'this year'; empty = all)", scale=4, elem_id="since")
        compute = gr.Button("Compute statistics", variant="primary", scale=1)
    summary = gr.Markdown()
    with gr.Row():
        by_code = gr.Dataframe(headers=["fault code", "failures"], interactive=False, label="By fault code")
        by_asset = gr.Dataframe(headers=["asset", "failures"], interactive=False, label="By asset")
        recurring = gr.Dataframe(headers=["asset", "fault code", "failures"], interactive=False,
                                 label="Recurring faults")
    plots = gr.Gallery(label="Charts", columns=3, height=380, object_fit="contain", buttons=["fullscreen"])
    for trigger in (since.submit, compute.click):
        trigger(h.stats, inputs=[asset, since], outputs=[summary, by_code, by_asset, recurring, plots])


def _ingest_tab(h: Handlers, asset) -> None:
    gr.Markdown("Manuals (PDF, Markdown, text, HTML, DOCX) and fault-log exports (CSV, JSON, XLSX) "
                "are added with the same ingestion as `faultdesk ingest`; a re-upload of a file name "
                "replaces the earlier version.")
    files = gr.File(file_count="multiple", label="Files", elem_id="upload",
                    file_types=[".pdf", ".md", ".txt", ".html", ".htm", ".docx", ".csv", ".json",
                                ".jsonl", ".xlsx"])
    go = gr.Button("Add to the knowledge base", variant="primary")
    summary = gr.Markdown()
    failed = gr.Dataframe(headers=["file", "problem"], interactive=False, label="Files not added", wrap=True)
    go.click(h.ingest, inputs=files, outputs=[summary, failed, asset])
