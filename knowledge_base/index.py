"""The SQLite half of the knowledge base: the source of truth.

One database file holds the catalog of ingested files (with content hashes),
the chunks and their metadata, an FTS5 keyword index, the fault-code lane,
the structured work-order table, and a small journal that keeps the vector
store consistent with it across crashes (see ``knowledge_base.store``).

Every change to one file's content happens in one transaction, so a reader,
or the next run after a crash, sees the old version or the new one, never a
mix.

The class is put together from three parts along the schema's seams:
:class:`~knowledge_base.index_catalog.Catalog` (files and the journals),
:class:`~knowledge_base.index_chunks.ChunkTables` (chunks, FTS5 keyword lane, code lane)
and :class:`~knowledge_base.index_orders.WorkOrderTable` (work orders); this module
opens the database, owns its schema, metadata and transactions.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path

from .errors import StoreError
from .index_catalog import Catalog
from .index_chunks import ChunkTables
from .index_orders import WorkOrderTable

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL,
    chunk_count INTEGER NOT NULL, doc_type TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks(
    rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, file_path TEXT NOT NULL,
    ordinal INTEGER NOT NULL, text TEXT NOT NULL, page INTEGER, section TEXT NOT NULL,
    title TEXT NOT NULL, equipment_model TEXT, fault_codes TEXT NOT NULL,
    doc_type TEXT NOT NULL, kind TEXT NOT NULL, asset_id TEXT, text_hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_file ON chunks(file_path);
CREATE INDEX IF NOT EXISTS chunks_hash ON chunks(text_hash);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, section, title, codes, tokenize='porter unicode61');
CREATE TABLE IF NOT EXISTS chunk_codes(code TEXT NOT NULL, chunk_rowid INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS chunk_codes_code ON chunk_codes(code);
CREATE INDEX IF NOT EXISTS chunk_codes_row ON chunk_codes(chunk_rowid);
CREATE TABLE IF NOT EXISTS work_orders(
    wo_id TEXT NOT NULL, file_path TEXT NOT NULL, asset_id TEXT, ts TEXT, fault_code TEXT,
    fault_code_norm TEXT, symptom TEXT, cause TEXT, action TEXT, downtime_h REAL,
    equipment_model TEXT, chunk_id TEXT, extra TEXT);
CREATE INDEX IF NOT EXISTS wo_file ON work_orders(file_path);
CREATE INDEX IF NOT EXISTS wo_asset ON work_orders(asset_id);
CREATE INDEX IF NOT EXISTS wo_code ON work_orders(fault_code_norm);
CREATE TABLE IF NOT EXISTS vector_journal(chunk_id TEXT PRIMARY KEY, op TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keyword_journal(file_path TEXT PRIMARY KEY);
"""
# Columns added after a table was first shipped: (table, column, declaration), added on open.
_ADDED_COLUMNS = (("work_orders", "work_type", "TEXT"), ("files", "content_sha", "TEXT"),
                  ("files", "rel_path", "TEXT"))


class SqliteIndex(Catalog, ChunkTables, WorkOrderTable):
    """The catalog, chunks, keyword and code lanes, and work orders in SQLite.

    ``path`` may be ``":memory:"`` for tests.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._db.executescript(_SCHEMA)
            self._add_columns()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open knowledge base index {self.path}: {exc}") from exc
        self._lock = threading.RLock()
        self._db.execute("INSERT OR IGNORE INTO meta VALUES('schema_version', ?)", (SCHEMA_VERSION,))

    def _add_columns(self) -> None:
        """Bring a knowledge base built before a column existed up to date (NULL in old rows)."""
        for table, column, decl in _ADDED_COLUMNS:
            have = {r[1] for r in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

    def close(self) -> None:
        self._db.close()

    def backup(self, dest: str | Path) -> None:
        """Write a consistent copy of the whole database to ``dest`` (SQLite's
        online backup: writers may go on meanwhile)."""
        target = sqlite3.connect(str(dest))
        try:
            with self._lock:
                self._db.backup(target)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot copy knowledge base index {self.path} to {dest}: {exc}") from exc
        finally:
            target.close()

    # -- meta ---------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES(?, ?)", (key, value))

    def update_meta(self, values: Mapping[str, str | None]) -> None:
        """Set several keys (deleting those whose value is None) in one transaction."""
        with self._lock, self._tx():
            for key, value in values.items():
                if value is None:
                    self._db.execute("DELETE FROM meta WHERE key=?", (key,))
                else:
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES(?, ?)", (key, value))

    def _tx(self):
        return _Transaction(self._db)

    def counts(self) -> dict[str, int]:
        one = lambda q: self._db.execute(q).fetchone()[0]  # noqa: E731
        return {"files": one("SELECT COUNT(*) FROM files"), "chunks": one("SELECT COUNT(*) FROM chunks"),
                "work_orders": one("SELECT COUNT(*) FROM work_orders"),
                "journal": one("SELECT COUNT(*) FROM vector_journal")}


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (Ctrl-C too)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
