"""Synthetic chunk text with a realistic (Zipf) vocabulary, for keyword-lane benchmarks.

Word frequencies in English text and in technical manuals follow Zipf's law
(the r-th most frequent word has frequency ~ 1/r^s, s ~ 1). The vocabulary
here is 40 English function words first (so "the", "of", "to" are as common
as in real chunks: the keyword lane keeps stopwords), then the maintenance
vocabulary of ``benchmarks/query.py``, then pseudo-words built from
syllables (so a stemmer sees word-like strings, not numbers) up to
``size`` words. Chunk lengths are log-normal around ~150 words (a 900-char
chunk). Seeded: the same arguments give the same text.

>>> v = ZipfVocabulary(1000, seed=1)
>>> v.words[0], len(v.words)
('the', 1000)
>>> len(v.chunk(random.Random(0)).split()) > 5
True
"""

from __future__ import annotations

import bisect
import itertools
import random

FUNCTION = ("the of and to a in is for on with be by at as this or from that it are not an if "
            "when after before check do must should can all into then each only which will it's").split()
DOMAIN = ("pump motor bearing seal impeller coupling belt valve filter sensor gearbox spindle roller pulley "
          "contactor fuse encoder shaft strainer thermostat tensioner vibration noise overheating leakage "
          "pressure current tripping slipping misalignment wear cavitation stall drift chatter smoke replace "
          "tighten clean lubricate regrease realign inspect measure reset adjust calibrate drain flush torque "
          "alarm fault error warning lockout isolate procedure step housing gasket nozzle fan oil grease "
          "temperature speed flow level power supply cable terminal relay switch").split()
_ONSETS = ("b c d f g h k l m n p r s t v w br cr dr fl gr pl pr sk st tr ch sh th".split())
_VOWELS = ("a e i o u ai ea io ou".split())
_CODAS = ("", "n", "r", "l", "s", "t", "nd", "rk", "st", "ng", "x")


class ZipfVocabulary:
    """``size`` words with Zipf(s) frequencies; :meth:`chunk` draws a chunk's text."""

    def __init__(self, size: int = 50_000, s: float = 1.05, seed: int = 0) -> None:
        rng = random.Random(seed)
        words = list(dict.fromkeys(FUNCTION + DOMAIN))
        seen = set(words)
        while len(words) < size:
            w = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                        for _ in range(rng.choice((2, 2, 3))))
            if w not in seen:
                seen.add(w)
                words.append(w)
        self.words = words[:size]
        self.cum = list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(size)))

    def draw(self, rng: random.Random, n: int) -> list[str]:
        total = self.cum[-1]
        return [self.words[bisect.bisect_left(self.cum, rng.random() * total)] for _ in range(n)]

    def chunk(self, rng: random.Random, mean_words: int = 150) -> str:
        n = max(8, min(400, int(rng.lognormvariate(0, 0.45) * mean_words)))
        return " ".join(self.draw(rng, n))

    def query(self, rng: random.Random, terms: int = 8) -> str:
        """A query of ``terms`` words drawn from the same distribution (so it has
        common words too, like a typed question), at least one not a function word."""
        words = self.draw(rng, terms - 1)
        words.append(rng.choice(self.words[len(FUNCTION):len(FUNCTION) + 2000]))
        return " ".join(words)

    def chunks(self, n: int, seed: int, mean_words: int = 150) -> list[str]:
        """``n`` chunk texts at once (numpy: ~1 s per 100k chunks)."""
        import numpy as np

        g = np.random.default_rng(seed)
        lengths = np.clip((g.lognormal(0, 0.45, n) * mean_words).astype(int), 8, 400)
        cum = np.asarray(self.cum)
        ids = np.searchsorted(cum, g.random(int(lengths.sum())) * cum[-1])
        words = np.asarray(self.words, dtype=object)[ids]
        out, at = [], 0
        for m in lengths:
            out.append(" ".join(words[at:at + m]))
            at += m
        return out
