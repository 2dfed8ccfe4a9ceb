"""Kill a real ingest process mid-run (SIGKILL, and Ctrl-C as SIGINT), rerun it,
and compare the store with a clean ingest of the same files: same catalog,
same chunks, same vectors, no orphans, nothing duplicated."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from knowledge_base.settings import Settings
from knowledge_base.store_open import open_store

pytestmark = pytest.mark.slow

WORDS = ("bearing seal impeller coupling motor valve filter belt pulley gearbox sensor fan shaft "
         "gasket strainer nozzle housing contactor").split()


def make_corpus(root, n=40):
    root.mkdir()
    for i in range(n):
        paras = [f"Paragraph {j} of note {i}: inspect the {WORDS[(i + j) % len(WORDS)]} and the "
                 f"{WORDS[(i * 3 + j) % len(WORDS)]}; record torque {i * 7 + j} Nm. " * 6 for j in range(3)]
        (root / f"note{i:03d}.md").write_text(f"# Note {i}\n\n## 1 Findings\n\n" + "\n\n".join(paras) + "\n")
    return root


def ingest_cmd(corpus, kb):
    return [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--kb", str(kb), "--json"]


def files_done(kb) -> int:
    db = kb / "index.sqlite"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            return con.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    except sqlite3.Error:
        return 0


def snapshot(kb):
    store = open_store(Settings(kb=kb))
    try:
        assert store.check() == []
        cat = {p: r.sha256 for p, r in store.catalog().items()}
        ids = store.index.chunk_ids()
        vecs = store.vectors.get(sorted(ids))
        return cat, ids, vecs, store.stats()
    finally:
        store.close()


@pytest.fixture(scope="module")
def corpus_and_clean(tmp_path_factory):
    base = tmp_path_factory.mktemp("crash")
    corpus = make_corpus(base / "corpus")
    subprocess.run(ingest_cmd(corpus, base / "clean"), check=True, capture_output=True, timeout=600)
    return corpus, snapshot(base / "clean")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_interrupted_ingest_resumes_to_the_clean_result(corpus_and_clean, tmp_path, sig):
    corpus, clean = corpus_and_clean
    kb = tmp_path / "kb"
    proc = subprocess.Popen(ingest_cmd(corpus, kb), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while files_done(kb) < 5 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    done = files_done(kb)
    assert 5 <= done < 40, f"interrupted after {done} files"
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and b"run again to resume" in proc.stderr.read()

    rerun = subprocess.run(ingest_cmd(corpus, kb), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    cat, ids, vecs, stats = snapshot(kb)
    c_cat, c_ids, c_vecs, c_stats = clean
    assert cat == c_cat and ids == c_ids and stats == c_stats
    for i in ids:
        assert vecs[i] == pytest.approx(c_vecs[i], abs=1e-5)
