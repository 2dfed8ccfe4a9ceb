"""The gate in front of the UI: every path that is not the REST API (``/api/``),
the widget, the operator page or the login page passes :class:`UiGate` first,
whatever Gradio itself checks or forgets.

For each such request, in order:

1. **Who.** The session cookie (:mod:`.sessions`) must name a live session.
   Without one, when a login is required (:class:`.sessions.LoginPolicy`), a
   page is redirected to ``/login`` and anything else gets 401. When none is
   required a ``local`` session is opened and its cookie set (and passed on to
   Gradio in the request, so its handlers see it too).
2. **Where from.** A request that changes something (not GET / HEAD /
   OPTIONS) whose ``Origin`` is neither this server nor one of
   ``settings.api_origins`` gets 403.
3. **Uploads** (``POST /gradio_api/upload``): the ``ingest`` scope (403), the
   session's upload rate (429), a ``Content-Length`` (411) within
   ``settings.api_max_upload_mb`` (413), all checked before one byte is read;
   the paths Gradio returns are recorded as this session's uploads.
4. **Other bodies** (event calls such as ``/gradio_api/queue/join`` or
   ``/gradio_api/call/<name>``): at most ``settings.api_max_json_mb`` (413),
   and every file object in the JSON (a dict with a ``path``) must name a file
   this session uploaded (403): a forged FileData path never reaches Gradio.
5. **Files served** (``/gradio_api/file=``): sent with the report CSP and
   ``nosniff``, so an HTML report cannot load or run anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from knowledge_base.errors import RateLimited

from .limits import MB, RateLimiter
from .sessions import COOKIE, LoginPolicy, Session, Sessions

OPEN_PATHS = frozenset({"/widget.js", "/operator", "/login", "/logout", "/docs"})
UPLOAD_PATH = "/gradio_api/upload"
FILE_PREFIX = "/gradio_api/file="
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_CLOSE = [(b"connection", b"close")]  # a refused body is not read: the connection ends with the answer


class UiGate:
    """ASGI middleware guarding the mounted UI (see the module docstring)."""

    def __init__(self, app: ASGIApp, sessions: Sessions, policy: LoginPolicy, origins: tuple[str, ...],
                 json_mb: float, upload_mb: float, upload_limiter: RateLimiter) -> None:
        self.app, self.sessions, self.policy, self.origins = app, sessions, policy, frozenset(origins)
        self.json_limit, self.upload_limit = int(json_mb * MB), int(upload_mb * MB)
        self.upload_limiter = upload_limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] not in ("http", "websocket") or path.startswith("/api/") or path in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        session = self.sessions.get(_cookie(headers.get("cookie", "")))
        set_cookie = None
        if session is None:
            if self.policy.required():
                await _refuse_anonymous(scope, headers, send)
                return
            session, secret = self.sessions.open_local()
            set_cookie = f"{COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict"
            scope = _with_cookie(scope, secret)
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        send = _adding_headers(send, set_cookie, path.startswith(FILE_PREFIX))
        method = scope["method"]
        if method not in SAFE_METHODS:
            problem = self._foreign_origin(headers, scope)
            if problem:
                await _send_json(send, 403, problem)
                return
        if method == "POST" and path.rstrip("/") == UPLOAD_PATH:
            await self._upload(session, headers, scope, receive, send)
        elif method not in SAFE_METHODS:
            await self._checked_body(session, headers, scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _foreign_origin(self, headers: Headers, scope: Scope) -> str | None:
        origin = headers.get("origin")
        if origin is None:
            return None
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"
        if origin == own or origin in self.origins:
            return None
        return f"cross-origin request from {origin} refused"

    async def _upload(self, session: Session, headers: Headers, scope: Scope, receive: Receive,
                      send: Send) -> None:
        from .tokens import allows

        if not allows(session.scope, "ingest"):
            await _send_json(send, 403, f"login {session.name!r} has scope {session.scope!r}; "
                                        "uploading documents needs 'ingest'")
            return
        length = headers.get("content-length", "")
        if not length.isdigit():
            await _send_json(send, 411, "an upload needs a Content-Length header", _CLOSE)
            return
        if int(length) > self.upload_limit:
            await _send_json(send, 413, f"upload of {int(length) / MB:.1f} MB is over the limit of "
                                        f"{self.upload_limit / MB:g} MB", _CLOSE)
            return
        try:
            self.upload_limiter.take(session.key)
        except RateLimited as exc:
            await _send_json(send, 429, f"too many uploads; retry in {max(1, round(exc.retry_after))} s",
                             [(b"retry-after", str(max(1, round(exc.retry_after))).encode())])
            return
        chunks: list[bytes] = []
        status = 0

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and status == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    try:
                        paths = json.loads(b"".join(chunks))
                    except ValueError:
                        paths = []
                    self.sessions.record_uploads(session, [p for p in paths if isinstance(p, str)])
            await send(message)

        await self.app(scope, receive, recording)

    async def _checked_body(self, session: Session, headers: Headers, scope: Scope, receive: Receive,
                            send: Send) -> None:
        length = headers.get("content-length", "")
        too_big = f"request body over the limit of {self.json_limit / MB:g} MB"
        if length.isdigit() and int(length) > self.json_limit:
            await _send_json(send, 413, too_big, _CLOSE)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.json_limit:
                await _send_json(send, 413, too_big, _CLOSE)
                return
        try:
            data = json.loads(body) if body else None
        except ValueError:
            data = None  # not JSON: Gradio parses (and refuses) it itself; no file can be named in it
        for path in _file_paths(data):
            if not self.sessions.uploaded(session, path):
                await _send_json(send, 403, "a file object names a file that was not uploaded in this session")
                return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _file_paths(data) -> Iterator[str]:
    """Every ``path`` of a dict anywhere in ``data`` (Gradio's FileData shape)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "path" in item:
                yield str(item["path"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


def _with_cookie(scope: Scope, secret: str) -> Scope:
    others = [(k, v) for k, v in scope["headers"] if k != b"cookie"]
    kept = [p.strip() for k, v in scope["headers"] if k == b"cookie"
            for p in v.decode("latin-1").split(";") if p.strip() and not p.strip().startswith(COOKIE + "=")]
    cookie = "; ".join([*kept, f"{COOKIE}={secret}"]).encode("latin-1")
    return {**scope, "headers": [*others, (b"cookie", cookie)]}


def _adding_headers(send: Send, set_cookie: str | None, file_response: bool) -> Send:
    if set_cookie is None and not file_response:
        return send

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            extra = []
            if set_cookie:
                extra.append((b"set-cookie", set_cookie.encode("latin-1")))
            if file_response:
                extra += [(b"content-security-policy", FILE_CSP.encode()),
                          (b"x-content-type-options", b"nosniff")]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped


async def _refuse_anonymous(scope: Scope, headers: Headers, send: Send) -> None:
    wants_page = scope["method"] in ("GET", "HEAD") and "text/html" in headers.get("accept", "")
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
    elif wants_page and not scope["path"].startswith("/gradio_api/"):
        target = scope["path"] + (f"?{scope['query_string'].decode('latin-1')}" if scope.get("query_string") else "")
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", f"/login?next={quote(target, safe='')}".encode()),
                                (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
    else:
        await _send_json(send, 401, "log in first: open /login with an access token")


async def _send_json(send: Send, status: int, error: str, headers: list | None = None) -> None:
    data = json.dumps({"error": error}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": data})
