"""The knowledge-base writes of :class:`assistant.service.Service`: ingestion of files
and of uploads, and re-embedding with another model.

A mixin, not a service of its own: :class:`~assistant.service.Service` is the one
entry, and these methods use its ``settings``, ``store``, lazily built
``retriever`` and ``assistant`` (refreshed after new documents) and its
``_ingest_lock`` (one write at a time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from .uploads import UPLOADS, ingest_uploads


class KnowledgeBaseWrites:
    """Ingest, upload and re-embed (see the module docstring)."""

    def ingest(self, paths: Sequence[str | Path], prune: bool = False, progress=None,
               asset_model: str | None = None, column_mapping=None):
        """Run the ingestion pipeline into this knowledge base; returns the
        :class:`ingest.report.IngestReport`. New documents are searchable
        by the next question. ``column_mapping``: a fault-log export's column
        mapping (:func:`ingest.loaders.load_mapping_file`)."""
        from .factory import build_ingestor

        s = self.settings
        built = "retriever" in self.__dict__
        ingestor = build_ingestor(s, self.store, self.retriever.embedder if built else None,
                                  asset_model=asset_model, column_mapping=column_mapping, progress=progress)
        with self._ingest_lock:
            report = ingestor.run(paths, prune=prune)
        if built:  # new assets and codes are known to the next question
            self.retriever.refresh(s.asset_register)
        if "assistant" in self.__dict__:
            self.assistant.abstainer.refresh()
        return report

    def ingest_uploads(self, uploads: Iterable[tuple[str, BinaryIO]], progress=None):
        """Save uploaded files as ``<kb>/uploads/<name>`` (a re-upload of a name
        replaces the earlier file and its chunks) and ingest them; returns the
        :class:`ingest.report.IngestReport`, whose failures name the uploads
        (:mod:`assistant.uploads`: refused and failed files are not kept).
        ``progress``: an :class:`ingest.report.Progress`."""
        from ingest.loaders import SUPPORTED

        return ingest_uploads(self.settings.kb / UPLOADS, uploads, self.ingest, SUPPORTED, progress)

    def reembed(self, name: str | None = None, progress: Callable[[int], None] | None = None):
        """Re-embed every chunk with embedder ``name`` (default ``settings.embedder``)
        into a fresh vector collection and switch to it; returns the
        :class:`knowledge_base.reembed.ReembedReport`. ``progress``: called with the
        number of chunks newly embedded. Run it while no ingest runs."""
        from knowledge_base.reembed import reembed

        from .factory import build_embedder

        s = self.settings
        with self._ingest_lock:
            return reembed(self.store, build_embedder(s, name or s.embedder), s.embed_batch_size, progress)
