"""A REST-only install (no ``[ui]`` extra, so no gradio): ``serve`` still serves the API."""

from __future__ import annotations

import sys

import pytest
from fastapi.testclient import TestClient

from assistant.service import Service
from assistant.web.app import create_app
from knowledge_base.settings import Settings

pytestmark = pytest.mark.integration


def test_without_gradio_the_app_serves_the_api_alone(tmp_path, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "gradio", None)  # import gradio -> ModuleNotFoundError
    monkeypatch.delitem(sys.modules, "assistant.web.ui", raising=False)
    settings = Settings(kb=tmp_path / "kb", embedder="hash", vector_backend="memory")
    with TestClient(create_app(Service(settings, "extractive"), settings)) as client:
        assert client.get("/api/v1/health").status_code == 200
        assert client.get("/").status_code == 404
    assert "gradio is not installed" in caplog.text
