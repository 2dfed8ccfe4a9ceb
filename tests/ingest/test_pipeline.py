"""Idempotent batch ingest: unchanged, edited, deleted, bad files; the CLI summary."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.pipeline import Ingestor
from knowledge_base.embedder import HashEmbedder
from knowledge_base.index import SqliteIndex
from knowledge_base.store import Store
from knowledge_base.vectors import MemoryVectorStore

pytestmark = pytest.mark.integration

MANUAL = """# AquaMax CP-80S Centrifugal Pump - Service Manual

Model: CP-80S

## 4 Fault codes

| Code | Description | Possible cause | Remedy |
|---|---|---|---|
| E-104 | High bearing vibration | Worn drive-end bearing | Replace bearing, see 5.3 |
| E-107 | Cavitation | Low suction pressure | Clean the suction strainer |

## 5 Repair

### 5.3 Replacing the drive-end bearing

WARNING: Lock out and tag out the motor supply before opening the pump.

To replace the bearing:

1. Isolate the pump and drain the casing.
2. Remove the coupling guard.
3. Pull the old bearing and fit a new one.
"""

LOG = "WO,Asset,Reported,Failure Code,Problem,Cause,Remedy,Downtime_h\n" \
      "WO-1,P-3,2025-03-01,E-104,rattle,worn bearing,replaced bearing,3.5\n" \
      "WO-2,P-1,2025-04-02,E-107,crackling noise,clogged strainer,cleaned strainer,1\n"


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "docs"
    (root / "logs").mkdir(parents=True)
    (root / "pump.md").write_text(MANUAL)
    (root / "notes.txt").write_text("GENERAL NOTES\n\nKeep the pump room dry and ventilated.\n")
    (root / "logs" / "wo.csv").write_text(LOG)
    return root


class CountingEmbedder(HashEmbedder):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def embed_batch(self, texts):
        self.calls += len(texts)
        return super().embed_batch(texts)


@pytest.fixture
def store(tmp_path):
    return Store(SqliteIndex(tmp_path / "kb" / "index.sqlite"), MemoryVectorStore())


def run(store, paths, prune=False, embedder=None):
    emb = embedder or CountingEmbedder()
    return Ingestor(store, emb, batch_size=4).run(paths, prune=prune), emb


def test_second_identical_run_changes_nothing(store, corpus):
    first, emb1 = run(store, [corpus])
    assert (first.added, first.failed) == (3, ())
    assert first.chunks == emb1.calls > 0
    snapshot = (store.catalog(), store.index.chunk_ids(), store.stats())
    again, emb2 = run(store, [corpus])
    assert (again.added, again.updated, again.unchanged, again.chunks) == (0, 0, 3, 0)
    assert emb2.calls == 0
    assert (store.catalog(), store.index.chunk_ids(), store.stats()) == snapshot
    assert store.check() == []


def test_edited_file_is_replaced_and_only_new_chunks_embedded(store, corpus):
    run(store, [corpus])
    before = store.index.chunk_ids(str((corpus / "pump.md").resolve()))
    (corpus / "pump.md").write_text(MANUAL.replace("Remove the coupling guard.", "Remove the guard and the coupling."))
    rep, emb = run(store, [corpus])
    assert (rep.updated, rep.unchanged) == (1, 2)
    after = store.index.chunk_ids(str((corpus / "pump.md").resolve()))
    assert len(after - before) == 1 and emb.calls == 1  # only the edited procedure
    assert store.keyword_search("coupling guard", k=5)[0].chunk.text.count("guard and the coupling") == 1
    assert store.check() == []


def test_prune_removes_deleted_files_only_when_asked(store, corpus):
    run(store, [corpus])
    (corpus / "notes.txt").unlink()
    assert run(store, [corpus])[0].removed == 0
    assert len(store.catalog()) == 3
    rep, _ = run(store, [corpus], prune=True)
    assert rep.removed == 1 and len(store.catalog()) == 2
    assert store.keyword_search("ventilated", k=5) == []
    assert store.check() == []


def test_prune_leaves_files_outside_the_given_folders(store, corpus, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.md").write_text("# X\n\nSome other manual text.\n")
    run(store, [corpus, other])
    shutil.rmtree(other)
    rep, _ = run(store, [corpus], prune=True)
    assert rep.removed == 0 and len(store.catalog()) == 4


def test_bad_file_fails_alone_and_keeps_its_old_version(store, corpus):
    run(store, [corpus])
    (corpus / "logs" / "wo.csv").write_bytes(b'WO,Asset,Problem\n"WO-9,P-3,unclosed quote\n')
    (corpus / "empty.md").write_bytes(b"")
    rep, _ = run(store, [corpus])
    failed = {Path(f.path).name: f.error for f in rep.failed}
    assert set(failed) == {"wo.csv", "empty.md"}
    assert all("\n" not in e and Path(p).name in e for p, e in ((f.path, f.error) for f in rep.failed))
    assert rep.unchanged == 2
    assert {w.wo_id for w in store.index.work_orders()} == {"WO-1", "WO-2"}  # old version kept


def test_missing_path_and_unknown_extension_are_reported(store, corpus):
    (corpus / "drawing.dwg").write_bytes(b"\x00\x01")
    rep, _ = run(store, [corpus, corpus / "drawing.dwg", corpus / "nope.pdf"])
    names = sorted(Path(f.path).name for f in rep.failed)
    assert names == ["drawing.dwg", "nope.pdf"]
    assert rep.added == 3  # the folder walk itself skips unsupported files silently


def test_ignore_file_excludes_paths(store, corpus):
    (corpus / ".faultdeskignore").write_text("# not for the KB\nlogs/\nnotes.txt\n")
    rep, _ = run(store, [corpus])
    assert rep.files_seen == 1 and [Path(p).name for p in store.catalog()] == ["pump.md"]


def test_manual_structure_reaches_the_store(store, corpus):
    run(store, [corpus])
    kinds = {h.chunk.kind for h in store.keyword_search("bearing pump lock", k=20)}
    assert {"table_row", "procedure", "warning"} <= kinds
    row = store.keyword_search("cavitation", k=1)[0].chunk
    assert row.fault_codes == ("E107",) and row.equipment_model == "CP-80S"
    proc = [h.chunk for h in store.keyword_search("coupling guard", k=5) if h.chunk.kind == "procedure"][0]
    assert "1. Isolate" in proc.text and "3. Pull" in proc.text
    assert proc.section[-1].startswith("5.3")


def test_cli_json_summary_and_exit_code(tmp_path, corpus, monkeypatch):
    from assistant.cli import main
    from knowledge_base.settings import get_settings

    monkeypatch.setenv("FAULTDESK_EMBEDDER", "hash")
    get_settings.cache_clear()
    kb = str(tmp_path / "cli-kb")
    res = CliRunner().invoke(main, ["ingest", str(corpus), "--kb", kb, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert set(out) >= {"files_seen", "added", "updated", "unchanged", "removed", "failed", "chunks", "seconds"}
    assert out["added"] == 3 and out["failed"] == []
    res = CliRunner().invoke(main, ["ingest", str(corpus), "--kb", kb, "--json"])
    assert json.loads(res.output)["unchanged"] == 3
    (corpus / "bad.pdf").write_bytes(b"%PDF-1.4 truncated")
    res = CliRunner().invoke(main, ["ingest", str(corpus), "--kb", kb, "--json"])
    assert res.exit_code == 1
    out = json.loads(res.output)
    assert [Path(f["path"]).name for f in out["failed"]] == ["bad.pdf"] and out["unchanged"] == 3
    get_settings.cache_clear()


def test_an_unexpected_error_costs_one_file_not_the_batch(store, corpus, monkeypatch):
    from ingest.chunker import Chunker

    real = Chunker.chunk

    def flaky(self, doc, source, equipment_model=None):
        if source.endswith("notes.txt"):
            raise ValueError("boom\nsecond line")
        return real(self, doc, source, equipment_model)

    monkeypatch.setattr(Chunker, "chunk", flaky)
    rep, _ = run(store, [corpus])
    assert rep.added == 2 and len(rep.failed) == 1
    assert rep.failed[0].error.endswith("internal error while chunking: ValueError: boom second line")


def _orders(store):
    return sorted(w.wo_id for w in store.index.work_orders())


def test_the_same_file_under_two_paths_is_stored_once(store, corpus, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)  # the same tree reached under another path
    (corpus / "logs" / "again.csv").write_text(LOG)  # and the log saved twice under another name
    rep, _ = run(store, [corpus, copy])
    assert (rep.added, rep.unchanged, rep.failed) == (3, 4, ())
    assert _orders(store) == ["WO-1", "WO-2"]  # counted once
    assert sum("stored once, not twice" in n for n in rep.notes) == 4
    snapshot = (store.catalog(), store.index.chunk_ids(), store.stats())
    again, emb = run(store, [copy, corpus])  # another order changes nothing either
    assert (again.added, again.updated, again.removed, emb.calls) == (0, 0, 0, 0)
    assert (store.catalog(), store.index.chunk_ids(), store.stats()) == snapshot
    assert {r.rel_path for r in store.catalog().values()} == {"pump.md", "notes.txt", "logs/again.csv"}
    assert store.check() == []


def test_a_path_that_becomes_a_copy_of_another_drops_its_old_content(store, corpus):
    (corpus / "other.csv").write_text(LOG.replace("WO-1", "WO-7").replace("WO-2", "WO-8"))
    run(store, [corpus])
    assert _orders(store) == ["WO-1", "WO-2", "WO-7", "WO-8"]
    (corpus / "other.csv").write_text(LOG)
    rep, _ = run(store, [corpus])
    assert rep.removed == 1 and _orders(store) == ["WO-1", "WO-2"]
    assert str((corpus / "other.csv").resolve()) not in store.catalog()


def test_a_moved_file_is_moved_without_embedding_again(store, corpus):
    run(store, [corpus])
    before = store.stats()
    (corpus / "pump.md").rename(corpus / "pump_manual.md")
    rep, emb = run(store, [corpus])  # no --prune: the move is recognised by content
    assert (rep.added, rep.removed, emb.calls) == (1, 1, 0)
    assert [Path(p).name for p in store.catalog()].count("pump_manual.md") == 1
    assert "pump.md" not in [Path(p).name for p in store.catalog()]
    assert store.stats() == before and store.check() == []
    assert run(store, [corpus])[0].unchanged == 3


def test_a_knowledge_base_from_before_content_identity_opens_and_is_brought_up_to_date(tmp_path, corpus):
    import sqlite3

    db = tmp_path / "old" / "index.sqlite"
    db.parent.mkdir()
    with sqlite3.connect(db) as con:  # the two tables as they were created before the new columns
        con.execute("CREATE TABLE files(path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
                    " mtime REAL NOT NULL, chunk_count INTEGER NOT NULL, doc_type TEXT NOT NULL,"
                    " ingested_at TEXT NOT NULL)")
        con.execute("CREATE TABLE work_orders(wo_id TEXT NOT NULL, file_path TEXT NOT NULL, asset_id TEXT, ts TEXT,"
                    " fault_code TEXT, fault_code_norm TEXT, symptom TEXT, cause TEXT, action TEXT,"
                    " downtime_h REAL, equipment_model TEXT, chunk_id TEXT, extra TEXT)")
        con.execute("INSERT INTO work_orders VALUES('OLD-1', '/gone.csv', 'P-9', NULL, 'E-1', 'E1', '', '', '',"
                    " NULL, NULL, NULL, '[]')")
    store = Store(SqliteIndex(db), MemoryVectorStore())
    assert [(w.wo_id, w.work_type) for w in store.index.work_orders()] == [("OLD-1", None)]
    rep, _ = run(store, [corpus])
    assert rep.added == 3 and all(r.content_sha for r in store.catalog().values())


def _stale_clone(store, corpus, tmp_path, monkeypatch):
    """Ingest ``corpus`` with an older pipeline (another salt), then copy it: the copy's path."""
    import ingest.pipeline as pipeline

    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", "older")
    run(store, [corpus])  # the knowledge base built by older code under other absolute paths
    monkeypatch.undo()
    clone = tmp_path / "clone"
    shutil.copytree(corpus, clone)  # the old tree still exists
    return clone


def test_a_twin_chunked_by_an_older_pipeline_does_not_hide_the_file(store, corpus, tmp_path, monkeypatch):
    """A stored twin whose chunks came from another salt is stale: the file is chunked and the twin replaced."""
    clone = _stale_clone(store, corpus, tmp_path, monkeypatch)
    rep, emb = run(store, [clone])
    assert (rep.added, rep.unchanged, rep.removed, rep.failed) == (3, 0, 3, ())
    assert rep.chunks > 0  # written afresh (identical chunk texts may reuse stored vectors)
    assert all(Path(p).is_relative_to(clone.resolve()) for p in store.catalog())
    assert _orders(store) == ["WO-1", "WO-2"]  # replaced, not duplicated
    assert store.check() == []
    snapshot = (store.catalog(), store.index.chunk_ids(), store.stats())
    again, emb = run(store, [clone, corpus])  # the old tree is now a duplicate of the fresh one
    assert (again.added, again.updated, again.removed, emb.calls) == (0, 0, 0, 0)
    assert (store.catalog(), store.index.chunk_ids(), store.stats()) == snapshot


def test_a_stale_twin_met_in_the_same_run_is_replaced_once(store, corpus, tmp_path, monkeypatch):
    clone = _stale_clone(store, corpus, tmp_path, monkeypatch)
    rep, _ = run(store, [clone, corpus])  # the fresh copy is claimed first, the stale twin is met later
    assert (rep.added, rep.removed, rep.failed) == (3, 3, ())
    assert _orders(store) == ["WO-1", "WO-2"] and len(store.catalog()) == 3
    assert store.check() == []


def test_a_replacement_cut_short_is_finished_by_the_next_run(store, corpus, tmp_path, monkeypatch):
    clone = _stale_clone(store, corpus, tmp_path, monkeypatch)
    monkeypatch.setattr(Ingestor, "_finish_moves", lambda self: None)  # stopped before the end of the run
    assert run(store, [clone])[0].added == 3 and len(store.catalog()) == 6
    monkeypatch.undo()
    rep, emb = run(store, [clone])
    assert (rep.added, rep.unchanged, rep.removed, emb.calls) == (0, 3, 3, 0)
    assert _orders(store) == ["WO-1", "WO-2"] and len(store.catalog()) == 3 and store.check() == []
