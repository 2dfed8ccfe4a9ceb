"""The one module that builds the parts from the settings object: the embedder, the
retriever, the language model, the assistant and the ingestor. Front ends (CLI commands,
web routes) get them through :class:`assistant.service.Service` or these functions and
never construct stores, embedders, retrievers or ingestors themselves."""

from __future__ import annotations

from knowledge_base.assets import AssetResolver
from knowledge_base.codes import CodeMatcher
from knowledge_base.embedder import make_embedder
from knowledge_base.errors import ConfigError, ModelError
from knowledge_base.retrieval import HybridRetriever
from knowledge_base.settings import Settings
from knowledge_base.store import Store
from knowledge_base.store_open import open_store

from assistant.answer.abstain import Abstainer
from assistant.alerts.analyst import AlertAnalyst, AlertFeed
from assistant.answer.core import Assistant
from assistant.alerts.fmea import load_fmea
from .llm import BACKENDS, make_llm
from .llm.base import LLM
from assistant.safety_filter.unsafe import defeat_filter_for

# the answer backends: the one registry's names (assistant.llm.BACKENDS), extractive included
LLM_KINDS = tuple(BACKENDS)


def build_embedder(settings: Settings, name: str | None = None):
    """The embedder ``name`` (default ``settings.embedder``); the only caller of
    :func:`knowledge_base.embedder.make_embedder`."""
    return make_embedder(name or settings.embedder, settings.embed_batch_size)


def build_ingestor(settings: Settings, store: Store, embedder=None, *, asset_model: str | None = None,
                   column_mapping=None, progress=None):
    """The ingestion pipeline into ``store`` with the settings' chunking, file-size limit and
    batch size; the only place an :class:`ingest.pipeline.Ingestor` is built."""
    from ingest.chunker import Chunker
    from ingest.loaders import LoadOptions
    from ingest.pipeline import Ingestor

    chunker = Chunker(CodeMatcher(settings.code_patterns, settings.code_ignore),
                      settings.chunk_chars, settings.chunk_max_chars)
    options = LoadOptions(max_file_mb=settings.max_file_mb, asset_model=asset_model,
                          column_mapping=column_mapping)
    return Ingestor(store, embedder or build_embedder(settings), chunker, options,
                    settings.embed_batch_size, progress)


def build_retriever(settings: Settings, store: Store | None = None) -> HybridRetriever:
    """The retriever over ``settings.kb``; EmbeddingMismatch when the query
    embedder is not the model the knowledge base was built with."""
    store = store or open_store(settings)
    embedder = build_embedder(settings)
    store.expect_embedder(embedder.name, embedder.dim)
    assets = AssetResolver.from_store(store.index, settings.asset_register)
    return HybridRetriever(store, embedder, CodeMatcher(settings.code_patterns, settings.code_ignore), assets)


def build_llm(settings: Settings, kind: str) -> tuple[LLM | None, str | None]:
    """(the LLM or None for extractive, a notice when the wanted one is unavailable)."""
    if kind not in LLM_KINDS:
        raise ConfigError(f"unknown LLM backend {kind!r}; choose one of: {', '.join(LLM_KINDS)}")
    if BACKENDS[kind] is None:  # extractive: no model, the sources are quoted
        return None, None
    worker = dict(threads=settings.llm_threads, max_memory_mb=settings.llm_worker_max_mb,
                  load_timeout=settings.llm_load_s, stall_timeout=settings.llm_stall_s,
                  deadline=settings.llm_deadline_s)
    try:  # a local model runs in a supervised worker process, never in the server's
        return make_llm(kind, model_path=settings.llm_model_path, data_dir=settings.data_dir,
                        base_url=settings.llm_base_url, model=settings.llm_model,
                        api_key=settings.llm_api_key, worker=worker), None
    except ModelError as exc:
        return None, f"The {kind} model is unavailable ({exc}); answers are composed extractively."


def build_analyst(settings: Settings, retriever: HybridRetriever) -> AlertAnalyst:
    """The alert analyst over ``retriever`` with the FMEA tables of ``settings.fmea``."""
    return AlertAnalyst(retriever, load_fmea(settings.fmea))


def build_assistant(settings: Settings, llm: str | LLM | None = None, store: Store | None = None,
                    retriever: HybridRetriever | None = None) -> Assistant:
    """The assistant over ``settings.kb`` with backend ``llm``: a name (default
    ``settings.llm``) or a ready LLM; over ``retriever`` when one is already built."""
    retriever = retriever or build_retriever(settings, store)
    if isinstance(llm, LLM):
        kind, (model, notice) = llm.name, (llm, None)
    else:
        kind = llm or settings.llm
        model, notice = build_llm(settings, kind)
    abstainer = Abstainer(retriever.store.index, settings.abstain_threshold, settings.abstain_coverage_weight,
                          settings.abstain_asset_weight, retriever.matcher, settings.abstain_lexical_threshold)
    from monitors.store import AlertStore

    feed = AlertFeed(AlertStore(settings.kb), settings.alert_recent_h)
    analyst = build_analyst(settings, retriever)
    return Assistant(retriever, abstainer, model, kind, settings.answer_sources,
                     settings.answer_max_tokens, notice, feed, analyst,
                     defeat_filter_for(retriever.embedder, settings.defeat_semantic))
