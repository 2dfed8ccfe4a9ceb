"""Bearer-token authentication for the API routes, as a FastAPI dependency.

``Depends(requires("ingest"))`` on a route: the request must carry
``Authorization: Bearer <token>`` of a valid token whose scope allows
``ingest`` (:func:`assistant.web.tokens.allows`), and the token must have
budget left (:class:`assistant.web.limits.RateLimiter`). Failures raise the
error tree's AuthError (401), ScopeError (403) or RateLimited (429); the app
turns them into JSON responses.

Wrong tokens are throttled per client address (:func:`guard_failures`): after
``settings.auth_failure_burst`` of them, every attempt of that client is
answered 429 with ``Retry-After`` until the budget refills at
``auth_failures_per_minute``. The UI login (:mod:`.login`) shares the budget.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from knowledge_base.errors import AuthError, RateLimited, ScopeError

from .tokens import TokenInfo, allows

_bearer = HTTPBearer(auto_error=False, description="A token from `faultdesk token create`.")


def requires(scope: str):
    """A dependency returning the request's TokenInfo when it may act in ``scope``."""

    def check(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
              ) -> TokenInfo:
        if credentials is None:
            raise AuthError("missing API token: send the header 'Authorization: Bearer <token>'")
        state = request.app.state
        with guard_failures(request):
            token = state.tokens.verify(credentials.credentials)
        if not allows(token.scope, scope):
            raise ScopeError(f"API token {token.name!r} has scope {token.scope!r}; this needs {scope!r}")
        state.rate_limiter.take(token.id)
        return token

    return check


class guard_failures:  # noqa: N801 - used as a context manager
    """``with guard_failures(request): verify(...)``: RateLimited (429) at once
    when the client has used up its budget of failed logins; an AuthError
    inside the block spends one of that budget and propagates."""

    def __init__(self, request: Request) -> None:
        self.throttle = request.app.state.auth_throttle
        self.client = request.client.host if request.client else "unknown"

    def __enter__(self) -> None:
        try:
            self.throttle.check(self.client)
        except RateLimited as exc:
            raise RateLimited(f"too many failed logins from {self.client}; retry in "
                              f"{max(1, round(exc.retry_after))} s", retry_after=exc.retry_after) from None

    def __exit__(self, kind, exc, tb) -> None:
        if kind is not None and issubclass(kind, AuthError):
            self.throttle.spend(self.client)
