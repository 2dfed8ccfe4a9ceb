"""Build the assistant (and its retriever) from the settings object."""

from __future__ import annotations

from pathlib import Path

from knowledge_base.assets import AssetResolver
from knowledge_base.codes import CodeMatcher
from knowledge_base.embedder import make_embedder
from knowledge_base.errors import ConfigError, ModelError
from knowledge_base.retrieval import HybridRetriever
from knowledge_base.settings import Settings
from knowledge_base.store import Store, open_store

from .abstain import Abstainer
from .alerts import AlertAnalyst, AlertFeed
from .core import Assistant
from .fmea import load_fmea
from .llm import make_llm
from .llm.base import LLM
from .unsafe import defeat_filter_for
from .llm.supervisor import SupervisedLLM, worker_command

LLM_KINDS = ("local", "openai", "extractive")


def build_retriever(settings: Settings, store: Store | None = None) -> HybridRetriever:
    """The retriever over ``settings.kb``; EmbeddingMismatch when the query
    embedder is not the model the knowledge base was built with."""
    store = store or open_store(settings)
    embedder = make_embedder(settings.embedder, settings.embed_batch_size)
    store.expect_embedder(embedder.name, embedder.dim)
    assets = AssetResolver.from_store(store.index, settings.asset_register)
    return HybridRetriever(store, embedder, CodeMatcher(settings.code_patterns, settings.code_ignore), assets)


def build_llm(settings: Settings, kind: str) -> tuple[LLM | None, str | None]:
    """(the LLM or None for extractive, a notice when the wanted one is unavailable)."""
    if kind not in LLM_KINDS:
        raise ConfigError(f"unknown LLM backend {kind!r}; choose one of: {', '.join(LLM_KINDS)}")
    if kind == "extractive":
        return None, None
    try:
        if kind == "local":
            if settings.llm_model_path is None:
                from .llm.models import default_model_path

                path = default_model_path(settings.data_dir)
            else:
                path = settings.llm_model_path
            if not Path(path).is_file():
                raise ModelError(f"cannot load GGUF model {path}: file not found")
            return supervised_local(settings, path), None
        return make_llm(kind, base_url=settings.llm_base_url, model=settings.llm_model,
                        api_key=settings.llm_api_key), None
    except ModelError as exc:
        return None, f"The {kind} model is unavailable ({exc}); answers are composed extractively."


def supervised_local(settings: Settings, model_path) -> SupervisedLLM:
    """The local GGUF model run in a supervised worker process (started on first use)."""
    argv = worker_command(model_path, settings.llm_threads, max_memory_mb=settings.llm_worker_max_mb)
    return SupervisedLLM(argv, Path(model_path).name, load_timeout=settings.llm_load_s,
                         stall_timeout=settings.llm_stall_s, deadline=settings.llm_deadline_s)


def build_assistant(settings: Settings, llm: str | LLM | None = None, store: Store | None = None) -> Assistant:
    """The assistant over ``settings.kb`` with backend ``llm``: a name (default
    ``settings.llm``) or a ready LLM."""
    retriever = build_retriever(settings, store)
    if isinstance(llm, LLM):
        kind, (model, notice) = llm.name, (llm, None)
    else:
        kind = llm or settings.llm
        model, notice = build_llm(settings, kind)
    abstainer = Abstainer(retriever.store.index, settings.abstain_threshold, settings.abstain_coverage_weight,
                          settings.abstain_asset_weight, retriever.matcher, settings.abstain_lexical_threshold)
    from monitors.store import AlertStore

    feed = AlertFeed(AlertStore(settings.kb), settings.alert_recent_h)
    analyst = AlertAnalyst(retriever, load_fmea(settings.fmea))
    return Assistant(retriever, abstainer, model, kind, settings.answer_sources,
                     settings.answer_max_tokens, notice, feed, analyst,
                     defeat_filter_for(retriever.embedder, settings.defeat_semantic))
