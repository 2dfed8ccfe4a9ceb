"""Fill the disk under a knowledge base.

* A real ``faultdesk ingest`` into a small tmpfs runs until the disk is full.
  The file that no longer fits fails with one clear line naming it (exit code
  1, no traceback, listed in the batch's report); while the disk is still
  full the store opens, ``kb check`` passes and the files stored before are
  intact and searchable; once space is freed, a rerun completes.
* A disk that another program filled: the write that hits ENOSPC (SQLite's
  "database or disk is full", or the vector store's OSError) is raised as
  DiskFull, the store keeps the old version and its journal is finished.

The ingest stops before the disk is quite full (``knowledge_base.diskspace``):
run dry inside Chroma, the first version of this test left a vector index
that could not be read again (truncated HNSW files, queries crashing).
"""

import errno
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from knowledge_base.errors import DiskFull
from knowledge_base.index import SqliteIndex
from knowledge_base.store import FileContent, Store
from knowledge_base.types import Chunk, FileRecord
from knowledge_base.vectors import MemoryVectorStore

from .test_crash_resume import WORDS

# A 40 MB disk that already holds 16 MB of other data, with faultdesk's default 8 MB
# reserve: about 16 MB of room, less than the ~18 MB knowledge base of FILES notes (SQLite
# with FTS5, Chroma and the tantivy keyword index; ~22 MB at its peak while being written),
# which fits once the other data is deleted.
DISK_MB, OTHER_MB = 40, 16
FILES = 115


def cli(*args, timeout=300):
    env = os.environ | {"FAULTDESK_EMBEDDER": "hash"}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture
def small_disk():
    """A tmpfs of DISK_MB (we run as root), unmounted afterwards. Mounted outside
    pytest's tmp_path, which a concurrent pytest session may clean up."""
    with tempfile.TemporaryDirectory(prefix="faultdesk-disk-") as tmp:
        mnt = Path(tmp) / "disk"
        mnt.mkdir()
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(mnt)],
                                 capture_output=True, text=True, check=False)
        if mounted.returncode:
            pytest.skip(f"cannot mount a tmpfs (needs root): {mounted.stderr.strip()}")
        try:
            yield mnt
        finally:
            subprocess.run(["umount", "--lazy", str(mnt)], check=True)


def make_corpus(root):
    """FILES notes of 40 paragraphs, each with one word no other file has (``tagNNN``)."""
    root.mkdir()
    for i in range(FILES):
        paras = [f"tag{i:03d} paragraph {j}: inspect the {WORDS[(i + j) % len(WORDS)]} and the "
                 f"{WORDS[(i * 7 + j) % len(WORDS)]}, torque {i * 31 + j} Nm. " * 8 for j in range(40)]
        (root / f"note{i:03d}.md").write_text(f"# Note {i}\n\n## 1 Findings\n\n" + "\n\n".join(paras) + "\n")
    return root


def catalog(kb):
    """{path: (chunk_count, chunks present)} read straight from SQLite."""
    con = sqlite3.connect(f"file:{kb / 'index.sqlite'}?mode=ro", uri=True)
    try:
        return {p: (n, con.execute("SELECT COUNT(*) FROM chunks WHERE file_path=?", (p,)).fetchone()[0])
                for p, n in con.execute("SELECT path, chunk_count FROM files")}
    finally:
        con.close()


def one_line_error(stderr: str) -> str:
    """The path named by the one ``error: <path>: ...`` line, which must say the disk is full."""
    assert "Traceback" not in stderr, stderr
    lines = [ln for ln in stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1, stderr
    path, problem = lines[0].removeprefix("error: ").split(": ", 1)
    assert "nearly full" in problem and "free some space" in problem, problem
    return path


@pytest.mark.slow
def test_ingest_into_a_full_disk_fails_cleanly_and_the_store_stays_usable(small_disk):
    corpus, kb = make_corpus(small_disk.parent / "corpus"), small_disk / "kb"
    other = small_disk / "other-data.bin"
    other.write_bytes(os.urandom(OTHER_MB * 2**20))

    full = cli("ingest", corpus, "--kb", kb, "--json")
    assert full.returncode == 1 and "Traceback" not in full.stderr, full.stderr
    report = json.loads(full.stdout)
    assert len(report["failed"]) == 1, report
    failed = report["failed"][0]
    assert failed["path"].startswith(str(corpus)) and "\n" not in failed["error"]
    assert "nearly full" in failed["error"] and any("ingest stopped" in n for n in report["notes"])
    stored = catalog(kb)
    assert 5 <= len(stored) == report["added"] < FILES and failed["path"] not in stored

    # the disk is still full: the store opens, is consistent and answers searches
    check = cli("kb", "check", "--kb", kb)
    assert check.returncode == 0 and check.stdout.strip() == "ok", check.stdout + check.stderr
    assert all(n == present for n, present in stored.values())
    for path in sorted(stored)[:: max(1, len(stored) // 3)]:
        found = cli("search", f"tag{int(path[-6:-3]):03d}", "--kb", kb, "--json", "-k", "3")
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)[0]["source"] == path

    # a second run (SQLite gave its WAL back on close) stores what fits, then stops the same way
    again = cli("ingest", corpus, "--kb", kb)
    assert again.returncode == 1
    refused = one_line_error(again.stderr)
    now = catalog(kb)
    assert refused not in now and all(now[p] == stored[p] for p in stored)
    assert cli("kb", "check", "--kb", kb).stdout.strip() == "ok"

    other.unlink()  # free space
    rerun = cli("ingest", corpus, "--kb", kb, "--json")
    assert rerun.returncode == 0, rerun.stderr
    done = json.loads(rerun.stdout)
    assert done["failed"] == [] and done["unchanged"] == len(now) and done["added"] == FILES - len(now)
    assert cli("kb", "check", "--kb", kb).stdout.strip() == "ok"
    assert len(catalog(kb)) == FILES


def content(path: str, n: int, size: int = 2000) -> FileContent:
    chunks = tuple(Chunk(f"{path}#{i}", f"{path} part {i} " + "x" * size, path, ordinal=i) for i in range(n))
    return FileContent(FileRecord(path, f"sha-{path}-{n}", n * size, 0.0, n), chunks)


def vectors_for(c: FileContent) -> dict[str, list[float]]:
    return {ch.id: [1.0, float(i)] for i, ch in enumerate(c.chunks)}


def fill(folder: Path) -> Path:
    """Write a file until the disk refuses (ENOSPC); returns it."""
    filler = folder / "filler.bin"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


@pytest.mark.integration
def test_sqlite_running_out_of_space_is_disk_full_and_keeps_the_old_version(small_disk):
    store = Store(SqliteIndex(small_disk / "index.sqlite"), MemoryVectorStore())  # no guard: the raw failure
    old = content("/docs/a.md", 3)
    store.replace_file(old, vectors_for(old))
    filler = fill(small_disk)
    new = content("/docs/a.md", 400)
    with pytest.raises(DiskFull, match="no space left on the disk of knowledge base") as err:
        store.replace_file(new, vectors_for(new))
    assert "\n" not in str(err.value)
    assert store.index.chunk_ids() == {c.id for c in old.chunks} and store.check() == []
    filler.unlink()
    store.replace_file(new, vectors_for(new))
    assert store.stats()["chunks"] == 400 and store.check() == []
    store.close()


class FullVectors(MemoryVectorStore):
    """A vector store whose disk is full: upserts fail with ENOSPC."""

    def upsert(self, ids, vectors, metadatas) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.unit
def test_vector_store_running_out_of_space_is_disk_full_and_the_journal_is_finished():
    store = Store(SqliteIndex(":memory:"), FullVectors())
    c = content("/docs/b.md", 2)
    with pytest.raises(DiskFull, match="no space left"):
        store.replace_file(c, vectors_for(c))
    assert store.stats()["journal"] == 0 and store.catalog() == {} and store.check() == []
