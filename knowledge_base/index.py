"""The SQLite half of the knowledge base: the source of truth.

One database file holds the catalog of ingested files (with content hashes),
the chunks and their metadata, an FTS5 keyword index, the fault-code lane,
the structured work-order table, and a small journal that keeps the vector
store consistent with it across crashes (see ``knowledge_base.store``).

Every change to one file's content happens in one transaction, so a reader,
or the next run after a crash, sees the old version or the new one, never a
mix.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from .cjk_terms import segment  # Chinese runs as character bigrams (index and query)
from .errors import StoreError
from .types import Chunk, FileRecord, WorkOrder

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
_WO_COLS = ("wo_id, file_path, asset_id, ts, fault_code, fault_code_norm, symptom, cause, action, downtime_h,"
            " equipment_model, chunk_id, extra, work_type")
_WO_READ = "wo_id, asset_id, ts, fault_code, symptom, cause, action, downtime_h, equipment_model, extra, work_type"

FILTER_COLUMNS = {"equipment_model": "equipment_model", "asset_id": "asset_id",
                  "doc_type": "doc_type", "source": "file_path", "kind": "kind"}
_TERM = re.compile(r"\w+", re.UNICODE)


class SqliteIndex:
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

    # -- catalog ------------------------------------------------------------
    def files(self) -> dict[str, FileRecord]:
        rows = self._db.execute("SELECT path, sha256, size, mtime, chunk_count, doc_type, content_sha, rel_path"
                                " FROM files").fetchall()
        return {r[0]: FileRecord(*r[:6], content_sha=r[6] or "", rel_path=r[7] or "") for r in rows}

    def chunk_ids(self, file_path: str | None = None) -> set[str]:
        if file_path is None:
            return {r[0] for r in self._db.execute("SELECT id FROM chunks")}
        return {r[0] for r in self._db.execute("SELECT id FROM chunks WHERE file_path=?", (file_path,))}

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` that are stored chunks."""
        ids, out = list(ids), set()
        for s in range(0, len(ids), 500):
            part = ids[s:s + 500]
            q = f"SELECT id FROM chunks WHERE id IN ({','.join('?' * len(part))})"
            out.update(r[0] for r in self._db.execute(q, part))
        return out

    def ids_by_text_hash(self, hashes: Iterable[str]) -> dict[str, str]:
        """For each known text hash, one chunk id that has it."""
        out: dict[str, str] = {}
        hashes = list(set(hashes))
        for s in range(0, len(hashes), 500):
            part = hashes[s:s + 500]
            q = f"SELECT text_hash, id FROM chunks WHERE text_hash IN ({','.join('?' * len(part))})"
            out.update(dict(self._db.execute(q, part).fetchall()))
        return out

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

    def chunk_rows(self, paths: Sequence[str] | None = None, batch: int = 5000) -> Iterable[list[tuple[int, Chunk]]]:
        """(rowid, chunk) of the chunks of ``paths`` (all when None), in batches."""
        if paths is not None:
            for s in range(0, len(paths), 200):
                part = list(paths[s:s + 200])
                q = f"SELECT rowid, {_CHUNK_COLS} FROM chunks WHERE file_path IN ({','.join('?' * len(part))})"
                yield [(r[0], _chunk(r[1:])) for r in self._db.execute(q, part)]
            return
        last = 0
        while True:
            rows = self._db.execute(f"SELECT rowid, {_CHUNK_COLS} FROM chunks WHERE rowid > ? ORDER BY rowid"
                                    " LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [(r[0], _chunk(r[1:])) for r in rows]

    def rowid_ids(self, rowids: Sequence[int]) -> dict[int, str]:
        """{rowid: chunk id} of the stored chunks among ``rowids``."""
        out: dict[int, str] = {}
        for s in range(0, len(rowids), 500):
            part = list(rowids[s:s + 500])
            q = f"SELECT rowid, id FROM chunks WHERE rowid IN ({','.join('?' * len(part))})"
            out.update(self._db.execute(q, part).fetchall())
        return out

    def chunk_rowids(self) -> set[int]:
        return {r[0] for r in self._db.execute("SELECT rowid FROM chunks")}

    # -- writes -------------------------------------------------------------
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
            self._db.executemany(
                f"INSERT INTO work_orders({_WO_COLS}) VALUES({','.join('?' * 14)})",
                [_wo_row(record.path, wo, cid) for wo, cid in work_orders])
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
        rowids = [r[0] for r in self._db.execute("SELECT rowid FROM chunks WHERE file_path=?", (path,))]
        self._db.executemany("DELETE FROM chunks_fts WHERE rowid=?", [(r,) for r in rowids])
        self._db.executemany("DELETE FROM chunk_codes WHERE chunk_rowid=?", [(r,) for r in rowids])
        self._db.execute("DELETE FROM chunks WHERE file_path=?", (path,))
        self._db.execute("DELETE FROM work_orders WHERE file_path=?", (path,))

    def _insert_chunk(self, path: str, c: Chunk, text_hash: str) -> None:
        cur = self._db.execute(
            "INSERT INTO chunks(id, file_path, ordinal, text, page, section, title, equipment_model,"
            " fault_codes, doc_type, kind, asset_id, text_hash) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (c.id, path, c.ordinal, c.text, c.page, json.dumps(list(c.section)), c.title,
             c.equipment_model, " ".join(c.fault_codes), c.doc_type, c.kind, c.asset_id, text_hash))
        rowid = cur.lastrowid
        self._db.execute("INSERT INTO chunks_fts(rowid, text, section, title, codes) VALUES(?,?,?,?,?)",
                         (rowid, segment(c.text), segment(" ".join(c.section)), segment(c.title),
                          " ".join(c.fault_codes)))
        self._db.executemany("INSERT INTO chunk_codes VALUES(?, ?)", [(code, rowid) for code in c.fault_codes])

    def _tx(self):
        return _Transaction(self._db)

    # -- reads --------------------------------------------------------------
    def chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        ids = list(ids)
        for s in range(0, len(ids), 500):
            part = ids[s:s + 500]
            q = f"SELECT {_CHUNK_COLS} FROM chunks WHERE id IN ({','.join('?' * len(part))})"
            out.update((row[0], _chunk(row)) for row in self._db.execute(q, part))
        return out

    def keyword(self, query: str, k: int, where: Mapping[str, str] | None = None,
                extra_terms: Sequence[str] = ()) -> list[tuple[str, float]]:
        """BM25 over the body text, with the contextual header (section path,
        document title) and the codes in columns of their own, weighted
        1.0 / 0.6 / 0.2 / 2.0; (chunk id, score), best first, score positive
        (higher is better)."""
        # Stopwords stay in: dropping them was measured to cost hybrid recall@5
        # (0.967 -> 0.956 on the development gold set) for speed only at 100k chunks.
        terms = list(dict.fromkeys([t.lower() for t in _TERM.findall(segment(query))] + [t.lower() for t in extra_terms]))
        if not terms or k <= 0:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        cond, params = _where(where, "c.")
        q = ("SELECT c.id, -bm25(chunks_fts, 1.0, 0.6, 0.2, 2.0) AS s FROM chunks_fts"
             " JOIN chunks c ON c.rowid = chunks_fts.rowid"
             f" WHERE chunks_fts MATCH ? {cond} ORDER BY bm25(chunks_fts, 1.0, 0.6, 0.2, 2.0) LIMIT ?")
        return [(r[0], float(r[1])) for r in self._db.execute(q, [match, *params, k])]

    def code_matches(self, codes: Sequence[str], k: int,
                     where: Mapping[str, str] | None = None) -> list[tuple[str, int, int, str]]:
        """Chunks that carry any of ``codes``: (id, how many of the codes it
        carries, how many codes it carries in all, kind), most matches first."""
        if not codes or k <= 0:
            return []
        cond, params = _where(where, "c.")
        q = ("SELECT c.id, COUNT(DISTINCT cc.code) AS hits,"
             " LENGTH(c.fault_codes) - LENGTH(REPLACE(c.fault_codes, ' ', '')) + 1 AS n, c.kind"
             " FROM chunk_codes cc JOIN chunks c ON c.rowid = cc.chunk_rowid"
             f" WHERE cc.code IN ({','.join('?' * len(codes))}) {cond}"
             " GROUP BY c.id ORDER BY hits DESC, n ASC, c.rowid ASC LIMIT ?")
        return [tuple(r) for r in self._db.execute(q, [*codes, *params, k])]

    def term_count(self, term: str) -> int:
        """How many chunks contain ``term`` (stemmed like the index)."""
        q = '"' + term.replace('"', '""') + '"'
        return self._db.execute("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (q,)).fetchone()[0]

    def file_content(self, path: str) -> tuple[list[Chunk], list[tuple[WorkOrder, str | None]]]:
        """One file's chunks in order, and its work orders each with the id of its chunk."""
        chunks = [_chunk(r) for r in self._db.execute(
            f"SELECT {_CHUNK_COLS} FROM chunks WHERE file_path=? ORDER BY ordinal, rowid", (path,))]
        rows = self._db.execute(
            f"SELECT {_WO_READ}, chunk_id FROM work_orders WHERE file_path=? ORDER BY rowid", (path,))
        orders = [(_work_order(r), r[11]) for r in rows]
        return chunks, orders

    def section_chunks(self, file_path: str, section: Sequence[str], kind: str | None = None) -> list[Chunk]:
        """Chunks of one file under exactly this heading path, in order."""
        q = f"SELECT {_CHUNK_COLS} FROM chunks WHERE file_path=? AND section=?"
        params: list = [file_path, json.dumps(list(section))]
        if kind:
            q += " AND kind=?"
            params.append(kind)
        return [_chunk(r) for r in self._db.execute(q + " ORDER BY ordinal", params)]

    def numbered_section_chunks(self, file_path: str, number: str, kind: str | None = None) -> list[Chunk]:
        """Chunks of one file under the heading numbered ``number`` ("5.3")."""
        q = f"SELECT {_CHUNK_COLS} FROM chunks WHERE file_path=? AND section LIKE ?"
        params: list = [file_path, f'%"{number} %"]']
        if kind:
            q += " AND kind=?"
            params.append(kind)
        return [_chunk(r) for r in self._db.execute(q + " ORDER BY ordinal", params)]

    def asset_models(self) -> list[tuple[str, str | None]]:
        """(asset id, equipment model) of every work order that names an asset."""
        return self._db.execute(
            "SELECT asset_id, equipment_model FROM work_orders WHERE asset_id IS NOT NULL").fetchall()

    def known_codes(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT DISTINCT code FROM chunk_codes")}

    def work_orders(self, *, asset_id: str | None = None, fault_code: str | None = None,
                    equipment_model: str | None = None, limit: int | None = None) -> list[WorkOrder]:
        conds, params = [], []
        for col, val in (("asset_id", asset_id), ("fault_code_norm", fault_code),
                         ("equipment_model", equipment_model)):
            if val is not None:
                conds.append(f"{col} = ?")
                params.append(val)
        q = (f"SELECT {_WO_READ} FROM work_orders"
             + (" WHERE " + " AND ".join(conds) if conds else "") + " ORDER BY ts, wo_id")
        if limit:
            q += f" LIMIT {int(limit)}"
        return [_work_order(r) for r in self._db.execute(q, params)]

    def work_orders_by_chunk(self, chunk_ids: Sequence[str]) -> dict[str, WorkOrder]:
        """{chunk id: the work order that chunk represents}."""
        ids, out = list(chunk_ids), {}
        for s in range(0, len(ids), 500):
            part = ids[s:s + 500]
            q = (f"SELECT chunk_id, {_WO_READ} FROM work_orders"
                 f" WHERE chunk_id IN ({','.join('?' * len(part))})")
            for r in self._db.execute(q, part):
                out[r[0]] = _work_order(r[1:])
        return out

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


_CHUNK_COLS = ("id, text, file_path, ordinal, page, section, title, equipment_model, fault_codes,"
               " doc_type, kind, asset_id")


def _chunk(r) -> Chunk:
    return Chunk(id=r[0], text=r[1], source=r[2], ordinal=r[3], page=r[4],
                 section=tuple(json.loads(r[5])), title=r[6], equipment_model=r[7],
                 fault_codes=tuple(r[8].split()), doc_type=r[9], kind=r[10], asset_id=r[11])


def _where(where: Mapping[str, str] | None, prefix: str) -> tuple[str, list]:
    if not where:
        return "", []
    parts, params = [], []
    for key, val in where.items():
        if key not in FILTER_COLUMNS:
            raise StoreError(f"unknown filter {key!r}; use one of {', '.join(FILTER_COLUMNS)}")
        parts.append(f"{prefix}{FILTER_COLUMNS[key]} = ?")
        params.append(val)
    return " AND " + " AND ".join(parts), params


def _work_order(r: Sequence) -> WorkOrder:
    """A WorkOrder from the columns of ``_WO_READ``."""
    return WorkOrder(*r[:9], extra=tuple(tuple(x) for x in json.loads(r[9] or "[]")), work_type=r[10])


def _wo_row(path: str, wo: WorkOrder, chunk_id: str | None) -> tuple:
    from .codes import normalize_code

    return (wo.wo_id, path, wo.asset_id, wo.timestamp, wo.fault_code,
            normalize_code(wo.fault_code) if wo.fault_code else None, wo.symptom, wo.cause,
            wo.action, wo.downtime_h, wo.equipment_model, chunk_id, json.dumps([list(x) for x in wo.extra]),
            wo.work_type)
