"""The web server: one FastAPI app over one :class:`~assistant.service.Service`.

:func:`create_app` serves the REST API under ``/api/v1`` (OpenAPI schema at
``/api/v1/openapi.json``, interactive docs at ``/api/v1/docs`` with Swagger
UI's files served from here, ``/docs`` redirecting there), the embeddable
widget at ``/widget.js`` and the example operator-station page at
``/operator``, the login page (:mod:`.login`), and the engineers' Gradio UI
at ``/`` (:mod:`assistant.web.ui`, mounted last so that it only gets the
paths no route above claims) behind the gate of :mod:`.gate`.

``public`` (``faultdesk serve`` bound to anything but loopback) makes a UI
login mandatory; otherwise it is required as soon as an API token exists.

Around the routes: CORS for the configured origins only
(``settings.api_origins``; none = same origin), request body limits
(``api_max_json_mb``, ``api_max_upload_mb`` for uploads), and errors of the
error tree turned into ``{"error": message}`` with their HTTP status:

========================  ======  =============================================
error                     status  note
========================  ======  =============================================
AuthError                 401     ``WWW-Authenticate: Bearer``
ScopeError                403
NotFound                  404
RateLimited               429     ``Retry-After`` seconds
QueueFull                 503     ``Retry-After`` seconds
ConfigError, IngestError  400
ModelError                503
any other                 500
========================  ======  =============================================
"""

from __future__ import annotations

import logging
import math
import re
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from knowledge_base.errors import (AuthError, ConfigError, FaultdeskError, IngestError, ModelError, NotFound,
                                   Overloaded, QueueFull, RateLimited, ScopeError)
from knowledge_base.settings import Settings

from ..service import Service
from . import api, login
from .gate import UiGate
from .limits import BodyLimit, GenerationQueue, RateLimiter
from .sessions import LoginPolicy, Sessions

API_PREFIX = "/api/v1"
STATIC = Path(__file__).parent / "static"
_STATUS = ((ScopeError, 403), (AuthError, 401), (NotFound, 404), (RateLimited, 429), (QueueFull, 503),
           (ConfigError, 400), (IngestError, 400), (ModelError, 503))


def create_app(service: Service, settings: Settings, public: bool = False) -> FastAPI:
    """The app serving ``service``; ``settings`` gives the API's limits and origins;
    ``public``: the server is reachable from other hosts (a UI login is always required)."""
    queue = GenerationQueue(settings.api_queue_size)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        redact_access_log()
        # Warm start: models load in the background; /api/v1/health says "starting" until done.
        threading.Thread(target=service.warm_up, daemon=True, name="warm-up").start()
        yield
        queue.shutdown()
        service.close()

    app = FastAPI(title="faultdesk", summary="Grounded answers from manuals and fault logs; sensor alerts.",
                  version="1", openapi_url=f"{API_PREFIX}/openapi.json", docs_url=None,
                  redoc_url=None, lifespan=lifespan)
    tokens = service.tokens
    app.state.service, app.state.queue, app.state.tokens = service, queue, tokens
    app.state.rate_limiter = RateLimiter(settings.api_rate_per_minute, settings.api_rate_burst)
    app.state.auth_throttle = RateLimiter(settings.auth_failures_per_minute, settings.auth_failure_burst)
    app.state.sessions = Sessions(tokens, settings.ui_session_hours)
    app.state.login_policy = LoginPolicy(tokens, public)
    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(login.router)
    _add_docs(app)
    app.add_api_route("/widget.js", _static("widget.js", "text/javascript"), include_in_schema=False)
    app.add_api_route("/operator", _static("operator.html", "text/html"), include_in_schema=False)
    _add_error_handlers(app)
    app.add_middleware(UiGate, sessions=app.state.sessions, policy=app.state.login_policy,
                       origins=tuple(settings.api_origins), json_mb=settings.api_max_json_mb,
                       upload_mb=settings.api_max_upload_mb,
                       upload_limiter=RateLimiter(settings.ui_uploads_per_minute, settings.ui_upload_burst))
    app.add_middleware(BodyLimit, json_mb=settings.api_max_json_mb, upload_mb=settings.api_max_upload_mb,
                       upload_paths=frozenset({f"{API_PREFIX}/ingest"}))
    app.add_middleware(CORSMiddleware, allow_origins=list(settings.api_origins), allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type"], expose_headers=["Retry-After"],
                       max_age=600)
    try:
        from .ui import mount_ui  # Gradio is imported only when an app is built
    except ModuleNotFoundError as exc:  # a REST-only install (no [ui] extra): the API alone
        if exc.name != "gradio":
            raise
        logging.getLogger(__name__).warning("gradio is not installed (pip install 'faultdesk[ui]'): "
                                            "serving the REST API without the UI at /")
        return app
    return mount_ui(app, service, app.state.sessions)


def _add_docs(app: FastAPI) -> None:
    """Swagger UI at ``/api/v1/docs`` with its script and styles served from
    here (the copies the fastapi-offline package ships), so the page works
    offline and loads nothing from another host; ``/docs`` redirects there."""
    import fastapi_offline

    static = Path(fastapi_offline.__file__).parent / "static"
    assets = f"{API_PREFIX}/docs-assets"
    app.mount(assets, StaticFiles(directory=static), name="docs-assets")

    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="faultdesk API",
                                   swagger_js_url=f"{assets}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{assets}/swagger-ui.css",
                                   swagger_favicon_url=f"{assets}/favicon.png")

    app.add_api_route(f"{API_PREFIX}/docs", docs, include_in_schema=False)
    app.add_api_route("/docs", lambda: RedirectResponse(f"{API_PREFIX}/docs", 308), include_in_schema=False)


_SECRET_QUERY = re.compile(r"(?i)\b(token|access_token)=[^&\s\"]*")


class _RedactSecrets(logging.Filter):
    """Replaces ``token=...`` query values in access-log lines by ``token=[redacted]``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_SECRET_QUERY.sub(r"\1=[redacted]", a) if isinstance(a, str) else a
                                for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _SECRET_QUERY.sub(r"\1=[redacted]", record.msg)
        return True


def redact_access_log() -> None:
    """Install :class:`_RedactSecrets` on uvicorn's access log (once)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _RedactSecrets) for f in logger.filters):
        logger.addFilter(_RedactSecrets())


def _static(name: str, media_type: str):
    path = STATIC / name

    def serve() -> FileResponse:
        return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})

    return serve


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(FaultdeskError)
    async def faultdesk_error(_: Request, exc: FaultdeskError) -> JSONResponse:
        status = next((code for cls, code in _STATUS if isinstance(exc, cls)), 500)
        headers = {}
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, Overloaded):
            headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
        return JSONResponse({"error": str(exc)}, status, headers)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, exc.status_code, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"error": f"invalid request: {problems}"}, 422)
