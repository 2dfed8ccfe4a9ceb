"""kill -9 a real ingest while it updates the keyword index (several times, at
different points), rerun it, and compare with a clean ingest of the same
files: `faultdesk kb check` passes, keyword-lane results (ids and scores) are
equal, and so are the hybrid top 5 (deeper, the dense lane's HNSW graph, built
in another order after the kills, may find other approximate neighbours)."""

import os
import signal
import subprocess
import sys
import time

import pytest

from knowledge_base.settings import Settings
from knowledge_base.store_open import open_store
from tests.ingest.test_crash_resume import files_done, make_corpus

pytestmark = pytest.mark.slow

QUERIES = ("inspect the bearing", "record torque Nm", "seal and gasket of note 7", "pulley", "E-104 fan")
ENV = {**os.environ, "FAULTDESK_EMBEDDER": "hash"}  # fast: the window that matters is the keyword commit


def ingest(corpus, kb):
    return [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--kb", str(kb), "--json"]


def results(kb):
    from assistant.factory import build_retriever
    from knowledge_base.retrieval import Query

    settings = Settings(kb=kb, embedder="hash")
    store = open_store(settings)
    r = build_retriever(settings, store)
    try:
        out = {}
        for q in QUERIES:
            out[(q, "bm25")] = [(h.chunk.id, round(h.score, 5)) for h in r.retrieve(Query(q, k=50, mode="bm25")).hits]
            out[(q, "hybrid")] = [h.chunk.id for h in r.retrieve(Query(q, k=5)).hits]
        return out, store.keywords.count(), store.stats()
    finally:
        store.close()


def kb_check(kb):
    return subprocess.run([sys.executable, "-m", "assistant.cli", "kb", "check", "--kb", str(kb)],
                          capture_output=True, text=True, env=ENV, timeout=300)


def test_kill_during_keyword_updates_then_rerun_equals_a_clean_build(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", n=120)
    subprocess.run(ingest(corpus, tmp_path / "clean"), check=True, capture_output=True, env=ENV, timeout=600)
    clean = results(tmp_path / "clean")
    kb = tmp_path / "kb"
    for at in (3, 20, 60):
        proc = subprocess.Popen(ingest(corpus, kb), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        deadline = time.monotonic() + 300
        while files_done(kb) < at and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert files_done(kb) < 120
    rerun = subprocess.run(ingest(corpus, kb), capture_output=True, text=True, env=ENV, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    check = kb_check(kb)
    assert check.returncode == 0 and check.stdout.strip().endswith("ok"), check.stdout + check.stderr
    assert results(kb) == clean


def test_check_repair_rebuilds_a_damaged_keyword_index(tmp_path):
    import shutil

    corpus = make_corpus(tmp_path / "corpus", n=8)
    kb = tmp_path / "kb"
    subprocess.run(ingest(corpus, kb), check=True, capture_output=True, env=ENV, timeout=600)
    before = results(kb)
    store = open_store(Settings(kb=kb, embedder="hash"))
    store.keywords.replace([str(corpus / "note003.md")], [])  # documents lost behind SQLite's back
    store.close()
    bad = kb_check(kb)
    assert bad.returncode != 0 and "not in the keyword index" in bad.stdout
    fixed = subprocess.run([sys.executable, "-m", "assistant.cli", "kb", "check", "--repair", "--kb", str(kb)],
                           capture_output=True, text=True, env=ENV, timeout=300)
    assert fixed.returncode == 0 and "rebuilt from SQLite" in fixed.stdout, fixed.stdout + fixed.stderr
    assert results(kb) == before
    shutil.rmtree(kb / "keywords")  # a lost folder is rebuilt on open
    assert results(kb) == before and kb_check(kb).returncode == 0
