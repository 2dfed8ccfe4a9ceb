"""Keep a knowledge base usable when its disk fills up.

Running a disk dry is not a crash the vector journal can absorb: Chroma's
embedded store writes its vector index (HNSW) files in place, so a write
that runs out of space mid-way leaves them truncated and the collection
cannot be read again (queries fail or crash the process; found by
``tests/ingest/test_disk_full.py``). And on a disk with no byte left even
opening the store fails: Chroma writes to its SQLite file to open, and SQLite
needs room for a journal.

So the store never lets its own writes take the last space: before each
file's write, :meth:`SpaceGuard.check` refuses it with DiskFull unless the
disk keeps ``reserve_mb`` free after the write's worst case, estimated as

* ``TEXT_FACTOR`` x the chunk text (SQLite: the text, its FTS5 index, the
  WAL copy), plus
* ``VECTOR_FACTOR`` x the new vectors' bytes (Chroma: its log and index),
  plus
* ``INDEX_GROWTH`` x what the vector folder holds now (Chroma grows a full
  HNSW index's capacity by 1.2 at once and rewrites its files).

A write that fails for want of space anyway (another program filled the
disk) is recognised by :func:`disk_full`, or by :meth:`SpaceGuard.low` when
the error does not say (Chroma reports it as "failed to apply logs"), and
raised as DiskFull too.

>>> import errno, sqlite3
>>> disk_full(OSError(errno.ENOSPC, "No space left on device"))
True
>>> wrapped = RuntimeError("cannot store vectors")
>>> wrapped.__cause__ = sqlite3.OperationalError("database or disk is full")
>>> disk_full(wrapped), disk_full(ValueError("bad value"))
(True, False)
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from .errors import DiskFull

MB = 2**20
TEXT_FACTOR, VECTOR_FACTOR, INDEX_GROWTH = 4, 2, 0.25
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
# SQLite says this for SQLITE_FULL; Chroma's Rust core passes SQLite's and the
# OS's messages on as plain text, so the text is all there is to go by.
_FULL_TEXTS = ("database or disk is full", "no space left on device", "disk quota exceeded")


def disk_full(exc: BaseException) -> bool:
    """True when ``exc`` or any exception it was raised from says the disk is full."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        if any(t in str(exc).lower() for t in _FULL_TEXTS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class SpaceGuard:
    """Refuses writes that would leave less than ``reserve_mb`` free on the
    disk of ``folder``; ``vectors_dir`` is the embedded vector store's folder
    (None for a server or an in-memory store)."""

    def __init__(self, folder: str | Path, reserve_mb: float, vectors_dir: str | Path | None = None) -> None:
        self.folder, self.reserve = Path(folder), reserve_mb * MB
        self.vectors_dir = Path(vectors_dir) if vectors_dir else None

    def need(self, text_bytes: int, vector_bytes: int) -> float:
        """Worst-case bytes a write of this much text and vector data takes."""
        return TEXT_FACTOR * text_bytes + VECTOR_FACTOR * vector_bytes + INDEX_GROWTH * self._vectors_size()

    def check(self, text_bytes: int = 0, vector_bytes: int = 0) -> None:
        """Raise DiskFull unless the write fits with the reserve left over."""
        need, free = self.need(text_bytes, vector_bytes), self._free()
        if free - need < self.reserve:
            raise DiskFull(
                f"not stored: the disk of knowledge base {self.folder} is nearly full ({free / MB:.1f} MB "
                f"free; this write needs up to {need / MB:.1f} MB and {self.reserve / MB:g} MB stay free "
                "so the knowledge base remains readable): free some space and run again")

    def low(self) -> bool:
        """True when less than the reserve is free: a failing write most likely ran out of space."""
        return self._free() < self.reserve

    def _free(self) -> int:
        return shutil.disk_usage(self.folder).free

    def _vectors_size(self) -> int:
        if self.vectors_dir is None or not self.vectors_dir.is_dir():
            return 0
        total = 0
        for root, _, files in os.walk(self.vectors_dir):
            for f in files:
                try:
                    total += os.path.getsize(os.path.join(root, f))
                except FileNotFoundError:  # a temporary file Chroma just removed
                    pass
        return total
