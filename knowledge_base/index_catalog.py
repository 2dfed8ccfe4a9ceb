"""The catalog half of :class:`knowledge_base.index.SqliteIndex`: ingested files with
their content hashes, whole-file replacement and removal in one transaction, and the two
journals that keep the vector store and the keyword index consistent across crashes."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from .index_chunks import _CHUNK_COLS, _chunk
from .index_orders import _WO_READ, _work_order
from .types import Chunk, FileRecord, WorkOrder


class Catalog:
    """Files, their replacement and removal, and the vector and keyword journals
    (a part of :class:`~knowledge_base.index.SqliteIndex`, which owns ``_db``)."""

    _db: sqlite3.Connection
    _lock: threading.RLock

    def files(self) -> dict[str, FileRecord]:
        rows = self._db.execute("SELECT path, sha256, size, mtime, chunk_count, doc_type, content_sha, rel_path"
                                " FROM files").fetchall()
        return {r[0]: FileRecord(*r[:6], content_sha=r[6] or "", rel_path=r[7] or "") for r in rows}

    def replace_file(self, record: FileRecord, chunks: Sequence[Chunk], text_hashes: Sequence[str],
                     work_orders: Sequence[tuple[WorkOrder, str | None]] = ()) -> set[str]:
        """Atomically make ``chunks`` (and ``work_orders``, each with the id
        of its chunk) the whole content of ``record.path``. Returns the chunk
        ids that were dropped; they are journalled for vector deletion in the
        same transaction. 'add' journal entries of the new ids are cleared."""
        with self._lock, self._tx():
            old = self.chunk_ids(record.path)
            self._delete_file_rows(record.path)
            for chunk, text_hash in zip(chunks, text_hashes, strict=True):
                self._insert_chunk(record.path, chunk, text_hash)
            self._insert_work_orders(record.path, work_orders)
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self._db.execute("INSERT OR REPLACE INTO files(path, sha256, size, mtime, chunk_count, doc_type,"
                             " ingested_at, content_sha, rel_path) VALUES(?,?,?,?,?,?,?,?,?)",
                             (record.path, record.sha256, record.size, record.mtime,
                              len(chunks), record.doc_type, now, record.content_sha or None,
                              record.rel_path or None))
            new = {c.id for c in chunks}
            self._db.executemany("DELETE FROM vector_journal WHERE chunk_id=?", [(i,) for i in new])
            dropped = old - new
            self._db.executemany("INSERT OR REPLACE INTO vector_journal VALUES(?, 'del')",
                                 [(i,) for i in dropped])
            self._owe_keywords(record.path)
        return dropped

    def remove_file(self, path: str) -> set[str]:
        """Drop a file and everything it contributed; returns its chunk ids,
        journalled for vector deletion in the same transaction."""
        with self._lock, self._tx():
            old = self.chunk_ids(path)
            self._delete_file_rows(path)
            self._db.execute("DELETE FROM files WHERE path=?", (path,))
            self._db.executemany("INSERT OR REPLACE INTO vector_journal VALUES(?, 'del')",
                                 [(i,) for i in old])
            self._owe_keywords(path)
        return old

    def _delete_file_rows(self, path: str) -> None:
        self._delete_chunks(path)
        self._delete_work_orders(path)

    def file_content(self, path: str) -> tuple[list[Chunk], list[tuple[WorkOrder, str | None]]]:
        """One file's chunks in order, and its work orders each with the id of its chunk."""
        chunks = [_chunk(r) for r in self._db.execute(
            f"SELECT {_CHUNK_COLS} FROM chunks WHERE file_path=? ORDER BY ordinal, rowid", (path,))]
        rows = self._db.execute(
            f"SELECT {_WO_READ}, chunk_id FROM work_orders WHERE file_path=? ORDER BY rowid", (path,))
        orders = [(_work_order(r), r[11]) for r in rows]
        return chunks, orders

    # -- the vector journal -------------------------------------------------
    def journal(self, ids: Iterable[str], op: str) -> None:
        """Record that vectors for ``ids`` are about to be added ('add') or are
        owed a deletion ('del')."""
        with self._lock, self._tx():
            self._db.executemany("INSERT OR REPLACE INTO vector_journal VALUES(?, ?)",
                                 [(i, op) for i in ids])

    def journal_entries(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT chunk_id, op FROM vector_journal").fetchall())

    def clear_journal(self, ids: Iterable[str]) -> None:
        with self._lock, self._tx():
            self._db.executemany("DELETE FROM vector_journal WHERE chunk_id=?", [(i,) for i in ids])

    # -- the keyword journal (knowledge_base.keyword_index) ------------------
    def _owe_keywords(self, path: str) -> None:
        """Inside a write transaction: the keyword index owes ``path`` a sync."""
        self._db.execute("INSERT OR IGNORE INTO keyword_journal VALUES(?)", (path,))

    def keyword_owed(self) -> list[str]:
        """Files whose keyword-index documents are owed a sync."""
        return [r[0] for r in self._db.execute("SELECT file_path FROM keyword_journal ORDER BY file_path")]

    def clear_keyword_owed(self, paths: Iterable[str]) -> None:
        with self._lock, self._tx():
            self._db.executemany("DELETE FROM keyword_journal WHERE file_path=?", [(p,) for p in paths])
