"""Run one idempotent ingest batch against a Store.

Per file: hash it; if the catalog has the same digest the file is unchanged
and never parsed. Otherwise parse and chunk it (in a background thread, so
parsing overlaps embedding), reuse every vector the store already has for an
identical chunk, embed the rest in batches that span files, and replace the
file's content in one transaction. A file that fails keeps whatever an
earlier run stored for it. ``prune`` removes catalog entries under the given
folders whose files are gone.

Files are identified by content too (``ingest.identity``): bytes already
stored under another existing path are not stored twice, and a stored path
whose bytes turn up elsewhere after it disappeared is moved.

A crash or Ctrl-C at any moment leaves each file at its old or new version;
the next run finishes the journal (``Store.recover``) and redoes only the
files whose digest is not yet in the catalog. When the store itself fails
(StoreError: a full disk, a Chroma server gone), the file being stored is
reported as failed with that one-line error and the batch stops there, with
a note counting the files not tried: the rest would fail alike.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from knowledge_base.embedder import Embedder
from knowledge_base.errors import FaultdeskError, FileTooLarge, IngestError, StoreError
from knowledge_base.injection import screen
from knowledge_base.store import FileContent, Store
from knowledge_base.types import Chunk, FileRecord

from .chunker import Chunker
from .discover import discover
from .identity import Duplicate, Identities, file_hashes, relative_name
from .loaders import SUPPORTED, LoadOptions, load_file
from .report import Failure, IngestReport, Progress

PIPELINE_VERSION = "4"  # bump when parsing/chunking changes what a file yields


@dataclass
class _Pending:
    content: FileContent
    is_new: bool
    vectors: dict[str, list[float]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)


_DONE = object()


class Ingestor:
    """Ingests files into ``store``. The embedder loads only if something
    actually needs embedding."""

    def __init__(self, store: Store, embedder: Embedder, chunker: Chunker | None = None,
                 options: LoadOptions = LoadOptions(), batch_size: int = 32,
                 progress: Progress | None = None) -> None:
        self.store, self.embedder = store, embedder
        self.chunker = chunker or Chunker()
        self.options, self.batch_size = options, batch_size
        self.progress = progress or Progress()
        self._warming = False
        self._salt = "|".join((PIPELINE_VERSION, str(options.asset_model), str(options.column_mapping),
                               str(self.chunker.target_chars), str(self.chunker.max_chars),
                               str(self.chunker.matcher.patterns)))

    def run(self, paths: Sequence[str | Path], prune: bool = False) -> IngestReport:
        t0 = time.perf_counter()
        self.store.check_embedder(self.embedder.name, self.embedder.dim)
        files, missing = discover(paths, SUPPORTED)
        self._roots = [Path(p).resolve() for p in paths]
        self._failed = [Failure(p, f"{p}: {e}") for p, e in missing]
        self._notes: list[str] = []
        self._counts = {"added": 0, "updated": 0, "unchanged": 0, "chunks": 0, "embedded": 0, "removed": 0}
        self._phases = {"parse": 0.0, "embed": 0.0, "write": 0.0}
        self.progress.start(len(files))
        try:
            halted = self._consume(self._parse_ahead(files))
        finally:
            self.progress.close()
        c = self._counts
        if halted:
            left = len(files) - c["added"] - c["updated"] - c["unchanged"] - (len(self._failed) - len(missing))
            self._notes.append(f"ingest stopped at the knowledge-base error above; {left} file(s) not "
                               "tried: run again once it is fixed")
        if not halted:
            self._finish_moves()
        removed = c["removed"] + (self._prune(paths) if prune and not halted else 0)
        return IngestReport(len(files), c["added"], c["updated"], c["unchanged"], removed,
                            tuple(self._failed), c["chunks"], c["embedded"],
                            time.perf_counter() - t0, tuple(self._notes), dict(self._phases))

    # -- producer: hash, parse, chunk ---------------------------------------------
    def _parse_ahead(self, files: list[Path]) -> queue.Queue:
        q: queue.Queue = queue.Queue(maxsize=8)
        catalog = self.store.catalog()
        self._ids = Identities(catalog)
        stop = threading.Event()
        self._stop = stop

        def work() -> None:
            try:
                for path in files:
                    if stop.is_set():
                        return
                    q.put(self._prepare(path, catalog))
            finally:
                q.put(_DONE)

        threading.Thread(target=work, name="faultdesk-parse", daemon=True).start()
        return q

    def _prepare(self, path: Path, catalog: dict[str, FileRecord]):
        """A FileContent to write, "unchanged", a Duplicate, or a Failure."""
        key = str(path)
        try:
            st = path.stat()
            if st.st_size > self.options.max_file_mb * 1024 * 1024:
                raise FileTooLarge(path, f"{st.st_size / 2**20:.0f} MB is over the "
                                   f"{self.options.max_file_mb:g} MB limit")
            digest, content = file_hashes(path, self._salt)
            rel = relative_name(path, self._roots)
            if dup := self._ids.claim(key, content, rel, digest):
                return dup
            old = catalog.get(key)
            if old is not None and old.sha256 == digest:
                return "unchanged"
            self._warm_embedder()
            t0 = time.perf_counter()
            doc = load_file(path, self.options)
            chunked = self.chunker.chunk(doc, key, self.options.asset_model)
            self._phases["parse"] += time.perf_counter() - t0
            record = FileRecord(key, digest, st.st_size, st.st_mtime, len(chunked.chunks), doc.doc_type,
                                content, rel)
            notes = tuple(f"{path}: {n}" for n in doc.notes) + _injection_notes(path, chunked.chunks)
            return FileContent(record, chunked.chunks, chunked.work_orders), old is None, notes
        except IngestError as exc:
            return Failure(key, str(exc))
        except OSError as exc:
            return Failure(key, f"{path}: cannot read: {exc.strerror or exc}")
        except FaultdeskError as exc:
            return Failure(key, f"{path}: {exc}")
        except Exception as exc:  # a bug must cost one file, not silently end the batch
            return Failure(key, f"{path}: internal error while chunking: {type(exc).__name__}: "
                                f"{' '.join(str(exc).split())}")

    def _warm_embedder(self) -> None:
        """Load the model beside parsing, once, as soon as a file needs it."""
        if not self._warming:
            self._warming = True
            threading.Thread(target=self._warm_quietly, name="faultdesk-warm", daemon=True).start()

    def _warm_quietly(self) -> None:
        try:
            self.embedder.warm()
        except FaultdeskError:
            pass  # the first embed_batch raises it again, where it is reported

    # -- consumer: embed and write ------------------------------------------------
    def _consume(self, q: queue.Queue) -> bool:
        """Embed and write what the parser queues; True when a StoreError
        stopped the batch (already recorded as that file's failure)."""
        pending: deque[_Pending] = deque()
        todo: deque[tuple[_Pending, str, str]] = deque()  # (file, chunk id, text)
        try:
            while (item := q.get()) is not _DONE:
                if item == "unchanged":
                    self._counts["unchanged"] += 1
                    self.progress.file_done("")
                elif isinstance(item, Duplicate):
                    self._duplicate(item)
                elif isinstance(item, Failure):
                    self._failed.append(item)
                    self.progress.file_done(item.path)
                else:
                    self._queue_file(*item, pending, todo)
                while len(todo) >= self.batch_size:
                    self._embed(todo, self.batch_size)
                    self._write_ready(pending)
                self._write_ready(pending)
            while todo:
                self._embed(todo, self.batch_size)
                self._write_ready(pending)
        except StoreError:
            return True
        finally:
            self._stop.set()
            _drain(q)
        return False

    @contextmanager
    def _storing(self, path: str) -> Iterator[None]:
        """Record a StoreError as ``path``'s failure, then let it stop the batch."""
        try:
            yield
        except StoreError as exc:
            self._failed.append(Failure(path, f"{path}: {exc}"))
            self.progress.file_done(path)
            raise

    def _queue_file(self, content: FileContent, is_new: bool, notes: tuple[str, ...],
                    pending: deque, todo: deque) -> None:
        self._notes.extend(notes)
        with self._storing(content.record.path):
            stored, copied = self.store.reusable_vectors(content.chunks)
        p = _Pending(content, is_new, dict(copied))
        for c in content.chunks:
            if c.id not in stored and c.id not in copied:
                p.missing.add(c.id)
                todo.append((p, c.id, c.embed_text()))
        self.progress.chunks_found(len(p.missing))
        pending.append(p)

    def _embed(self, todo: deque, n: int) -> None:
        batch = [todo.popleft() for _ in range(min(n, len(todo)))]
        t0 = time.perf_counter()
        vectors = self.embedder.embed_batch([text for _, _, text in batch])
        self._phases["embed"] += time.perf_counter() - t0
        for (p, cid, _), vec in zip(batch, vectors, strict=True):
            p.vectors[cid] = vec
            p.missing.discard(cid)
        self._counts["embedded"] += len(batch)
        self.progress.chunks_done(len(batch))

    def _write_ready(self, pending: deque) -> None:
        while pending and not pending[0].missing:
            p = pending.popleft()
            t0 = time.perf_counter()
            with self._storing(p.content.record.path):
                self.store.replace_file(p.content, p.vectors)
            self._phases["write"] += time.perf_counter() - t0
            self._counts["added" if p.is_new else "updated"] += 1
            self._counts["chunks"] += len(p.content.chunks)
            self.progress.file_done(p.content.record.path)

    def _duplicate(self, dup: Duplicate) -> None:
        """Count a duplicate as unchanged, say so, and drop what its path held before."""
        self._counts["unchanged"] += 1
        self._notes.append(f"{dup.path}: same content as {dup.twin_rel} ({dup.twin}): stored once, not twice")
        if dup.stale:
            with self._storing(dup.path):
                self.store.remove_file(dup.path)
            self._counts["removed"] += 1
        self.progress.file_done(dup.path)

    def _finish_moves(self) -> None:
        """Remove stored paths that are gone while their bytes were stored under a new path,
        and stale twins (chunked with another salt) whose bytes were stored afresh elsewhere."""
        catalog = self.store.catalog()
        for old, new in list(self._ids.moved(catalog)):
            self.store.remove_file(old)
            self._counts["removed"] += 1
            self._notes.append(f"{old}: moved to {new}; the old entry is removed")
        for old, new in list(self._ids.replaced(catalog)):
            self.store.remove_file(old)
            self._counts["removed"] += 1
            self._notes.append(f"{old}: chunked by an older pipeline; replaced by the fresh copy {new}")

    def _prune(self, paths: Sequence[str | Path]) -> int:
        roots = [Path(p).resolve() for p in paths]
        removed = 0
        for key in self.store.catalog():
            kp = Path(key)
            if kp.exists():
                continue
            if any(kp == r or r in kp.parents for r in roots):
                self.store.remove_file(key)
                removed += 1
        return removed


def _drain(q: queue.Queue) -> None:
    """Empty ``q`` so a parser blocked on a full queue sees the stop flag and ends."""
    while True:
        try:
            q.get_nowait()
        except queue.Empty:
            return


def _injection_notes(path: Path, chunks: Sequence[Chunk]) -> tuple[str, ...]:
    """A note for each passage that talks to an AI (``knowledge_base.injection``):
    it is stored like any other, and answers leave it out."""
    notes = []
    for c in chunks:
        if why := screen(c.text):
            where = (f" p.{c.page}" if c.page else "") + (f" ({' > '.join(c.section)})" if c.section else "")
            notes.append(f"{path}: passage{where}: {why}; answers leave it out (possible prompt injection)")
    return tuple(notes)
