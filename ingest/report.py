"""What one ingest run reports, and the progress callbacks it makes: the types the
pipeline (:mod:`ingest.pipeline`) hands to its callers, kept out of its loop."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge_base.errors import one_line


@dataclass(frozen=True)
class Failure:
    path: str
    error: str

    def __post_init__(self) -> None:  # the error is printed as one line: a file name may hold a line break
        object.__setattr__(self, "error", one_line(self.error))


@dataclass(frozen=True)
class IngestReport:
    """What one run did. ``chunks`` counts chunks written this run;
    ``embedded`` how many of them needed the embedding model."""

    files_seen: int
    added: int
    updated: int
    unchanged: int
    removed: int
    failed: tuple[Failure, ...]
    chunks: int
    embedded: int
    seconds: float
    notes: tuple[str, ...] = ()
    phases: dict = field(default_factory=dict, compare=False)
    """Seconds spent parsing (background thread), embedding, and writing."""

    def as_json(self) -> dict:
        return {"files_seen": self.files_seen, "added": self.added, "updated": self.updated,
                "unchanged": self.unchanged, "removed": self.removed,
                "failed": [{"path": f.path, "error": f.error} for f in self.failed],
                "chunks": self.chunks, "embedded": self.embedded,
                "seconds": round(self.seconds, 3), "notes": list(self.notes),
                "phases": {k: round(v, 3) for k, v in self.phases.items()}}


class Progress:
    """Callbacks for a progress display; the default shows nothing."""

    def start(self, files: int) -> None: ...
    def file_done(self, path: str) -> None: ...
    def chunks_found(self, n: int) -> None: ...
    def chunks_done(self, n: int) -> None: ...
    def close(self) -> None: ...
