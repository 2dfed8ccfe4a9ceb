"""The chunk half of :class:`knowledge_base.index.SqliteIndex`: chunk rows, the FTS5
keyword lane and the fault-code lane (reads and the per-chunk writes)."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence

from .cjk_terms import segment  # Chinese runs as character bigrams (index and query)
from .errors import StoreError
from .types import Chunk

FILTER_COLUMNS = {"equipment_model": "equipment_model", "asset_id": "asset_id",
                  "doc_type": "doc_type", "source": "file_path", "kind": "kind"}
_TERM = re.compile(r"\w+", re.UNICODE)


class ChunkTables:
    """Chunks, the keyword lane (FTS5) and the code lane (a part of
    :class:`~knowledge_base.index.SqliteIndex`, which owns ``_db``)."""

    _db: sqlite3.Connection
    _lock: threading.RLock

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

    def _delete_chunks(self, path: str) -> None:
        """Inside a write transaction: the chunks of ``path`` and their keyword and code rows."""
        rowids = [r[0] for r in self._db.execute("SELECT rowid FROM chunks WHERE file_path=?", (path,))]
        self._db.executemany("DELETE FROM chunks_fts WHERE rowid=?", [(r,) for r in rowids])
        self._db.executemany("DELETE FROM chunk_codes WHERE chunk_rowid=?", [(r,) for r in rowids])
        self._db.execute("DELETE FROM chunks WHERE file_path=?", (path,))

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

    def known_codes(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT DISTINCT code FROM chunk_codes")}


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
