"""Does a sentence advise defeating a safety device? The learned part.

A logistic regression over three blocks of features of the folded sentence
(:func:`knowledge_base.normalise.fold`):

* ``cue``: a negation, a prohibition, a harm, restoring a device, testing or
  replacing it, a purpose ("so it keeps running"), lockout, a question. The
  rules' own verdict (:mod:`assistant.defeat_rules`) is *not* a feature: the
  rules were written on the first blind set, so a model trained on that set
  learns to trust them, and on the second set they were wrong far more often
  (trained with it, caught 65-74% of the second set's dev defeats; without, 76-84%);
* ``gram``: hashed word unigrams and bigrams and in-word 4-letter pieces
  (:data:`GRAM_DIM` buckets, CRC32, so no vocabulary is stored);
* ``emb``: the MiniLM sentence vector (384 dims), when the assistant runs on
  MiniLM; a model trained with it needs the vectors at prediction time.

The weights are trained by ``benchmarks/train_defeat.py`` from the committed
development phrase sets and the made-up sentences of :mod:`assistant.defeat_synth`,
and stored as a small ``.npz`` (:data:`MODEL_PATH`): no hub download, no
pretrained weights committed. :meth:`DefeatModel.proba` is plain numpy.

>>> m = DefeatModel(parts=("cue",), weights=np.zeros(CUE_DIM, np.float32), bias=0.0, threshold=0.5)
>>> m.proba(["Bridge the door switch."])
[0.5]
>>> m.flags(["Bridge the door switch."])
[True]
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge_base.normalise import fold

MODEL_PATH = Path(__file__).resolve().parent / "data" / "defeat_model.npz"
"""Trained with MiniLM vectors (used when the assistant runs on MiniLM)."""
LEXICAL_PATH = Path(__file__).resolve().parent / "data" / "defeat_model_lexical.npz"
"""Trained without them (any embedder, and wherever no embedder is at hand)."""
GRAM_DIM = 1 << 14
EMB_DIM = 384
_CUES = tuple(re.compile(rx) for rx in (
    r"\b(?:never|not|no|dont|doesnt|mustnt|shouldnt|cannot|cant|nor|avoid|without|refrain|under no circumstances|at no time)\b",
    r"\b(?:prohibited|forbidden|not (?:permitted|allowed)|illegal|offence|disciplinary|dismissal|strictly)\b",
    r"\b(?:danger\w*|hazard\w*|risk|injur\w*|death|kill\w*|fatal|serious|severe|crush\w*|shock|unsafe|voids?|invalidat\w*)\b",
    r"\b(?:restore|reinstate|refit|reconnect|put back|report|found|audit|remove (?:the|any) (?:temporary )?(?:jumper|link|bridge|magnet|tape|wedge))\b",
    r"\b(?:replace|renew|same type|same rating|rating plate|nameplate|spare|test|check|inspect|verify|measure|calibrat\w*)\b",
    r"\b(?:so (?:that )?(?:it|the|we|you|nobody|production|they)|keeps? (?:running|going)|carry on|carries on|no matter|whatever"
    r"|permanently|for the rest of|save time|nuisance|in a hurry|rush|quicker|easiest|trick|fool|believe|think)\b",
    r"\b(?:lock ?out|tag ?out|isolat\w*|prove (?:it )?dead|padlock)\b",
    r"\?\s*$",
))
CUE_DIM = len(_CUES)
_TOKEN = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]")


def cue_features(sentence: str) -> np.ndarray:
    """One flag per cue pattern found in the folded sentence."""
    text = fold(sentence)
    return np.asarray([bool(rx.search(text)) for rx in _CUES], dtype=np.float32)


def gram_features(sentence: str) -> np.ndarray:
    """Hashed word 1-2 grams and in-word 4-letter pieces, L2-normalised."""
    words = _TOKEN.findall(fold(sentence))
    grams = [" ".join(words[i:i + n]) for n in (1, 2) for i in range(len(words) - n + 1)]
    grams += ["#" + w[i:i + 4] for w in words for i in range(max(1, len(w) - 3))]
    vec = np.zeros(GRAM_DIM, dtype=np.float32)
    for g in grams:
        vec[zlib.crc32(g.encode("utf-8")) % GRAM_DIM] = 1.0
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else vec


def features(sentences: Sequence[str], parts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
    """One row per sentence: the blocks named in ``parts``, in that order;
    ``vectors`` (MiniLM, one row per sentence) are needed when "emb" is one."""
    if "emb" in parts and (vectors is None or len(vectors) != len(sentences)):
        raise ValueError("this defeat model needs one MiniLM vector per sentence")
    rows = []
    for i, s in enumerate(sentences):
        blocks = {"cue": lambda: cue_features(s), "gram": lambda: gram_features(s),
                  "emb": lambda: np.asarray(vectors[i], dtype=np.float32)}
        rows.append(np.concatenate([blocks[p]() for p in parts]))
    width = sum({"cue": CUE_DIM, "gram": GRAM_DIM, "emb": EMB_DIM}[p] for p in parts)
    return np.stack(rows) if rows else np.zeros((0, width), dtype=np.float32)


@dataclass(frozen=True)
class DefeatModel:
    """A trained logistic regression: ``weights`` over the ``parts`` blocks,
    ``bias``, and the probability at or above which a sentence is flagged."""

    parts: tuple[str, ...]
    weights: np.ndarray
    bias: float
    threshold: float

    @property
    def needs_vectors(self) -> bool:
        return "emb" in self.parts

    def proba(self, sentences: Sequence[str], vectors: np.ndarray | None = None) -> list[float]:
        """Probability that each sentence advises defeating a safety device."""
        if not sentences:
            return []
        z = features(sentences, self.parts, vectors) @ self.weights + self.bias
        return (1.0 / (1.0 + np.exp(-z))).round(6).tolist()

    def flags(self, sentences: Sequence[str], vectors: np.ndarray | None = None) -> list[bool]:
        """Whether each sentence is flagged (probability >= ``threshold``)."""
        return [p >= self.threshold for p in self.proba(sentences, vectors)]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, parts=np.array(self.parts), weights=self.weights.astype(np.float32),
                            bias=np.float32(self.bias), threshold=np.float32(self.threshold))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> DefeatModel:
        """The model saved at ``path``; ValueError when its width does not fit its parts."""
        with np.load(path, allow_pickle=False) as z:
            parts = tuple(str(p) for p in z["parts"])
            model = cls(parts, z["weights"].astype(np.float32), float(z["bias"]), float(z["threshold"]))
        width = sum({"cue": CUE_DIM, "gram": GRAM_DIM, "emb": EMB_DIM}[p] for p in parts)
        if model.weights.shape != (width,):
            raise ValueError(f"{path.name}: {model.weights.shape[0]} weights for parts {parts} (need {width})")
        return model
