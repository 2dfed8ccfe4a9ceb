"""The tantivy keyword index: ranking, filters, incremental edits, and its
consistency with SQLite through the keyword journal (crash between the two
commits, rebuild, kb check)."""

import pytest

from knowledge_base import keyword_index, keyword_sync
from knowledge_base.errors import StoreError
from knowledge_base.index import SqliteIndex
from knowledge_base.keyword_index import KeywordIndex
from knowledge_base.keyword_text import terms
from knowledge_base.store import FileContent, Store
from knowledge_base.types import Chunk, FileRecord
from knowledge_base.vectors import MemoryVectorStore

pytestmark = pytest.mark.unit


def content(path, texts, model="CP-80S", codes=()):
    chunks = tuple(Chunk(f"{path}#{i}", t, path, i, section=("4 Troubleshooting",), title=f"{model} manual",
                         equipment_model=model, fault_codes=codes if i == 0 else ())
                   for i, t in enumerate(texts))
    return FileContent(FileRecord(path, f"sha-{hash(texts) & 0xffff:x}", 1, 0.0, len(chunks)), chunks)


def vectors(c: FileContent):
    return {ch.id: [1.0, float(i)] for i, ch in enumerate(c.chunks)}


def open_kb(tmp_path, backend="tantivy", vecs=None):
    return Store(SqliteIndex(tmp_path / "index.sqlite"), vecs or MemoryVectorStore(),
                 keywords=KeywordIndex(tmp_path / "keywords"), keyword_backend=backend)


def ids(store, q, k=10, **where):
    return [h.chunk.id for h in store.keyword_search(q, k, where or None)]


def test_same_tokens_for_index_and_query():
    assert terms("Replacing the BEARINGS, café") == ["replac", "the", "bear", "cafe"]
    idx = KeywordIndex(None)
    idx.replace(["/a"], [(7, Chunk("x", "bearings replaced", "/a"))])
    assert [r for r, _ in idx.search("Bearing REPLACING", 5)] == [7]


def test_field_weights_rank_codes_and_text_over_title(tmp_path):
    s = open_kb(tmp_path)
    a = content("/m/a.pdf", ("the seal of the pump leaks", "gearbox oil level"), model="impeller")  # title only
    b = content("/m/b.pdf", ("replace the impeller and the gasket", "the drive shows a fault"), codes=("E104",))
    for c in (a, b):
        s.replace_file(c, vectors(c))
    assert ids(s, "impeller")[0] == "/m/b.pdf#0"  # body text (1.0) over title (0.2)
    assert ids(s, "what is e104")[0] == "/m/b.pdf#0"  # the codes field


def test_filters_restrict_every_field(tmp_path):
    s = open_kb(tmp_path)
    for path, model in (("/m/a.pdf", "CP-80S"), ("/m/b.pdf", "RS-37E")):
        c = content(path, ("bearing noise at the drive end", "check the belt"), model=model)
        s.replace_file(c, vectors(c))
    assert set(ids(s, "bearing")) == {"/m/a.pdf#0", "/m/b.pdf#0"}
    assert ids(s, "bearing", equipment_model="RS-37E") == ["/m/b.pdf#0"]
    assert ids(s, "bearing", source="/m/a.pdf") == ["/m/a.pdf#0"]
    assert ids(s, "bearing", kind="text", doc_type="manual", equipment_model="none") == []
    with pytest.raises(StoreError, match="unknown filter"):
        ids(s, "bearing", colour="red")


def test_edits_are_incremental_and_removals_leave_no_document(tmp_path):
    s = open_kb(tmp_path)
    a = content("/m/a.pdf", ("old gasket text", "belt tension"))
    b = content("/m/b.pdf", ("gasket on the other machine",))
    s.replace_file(a, vectors(a))
    s.replace_file(b, vectors(b))
    a2 = content("/m/a.pdf", ("new impeller text",))
    s.replace_file(a2, vectors(a2))
    assert ids(s, "gasket") == ["/m/b.pdf#0"] and ids(s, "impeller") == ["/m/a.pdf#0"]
    assert s.keywords.count() == 2 and s.check() == []
    s.remove_file("/m/b.pdf")
    assert ids(s, "gasket") == [] and s.keywords.count() == 1 and s.check() == []


def test_many_small_commits_are_merged(tmp_path):
    s = open_kb(tmp_path)
    for n in range(3 * keyword_index.MAX_SEGMENTS):
        c = content(f"/m/{n}.pdf", (f"note {n} on the coupling",))
        s.replace_file(c, vectors(c))
    assert s.keywords.segments() <= keyword_index.MAX_SEGMENTS + 1
    assert len(ids(s, "coupling", k=100)) == 3 * keyword_index.MAX_SEGMENTS


def test_a_crash_between_sqlite_and_the_keyword_commit_is_finished_on_open(tmp_path, monkeypatch):
    s = open_kb(tmp_path)
    a = content("/m/a.pdf", ("valve seat worn",))
    s.replace_file(a, vectors(a))
    a2 = content("/m/a.pdf", ("strainer blocked",))
    monkeypatch.setattr(KeywordIndex, "replace", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        s.replace_file(a2, vectors(a2))
    monkeypatch.undo()
    assert s.index.keyword_owed() == ["/m/a.pdf"]
    assert any("owes file /m/a.pdf" in p for p in s.check())
    s.close()
    again = open_kb(tmp_path, vecs=s.vectors)  # recover() syncs what the journal owes
    assert again.index.keyword_owed() == [] and again.check() == []
    assert ids(again, "strainer") == ["/m/a.pdf#0"] and ids(again, "valve") == []


def test_sync_is_idempotent(tmp_path):
    s = open_kb(tmp_path)
    a = content("/m/a.pdf", ("motor hum", "fan noise"))
    s.replace_file(a, vectors(a))
    before = s.keyword_search("motor fan", 10)
    for _ in range(3):
        keyword_sync.sync(s.index, s.keywords, ["/m/a.pdf"])
    assert s.keywords.count() == 2 and s.check() == []
    assert [(h.chunk.id, h.score) for h in s.keyword_search("motor fan", 10)] == \
        [(h.chunk.id, pytest.approx(h.score)) for h in before]


def test_check_finds_a_lost_index_and_repair_rebuilds_it(tmp_path):
    s = open_kb(tmp_path)
    a = content("/m/a.pdf", ("encoder cable", "encoder fault"))
    s.replace_file(a, vectors(a))
    s.keywords.replace(["/m/a.pdf"], [])  # the index loses the file behind SQLite's back
    problems = s.check()
    assert len(problems) == 2 and all("not in the keyword index" in p for p in problems)
    assert s.repair_keywords() == 2 and s.check() == []
    assert set(ids(s, "encoder")) == {"/m/a.pdf#0", "/m/a.pdf#1"}


def test_a_missing_or_outdated_index_is_rebuilt_on_open(tmp_path, monkeypatch):
    s = open_kb(tmp_path)
    a = content("/m/a.pdf", ("thermostat drift",))
    s.replace_file(a, vectors(a))
    s.close()
    import shutil

    shutil.rmtree(tmp_path / "keywords")
    assert ids(open_kb(tmp_path), "thermostat") == ["/m/a.pdf#0"]
    monkeypatch.setattr(keyword_index, "FORMAT", "next")
    again = open_kb(tmp_path)
    assert again.index.meta(keyword_sync.FORMAT_KEY) == "next"
    assert keyword_sync.problems(again.index, again.keywords) == []


def test_fts5_baseline_finds_the_same_chunks(tmp_path):
    s = open_kb(tmp_path)
    c = content("/m/a.pdf", ("pressure sensor drift after calibration", "belt slipping", "sensor cable"))
    s.replace_file(c, vectors(c))
    tantivy = ids(s, "sensor drift")
    s.keyword_backend = "fts5"
    assert set(ids(s, "sensor drift")) == set(tantivy) and tantivy[0] == "/m/a.pdf#0"
