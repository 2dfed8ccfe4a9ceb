"""The answer backends: one registry, :data:`BACKENDS`, and the chat-model protocol.

Every backend an answer can be written by is listed in :data:`BACKENDS` (the
``--llm`` choices and ``settings.llm`` values): ``extractive`` has no model
(the sources are quoted, :class:`assistant.answer.generators.ExtractiveGenerator`);
``local`` runs a GGUF (the embedded Qwen2.5-Coder-0.5B by default); ``openai``
talks to any OpenAI-compatible server. A model backend's text is written by
:class:`assistant.answer.generators.ModelGenerator` around its chat model.
Values come from the settings object and are passed in; nothing here reads
the environment. To add a backend: an :class:`LLM` subclass in this package
and one entry here.

>>> list(BACKENDS)
['local', 'openai', 'extractive']
>>> MODEL_BACKENDS
('local', 'openai')
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

from knowledge_base.errors import ConfigError, ModelError

from .base import LLM, Message
from .local import LocalLLM
from .models import default_model_path
from .openai_compat import OpenAICompatLLM

__all__ = ["BACKENDS", "EXTRACTIVE", "MODEL_BACKENDS", "LLM", "LocalLLM", "Message", "OpenAICompatLLM", "make_llm"]


EXTRACTIVE = "extractive"


def _local(*, model_path=None, data_dir=None, worker=None, **_) -> LLM:
    if model_path is None:
        if data_dir is None:
            raise ConfigError(
                "the local LLM needs a model_path or a data_dir for the default model")
        # Joins the part packages on the first call only (a few seconds);
        # afterwards this is a size + stamp check.
        model_path = default_model_path(data_dir)
    if worker is None:
        return LocalLLM(model_path)
    return _supervised(model_path, **worker)


def _supervised(model_path, *, threads=None, max_memory_mb=None, load_timeout, stall_timeout,
                deadline) -> LLM:
    """The local GGUF model in a supervised worker process (started on first use)."""
    from .supervisor import SupervisedLLM, worker_command

    if not Path(model_path).is_file():
        raise ModelError(f"cannot load GGUF model {model_path}: file not found")
    argv = worker_command(model_path, threads, max_memory_mb=max_memory_mb)
    return SupervisedLLM(argv, Path(model_path).name, load_timeout=load_timeout,
                         stall_timeout=stall_timeout, deadline=deadline)


def _openai(*, base_url=None, model=None, api_key=None, **_) -> LLM:
    if not base_url or not model:
        raise ConfigError(f"the openai LLM needs base_url and model, got {base_url!r}, {model!r}")
    return OpenAICompatLLM(base_url, model, api_key=api_key)


#: name -> the factory of its chat model from settings values; None: no model (extractive).
BACKENDS: dict[str, Callable[..., LLM] | None] = {"local": _local, "openai": _openai, EXTRACTIVE: None}
#: the backends with a chat model (what :func:`make_llm` builds)
MODEL_BACKENDS = tuple(k for k, f in BACKENDS.items() if f is not None)


def make_llm(
    kind: str,
    *,
    model_path: str | Path | None = None,
    data_dir: str | Path | None = None,
    base_url: str | None = None,
    model: str | None = None,
    api_key: str | None = None,
    worker: dict | None = None,
) -> LLM:
    """The chat model of backend ``kind`` built from settings values (ConfigError
    for ``extractive``, which has none).

    ``local`` uses ``model_path`` or, when it is None, the default model
    assembled under ``data_dir/models``; with ``worker`` (the options of
    :func:`_supervised`) it runs in a supervised worker
    process, else in this one. ``openai`` needs ``base_url`` and ``model``.
    """
    factory = BACKENDS.get(kind)
    if factory is None:
        raise ConfigError(f"unknown LLM backend {kind!r}; choose one of: {', '.join(MODEL_BACKENDS)}")
    return factory(model_path=model_path, data_dir=data_dir, base_url=base_url,
                   model=model, api_key=api_key, worker=worker)
