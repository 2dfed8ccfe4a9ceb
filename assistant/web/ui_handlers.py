"""The Gradio UI's event handlers: each turns widget values into one Service
call and the result into widget values (through :mod:`.ui_render`).

Per-session state lives in ``gr.State`` values that the handlers receive and
return: ``turns`` is the list of ``(Answer, asset)`` of the conversation,
oldest first; the chat shows two messages per turn (question, answer), so
message ``i`` belongs to turn ``i // 2``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from assistant.alerts.analyst import when
from assistant.evaluation.feedback import Feedback
from assistant.alerts.stats import write_plots
from assistant.answer.types import Done
from knowledge_base.errors import FaultdeskError

from . import ui_render as render
from .dates import parse_since
from .schemas import MAX_QUESTION
from .tokens import allows

ALL_ASSETS = ""  # the asset selector's value for "no asset"


class IngestProgress:
    """:class:`ingest.report.Progress` shown as a Gradio progress bar."""

    def __init__(self, bar: gr.Progress) -> None:
        self.bar, self.files, self.done, self.chunks, self.embedded = bar, 0, 0, 0, 0

    def start(self, files: int) -> None:
        self.files = files
        self._show()

    def file_done(self, path: str) -> None:
        self.done += 1
        self._show()

    def chunks_found(self, n: int) -> None:
        self.chunks += n
        self._show()

    def chunks_done(self, n: int) -> None:
        self.embedded += n
        self._show()

    def close(self) -> None: ...

    def _show(self) -> None:
        desc = f"{self.done}/{self.files} files, {self.embedded}/{self.chunks} chunks embedded"
        self.bar(self.done / self.files if self.files else 0.0, desc=desc)


class Handlers:
    """The UI's operations over one :class:`assistant.service.Service`.

    ``session_of(request)`` (set when the UI is mounted behind a login) gives
    the login session of a request: adding documents needs its scope to allow
    ``ingest``. Text typed into the UI is held to the REST API's limit
    (:data:`MAX_QUESTION` characters)."""

    def __init__(self, service, session_of=None) -> None:
        self.service, self.session_of = service, session_of
        self._spellings: dict[str, str] | None = None

    # -- how things are written -------------------------------------------------
    def units(self) -> dict[str, str]:
        """{signal tag: unit} from the manuals (empty if the KB cannot be read)."""
        try:
            return self.service.assistant.units
        except FaultdeskError:
            return {}

    def spellings(self) -> dict[str, str]:
        """{normalised code: the manuals' spelling}, read once (``E104`` -> ``E-104``)."""
        if self._spellings is None:
            from assistant.answer.signals import spellings_of_index

            self._spellings = spellings_of_index(self.service.store.index)
        return self._spellings

    # -- assets ---------------------------------------------------------------
    def asset_choices(self):
        """The asset selector's options: every known asset with its model."""
        assets = sorted(self.service.assets().items())
        choices = [("All assets", ALL_ASSETS)] + [(f"{a} ({m})" if m else a, a) for a, m in assets]
        return gr.Dropdown(choices=choices)

    # -- chat -----------------------------------------------------------------
    def respond(self, question: str, messages: list, asset: str, turns: list):
        """Stream the answer to ``question``; yields (messages, question box,
        turns, sources). Follow-ups are retrieved with the earlier turns'
        queries."""
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        _check_length(question, "question")
        history = [answer.retrieval_query for answer, _ in turns]
        events = self.service.stream(question, asset or None, history)
        yield from _stream_reply(events, render.as_text(question), messages, turns, asset or None, question)

    @staticmethod
    def new_conversation():
        """Clear the chat: (messages, question box, turns, sources, ratings, correction target)."""
        return [], "", [], (), {}, None

    def ask_alert(self, alert_id: str, messages: list, turns: list):
        """Stream the assistant's answer about one alert (the "ask about this
        alert" button); yields what :meth:`respond` yields."""
        alert = self.service.alert(alert_id)
        if alert is None:
            raise gr.Error(f"Alert {alert_id} no longer exists.")
        shown = render.as_text(f"About the {alert.severity} on {alert.asset} since {when(alert.started)}")
        yield from _stream_reply(self.service.explain_alert(alert_id), shown, messages, turns, alert.asset)

    def page_image(self, citation) -> tuple[str | None, str | None]:
        """(path of the cited page with the passage highlighted, or None;
        a problem to show instead, or None)."""
        try:
            path = self.service.page_image(citation)
        except FaultdeskError as err:
            return None, str(err)
        return (str(path) if path else None), None

    # -- feedback -------------------------------------------------------------
    def rate(self, turns: list, ratings: dict, like: gr.LikeData):
        """Store a thumbs up / down; a thumbs down opens the correction box on
        that answer. Returns (ratings, correction target, correction box)."""
        i = like.index if isinstance(like.index, int) else like.index[0]
        if like.liked not in (True, False) or not 0 <= i // 2 < len(turns):
            return gr.skip(), gr.skip(), gr.skip()
        turn, rating = i // 2, "up" if like.liked else "down"
        answer, asset = turns[turn]
        self.service.feedback(Feedback.of(answer, rating, asset=asset))
        gr.Info("Thanks: your rating is saved.")
        ratings = {**ratings, turn: rating}
        if rating == "up":
            return ratings, gr.skip(), gr.skip()
        return ratings, turn, gr.Accordion(open=True)

    @staticmethod
    def correction_target(turns: list, target: int | None) -> str:
        """Which answer the correction box applies to (the latest by default)."""
        if not turns:
            return "*Ask a question first; a correction applies to one answer.*"
        answer, _ = turns[target if target is not None and target < len(turns) else -1]
        return f"Correction to the answer to: **{render.as_text(answer.question)}**"

    def correct(self, text: str, turns: list, target: int | None, ratings: dict):
        """Store a correction of the target answer with its rating (thumbs
        down unless the engineer gave a thumbs up). Returns the cleared box."""
        text = (text or "").strip()
        if not text or not turns:
            raise gr.Error("Write the correct answer first (after asking a question).")
        _check_length(text, "correction")
        turn = target if target is not None and target < len(turns) else len(turns) - 1
        answer, asset = turns[turn]
        self.service.feedback(Feedback.of(answer, ratings.get(turn, "down"), correction=text, asset=asset))
        gr.Info("Thanks: your correction is saved and will be reviewed as a gold question.")
        return ""

    # -- alerts ---------------------------------------------------------------
    def refresh_alerts(self, shown: list):
        """The active alerts as dicts (``Alert.to_dict``: Gradio hashes state,
        and an Alert holds dicts), or ``gr.skip()`` when they are what is shown."""
        current = [a.to_dict() for a in self.service.alerts(active=True)]
        return gr.skip() if current == shown else current

    @staticmethod
    def show_alert_asset(alert: dict):
        """Select the alert's asset (follow-ups stay scoped to it) and show the chat."""
        return alert["asset"], gr.Tabs(selected="chat")

    def report(self, alert_id: str, fmt: str):
        """The analysis report of an alert as a file to download."""
        try:
            path = self.service.save_report(alert_id, fmt)
        except FaultdeskError as err:
            raise gr.Error(str(err)) from err
        return gr.File(value=str(path), visible=True)

    # -- history and statistics -------------------------------------------------
    def history(self, query: str, asset: str, k: float):
        """Similar past work orders as table rows."""
        if not (query or "").strip():
            raise gr.Error("Describe the symptom, or give a fault code.")
        _check_length(query, "search text")
        return render.past_fault_rows(self.service.history(query, asset or None, int(k)), self.spellings())

    def stats(self, asset: str, since: str):
        """(summary, by-code rows, by-asset rows, recurring rows, plot images)."""
        try:
            stats = self.service.stats(asset or None, parse_since(since))
        except (FaultdeskError, ValueError) as err:
            raise gr.Error(str(err)) from err
        spell = self.spellings()
        stats = replace(stats, by_code={spell.get(c, c): n for c, n in stats.by_code.items()},
                        recurring=[(a, spell.get(c, c), n) for a, c, n in stats.recurring])
        folder = tempfile.mkdtemp(prefix="faultdesk-stats-")
        try:
            plots = [_load_png(p) for p in write_plots(stats, folder)]
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return (render.stats_markdown(stats), render.count_rows(stats.by_code),
                render.count_rows(stats.by_asset), [list(r) for r in stats.recurring], plots)

    # -- ingestion ----------------------------------------------------------------
    def ingest(self, files: list | None, progress=gr.Progress(), request: gr.Request = None):
        """Ingest uploaded files; returns (summary, failed-file rows, asset selector)."""
        if self.session_of is not None:
            session = self.session_of(request)
            if session is None or not allows(session.scope, "ingest"):
                who = f"login {session.name!r} has scope {session.scope!r}" if session else "no login"
                raise gr.Error(f"Adding documents needs the 'ingest' scope ({who}).")
            upload_dir = os.path.realpath(get_upload_folder())
            if any(os.path.commonpath([os.path.realpath(f), upload_dir]) != upload_dir for f in files or ()):
                raise gr.Error("Only files uploaded in this session can be added.")
        if not files:
            raise gr.Error("Choose one or more manuals or fault-log exports first.")
        uploads = [(Path(f).name, open(f, "rb")) for f in files]
        try:
            report = self.service.ingest_uploads(uploads, progress=IngestProgress(progress))
        finally:
            for _, fh in uploads:
                fh.close()
        rows = [[Path(f.path).name, render.without_paths(f.error)] for f in report.failed]
        return render.ingest_markdown(report), rows, self.asset_choices()


def _stream_reply(events, shown_question: str, messages: list, turns: list, asset: str | None,
                  typed: str | None = None):
    """Show ``events`` (Token..., Done) as the reply to ``shown_question``:
    provisional text while streaming, then the checked answer with its
    sources. Yields (messages, question box, turns, sources). ``typed`` is
    the question from the box, which is emptied, or given back when the
    answer fails; None leaves the box alone."""
    asked = [*messages, {"role": "user", "content": shown_question}]
    box = gr.skip() if typed is None else ""  # emptied once the answer is complete
    streamed = ""
    try:
        for event in events:
            if isinstance(event, Done):
                answer = event.answer
                yield (_with_reply(asked, render.answer_markdown(answer)), box,
                       [*turns, (answer, asset)], answer.citations)
                return
            streamed += event.text
            yield _with_reply(asked, render.as_text(streamed)), gr.skip(), gr.skip(), gr.skip()
    except FaultdeskError as err:
        yield (_with_reply(asked, f"*Error: {render.as_text(str(err))}*"),
               gr.skip() if typed is None else typed, gr.skip(), gr.skip())


def _check_length(text: str, what: str) -> None:
    if len(text) > MAX_QUESTION:
        raise gr.Error(f"The {what} is {len(text):,} characters long; the limit is {MAX_QUESTION:,}.")


def _with_reply(messages: list, text: str) -> list:
    """A new message list: ``messages`` and the assistant's reply (each yield
    of a stream is its own list, never one list mutated after it was sent)."""
    return [*messages, {"role": "assistant", "content": text}]


def _load_png(path: Path):
    from PIL import Image

    with Image.open(path) as im:
        return im.copy()
