"""Chinese manuals are searchable by the keyword lane (FTS5 and tantivy):
CJK runs are indexed and queried as character bigrams (knowledge_base.cjk_terms)."""

import pytest

from knowledge_base.index import SqliteIndex
from knowledge_base.keyword_index import KeywordIndex
from knowledge_base.store import FileContent, Store
from knowledge_base.types import Chunk, FileRecord
from knowledge_base.vectors import MemoryVectorStore

pytestmark = pytest.mark.unit

TEXTS = ("更换驱动端轴承前，必须先上锁挂牌并排空泵壳。", "检查联轴器对中，偏差不得超过0.05毫米。",
         "Replace the drive-end bearing after E-104 recurs.")


@pytest.mark.parametrize("backend", ["fts5", "tantivy"])
def test_chinese_words_inside_a_run_are_found(tmp_path, backend):
    store = Store(SqliteIndex(tmp_path / "index.sqlite"), MemoryVectorStore(),
                  keywords=KeywordIndex(tmp_path / "keywords"), keyword_backend=backend)
    chunks = tuple(Chunk(f"/m/zh.md#{i}", t, "/m/zh.md", i) for i, t in enumerate(TEXTS))
    store.replace_file(FileContent(FileRecord("/m/zh.md", "sha", 1, 0.0, 3), chunks),
                       {c.id: [1.0, float(i)] for i, c in enumerate(chunks)})

    def top(q):
        return [h.chunk.id for h in store.keyword_search(q, 3)][:1]

    assert top("轴承怎么换") == ["/m/zh.md#0"]  # "轴承" sits inside a longer run in the text
    assert top("对中偏差") == ["/m/zh.md#1"]
    assert top("drive-end bearing") == ["/m/zh.md#2"]  # English indexes as before
