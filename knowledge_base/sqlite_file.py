"""A small SQLite file of its own in the knowledge-base folder (feedback,
API tokens), opened with one connection per call so that any thread may use
it and a change by another process (the CLI) applies at once.

>>> import tempfile
>>> class Notes(SqliteFile):
...     filename, schema, what = "notes.sqlite", "CREATE TABLE IF NOT EXISTS n (t TEXT);", "note store"
>>> Notes(tempfile.mkdtemp()).path.name
'notes.sqlite'
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from .errors import StoreError


class SqliteFile:
    """Subclasses set ``filename``, ``schema`` (idempotent DDL) and ``what``
    (named in errors). Opening creates the folder and the tables; a file that
    cannot be opened is a :class:`StoreError` naming it."""

    filename: str = ""
    schema: str = ""
    what: str = "store"

    def __init__(self, kb: str | Path) -> None:
        self.path = Path(kb) / self.filename
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as db:
                db.executescript(self.schema)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"{self.path}: cannot open {self.what}: {err}") from err

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)
