"""Which stored file a path on disk is: identity by content, not by absolute path.

The catalog is keyed by absolute path (it is the chunks' source), but the same
bytes reachable under two paths (a copied folder, the same tree ingested from
two checkouts, a file saved twice under different names) are one document:
its chunks and work orders must be stored once. So every catalog entry also
records the hash of its bytes alone (``content_sha``, unsalted) and its path
below the folder it was ingested from (``rel_path``), and

* a file whose bytes are already stored under another path that still exists
  is a *duplicate*: it is not stored again (a note names the stored copy by
  its root-relative path); if the duplicate's own path held other content
  before, that stale content is removed;
* a stored twin counts only when it was chunked with this run's salt (its
  salted ``sha256`` equals the file's): a twin chunked by an older pipeline or
  other settings holds stale chunks, so it is no valid first for its content.
  The file at hand is chunked and stored, and the stale twin's entry (chunks,
  vectors, work orders) is removed at the end of the run once the fresh copy
  is in the catalog (``Identities.replaced``), so its work orders are not
  counted twice and nothing whose bytes are on disk is lost. A stale twin met
  later in the same run is a duplicate of the fresh copy and is removed then
  (a replacement cut short by a crash is finished by the next run, as moves are);
* a stored path that no longer exists while its bytes are found this run under
  another path has *moved*: the new path is stored (vectors are reused, no
  embedding) and the old entry is removed at the end of the run. The rule is
  checked on every run, so a move interrupted by a crash is finished next time.

Running twice changes nothing; an edited file is replaced under its path; a
deleted file without a twin is removed only by ``--prune``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.types import FileRecord


def file_hashes(path: Path, salt: str) -> tuple[str, str]:
    """(sha256 of salt + bytes, sha256 of the bytes alone), in one read."""
    salted, plain = hashlib.sha256(salt.encode()), hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            salted.update(block)
            plain.update(block)
    return salted.hexdigest(), plain.hexdigest()


def relative_name(path: Path, roots: Sequence[Path]) -> str:
    """``path`` below the first of ``roots`` (folders or files, resolved) that holds it, else its name.

    >>> relative_name(Path("/kb/docs/logs/wo.csv"), [Path("/other"), Path("/kb/docs")])
    'logs/wo.csv'
    """
    for root in roots:
        if path == root:
            return path.name
        if root in path.parents:
            return path.relative_to(root).as_posix()
    return path.name


@dataclass(frozen=True)
class Duplicate:
    """``path`` holds the same bytes as the stored ``twin``; ``stale`` when ``path`` held other content."""

    path: str
    twin: str
    twin_rel: str
    stale: bool


class Identities:
    """The content of every catalog entry, and the files claimed during one run."""

    def __init__(self, catalog: Mapping[str, FileRecord]) -> None:
        self.catalog = dict(catalog)
        self.by_content: dict[str, list[str]] = {}
        for key, rec in self.catalog.items():
            if rec.content_sha:
                self.by_content.setdefault(rec.content_sha, []).append(key)
        self.claimed: dict[str, str] = {}  # content sha -> the path that stands for it this run
        self.rel: dict[str, str] = {k: r.rel_path or Path(k).name for k, r in self.catalog.items()}

    def claim(self, key: str, content: str, rel: str, digest: str = "") -> Duplicate | None:
        """Record that ``key`` holds ``content``; a Duplicate when another existing path already does.

        ``digest`` is the file's salted hash: a stored twin whose ``sha256`` differs
        was chunked with another salt and is passed over (it is stale). Without
        ``digest`` every stored twin counts."""
        first = self.claimed.get(content)
        if first is not None:
            return None if first == key else Duplicate(key, first, self.rel.get(first, Path(first).name),
                                                       key in self.catalog)
        for other in self.by_content.get(content, ()):
            fresh = not digest or self.catalog[other].sha256 == digest
            if other != key and fresh and Path(other).exists():
                self.claimed[content] = other
                return Duplicate(key, other, self.rel.get(other, Path(other).name), key in self.catalog)
        self.claimed[content] = key
        self.rel[key] = rel
        return None

    def moved(self, catalog: Mapping[str, FileRecord]) -> Iterable[tuple[str, str]]:
        """(old path, new path) for stored paths that are gone while their bytes were claimed elsewhere.

        Only when the new path is in ``catalog`` (the catalog after the run) with those bytes:
        a claimant that failed to store must not cost the old entry."""
        for key, new in self._superseded(catalog):
            if not Path(key).exists():
                yield key, new

    def replaced(self, catalog: Mapping[str, FileRecord]) -> Iterable[tuple[str, str]]:
        """(stale path, fresh path) for stored paths that still exist but were chunked with
        another salt than the fresh copy of their bytes stored under another path this run."""
        for key, new in self._superseded(catalog):
            if Path(key).exists() and catalog[key].sha256 != catalog[new].sha256:
                yield key, new

    def _superseded(self, catalog: Mapping[str, FileRecord]) -> Iterable[tuple[str, str]]:
        for key, rec in catalog.items():
            new = self.claimed.get(rec.content_sha) if rec.content_sha else None
            if new is not None and new != key and (stored := catalog.get(new)) is not None \
                    and stored.content_sha == rec.content_sha:
                yield key, new
