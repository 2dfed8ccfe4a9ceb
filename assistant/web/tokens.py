"""API bearer tokens: created once, stored only as salted hashes in ``<kb>/tokens.sqlite``.

A token reads ``fdk_<id>.<secret>``: the public ``id`` finds the row, the
32-byte random ``secret`` is checked against ``sha256(salt + secret)`` with a
per-token salt (constant-time compare). The plain token is shown once, by
:meth:`TokenStore.create`, and cannot be recovered. Scopes are ordered
``ask < ingest < admin``: a token may do what its scope and every lower
scope allows.

>>> import tempfile
>>> tokens = TokenStore(tempfile.mkdtemp())
>>> info, secret = tokens.create("ingest", name="line-2 station")
>>> tokens.verify(secret).scope, allows("ingest", "ask"), allows("ask", "admin")
('ingest', True, False)
>>> tokens.revoke("line-2 station").revoked is not None
True
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass

from knowledge_base.errors import AuthError, ConfigError
from knowledge_base.sqlite_file import SqliteFile

FILENAME = "tokens.sqlite"
SCOPES = ("ask", "ingest", "admin")
PREFIX = "fdk_"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, scope TEXT NOT NULL,
    salt BLOB NOT NULL, hash BLOB NOT NULL, created REAL NOT NULL, revoked REAL);
"""


def allows(scope: str, needed: str) -> bool:
    """True when a token of ``scope`` may do what ``needed`` requires."""
    return SCOPES.index(scope) >= SCOPES.index(needed)


@dataclass(frozen=True)
class TokenInfo:
    """What is stored about a token (never the token itself)."""

    id: str
    name: str
    scope: str
    created: float
    revoked: float | None = None

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "scope": self.scope, "created": self.created,
                "revoked": self.revoked}


class TokenStore(SqliteFile):
    """The API tokens of one knowledge base (one SQLite connection per call,
    so any thread may use it and a revocation by the CLI applies at once)."""

    filename, schema, what = FILENAME, _SCHEMA, "token store"

    def create(self, scope: str, name: str | None = None) -> tuple[TokenInfo, str]:
        """A new token: (its stored info, the plain token to hand out once)."""
        if scope not in SCOPES:
            raise ConfigError(f"unknown token scope {scope!r}; choose one of: {', '.join(SCOPES)}")
        token_id, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(32), secrets.token_bytes(16)
        info = TokenInfo(token_id, name or f"{scope}-{token_id}", scope, time.time())
        try:
            with closing(self._connect()) as db, db:
                db.execute("INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, NULL)",
                           (info.id, info.name, scope, salt, _digest(salt, secret), info.created))
        except sqlite3.IntegrityError as err:
            raise ConfigError(f"a token named {info.name!r} exists already") from err
        return info, f"{PREFIX}{token_id}.{secret}"

    def verify(self, token: str) -> TokenInfo:
        """The info of a valid, unrevoked token; AuthError otherwise."""
        token_id, _, secret = token.removeprefix(PREFIX).partition(".")
        row = None
        if token.startswith(PREFIX):
            with closing(self._connect()) as db:
                row = db.execute("SELECT salt, hash, name, scope, created, revoked FROM tokens WHERE id = ?",
                                 (token_id,)).fetchone()
        if row is None or not hmac.compare_digest(row[1], _digest(row[0], secret)):
            raise AuthError("invalid API token")
        info = TokenInfo(token_id, *row[2:])
        if info.revoked is not None:
            raise AuthError(f"API token {info.name!r} has been revoked")
        return info

    def active(self, token_id: str) -> TokenInfo | None:
        """The info of the unrevoked token with this id, else None (a UI session
        checks its token with it on every request, so a revocation applies at once)."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT id, name, scope, created, revoked FROM tokens WHERE id = ? AND revoked IS NULL",
                             (token_id,)).fetchone()
        return TokenInfo(*row) if row else None

    def any_active(self) -> bool:
        """True when at least one unrevoked token exists."""
        with closing(self._connect()) as db:
            return db.execute("SELECT 1 FROM tokens WHERE revoked IS NULL LIMIT 1").fetchone() is not None

    def list(self) -> list[TokenInfo]:
        """Every token (revoked ones too), oldest first."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT id, name, scope, created, revoked FROM tokens ORDER BY created").fetchall()
        return [TokenInfo(*r) for r in rows]

    def revoke(self, name_or_id: str) -> TokenInfo:
        """Revoke the token with this name (else this id); idempotent; ConfigError if none."""
        select = "SELECT id, name, scope, created, revoked FROM tokens WHERE "
        with closing(self._connect()) as db, db:
            row = (db.execute(select + "name = ?", (name_or_id,)).fetchone()
                   or db.execute(select + "id = ?", (name_or_id,)).fetchone())
            if row is None:
                raise ConfigError(f"no API token named {name_or_id!r}")
            info = TokenInfo(*row)
            if info.revoked is None:
                info = TokenInfo(*row[:4], time.time())
                db.execute("UPDATE tokens SET revoked = ? WHERE id = ?", (info.revoked, info.id))
        return info

def _digest(salt: bytes, secret: str) -> bytes:
    return hashlib.sha256(salt + secret.encode()).digest()
