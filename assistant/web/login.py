"""The UI's login page: ``GET /login`` shows a form, ``POST /login`` with a
form field ``token`` (an API token) starts a session (:mod:`.sessions`) and
redirects to ``next`` (a path of this server), ``POST /logout`` ends it.

A login posted from another site's page (its ``Origin``) is refused with
403. A wrong token is answered 401 and spends one of the client's failed-login
budget (:func:`assistant.web.auth.guard_failures`; 429 once it is used up).
The page is self-contained (no script, inline style) and sent with a CSP that
allows nothing else.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from knowledge_base.errors import AuthError, RateLimited

from .auth import guard_failures
from .sessions import COOKIE

PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>faultdesk: log in</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f4f5f7; display: grid; place-items: center;
       min-height: 100vh; margin: 0; }}
form {{ background: #fff; padding: 28px 32px; border-radius: 8px; box-shadow: 0 1px 4px #0002; width: 420px; }}
h1 {{ font-size: 1.3em; margin: 0 0 4px; }} p {{ color: #555; font-size: .92em; }}
input[type=password] {{ width: 100%; box-sizing: border-box; padding: 8px; font: inherit; margin: 6px 0 14px; }}
button {{ background: #1f5f99; color: #fff; border: 0; border-radius: 5px; padding: 8px 18px; font: inherit; }}
.error {{ color: #c92a2a; }}
</style></head>
<body><form method="post" action="/login">
<h1>faultdesk</h1>
<p>Log in with your access token (<code>faultdesk token create --scope ask</code>; the
<code>ingest</code> scope may also add documents).</p>
{error}
<label for="token">Access token</label>
<input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="{next}">
<button type="submit" id="login">Log in</button>
</form></body></html>
"""

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path of this server, else ``/`` (no open redirect).

    >>> safe_next("/?x=1"), safe_next("//evil.example/"), safe_next("https://evil.example/"), safe_next(None)
    ('/?x=1', '/', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def page(next_path: str = "/", error: str = "", status: int = 200) -> HTMLResponse:
    shown = f'<p class="error" id="login-error">{escape(error)}</p>' if error else ""
    return HTMLResponse(_PAGE.format(error=shown, next=escape(safe_next(next_path))), status,
                        headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store"})


@router.get("/login")
def login_form(request: Request, next: str = "/") -> HTMLResponse:  # noqa: A002 - the query's name
    return page(next)


@router.post("/login")
def login(request: Request, token: str = Form("", max_length=200), next: str = Form("/", max_length=2000)
          ) -> Response:  # noqa: A002
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.headers.get('host', '')}":
        return page(next, "A login form of another site was refused.", 403)  # no login CSRF
    try:
        with guard_failures(request):
            _, secret = request.app.state.sessions.login(token.strip())
    except RateLimited as exc:
        response = page(next, str(exc), 429)
        response.headers["Retry-After"] = str(max(1, round(exc.retry_after)))
        return response
    except AuthError:
        return page(next, "That token is not valid (wrong, or revoked).", 401)
    response = RedirectResponse(safe_next(next), 303)
    response.set_cookie(COOKIE, secret, max_age=int(request.app.state.sessions.seconds), httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    request.app.state.sessions.logout(request.cookies.get(COOKIE))
    response = RedirectResponse("/login", 303)
    response.delete_cookie(COOKIE, path="/")
    return response
