"""kb reembed: every chunk re-embedded from its SQLite text into a fresh
collection, the recorded model switched at once, resumable after a crash.
Two dimensions of the hash embedder stand in for two embedding models."""

import json
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from click.testing import CliRunner

from assistant.cli import main
from ingest.pipeline import Ingestor
from knowledge_base.embedder import HashEmbedder
from knowledge_base.errors import EmbeddingMismatch
from knowledge_base.reembed import reembed
from knowledge_base.settings import Settings, get_settings
from knowledge_base.store import FileContent
from knowledge_base.store_open import open_store
from knowledge_base.types import Chunk, FileRecord

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = [DATA / "manual.md", DATA / "log_export.csv", DATA / "log_lines.jsonl"]


class Counting(HashEmbedder):
    """Counts embedded texts; raises KeyboardInterrupt on batch ``fail_on``."""

    def __init__(self, dim: int, fail_on: int | None = None) -> None:
        super().__init__(dim)
        self.texts, self.batches, self.fail_on = 0, 0, fail_on

    def embed_batch(self, texts):
        self.batches += 1
        if self.batches == self.fail_on:
            raise KeyboardInterrupt
        self.texts += len(texts)
        return super().embed_batch(texts)


@pytest.fixture
def settings(tmp_path):
    s = Settings(kb=tmp_path / "kb")
    store = open_store(s)
    assert Ingestor(store, HashEmbedder(dim=64)).run(CORPUS).failed == ()
    store.close()
    return s


def collections(settings) -> list[str]:
    client = chromadb.PersistentClient(str(settings.kb / "chroma"), ChromaSettings(anonymized_telemetry=False))
    return sorted(c.name for c in client.list_collections())


def top(store, embedder, text="bearing replaced after vibration"):
    return [h.chunk.id for h in store.dense_search(embedder.embed(text), k=5)]


def test_reembed_switches_model_and_collection(settings):
    store = open_store(settings)
    old_collection, n = store.vectors.collection_name, store.stats()["chunks"]
    new = Counting(128)
    report = reembed(store, new, batch_size=8)
    assert (report.old_model, report.model, report.dim, report.chunks, report.embedded, report.kept) == \
        ("hash-bow (64 dims)", "hash-bow", 128, n, n, 0)
    assert new.texts == n and store.embedder() == ("hash-bow", 128) and store.check() == []
    assert collections(settings) == [store.vectors.collection_name] != [old_collection]
    again = open_store(settings)
    assert {len(v) for v in again.vectors.get(None).values()} == {128}
    assert top(again, new) == top(store, new) and len(top(again, new)) == 5
    with pytest.raises(EmbeddingMismatch, match="built with hash-bow \\(128 dims\\), not hash-bow \\(64 dims\\)"):
        Ingestor(again, HashEmbedder(dim=64)).run(CORPUS)


def test_interrupted_reembed_keeps_the_old_model_then_resumes(settings):
    store = open_store(settings)
    n, old = store.stats()["chunks"], HashEmbedder(dim=64)
    before = top(store, old)
    with pytest.raises(KeyboardInterrupt):
        reembed(store, Counting(128, fail_on=3), batch_size=4)
    store.close()

    store = open_store(settings)  # a new process: the old model still answers
    assert store.embedder() == ("hash-bow", 64) and store.check() == [] and top(store, old) == before
    assert len(collections(settings)) == 2  # the live one and the unfinished target
    resumed = Counting(128)
    report = reembed(store, resumed, batch_size=4)
    assert (report.kept, report.embedded, resumed.texts) == (8, n - 8, n - 8)
    assert store.embedder() == ("hash-bow", 128) and store.check() == []
    assert collections(settings) == [store.vectors.collection_name]


def test_reembed_with_yet_another_model_drops_the_unfinished_target(settings):
    store = open_store(settings)
    with pytest.raises(KeyboardInterrupt):
        reembed(store, Counting(128, fail_on=2), batch_size=4)
    report = reembed(store, Counting(32), batch_size=4)
    assert (report.kept, report.dim) == (0, 32) and store.check() == []
    assert collections(settings) == [store.vectors.collection_name]


def test_chunks_written_during_a_reembed_are_followed(settings):
    store = open_store(settings)
    old, path = HashEmbedder(dim=64), "/plant/late_note.md"
    late = Chunk("late-1", "Late note: the coupling insert was replaced.", path)

    def ingest_meanwhile(_done: int) -> None:
        if not store.index.existing_ids(["late-1"]):  # an ingest on the old model, mid-run
            store.replace_file(FileContent(FileRecord(path, "d" * 64, 1, 0.0, 1), (late,)),
                               {late.id: old.embed(late.embed_text())})

    report = reembed(store, HashEmbedder(dim=128), batch_size=4, progress=ingest_meanwhile)
    assert report.chunks == report.embedded and store.check() == []
    assert len(store.vectors.get(["late-1"])["late-1"]) == 128


def test_cli_reembed(settings):
    get_settings.cache_clear()
    out = CliRunner().invoke(main, ["kb", "reembed", "--embedder", "hash", "--kb", str(settings.kb), "--json"])
    assert out.exit_code == 0, out.output
    lines = out.output.strip().splitlines()
    report = json.loads(lines[0])
    assert (report["old_model"], report["model"], report["dim"]) == ("hash-bow (64 dims)", "hash-bow", 256)
    assert open_store(settings).embedder() == ("hash-bow", 256)
