"""Keeping the tantivy keyword index (``knowledge_base.keyword_index``)
consistent with SQLite, the source of truth.

The store (``knowledge_base.store``) records a file in SQLite's
``keyword_journal`` in the same transaction that changes its chunks; after
that transaction :func:`sync` re-reads the file's chunks from SQLite into the
index in one atomic tantivy commit and clears the entry. A crash anywhere
leaves an entry that the next open finishes (the sync is idempotent). An
index that is missing, or was built by another ``FORMAT`` (e.g. a knowledge
base made before the tantivy lane or its tokens changed), is rebuilt whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import keyword_index
from .keyword_index import KeywordIndex

FORMAT_KEY = "keyword_index_format"  # SQLite meta: FORMAT of the index last rebuilt from it
def sync(db, kw: KeywordIndex, paths: Sequence[str] | None = None) -> int:
    """Bring the documents of ``paths`` (default: every file the SQLite
    ``keyword_journal`` of ``db``, a SqliteIndex, holds) in line with SQLite,
    then clear their journal entries; idempotent, so a crash anywhere is
    finished by running it again. Rebuilds the whole index instead when it
    was built by another FORMAT, or is missing while SQLite has chunks."""
    if db.meta(FORMAT_KEY) != keyword_index.FORMAT or (kw.count() == 0 and db.counts()["chunks"] > 0):
        return rebuild(db, kw)
    owed = db.keyword_owed() if paths is None else list(paths)
    if owed:
        kw.replace(owed, [r for batch in db.chunk_rows(owed) for r in batch])
        db.clear_keyword_owed(owed)
    return len(owed)


def rebuild(db, kw: KeywordIndex) -> int:
    """Rebuild the whole index from SQLite; returns the number of chunks."""
    owed = db.keyword_owed()
    n = kw.rebuild(db.chunk_rows())
    db.update_meta({FORMAT_KEY: keyword_index.FORMAT})
    db.clear_keyword_owed(owed)
    return n


def problems(db, kw: KeywordIndex) -> list[str]:
    """How the index differs from SQLite (empty = consistent)."""
    out = [f"keyword index owes file {p} a sync" for p in db.keyword_owed()]
    if db.meta(FORMAT_KEY) != keyword_index.FORMAT:
        out.append(f"keyword index format {db.meta(FORMAT_KEY)} is not {keyword_index.FORMAT}")
    kw.reload()
    have, want = kw.rowids(), db.chunk_rowids()
    if kw.count() != len(have):
        out.append(f"keyword index holds {kw.count()} documents for {len(have)} chunks (duplicates)")
    for what, rows in (("chunk rowid {} is not in the keyword index", want - have),
                       ("keyword index document {} has no chunk", have - want)):
        out += [what.format(r) for r in sorted(rows)[:20]]
        if len(rows) > 20:
            out.append(f"... and {len(rows) - 20} more like that (faultdesk kb check --repair rebuilds the index)")
    return out
