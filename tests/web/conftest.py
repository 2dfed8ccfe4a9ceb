"""Fixtures of the web tests: a Service over a small knowledge base (the pump
and compressor manuals and work-order log of tests/assistant), ingested for real
with the hash embedder, served by the FastAPI app through TestClient, with
one token per scope (the fake LLMs at the model edge are in tests/fakes.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.llm.base import LLM
from assistant.service import Service
from assistant.web.app import create_app
from assistant.web.tokens import SCOPES, TokenStore
from knowledge_base.settings import Settings
from tests.assistant.conftest import COMPRESSOR, LOG, PUMP

@dataclass
class Api:
    """A running app: ``client``, ``service``, ``settings`` and ``headers[scope]``."""

    client: TestClient
    service: Service
    settings: Settings
    headers: dict[str, dict[str, str]]

    def token(self, scope: str, name: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {TokenStore(self.settings.kb).create(scope, name)[1]}"}


def write_docs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("pump.md", PUMP), ("compressor.md", COMPRESSOR), ("wo.csv", LOG)):
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def make_api(tmp_path):
    """``make_api(llm=None, **settings)`` -> Api over a freshly ingested KB."""
    clients = []

    def make(llm: str | LLM = "extractive", **overrides) -> Api:
        settings = Settings(kb=tmp_path / "kb", embedder="hash", vector_backend="memory", **overrides)
        service = Service(settings, llm)
        report = service.ingest([write_docs(tmp_path / "docs")])
        assert report.failed == () and report.added == 3
        client = TestClient(create_app(service, settings))
        client.__enter__()
        clients.append(client)
        api = Api(client, service, settings, {})
        api.headers.update({scope: api.token(scope) for scope in SCOPES})
        return api

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def api(make_api) -> Api:
    """The app with the extractive backend and default limits."""
    return make_api()
