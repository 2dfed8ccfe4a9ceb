"""SQLite FTS5's ``bm25()`` ranking function, for the tantivy keyword lane.

The tantivy lane (``knowledge_base.keyword_index``) finds candidates with
tantivy's own top-k search, then gives each the score the FTS5 baseline
(``SqliteIndex.keyword``: ``bm25(chunks_fts, 1.0, 0.6, 0.2, 2.0)``) would
give it, computed the same way, so both lanes rank alike. FTS5 documents
the function as BM25 over the whole row:

* one query phrase ``i`` counts ``f_i``: the sum, over its occurrences in
  the row, of the weight of the column it occurs in;
* ``D``: the row's length in tokens (all columns), ``avgdl``: the mean of
  ``D`` over the table, ``N``: the rows in the table, ``n_i``: the rows
  holding phrase ``i`` in any column;
* ``IDF_i = log((N - n_i + 0.5) / (n_i + 0.5))``, at least 1e-6;
* score = sum of ``IDF_i * f_i * (k1 + 1) / (f_i + k1 * (1 - b + b * D / avgdl))``,
  k1 = 1.2, b = 0.75, phrases in query order.

Sums are added in FTS5's order (occurrences column by column), so the
floating-point scores are the same, and so are ties.

>>> round(idf(1000, 10), 4), idf(1000, 900)
(4.5468, 1e-06)
>>> cols = (["pump", "seal", "pump"], ["seal"], [], [])
>>> round(score([("pump",), ("seal",)], cols, [2.0, 1.0], 4.0), 4)
4.0071
"""

from __future__ import annotations

import math
from collections.abc import Sequence

WEIGHTS = (1.0, 0.6, 0.2, 2.0)  # text, section, title, codes: as the FTS5 lane
K1, B = 1.2, 0.75


def idf(n_rows: int, n_hits: int) -> float:
    """FTS5's IDF of a phrase held by ``n_hits`` of ``n_rows`` rows."""
    v = math.log((n_rows - n_hits + 0.5) / (n_hits + 0.5))
    return v if v > 0.0 else 1e-6


def occurrences(phrase: tuple[str, ...], toks: Sequence[str]) -> int:
    """How many times ``phrase`` (consecutive terms) starts in ``toks``."""
    if len(phrase) == 1:
        return toks.count(phrase[0])
    n, L, first = 0, len(phrase), phrase[0]
    for i, t in enumerate(toks):
        if t == first and tuple(toks[i:i + L]) == phrase:
            n += 1
    return n


def score(phrases: Sequence[tuple[str, ...]], columns: Sequence[Sequence[str]], idfs: Sequence[float],
          avgdl: float) -> float:
    """FTS5's bm25 of one row (``columns``: its terms, column by column)
    for ``phrases`` with their ``idfs``; higher is better."""
    norm = K1 * (1 - B + B * float(sum(map(len, columns))) / avgdl)
    total = 0.0
    for phrase, w_idf in zip(phrases, idfs):
        f = 0.0
        for toks, w in zip(columns, WEIGHTS):
            if toks:
                for _ in range(toks.count(phrase[0]) if len(phrase) == 1 else occurrences(phrase, toks)):
                    f += w
        if f:
            total += w_idf * ((f * (K1 + 1.0)) / (f + norm))
    return total
