"""The one Python API behind every front end (CLI, REST API, Gradio UI, widget).

A :class:`Service` owns one knowledge base: it builds the assistant, the
retriever and the alert store lazily and once, and exposes the product's
operations as plain methods returning the frozen dataclasses of each stage.
Front ends translate requests to these calls and results to their format;
they hold no logic of their own.

Thread safety: retrieval and the stores may be called from many threads.
Generation with the local model is serialised by a lock (llama.cpp contexts
are not re-entrant); a front end that wants to refuse work instead of
queueing it checks :attr:`Service.busy` or wraps calls in its own bounded
queue.

>>> from knowledge_base.settings import Settings
>>> import tempfile
>>> svc = Service(Settings(kb=tempfile.mkdtemp(), embedder="hash", vector_backend="memory"), llm="extractive")
>>> svc.ask("E-104 on P-3?").abstained, svc.alerts(), svc.assets()
(True, [], {})
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import cached_property
from pathlib import Path

from knowledge_base.errors import ConfigError, FaultdeskError, NotFound
from knowledge_base.retrieval import Query, Retrieval
from knowledge_base.settings import Settings
from knowledge_base.store import Store
from knowledge_base.store_open import open_store

from assistant.evaluation.feedback import Feedback, FeedbackStore, to_gold
from .llm.base import LLM
from assistant.answer.types import Answer, Citation, Done, Token
from .service_writes import KnowledgeBaseWrites
from .uploads import upload_name  # noqa: F401 - upload_name is part of this API

REPORTS = "reports"  # <kb>/reports: where reports are saved (CLI and UI)



class Service(KnowledgeBaseWrites):
    """faultdesk's operations over one knowledge base (``settings.kb``); its writes
    (ingest, uploads, re-embedding) are in :class:`~.service_writes.KnowledgeBaseWrites`.

    ``llm`` overrides ``settings.llm``: a backend name (``local``, ``openai`` or
    ``extractive``) or a ready :class:`~assistant.llm.base.LLM` (a fake in tests).
    ``create=False`` (commands that only read): a folder without a knowledge base
    raises NotFound and nothing is made (:func:`knowledge_base.store_open.open_store`).
    """

    def __init__(self, settings: Settings, llm: str | LLM | None = None, create: bool = True) -> None:
        self.settings, self.llm, self.create = settings, llm or settings.llm, create
        self.llm_kind = self.llm if isinstance(self.llm, str) else self.llm.name
        self._build_lock = threading.Lock()
        self._generate_lock = threading.Lock()
        self._ingest_lock = threading.Lock()
        self._warm = threading.Event()

    # -- lazily built parts -------------------------------------------------
    @cached_property
    def store(self) -> Store:
        with self._build_lock:
            return open_store(self.settings, create=self.create)

    @cached_property
    def retriever(self):
        """The hybrid retriever (built without the model: search, history and stats need no LLM)."""
        from .factory import build_retriever

        store = self.store
        with self._build_lock:
            return build_retriever(self.settings, store)

    @cached_property
    def assistant(self):
        from .factory import build_assistant

        retriever = self.retriever
        with self._build_lock:
            return build_assistant(self.settings, self.llm, retriever.store, retriever)

    @cached_property
    def alert_store(self):
        from monitors.store import AlertStore

        return AlertStore(self.settings.kb)

    @cached_property
    def tokens(self):
        """The API / UI login tokens of this knowledge base (``web.tokens.TokenStore``)."""
        from assistant.web.tokens import TokenStore

        return TokenStore(self.settings.kb)

    @cached_property
    def feedback_store(self) -> FeedbackStore:
        return FeedbackStore(self.settings.kb)

    @property
    def busy(self) -> bool:
        """True while an answer is being generated (the next one would wait)."""
        return self._generate_lock.locked()

    # -- start-up and model state ----------------------------------------------
    @property
    def ready(self) -> bool:
        """True once :meth:`warm_up` has finished (``/api/v1/health`` says ``starting`` before)."""
        return self._warm.is_set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until :meth:`warm_up` has finished (or ``timeout`` seconds have
        passed); True if it has."""
        return self._warm.wait(timeout)

    def warm_up(self) -> None:
        """Load what the first question needs, so that it is as fast as the rest: the
        assistant, its indexes, the embedder (one query), the general Chinese dictionary
        (read once, ~14 MB) and the model worker, which reads the system prompt once.
        Failures are logged / shown by :meth:`llm_status`."""
        from .llm.supervisor import SupervisedLLM
        from assistant.answer import dictionary
        from assistant.answer.prompt import build_messages

        try:
            assistant = self.assistant
            llm = assistant.llm
            if isinstance(llm, SupervisedLLM):
                llm.start()  # loads in its own process meanwhile
            assistant.retriever.retrieve(Query("warm up", k=1))
            dictionary.load()
            if isinstance(llm, SupervisedLLM) and llm.wait_ready(self.settings.llm_load_s):
                with self._generate_lock:
                    llm.complete(build_messages("warm up", []), max_tokens=1)
        except FaultdeskError as exc:  # a model failure restarts the worker; a store one recurs to askers
            logging.getLogger(__name__).error("warm-up: %s", exc)
        finally:
            self._warm.set()

    def llm_status(self):
        """The answer model's :class:`~assistant.llm.supervisor.LLMStatus`: a supervised
        worker's own, ``starting`` while the assistant is built, else ``ok``."""
        from .llm.supervisor import LLMStatus

        if "assistant" not in self.__dict__:
            return LLMStatus("starting")
        status = getattr(self.assistant.llm, "status", None)
        return status() if status else LLMStatus("ok")

    def close(self) -> None:
        """Stop the model worker, if one was started."""
        close = getattr(self.__dict__.get("assistant") and self.assistant.llm, "close", None)
        if close:
            close()

    # -- questions ----------------------------------------------------------
    def stream(self, question: str, asset: str | None = None,
               history: Sequence[str] = ()) -> Iterator[Token | Done]:
        """Token events then one Done (see :meth:`assistant.answer.core.Assistant.stream`).
        Answers are generated one at a time; callers wait for the lock."""
        assistant = self.assistant
        with self._generate_lock:
            yield from assistant.stream(question, asset, history)

    def ask(self, question: str, asset: str | None = None, history: Sequence[str] = ()) -> Answer:
        """The complete answer to one question."""
        for event in self.stream(question, asset, history):
            if isinstance(event, Done):
                return event.answer
        raise RuntimeError("answer stream ended without a result")  # pragma: no cover

    def search(self, query: str, k: int = 10, mode: str = "hybrid", asset: str | None = None,
               filters: dict | None = None) -> Retrieval:
        """Hybrid (or one-lane) search; see :class:`knowledge_base.retrieval.Query`."""
        return self.retriever.retrieve(Query(query, k, mode, asset, dict(filters or {})))

    # -- assets, alerts, history, stats ------------------------------------
    def assets(self) -> dict[str, str | None]:
        """{asset id: equipment model} known from the fault logs and register."""
        return self.retriever.assets.assets() if self.retriever.assets else {}

    def canonical_asset(self, asset: str | None) -> str | None:
        """The canonical id of ``asset`` as typed (``p3`` -> ``P-3``), else as given."""
        if not asset or not self.retriever.assets:
            return asset
        return self.retriever.assets.canonical(asset) or asset

    def alerts(self, asset: str | None = None, active: bool = True, limit: int = 100,
               exact: bool = False) -> list:
        """Open alerts (``active``) or all alerts, newest first, optionally of one asset.
        ``exact``: take the asset id as typed (no knowledge base is read to resolve it)."""
        asset = (asset if exact else self.canonical_asset(asset)) if asset else None
        if active:
            return self.alert_store.active(asset=asset)[:limit]
        return self.alert_store.history(asset=asset, limit=limit)

    def signal_labels(self, tags: Iterable[str]) -> dict[str, str]:
        """{tag: readable name with its unit} (``signals.signal_label``); the
        units come from the manuals when the knowledge base can be read."""
        from assistant.answer.signals import signal_label

        try:
            units = self.assistant.units
        except FaultdeskError:
            units = {}
        return {t: signal_label(t, units) for t in dict.fromkeys(tags)}

    def alert(self, alert_id: str):
        """One alert by id, or None."""
        return self.alert_store.get(alert_id)

    def _known_alert(self, alert_id: str):
        alert = self.alert_store.get(alert_id)
        if alert is None:
            raise NotFound(f"no alert with id {alert_id!r}")
        return alert

    def explain_alert(self, alert_id: str, question: str | None = None) -> Iterator[Token | Done]:
        """Token events then Done: an answer about one alert ("ask about this
        alert"); raises NotFound for an unknown id."""
        alert, assistant = self._known_alert(alert_id), self.assistant
        with self._generate_lock:
            yield from assistant.stream_alert(alert, question)

    def report(self, alert_id: str, fmt: str = "html") -> bytes:
        """The fault analysis report of one alert as ``md``, ``html`` or
        ``pdf`` bytes (:mod:`assistant.alerts.report`); raises NotFound for an
        unknown id and ConfigError for an unknown format."""
        from assistant.alerts.report import FORMATS, build_report
        from assistant.alerts.report_render import render

        if fmt not in FORMATS:
            raise ConfigError(f"unknown report format {fmt!r}; choose {', '.join(FORMATS)}")
        alert, assistant = self._known_alert(alert_id), self.assistant
        with self._generate_lock:
            report = build_report(assistant, alert)
        return render(report, fmt)

    def save_report(self, alert_id: str, fmt: str = "html", out: str | Path | None = None) -> Path:
        """:meth:`report` written to ``out``, by default ``<kb>/reports/alert-ID.FORMAT`` (the
        CLI's and the UI's one folder, :data:`REPORTS`; the id made a safe file name)."""
        data = self.report(alert_id, fmt)
        path = Path(out) if out else self.settings.kb / REPORTS / f"alert-{upload_name(alert_id)}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def history(self, query: str, asset: str | None = None, k: int = 5) -> list:
        """Similar past work orders (:func:`assistant.alerts.history.similar_work_orders`)."""
        from assistant.alerts.history import similar_work_orders

        return similar_work_orders(self.retriever, query, asset, k)

    def stats(self, asset: str | None = None, since: date | str | None = None):
        """Fault-log analytics (:func:`assistant.alerts.stats.fleet_stats`) of the filtered work orders."""
        from assistant.alerts.stats import filter_orders, fleet_stats

        asset = self.canonical_asset(asset) if asset else None
        return fleet_stats(filter_orders(self.store.index.work_orders(), since=since, asset=asset))

    # -- citations ----------------------------------------------------------
    def page_image(self, citation: Citation) -> Path | None:
        """PNG of the cited PDF page with the cited passage highlighted, cached
        under ``<kb>/cache/pages/`` (:mod:`assistant.answer.pages`); None unless the
        citation is a page of a PDF in this knowledge base's catalog."""
        from assistant.answer.pages import page_image

        src = citation.source
        if not citation.page or Path(src).suffix.lower() != ".pdf" or src not in self.store.index.files():
            return None
        return page_image(src, citation.page, citation.text, self.settings.kb / "cache" / "pages")

    # -- feedback -----------------------------------------------------------
    def feedback(self, fb: Feedback) -> Feedback:
        """Store a rating (:class:`assistant.evaluation.feedback.Feedback`, e.g. ``Feedback.of(answer, "up")``);
        returns it with its id."""
        return self.feedback_store.add(fb)

    def feedback_gold(self) -> list[dict]:
        """The ratings as gold questions (:func:`assistant.evaluation.feedback.to_gold`)."""
        return to_gold(self.feedback_store.all())
