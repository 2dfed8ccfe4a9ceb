"""Bearer-token authentication for the API routes, as a FastAPI dependency.

``Depends(requires("ingest"))`` on a route: the request must carry
``Authorization: Bearer <token>`` of a valid token whose scope allows
``ingest`` (:func:`assistant.web.tokens.allows`), and the token must have
budget left (:class:`assistant.web.limits.RateLimiter`). Failures raise the
error tree's AuthError (401), ScopeError (403) or RateLimited (429); the app
turns them into JSON responses.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from knowledge_base.errors import AuthError, ScopeError

from .tokens import TokenInfo, allows

_bearer = HTTPBearer(auto_error=False, description="A token from `faultdesk token create`.")


def requires(scope: str):
    """A dependency returning the request's TokenInfo when it may act in ``scope``."""

    def check(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
              ) -> TokenInfo:
        if credentials is None:
            raise AuthError("missing API token: send the header 'Authorization: Bearer <token>'")
        state = request.app.state
        token = state.tokens.verify(credentials.credentials)
        if not allows(token.scope, scope):
            raise ScopeError(f"API token {token.name!r} has scope {token.scope!r}; this needs {scope!r}")
        state.rate_limiter.take(token.id)
        return token

    return check
