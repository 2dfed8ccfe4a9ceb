"""The knowledge base: the shared bottom layer of faultdesk.

Holds the settings, the error tree, the dataclasses passed between stages,
fault-code handling, the embedder, and the store (catalog, chunks, keyword
index, work orders, vectors). ``ingest`` writes into it and ``assistant``
reads from it; it imports neither.
"""
