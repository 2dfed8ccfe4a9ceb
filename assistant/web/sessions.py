"""UI logins: a session cookie bound to an API token.

An engineer logs in at ``/login`` with an API token (``faultdesk token
create --scope ask|ingest|admin``; the token store keeps only its salted
hash). The server answers with a random session secret in the cookie
:data:`COOKIE` (HttpOnly, SameSite=Strict) and keeps only the SHA-256 of that
secret, in memory, with the token's id: every request looks the token up
again, so a revoked token ends its sessions at once, and a restart of the
server ends them all. A session lasts ``settings.ui_session_hours``.

When no login is required (``faultdesk serve`` on loopback and no token
exists, see :class:`LoginPolicy`) every browser still gets a session, named
``local`` with the admin scope, so that what it uploads stays its own
(:meth:`Sessions.record_uploads`).

>>> import tempfile
>>> from assistant.web.tokens import TokenStore
>>> tokens = TokenStore(tempfile.mkdtemp())
>>> _, token = tokens.create("ask", name="line-2")
>>> sessions = Sessions(tokens, hours=1)
>>> session, secret = sessions.login(token)
>>> sessions.get(secret).name, sessions.get(secret).scope, sessions.get("forged")
('line-2', 'ask', None)
>>> _ = tokens.revoke("line-2"); sessions.get(secret) is None
True
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .tokens import TokenStore

COOKIE = "faultdesk_session"
MAX_SESSIONS = 10_000  # the oldest are dropped beyond this (memory stays bounded)
MAX_UPLOADS = 1_000  # upload paths remembered per session


@dataclass(frozen=True)
class Session:
    """One login: ``key`` is the SHA-256 of the cookie secret; ``token_id`` is
    None for the local session of an open server."""

    key: str
    token_id: str | None
    name: str
    scope: str
    expires: float


class Sessions:
    """The server's UI sessions (thread-safe)."""

    def __init__(self, tokens: TokenStore, hours: float, clock: Callable[[], float] = time.time) -> None:
        self.tokens, self.seconds, self.clock = tokens, hours * 3600, clock
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._uploads: dict[str, OrderedDict[str, None]] = {}
        self._lock = threading.Lock()

    def login(self, token: str) -> tuple[Session, str]:
        """A new session for a valid API token: (session, cookie secret).
        AuthError for a wrong or revoked token."""
        info = self.tokens.verify(token)
        return self._new(info.id, info.name, info.scope)

    def open_local(self) -> tuple[Session, str]:
        """A session for a browser of a server that requires no login."""
        return self._new(None, "local", "admin")

    def get(self, secret: str | None) -> Session | None:
        """The live session of a cookie secret, with its token's current scope; else None."""
        if not secret:
            return None
        key = _key(secret)
        with self._lock:
            session = self._sessions.get(key)
        if session is None:
            return None
        if session.expires < self.clock():
            self.logout(secret)
            return None
        if session.token_id is None:
            return session
        info = self.tokens.active(session.token_id)
        if info is None:
            self.logout(secret)
            return None
        return session if info.scope == session.scope else Session(key, info.id, info.name, info.scope,
                                                                      session.expires)

    def logout(self, secret: str | None) -> None:
        """End the session of this cookie secret (nothing if there is none)."""
        if secret:
            key = _key(secret)
            with self._lock:
                self._sessions.pop(key, None)
                self._uploads.pop(key, None)

    def record_uploads(self, session: Session, paths: Iterable[str]) -> None:
        """Remember files that ``session`` uploaded (the only files its requests may name)."""
        with self._lock:
            seen = self._uploads.setdefault(session.key, OrderedDict())
            for p in paths:
                seen[os.path.realpath(p)] = None
            while len(seen) > MAX_UPLOADS:
                seen.popitem(last=False)

    def uploaded(self, session: Session, path: str) -> bool:
        """True when ``session`` uploaded the file at ``path``."""
        with self._lock:
            return os.path.realpath(path) in self._uploads.get(session.key, ())

    def _new(self, token_id: str | None, name: str, scope: str) -> tuple[Session, str]:
        secret = secrets.token_urlsafe(32)
        session = Session(_key(secret), token_id, name, scope, self.clock() + self.seconds)
        with self._lock:
            self._sessions[session.key] = session
            while len(self._sessions) > MAX_SESSIONS:
                old, _ = self._sessions.popitem(last=False)
                self._uploads.pop(old, None)
        return session, secret


class LoginPolicy:
    """Whether the UI requires a login: always when the server is ``public``
    (bound to anything but loopback), else as soon as one API token exists
    (looked up at most every ``ttl`` seconds)."""

    def __init__(self, tokens: TokenStore, public: bool, ttl: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.tokens, self.public, self.ttl, self.clock = tokens, public, ttl, clock
        self._cached: tuple[float, bool] | None = None

    def required(self) -> bool:
        if self.public:
            return True
        now = self.clock()
        if self._cached is None or now - self._cached[0] > self.ttl:
            self._cached = (now, self.tokens.any_active())
        return self._cached[1]


def _key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
