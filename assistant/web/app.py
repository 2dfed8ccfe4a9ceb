"""The web server: one FastAPI app over one :class:`~assistant.service.Service`.

:func:`create_app` serves the REST API under ``/api/v1`` (OpenAPI schema at
``/api/v1/openapi.json``, interactive docs at ``/api/v1/docs``), the
embeddable widget at ``/widget.js`` and the example operator-station page at
``/operator``, and the engineers' Gradio UI at ``/`` (:mod:`assistant.web.ui`,
mounted last so that it only gets the paths no route above claims).

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
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from starlette.exceptions import HTTPException

from knowledge_base.errors import (AuthError, ConfigError, FaultdeskError, IngestError, ModelError, NotFound,
                                   Overloaded, QueueFull, RateLimited, ScopeError)
from knowledge_base.settings import Settings

from ..service import Service
from . import api
from .limits import BodyLimit, GenerationQueue, RateLimiter
from .tokens import TokenStore

API_PREFIX = "/api/v1"
STATIC = Path(__file__).parent / "static"
_STATUS = ((ScopeError, 403), (AuthError, 401), (NotFound, 404), (RateLimited, 429), (QueueFull, 503),
           (ConfigError, 400), (IngestError, 400), (ModelError, 503))


def create_app(service: Service, settings: Settings) -> FastAPI:
    """The app serving ``service``; ``settings`` gives the API's limits and origins."""
    queue = GenerationQueue(settings.api_queue_size)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        # Warm start: models load in the background; /api/v1/health says "starting" until done.
        threading.Thread(target=service.warm_up, daemon=True, name="warm-up").start()
        yield
        queue.shutdown()
        service.close()

    app = FastAPI(title="faultdesk", summary="Grounded answers from manuals and fault logs; sensor alerts.",
                  version="1", openapi_url=f"{API_PREFIX}/openapi.json", docs_url=f"{API_PREFIX}/docs",
                  redoc_url=None, lifespan=lifespan)
    app.state.service, app.state.queue = service, queue
    app.state.tokens = TokenStore(settings.kb)
    app.state.rate_limiter = RateLimiter(settings.api_rate_per_minute, settings.api_rate_burst)
    app.include_router(api.router, prefix=API_PREFIX)
    app.add_api_route("/widget.js", _static("widget.js", "text/javascript"), include_in_schema=False)
    app.add_api_route("/operator", _static("operator.html", "text/html"), include_in_schema=False)
    _add_error_handlers(app)
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
    return mount_ui(app, service)


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
