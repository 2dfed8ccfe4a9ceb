"""The assistant's language models: one protocol, a factory dict of backends.

``local`` runs a GGUF in-process (the embedded Qwen2.5-Coder-0.5B by
default); ``openai`` talks to any OpenAI-compatible server. Values come from
the settings object and are passed in; nothing here reads the environment.

>>> sorted(BACKENDS)
['local', 'openai']
>>> make_llm("openai", base_url="http://127.0.0.1:8080", model="qwen").url
'http://127.0.0.1:8080/v1/chat/completions'
>>> make_llm("local", model_path="/models/x.gguf").name   # nothing loads yet
'x.gguf'
>>> make_llm("gpt")
Traceback (most recent call last):
...
knowledge_base.errors.ConfigError: unknown LLM backend 'gpt'; choose one of: local, openai
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from knowledge_base.errors import ConfigError

from .base import LLM, Message
from .local import LocalLLM
from .models import default_model_path
from .openai_compat import OpenAICompatLLM

__all__ = ["BACKENDS", "LLM", "LocalLLM", "Message", "OpenAICompatLLM", "make_llm"]


def _local(*, model_path=None, data_dir=None, **_) -> LLM:
    if model_path is None:
        if data_dir is None:
            raise ConfigError(
                "the local LLM needs a model_path or a data_dir for the default model")
        # Joins the part packages on the first call only (a few seconds);
        # afterwards this is a size + stamp check.
        model_path = default_model_path(data_dir)
    return LocalLLM(model_path)


def _openai(*, base_url=None, model=None, api_key=None, **_) -> LLM:
    if not base_url or not model:
        raise ConfigError(f"the openai LLM needs base_url and model, got {base_url!r}, {model!r}")
    return OpenAICompatLLM(base_url, model, api_key=api_key)


BACKENDS: dict[str, Callable[..., LLM]] = {"local": _local, "openai": _openai}


def make_llm(
    kind: str,
    *,
    model_path: str | Path | None = None,
    data_dir: str | Path | None = None,
    base_url: str | None = None,
    model: str | None = None,
    api_key: str | None = None,
) -> LLM:
    """The LLM backend ``kind`` built from settings values.

    ``local`` uses ``model_path`` or, when it is None, the default model
    assembled under ``data_dir/models``; ``openai`` needs ``base_url`` and
    ``model``.
    """
    try:
        factory = BACKENDS[kind]
    except KeyError:
        raise ConfigError(
            f"unknown LLM backend {kind!r}; choose one of: {', '.join(sorted(BACKENDS))}"
        ) from None
    return factory(model_path=model_path, data_dir=data_dir, base_url=base_url,
                   model=model, api_key=api_key)
