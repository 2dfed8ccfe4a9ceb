"""The section lane: BM25 over whole sections, returning their chunks (small to big).

On real manuals a plain BM25 over whole pages / sections beat the chunk lanes
where a question's words are spread over a section (the "RAID-DEVICES
CHANGES" section of mdadm(8) says "reduce", "number", "RAID5" and "disks",
no ~900-character chunk of it all four) and where an answer sits one chunk
away from the words that find it. This lane scores each section of a
document (its title, section path and every chunk's text, as one unit; a
work order stays its own unit and is left to the other lanes) with BM25
(k1 1.2, b 0.75), then returns the chunks of the best sections, each
scored by its section's score, scaled by how much of the question's weight
(idf) the chunk itself carries (``0.7 + 0.3 * share``), so the answering
chunk of a winning section comes first.

Terms are the keyword lane's (``keyword_text.terms``: the same tokens, the
same Porter stems at index and query time). The index is built in memory on
first use from the store's chunks and rebuilt on :meth:`SectionLane.refresh`.

>>> from knowledge_base.types import Chunk
>>> cs = [Chunk("a", "reduce the number of devices", "m.txt", section=("GROW", "CHANGES")),
...       Chunk("b", "RAID5 needs a backup file", "m.txt", section=("GROW", "CHANGES")),
...       Chunk("c", "number of spare devices", "m.txt", section=("CREATE",))]
>>> idx = SectionIndex(cs)
>>> [(h.chunk.id, round(h.score, 2)) for h in idx.search("reduce number of raid5 disks", 5, cs_by_id(cs))]
[('a', 1.5), ('b', 1.34), ('c', 0.44)]
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from .cjk_terms import segment
from .keyword_text import terms
from .types import FAULT_LOG, Chunk, Hit

K1, B = 1.2, 0.75


def cs_by_id(chunks: Iterable[Chunk]) -> Callable[[Sequence[str]], dict[str, Chunk]]:
    """A chunk reader over a list (for tests): ids -> {id: chunk}."""
    table = {c.id: c for c in chunks}
    return lambda ids: {i: table[i] for i in ids if i in table}


class SectionIndex:
    """BM25 statistics of sections; each section's chunk ids and their terms."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        units: dict[tuple, list[Chunk]] = defaultdict(list)
        for c in chunks:
            if c.doc_type != FAULT_LOG:
                units[(c.source, c.section)].append(c)
        self.keys: list[tuple[str, tuple[str, ...]]] = []
        self.members: list[list[tuple[str, frozenset[str]]]] = []
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = []
        for (_, section), cs in units.items():
            cs.sort(key=lambda c: c.ordinal)
            sec_terms = terms(segment(" ".join((cs[0].title, *section))))
            tf = Counter(sec_terms)
            members = []
            for c in cs:
                t = terms(segment(c.text))
                tf.update(t)
                members.append((c.id, frozenset(t)))
            n = len(self.members)
            self.keys.append((cs[0].source, section))
            self.members.append(members)
            lengths.append(sum(tf.values()))
            for term, f in tf.items():
                self.postings[term].append((n, f))
        self.n = len(self.members)
        self.lengths = lengths
        self.avgdl = sum(lengths) / self.n if self.n else 1.0

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        return math.log((self.n - df + 0.5) / (df + 0.5) + 1.0)

    def sections(self, query: str, k: int) -> list[tuple[int, float]]:
        """The ``k`` best sections for ``query``: (section number, BM25 score)."""
        score: dict[int, float] = defaultdict(float)
        for term in dict.fromkeys(terms(segment(query))):
            idf = self.idf(term)
            for n, f in self.postings.get(term, ()):
                norm = K1 * (1 - B + B * self.lengths[n] / self.avgdl)
                score[n] += idf * f * (K1 + 1) / (f + norm)
        return sorted(score.items(), key=lambda x: -x[1])[:k]

    def search(self, query: str, k: int, read: Callable[[Sequence[str]], Mapping[str, Chunk]],
               sections: int = 5, per_section: int = 10,
               keep: Callable[[Chunk], bool] | None = None) -> list[Hit]:
        """Up to ``k`` chunks of the best ``sections`` sections (``per_section``
        each, those carrying most of the question's idf first), best first;
        ``read`` turns chunk ids into chunks, ``keep`` filters them."""
        qterms = {t: self.idf(t) for t in dict.fromkeys(terms(segment(query)))}
        picked: list[tuple[str, float]] = []
        for n, s in self.sections(query, sections):
            weight = [(cid, sum(w for t, w in qterms.items() if t in ts)) for cid, ts in self.members[n]]
            top = max((w for _, w in weight), default=0.0) or 1.0
            weight.sort(key=lambda x: -x[1])
            picked += [(cid, s * (0.7 + 0.3 * w / top)) for cid, w in weight[:per_section]]
        chunks = read([cid for cid, _ in picked])
        hits = [Hit(chunks[cid], s, "section") for cid, s in picked
                if cid in chunks and (keep is None or keep(chunks[cid]))]
        hits.sort(key=lambda h: -h.score)
        return hits[:k]


def boost(fused: Sequence[Hit], scores: Mapping[tuple, float], weight: float) -> list[Hit]:
    """``fused`` re-ranked with ``weight`` x its section's normalised score
    (best section 1) added to each hit: the chunk lanes choose the chunk,
    the section's words as a whole vote for it."""
    if not scores or not weight:
        return list(fused)
    top = max(scores.values()) or 1.0
    out = [replace(h, score=h.score + weight * scores.get((h.chunk.source, h.chunk.section), 0.0) / top)
           for h in fused]
    return sorted(out, key=lambda h: -h.score)


class SectionLane:
    """The section index of a store's chunks, built on first use."""

    def __init__(self, index) -> None:
        self.index = index
        self._built: SectionIndex | None = None
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Forget the index: the store changed; the next search rebuilds it."""
        self._built = None

    def _get(self) -> SectionIndex:
        with self._lock:
            if self._built is None:
                self._built = SectionIndex(c for batch in self.index.chunk_rows() for _, c in batch)
            return self._built

    def section_scores(self, query: str, k: int = 20) -> dict[tuple, float]:
        """{(source, section path): BM25 score} of the ``k`` best sections."""
        idx = self._get()
        return {idx.keys[n]: s for n, s in idx.sections(query, k)}

    def search(self, query: str, k: int, where: Mapping[str, str] | None = None) -> list[Hit]:
        keep = None
        if where:
            keep = lambda c: all(str(getattr(c, key, None)) == str(v) for key, v in where.items())  # noqa: E731
        return self._get().search(query, k, self.index.chunks, keep=keep)
