"""A bounded cache of the MiniLM vectors the defeat classifier reads.

An answer's sentences are checked several times (as they stream, then the
whole text, then generated sentences one by one), and a manual's sentences
recur across answers, so without a cache the same sentence is embedded again
and again: that cost about a third of the REST throughput (docs/notes/safety6.md).
:class:`VectorCache` keeps the vector of each folded sentence it has seen, up
to ``size`` of them, least recently used dropped first. Only the *vector* of
the exact text is kept; the verdict is computed every time from it, so a
planted sentence gets exactly the vector it would get uncached (a text
differing by one character is another key).

>>> calls = []
>>> def embed(texts):
...     calls.append(list(texts))
...     return [[float(len(t)), 0.0] for t in texts]
>>> c = VectorCache(size=2)
>>> c.vectors(["ab", "abc", "ab"], embed).tolist()
[[2.0, 0.0], [3.0, 0.0], [2.0, 0.0]]
>>> c.vectors(["abc", "x"], embed).tolist(), calls
([[3.0, 0.0], [1.0, 0.0]], [['ab', 'abc'], ['x']])
>>> len(c), "ab" in c
(2, False)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np


class VectorCache:
    """Vectors by text, at most ``size`` of them (least recently used dropped); thread-safe."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._store: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, text: str) -> bool:
        return text in self._store

    def vectors(self, texts: Sequence[str], embed: Callable[[list[str]], Sequence]) -> np.ndarray:
        """One float32 row per text; the texts not cached are embedded by ``embed`` in one batch
        (each distinct text once) and kept."""
        with self._lock:
            found = {t: self._store[t] for t in texts if t in self._store}
            for t in found:
                self._store.move_to_end(t)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            new = np.asarray(embed(missing), dtype=np.float32)
            with self._lock:
                for t, v in zip(missing, new):
                    found[t] = v
                    self._store[t] = v
                    self._store.move_to_end(t)
                while len(self._store) > self.size:
                    self._store.popitem(last=False)
        return np.stack([found[t] for t in texts]) if texts else np.zeros((0, 0), np.float32)
