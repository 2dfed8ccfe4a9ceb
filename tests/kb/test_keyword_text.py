"""The tantivy keyword lane ranks as the FTS5 baseline does: the same tokens
and stems as SQLite's ``porter unicode61`` tokenizer (SQLite itself is the
oracle), FTS5's phrases, and the same bm25 scores to the bit."""

import random
import shutil
from pathlib import Path

import pytest
import tantivy

from benchmarks.keyword_tokens import fts5  # SQLite FTS5 read back through fts5vocab: the oracle
from knowledge_base.index import SqliteIndex
from knowledge_base.keyword_index import KeywordIndex
from knowledge_base.keyword_text import query_phrases, terms, tokens
from knowledge_base.store import FileContent, Store
from knowledge_base.types import Chunk, FileRecord
from knowledge_base.vectors import MemoryVectorStore

pytestmark = pytest.mark.unit
SAMPLES = Path(__file__).resolve().parents[2] / "knowledge_base" / "samples"
ODD = ["Straße Ærø café naïve Ünïcödé µm ς ﬁlter İstanbul trần nguyễn 🤗 x\u00a0y a_b 3.14 E-104",
       "eed ies sses feed agreed caresses ponies generalization oscillators hopping controlling",
       "a" * 70 + " " + "b" * 65 + "ing logi bli ably sky skies dying"]


def sample_texts() -> list[str]:
    files = [p for p in sorted(SAMPLES.rglob("*")) if p.suffix in (".md", ".txt", ".csv", ".jsonl", ".py")]
    return [p.read_text(errors="replace") for p in files][:200] + ODD


def test_tokens_and_stems_are_sqlites():
    texts = sample_texts()
    assert [terms(t) for t in texts] == fts5(texts, "porter unicode61")
    assert [tokens(t) for t in texts] == fts5(texts, "unicode61")


def test_query_phrases_as_the_fts5_lane_builds_them():
    assert query_phrases("Bearing bearings oil_temp_c the THE", ["ALARM:9"]) == \
        [("bear",), ("bear",), ("oil", "temp", "c"), ("the",), ("alarm", "9")]
    assert query_phrases("_ __ ?") == []


def store(tmp_path) -> Store:
    rng = random.Random(4)
    words = ("the pump seal bearing bearings replace replaced check valve oil temp c alarm fault motor noise "
             "coupling guard lock out drive end impeller of to a is").split()
    s = Store(SqliteIndex(tmp_path / "index.sqlite"), MemoryVectorStore(),
              keywords=KeywordIndex(tmp_path / "keywords"), keyword_backend="tantivy")
    for f in range(6):
        path = f"/m/{f}.pdf"
        chunks = tuple(Chunk(f"{path}#{i}", " ".join(rng.choices(words, k=rng.randint(3, 40)))
                             + (" oil_temp_c rose" if i % 7 == 0 else ""), path, i,
                             section=(f"{i % 4} {rng.choice(words)}",), title=f"CP-{f} pump manual",
                             equipment_model=f"CP-{f % 2}", fault_codes=("E104",) if i % 5 == 0 else ())
                       for i in range(40))
        s.replace_file(FileContent(FileRecord(path, f"h{f}", 1, 0.0, len(chunks)), chunks),
                       {c.id: [1.0, 0.0] for c in chunks})
    return s


QUERIES = [("what does E104 mean on the pump", ["E104"]), ("bearing bearings replaced", []),
           ("oil_temp_c alarm", []), ("the of to", []), ("CP-3 pump manual", []), ("coupling guard lock", []),
           ("noise at the drive end of the motor", ["E104"])]


def both(s: Store, where=None):
    out = []
    for q, codes in QUERIES:
        a = [(h.chunk.id, h.score) for h in s.keyword_search_fts5(q, 10, where, codes)]
        b = [(h.chunk.id, h.score) for h in s.keyword_search_tantivy(q, 10, where, codes)]
        out.append((a, b))
    return out


def test_tantivy_lane_equals_the_fts5_lane_scores_and_all(tmp_path):
    s = store(tmp_path)
    for where in (None, {"equipment_model": "CP-1"}, {"source": "/m/2.pdf", "kind": "text"}):
        for a, b in both(s, where):
            assert a and a == b
    # after edits (deleted documents in the index: row counts are counted, not looked up)
    path = "/m/0.pdf"
    chunks = (Chunk(f"{path}#new", "replaced the seal and the bearing", path, section=("5 Repair",)),)
    s.replace_file(FileContent(FileRecord(path, "h-new", 1, 0.0, 1), chunks), {chunks[0].id: [1.0, 0.0]})
    s.remove_file("/m/1.pdf")
    assert all(a == b for a, b in both(s))


def test_an_index_of_an_older_schema_is_rebuilt_on_open(tmp_path):
    s = store(tmp_path)
    want = both(s)
    s.close()
    shutil.rmtree(tmp_path / "keywords")
    (tmp_path / "keywords").mkdir()
    sb = tantivy.SchemaBuilder()  # what an older faultdesk left: another schema, no FORMAT mark
    sb.add_text_field("text", tokenizer_name="default")
    old = tantivy.Index(sb.build(), path=str(tmp_path / "keywords"))
    w = old.writer(15_000_000, 1)
    w.add_document(tantivy.Document(text="stale"))
    w.commit()
    del w, old
    again = Store(SqliteIndex(tmp_path / "index.sqlite"), MemoryVectorStore(),
                  keywords=KeywordIndex(tmp_path / "keywords"), keyword_backend="tantivy")
    assert again.keywords.count() == 240 and both(again) == want
