"""Ingestion: files on disk -> parsed documents -> chunks -> the knowledge base.

``ingest.loaders`` reads each format into a ``ParsedDocument``;
``ingest.chunker`` cuts it into structure-aware ``Chunk``s;
``ingest.pipeline`` runs a batch idempotently against a ``Store``.
"""
