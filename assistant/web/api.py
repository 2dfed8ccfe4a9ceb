"""The REST API routes (mounted under ``/api/v1``): each translates a request
into one :class:`~assistant.service.Service` call and its result into JSON.

=======  ======================  =======  ==============================================
method   path                    scope    what
=======  ======================  =======  ==============================================
POST     /ask                    ask      answer (JSON, or SSE with ``"stream": true``)
GET      /search                 ask      ranked passages
GET      /alerts                 ask      alerts (``?asset=P-3&active=true``)
GET      /alerts/{id}            ask      one alert
GET      /alerts/{id}/report     ask      fault analysis report (``?format=md|html|pdf``)
POST     /feedback               ask      rate an answer (thumbs up / down, correction)
POST     /ingest                 ingest   upload manuals / fault logs (multipart ``files``)
GET      /tokens                 admin    the API tokens (never the secrets)
GET      /health                 (none)   start-up, knowledge-base counts, LLM state, queue depth
=======  ======================  =======  ==============================================
"""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from knowledge_base.retrieval import MODES

from assistant.evaluation.feedback import Feedback
from ..service import Service, upload_name
from .auth import requires
from .limits import GenerationQueue
from .schemas import (AlertOut, AnswerOut, AskRequest, ErrorOut, FeedbackOut, FeedbackRequest, HealthOut,
                      HitOut, IngestOut, TokenOut)
from .streaming import answer_events

MAX_UPLOAD_FILES = 50
REPORT_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
# A report is a self-contained file (styles inline, the plot a data URI): nothing else may load or run.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_ERRORS = {code: {"model": ErrorOut, "description": what} for code, what in (
    (401, "missing, unknown or revoked token"), (403, "the token's scope is too low"),
    (413, "request body over the size limit"), (429, "rate limit exceeded (see Retry-After)"))}
_UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"],
    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}}

router = APIRouter()


def _service(request: Request) -> Service:
    return request.app.state.service


def _queue(request: Request) -> GenerationQueue:
    return request.app.state.queue


@router.post("/ask", response_model=AnswerOut, dependencies=[Depends(requires("ask"))],
             responses=_ERRORS | {200: {"content": {"text/event-stream": {}}},
                                  503: {"model": ErrorOut, "description": "answer queue full (see Retry-After)"}})
async def ask(body: AskRequest, request: Request):
    """Answer a troubleshooting question with citations (file, page, section)."""
    service, queue = _service(request), _queue(request)
    if body.stream:
        events = answer_events(service, queue, body.question, body.asset, body.history)
        return StreamingResponse(events, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    answer = await asyncio.wrap_future(queue.submit(service.ask, body.question, body.asset, body.history))
    return answer.as_json()


@router.get("/search", response_model=list[HitOut], dependencies=[Depends(requires("ask"))], responses=_ERRORS)
def search(request: Request, q: str = Query(min_length=1, max_length=2000), k: int = Query(10, ge=1, le=50),
           mode: Literal[MODES] = "hybrid", asset: str | None = Query(None, max_length=64)):
    """Hybrid search (fault-code lane + BM25 + dense), or one lane with ``mode``."""
    return [h.as_json(i) for i, h in enumerate(_service(request).search(q, k, mode, asset).hits, 1)]


@router.get("/alerts", response_model=list[AlertOut], dependencies=[Depends(requires("ask"))], responses=_ERRORS)
def alerts(request: Request, asset: str | None = Query(None, max_length=64), active: bool = True,
           limit: int = Query(100, ge=1, le=1000)):
    """Open alerts (or all with ``active=false``), newest first, optionally of one asset."""
    service = _service(request)
    return [_alert_json(service, a) for a in service.alerts(asset, active, limit)]


def _alert_json(service: Service, alert) -> dict:
    """The alert's dict with ``signal_labels`` for its signals (what the widget shows)."""
    return alert.to_dict() | {"signal_labels": service.signal_labels([*alert.signals, *alert.top_signals])}


@router.get("/alerts/{alert_id}", response_model=AlertOut, dependencies=[Depends(requires("ask"))],
            responses=_ERRORS | {404: {"model": ErrorOut}})
def alert(alert_id: str, request: Request):
    """One alert by id."""
    found = _service(request).alert(alert_id)
    if found is None:
        raise HTTPException(404, f"no alert with id {alert_id!r}")
    return _alert_json(_service(request), found)


@router.get("/alerts/{alert_id}/report", response_class=Response, dependencies=[Depends(requires("ask"))],
            responses=_ERRORS | {200: {"content": {t: {} for t in REPORT_TYPES.values()}},
                                 404: {"model": ErrorOut},
                                 503: {"model": ErrorOut, "description": "answer queue full (see Retry-After)"}})
async def alert_report(alert_id: str, request: Request,
                       fmt: Literal["md", "html", "pdf"] = Query("html", alias="format")):
    """The fault analysis report of one alert (generated like an answer, so it
    waits in the answer queue), as a file download."""
    data = await asyncio.wrap_future(_queue(request).submit(_service(request).report, alert_id, fmt))
    return Response(data, media_type=REPORT_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="report-{upload_name(alert_id)}.{fmt}"',
        "Content-Security-Policy": REPORT_CSP})


@router.post("/feedback", response_model=FeedbackOut, dependencies=[Depends(requires("ask"))],
             responses=_ERRORS)
def feedback(body: FeedbackRequest, request: Request):
    """Rate an answer as received from ``/ask``; ratings become gold questions
    (``faultdesk feedback export``)."""
    a = body.answer
    stored = _service(request).feedback(Feedback(
        a.question, a.answer, body.rating, tuple(c.model_dump() for c in a.citations), body.correction,
        body.asset, a.abstained))
    return {"id": stored.id}


@router.post("/ingest", response_model=IngestOut, dependencies=[Depends(requires("ingest"))],
             responses=_ERRORS, openapi_extra=_UPLOAD_BODY)
async def ingest(request: Request):
    """Upload manuals or fault logs (multipart field ``files``, one or more). Each is
    saved under ``<kb>/uploads/`` and ingested; a file that cannot be read is listed
    in ``failed`` with a one-line error naming it, and the others are kept."""
    # The form is parsed here, after the token check, so no unauthenticated
    # upload is ever spooled to disk.
    async with request.form(max_files=MAX_UPLOAD_FILES, max_fields=MAX_UPLOAD_FILES) as form:
        files = [f for f in form.getlist("files") if not isinstance(f, str)]
        if not files:
            raise HTTPException(422, "no files: send them as multipart/form-data field 'files'")
        uploads = [(f.filename or "upload", f.file) for f in files]
        report = await run_in_threadpool(_service(request).ingest_uploads, uploads)
    return report.as_json()


@router.get("/tokens", response_model=list[TokenOut], dependencies=[Depends(requires("admin"))],
            responses=_ERRORS)
def tokens(request: Request):
    """The API tokens' names, scopes and dates (the secrets are not stored)."""
    return [t.as_json() for t in request.app.state.tokens.list()]


@router.get("/health", response_model=HealthOut)
def health(request: Request):
    """Liveness and load: ``starting`` until the models are loaded, knowledge-base counts, the
    answer model's state (``ok``, ``starting``, ``restarting``, ``down``) and backend, the answer
    queue (no token needed)."""
    queue, service = _queue(request), _service(request)
    llm = service.llm_status()
    return {"status": "ok" if service.ready else "starting", "kb": service.store.stats(),
            "llm": llm.state, "llm_backend": service.llm_kind, "llm_detail": llm.detail,
            "queue": {"depth": queue.depth, "capacity": queue.capacity}}
