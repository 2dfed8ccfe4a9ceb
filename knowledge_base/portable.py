"""Knowledge-base archives: move a knowledge base between vector stores or machines.

``export_kb`` writes one uncompressed tar with three members:

``manifest.json``
    ``{"format": "faultdesk-kb", "version": 1, "created": ISO time,
    "embedder": {"name", "dim"}, "files": N, "chunks": N,
    "vector_encoding": "float32-le-base64"}``
``index.sqlite``
    a consistent copy of the SQLite index (catalog, chunks, FTS5, codes,
    work orders), taken with SQLite's online backup.
``vectors.jsonl``
    one line per chunk, ``{"id", "metadata", "vector"}``, ``vector`` being
    the little-endian float32 bytes in base64 (exact, about a quarter the
    size of decimal text), grouped by file in the catalog's path order and
    in chunk order within a file. ``metadata`` is what the vector store keeps
    beside the vector, for other tools; import rebuilds it from the chunks.

``import_kb`` writes the archive into the knowledge base of the current
settings, embedded or on a Chroma server (``FAULTDESK_CHROMA_URL``), file by
file through :meth:`Store.replace_file`, so the vector journal protocol
holds: a killed import leaves every file imported whole or not at all, and a
re-run skips the files already there with the same content digest. The
target must be empty, hold only part of the same archive, or use the same
embedding model (EmbeddingMismatch otherwise).

The archive holds the knowledge base only: alerts, monitor state, feedback
and API tokens stay in their own files in the ``--kb`` folder.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import os
import struct
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import StoreError
from .index import SqliteIndex
from .store import FileContent, Store, vector_metadata

FORMAT, VERSION = "faultdesk-kb", 1
ENCODING = "float32-le-base64"


@dataclass(frozen=True)
class ArchiveReport:
    """What an export or import did: ``files`` in the archive, ``written``
    (imported; all of them on export), ``skipped`` (already there), ``chunks``."""

    path: str
    files: int
    written: int
    skipped: int
    chunks: int
    embedder: str
    seconds: float

    def as_json(self) -> dict:
        return {"path": self.path, "files": self.files, "written": self.written, "skipped": self.skipped,
                "chunks": self.chunks, "embedder": self.embedder, "seconds": round(self.seconds, 3)}


def export_kb(store: Store, out: str | Path) -> ArchiveReport:
    """Write ``store`` to the archive ``out`` (replaced atomically: a failed
    export leaves no half-written file under that name)."""
    t0, out = time.perf_counter(), Path(out)
    model = store.embedder()
    if model is None:
        raise StoreError(f"knowledge base {store.index.path} is empty: nothing to export")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fd-export-", dir=out.parent) as tmp:
        snap_path, vec_path = Path(tmp) / "index.sqlite", Path(tmp) / "vectors.jsonl"
        store.index.backup(snap_path)
        snap = SqliteIndex(snap_path)
        try:
            files, chunks = _write_vectors(snap, store, vec_path)
        finally:
            snap.close()
        manifest = {"format": FORMAT, "version": VERSION,
                    "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "embedder": {"name": model[0], "dim": model[1]}, "files": files, "chunks": chunks,
                    "vector_encoding": ENCODING}
        part = Path(tmp) / "archive.tar"
        with tarfile.open(part, "w") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(time.time())
            tar.addfile(info, io.BytesIO(data))
            tar.add(snap_path, "index.sqlite")
            tar.add(vec_path, "vectors.jsonl")
        os.replace(part, out)
    return ArchiveReport(str(out), files, files, 0, chunks, _model_text(model), time.perf_counter() - t0)


def _write_vectors(snap: SqliteIndex, store: Store, dest: Path) -> tuple[int, int]:
    """vectors.jsonl for every chunk of the snapshot; (files, chunks)."""
    paths, n = sorted(snap.files()), 0
    with open(dest, "w") as f:
        for path in paths:
            chunks, _ = snap.file_content(path)
            vectors = store.vectors.get([c.id for c in chunks])
            for c in chunks:
                if c.id not in vectors:
                    raise StoreError(f"chunk {c.id} of {path} has no vector in {store.index.path}; "
                                     "run `faultdesk kb check` (or wait for a running ingest) and retry")
                f.write(json.dumps({"id": c.id, "metadata": vector_metadata(c),
                                    "vector": _encode(vectors[c.id])}) + "\n")
            n += len(chunks)
    return len(paths), n


def import_kb(store: Store, archive: str | Path) -> ArchiveReport:
    """Write the archive's files, chunks, work orders and vectors into ``store``."""
    t0 = time.perf_counter()
    try:
        tar = tarfile.open(archive, "r")
    except tarfile.TarError as exc:
        raise StoreError(f"{archive}: not a knowledge-base archive (not a tar file)") from exc
    except OSError as exc:
        raise StoreError(f"{archive}: cannot read ({exc.strerror})") from exc
    with tar, tempfile.TemporaryDirectory(prefix="fd-import-") as tmp:
        manifest = _manifest(tar, archive)
        model = (manifest["embedder"]["name"], int(manifest["embedder"]["dim"]))
        store.check_embedder(*model)
        tar.extract(_member(tar, "index.sqlite", archive), tmp, filter="data")
        snap = SqliteIndex(Path(tmp) / "index.sqlite")
        try:
            written, skipped = _import_files(snap, store, _vector_groups(tar, archive), archive)
        finally:
            snap.close()
    return ArchiveReport(str(archive), written + skipped, written, skipped, int(manifest["chunks"]),
                         _model_text(model), time.perf_counter() - t0)


def _import_files(snap: SqliteIndex, store: Store, groups: Iterator[tuple[str, dict]],
                  archive) -> tuple[int, int]:
    have, files = store.catalog(), snap.files()
    written = skipped = 0
    for record in (files[p] for p in sorted(files)):
        chunks, orders = snap.file_content(record.path)
        source, vectors = next(groups, (None, {})) if chunks else (record.path, {})
        if source != record.path or set(vectors) != {c.id for c in chunks}:
            raise StoreError(f"{archive}: vectors.jsonl does not match the index at {record.path}")
        if record.path in have and have[record.path].sha256 == record.sha256:
            skipped += 1
            continue
        store.replace_file(FileContent(record, tuple(chunks), tuple(orders)), vectors)
        written += 1
    return written, skipped


def _vector_groups(tar: tarfile.TarFile, archive) -> Iterator[tuple[str, dict[str, list[float]]]]:
    """(source file, {chunk id: vector}) for each file, streamed from vectors.jsonl."""
    lines = (json.loads(line) for line in tar.extractfile(_member(tar, "vectors.jsonl", archive)))
    for source, rows in itertools.groupby(lines, key=lambda r: r["metadata"]["source"]):
        yield source, {r["id"]: _decode(r["vector"]) for r in rows}


def _encode(vector: list[float]) -> str:
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()


def _decode(text: str) -> list[float]:
    raw = base64.b64decode(text)
    return list(struct.unpack(f"<{len(raw) // 4}f", raw))


def _manifest(tar: tarfile.TarFile, archive) -> dict:
    try:
        manifest = json.load(tar.extractfile(_member(tar, "manifest.json", archive)))
    except ValueError as exc:
        raise StoreError(f"{archive}: unreadable manifest.json ({exc})") from exc
    if manifest.get("format") != FORMAT or manifest.get("vector_encoding") != ENCODING:
        raise StoreError(f"{archive}: not a {FORMAT} archive (format {manifest.get('format')!r})")
    if manifest.get("version") != VERSION:
        raise StoreError(f"{archive}: archive version {manifest.get('version')!r}, this faultdesk reads {VERSION}")
    return manifest


def _member(tar: tarfile.TarFile, name: str, archive) -> tarfile.TarInfo:
    try:
        return tar.getmember(name)
    except KeyError:
        raise StoreError(f"{archive}: not a knowledge-base archive (no {name})") from None


def _model_text(model: tuple[str, int]) -> str:
    return f"{model[0]} ({model[1]} dims)"
