"""Uploaded files: saved under ``<kb>/uploads/`` and ingested, for every front end.

:func:`ingest_uploads` keeps only what was ingested:

* a name is made safe (:func:`upload_name`: last path part, plain characters,
  at most :data:`MAX_NAME` characters with its extension kept);
* a file of a type no loader reads (``index.sqlite``, a name without an
  extension) is refused before anything is written;
* a file that fails to ingest is deleted again, and the version it replaced
  (if any) is put back, so nothing stored is lost;
* failures name the upload (``pump.pdf: ...``), never the server's folders;
* one upload that cannot be saved (a disk error) fails alone: the others are
  still ingested.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from knowledge_base.errors import one_line

UPLOADS = "uploads"
MAX_NAME = 120  # characters; file systems allow 255 bytes, and UTF-8 letters take up to 4


def upload_name(name: str) -> str:
    r"""A safe file name for an upload: the last path part, without leading dots
    or characters other than letters, digits, ``.``, ``-``, ``_`` and space, cut
    to :data:`MAX_NAME` characters keeping the extension.

    >>> upload_name("../../etc/passwd"), upload_name(r"C:\manuals\Pump P-3.pdf"), upload_name("..")
    ('passwd', 'Pump P-3.pdf', 'upload')
    >>> len(upload_name("a" * 300 + ".md")), upload_name("a" * 300 + ".md")[-5:]
    (120, 'aa.md')
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(ch if ch.isalnum() or ch in ".-_ " else "_" for ch in base).strip().lstrip(".")
    clean = clean or "upload"
    if len(clean) > MAX_NAME:
        stem, dot, ext = clean.rpartition(".")
        ext = f".{ext}" if dot and stem and len(ext) < 12 else ""
        clean = clean[:MAX_NAME - len(ext)].rstrip() + ext
    return clean


def ingest_uploads(folder: Path, uploads: Iterable[tuple[str, BinaryIO]], ingest: Callable, supported,
                   progress=None):
    """Save ``uploads`` ((name, binary file) pairs) in ``folder`` and run
    ``ingest(paths, progress=progress)`` on them; returns its IngestReport with
    the refusals added and every failure naming the upload."""
    from ingest.report import Failure

    folder.mkdir(parents=True, exist_ok=True)
    refused: list[Failure] = []
    saved: dict[str, tuple[Path, Path | None]] = {}  # resolved path -> (path, backup of the earlier version)
    for name, data in uploads:
        shown = upload_name(name)
        suffix = Path(shown).suffix.lower()
        if suffix not in supported:
            refused.append(Failure(shown, f"{shown}: unsupported file type {suffix or '(none)'!r}; "
                                          f"supported: {' '.join(sorted(supported))}"))
            continue
        try:
            path, backup = _save(folder / shown, data)
        except OSError as exc:
            refused.append(Failure(shown, f"{shown}: cannot save the upload: {exc.strerror or exc}"))
            continue
        saved[str(path.resolve())] = (path, backup)
    report = ingest([p for p, _ in saved.values()], progress=progress)
    failed = list(refused)
    for f in report.failed:
        path, backup = saved.get(str(Path(f.path).resolve()), (None, None))
        if path is None:
            failed.append(f)
            continue
        if backup is not None:
            os.replace(backup, path)  # the earlier version (and its chunks) stay
        else:
            path.unlink(missing_ok=True)
        saved.pop(str(path.resolve()), None)
        failed.append(Failure(path.name, one_line(f.error.replace(f.path, path.name).replace(str(folder), UPLOADS))))
    for _, backup in saved.values():
        if backup is not None:
            backup.unlink(missing_ok=True)
    return replace(report, failed=tuple(failed), files_seen=report.files_seen + len(refused))


def _save(target: Path, data: BinaryIO) -> tuple[Path, Path | None]:
    """Write ``data`` to ``target`` atomically (a concurrent upload of the same
    name never leaves a mixed file); an existing file is first kept as a hidden
    backup, which is returned (None if there was none)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    backup = None
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(data, out)
        if target.exists():
            backup = target.with_name(f".previous-{os.getpid()}-{Path(tmp).name}")
            os.link(target, backup)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        if backup is not None:
            backup.unlink(missing_ok=True)
        raise
    return target, backup
