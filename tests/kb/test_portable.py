"""kb export / import: an archive round-trips a knowledge base exactly, and an
import interrupted at any point (an injected failure, or a killed process)
ends consistent and complete when it is run again."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from assistant.cli import main
from ingest.pipeline import Ingestor
from knowledge_base.embedder import HashEmbedder
from knowledge_base.errors import EmbeddingMismatch, StoreError
from knowledge_base.portable import _decode, export_kb, import_kb
from knowledge_base.settings import Settings, get_settings
from knowledge_base.index import SqliteIndex
from knowledge_base.store import FileContent, Store
from knowledge_base.store_open import open_store
from knowledge_base.types import Chunk, FileRecord
from knowledge_base.vectors import MemoryVectorStore

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = [DATA / n for n in ("manual.md", "manual.pdf", "manual.docx", "log_export.csv", "log_lines.jsonl")]


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    base = tmp_path_factory.mktemp("source")
    store = open_store(Settings(kb=base / "kb"))
    assert Ingestor(store, HashEmbedder()).run(CORPUS).failed == ()
    export_kb(store, base / "kb.tar")
    yield store, base / "kb.tar"
    store.close()


def same_kb(a, b) -> bool:
    """Same catalog, chunks, work orders, embedding model and vectors."""
    def rows(store):
        return ({p: r.sha256 for p, r in store.catalog().items()}, store.index.chunks(sorted(store.index.chunk_ids())),
                store.index.work_orders(), store.embedder())

    ids = sorted(a.index.chunk_ids())
    va, vb = (np.array([got[i] for i in ids]) for got in (a.vectors.get(ids), b.vectors.get(ids)))
    return rows(a) == rows(b) and va.shape == vb.shape == (len(ids), a.embedder()[1]) and np.allclose(va, vb, atol=1e-6)


def test_round_trip_is_exact(source, tmp_path):
    src, archive = source
    target = open_store(Settings(kb=tmp_path / "kb"))
    report = import_kb(target, archive)
    assert (report.files, report.written, report.skipped, report.chunks) == \
        (len(CORPUS), len(CORPUS), 0, src.stats()["chunks"])
    assert target.check() == [] and same_kb(target, src)
    # The FTS5 index came along: same BM25 scores (compared as sets: the same
    # manual in three formats ties, and tied hits come in rowid order).
    assert {(h.chunk.id, round(h.score, 6)) for h in target.keyword_search("bearing vibration", k=1000)} == \
        {(h.chunk.id, round(h.score, 6)) for h in src.keyword_search("bearing vibration", k=1000)}


def test_archive_layout(source):
    src, archive = source
    with tarfile.open(archive) as tar:
        assert tar.getnames() == ["manifest.json", "index.sqlite", "vectors.jsonl"]
        manifest = json.load(tar.extractfile("manifest.json"))
        lines = [json.loads(line) for line in tar.extractfile("vectors.jsonl")]
    assert (manifest["format"], manifest["version"], manifest["embedder"]) == \
        ("faultdesk-kb", 1, {"name": "hash-bow", "dim": 256})
    assert manifest["chunks"] == len(lines) == src.stats()["chunks"]
    sources = [line["metadata"]["source"] for line in lines]
    assert sources == sorted(sources)  # grouped by file, in path order
    stored = src.vectors.get([lines[0]["id"]])[lines[0]["id"]]
    assert _decode(lines[0]["vector"]) == pytest.approx(stored, abs=1e-7)


@pytest.mark.parametrize("fail_in", ["vector upsert", "sqlite commit"])
def test_interrupted_import_rerun_ends_consistent(source, tmp_path, monkeypatch, fail_in):
    src, archive = source
    settings = Settings(kb=tmp_path / "kb")
    target = open_store(settings)
    obj, name = (target.vectors, "upsert") if fail_in == "vector upsert" else (target.index, "replace_file")
    real, calls = getattr(obj, name), []

    def fail_on_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # as Ctrl-C would, between the journal and the commit
        return real(*args, **kwargs)

    monkeypatch.setattr(obj, name, fail_on_third)
    with pytest.raises(KeyboardInterrupt):
        import_kb(target, archive)
    monkeypatch.undo()
    target.close()

    again = open_store(settings)  # finishes the journal
    assert again.check() == [] and len(again.catalog()) == 2
    report = import_kb(again, archive)
    assert (report.written, report.skipped) == (len(CORPUS) - 2, 2)
    assert again.check() == [] and same_kb(again, src)


def test_import_refuses_another_embedding_model(source, tmp_path):
    target = open_store(Settings(kb=tmp_path / "kb"))
    target.check_embedder("hash-bow", 64)
    with pytest.raises(EmbeddingMismatch, match="hash-bow \\(64 dims\\), not hash-bow \\(256 dims\\)"):
        import_kb(target, source[1])
    assert target.stats()["chunks"] == 0


def test_bad_archives_are_one_line_store_errors(tmp_path):
    target = open_store(Settings(kb=tmp_path / "kb"))
    (tmp_path / "notes.txt").write_text("not a tar\n")
    with tarfile.open(tmp_path / "empty.tar", "w"):
        pass
    with tarfile.open(tmp_path / "other.tar", "w") as tar:
        (tmp_path / "manifest.json").write_text(json.dumps({"format": "something-else"}))
        tar.add(tmp_path / "manifest.json", "manifest.json")
    for name, problem in (("notes.txt", "not a knowledge-base archive"), ("empty.tar", "no manifest.json"),
                          ("other.tar", "not a faultdesk-kb archive")):
        with pytest.raises(StoreError, match=problem) as err:
            import_kb(target, tmp_path / name)
        assert str(err.value).startswith(str(tmp_path / name)) and "\n" not in str(err.value)


def test_export_of_an_empty_kb_is_refused(tmp_path):
    with pytest.raises(StoreError, match="empty: nothing to export"):
        export_kb(open_store(Settings(kb=tmp_path / "kb")), tmp_path / "kb.tar")
    assert not (tmp_path / "kb.tar").exists()


def test_cli_export_then_import(source, tmp_path):
    get_settings.cache_clear()
    runner, src_kb = CliRunner(), Path(source[0].index.path).parent
    out = runner.invoke(main, ["kb", "export", "--out", str(tmp_path / "a.tar"), "--kb", str(src_kb), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["files"] == len(CORPUS)
    out = runner.invoke(main, ["kb", "import", str(tmp_path / "a.tar"), "--kb", str(tmp_path / "kb")])
    assert out.exit_code == 0, out.output
    assert out.output.startswith(f"imported {len(CORPUS)} files (0 already there)")
    assert runner.invoke(main, ["kb", "check", "--kb", str(tmp_path / "kb")]).output == "ok\n"


# -- a killed import into a Chroma server --------------------------------------

def synthetic_kb(kb: Path, files: int = 40, size: int = 100):
    """A knowledge base of ``files`` files of ``size`` chunks each, written
    directly (vectors in memory: enough to export it)."""
    store, embedder = Store(SqliteIndex(kb / "index.sqlite"), MemoryVectorStore()), HashEmbedder()
    store.check_embedder(embedder.name, embedder.dim)
    words = "bearing seal impeller coupling motor valve filter belt pulley gearbox sensor fan shaft".split()
    for f in range(files):
        path = f"/plant/manual_{f:03d}.md"
        chunks = tuple(Chunk(f"c{f:03d}-{i:03d}", f"Step {i}: check the {words[(f + i) % 13]} and the "
                             f"{words[(f * i) % 13]}, torque {f * 7 + i} Nm.", path, i) for i in range(size))
        vectors = dict(zip([c.id for c in chunks], embedder.embed_batch([c.embed_text() for c in chunks])))
        store.replace_file(FileContent(FileRecord(path, f"{f:064x}", 1, 0.0, size), chunks), vectors)
    return store


def files_done(kb: Path) -> int:
    try:
        with sqlite3.connect(f"file:{kb / 'index.sqlite'}?mode=ro", uri=True, timeout=1) as con:
            return con.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_killed_import_into_a_server_resumes_to_the_exported_kb(chroma_url, tmp_path):
    src = synthetic_kb(tmp_path / "src")
    export_kb(src, tmp_path / "kb.tar")
    kb, env = tmp_path / "kb", os.environ | {"FAULTDESK_CHROMA_URL": chroma_url}
    cmd = [sys.executable, "-m", "assistant.cli", "kb", "import", str(tmp_path / "kb.tar"), "--kb", str(kb), "--json"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while files_done(kb) < 5 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    done = files_done(kb)
    assert 5 <= done < 40, f"killed after {done} files"

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert (json.loads(rerun.stdout)["skipped"], json.loads(rerun.stdout)["written"]) == (done, 40 - done)
    target = open_store(Settings(kb=kb, chroma_url=chroma_url))
    assert target.check() == [] and same_kb(target, src)
