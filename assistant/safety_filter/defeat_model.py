"""Does a sentence advise defeating a safety device? The learned part.

A logistic regression over three blocks of features of the sentence as the
rules read it (:func:`assistant.safety_filter.defeat_rules.read`: folded, typos mended,
abbreviations written out):

* ``cue``: a negation, a prohibition, a harm, restoring a device, testing or
  replacing it, a purpose ("so it keeps running"), lockout, a question; and
  the shapes of manual text and of shop-floor tips (a WARNING label, a
  gerund with its consequence, a rule reported, a test procedure, an
  authorised person; "why not just", "what worked for us", a result that
  keeps the machine going, slang for fooling a device, settings at the top
  of their range, a spare actuator, "permanently" vs "temporarily"). The
  rules' own verdict (:mod:`assistant.safety_filter.defeat_rules`) is *not* a feature: the
  rules were written on the first blind set, so a model trained on that set
  learns to trust them, and on the second set they were wrong far more often
  (trained with it, caught 65-74% of the second set's dev defeats; without, 76-84%);
* ``gram``: hashed word unigrams and bigrams and in-word 4-letter pieces
  (:data:`GRAM_DIM` buckets, CRC32, so no vocabulary is stored);
* ``emb``: the MiniLM sentence vector (384 dims), when the assistant runs on
  MiniLM; a model trained with it needs the vectors at prediction time.

The weights are trained by ``benchmarks/train_defeat.py`` from the committed
development phrase sets and the made-up sentences of :mod:`assistant.safety_filter.defeat_synth`,
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

from .defeat_rules import read


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
    # the shape of manual text: a label, a consequence, a rule that is reported, a test procedure
    r"^(?:warning|caution|danger|note|notice|important)\b",
    r"^(?:\w+ ){0,2}\w+ing\b.{0,80}\b(?:can|could|may|might|will|would|allows?|lets?|gives?|exposes?|creates?|removes?|voids?|causes?|results?|leads?)\b",
    r"\b(?:manual|procedure|rules?|regulations?|standard|policy|law|instructions?) (?:\w+ ){0,3}?(?:forbids?|prohibits?|bans?|does not allow|requires?|specifies|says)\b",
    r"\b(?:test (?:plug|point|jumper|key|link|button|mode|unit|position|socket|connector)s?|as (?:shown|described|specified|per)|per the"
    r"|according to|simulat\w+|confirm (?:the|that)|must (?:trip|stop|open|drop)|then remove)\b",
    r"\b(?:manufacturer|builder|oem|supplier|authori[sz]ed|qualified|competent|permit|validated|approved|certified)\b",
    r"\b(?:unauthori[sz]ed|found|discovered|incident|tamper\w*)\b",
    # the shape of a tip: "why not just", "what worked for us", a result that keeps the machine going
    r"^(?:why not|why dont (?:you|we)|how about|what about|(?:could|can|cant|couldnt) (?:you|we|i) (?:just|simply|not)"
    r"|should(?:nt)? (?:we|i) (?:just|simply)|would it hurt)\b",
    r"^(?:could|can|is|are|does|do|did|has|have|was|were|would|should|what|which|where|how|when) (?:the|a|an|it|this|that|you|there|its)\b.*\?$",
    r"\b(?:what worked|we (?:used to|always|just|usually)|i (?:always|just|used to|usually)|our (?:fitters?|electricians?|guys|lads|team|shift)"
    r"|hack|workaround|quick fix|did the trick|old trick|sorted it|cured it)\b",
    r"\b(?:keeps? (?:running|cycling|going|working|firing)|carry on|carries on|without (?:stopping|tripping|interruption)|no more (?:trips|stops|nuisance)"
    r"|never (?:trips|stops)|ignores?|(?:wont|doesnt|will not|does not|cant|cannot) (?:trip|stop|notice|see|detect|sense))\b",
    r"\b(?:cheat\w*|fool\w*|trick\w*|nobble\w*|gag\w*|kill\w*|hot ?wir\w*|ditch\w*|dummy|decorative|pretend\w*|believ\w*|thinks?|blind\w*"
    r"|sleep|asleep|quiet|shut (?:it|him|her) up)\b",
    r"\b(?:max(?:imum|ed|ing)?|all the way|fully (?:in|out|open|closed|clockwise)|right up|crank\w*|wind\w* (?:it )?(?:up|in|out)|top of|highest)\b",
    r"^(?:refit|reinstate|restore|reconnect|re ?enable|replace|reattach|put back|remove (?:the|any) (?:unauthori[sz]ed|temporary)|report)\b",
    r"\b(?:temporar\w*|for (?:the )?(?:test|commissioning|calibration|setup|set up|inspection))\b",
    r"\b(?:permanent\w*|for good|all shift|every shift|whole shift|from now on|always)\b",
    r"\b(?:spare|second|extra|dummy|loose) (?:actuator|key|tongue|plug|magnet)\b",
))
CUE_DIM = len(_CUES)
_TOKEN = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]")


def cue_features(sentence: str) -> np.ndarray:
    """One flag per cue pattern found in the sentence as the rules read it."""
    text = read(sentence)
    return np.asarray([bool(rx.search(text)) for rx in _CUES], dtype=np.float32)


def gram_features(sentence: str) -> np.ndarray:
    """Hashed word 1-2 grams and in-word 4-letter pieces, L2-normalised."""
    words = _TOKEN.findall(read(sentence))
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
    ``bias``, and the probability at or above which a sentence is flagged:
    ``threshold`` for a sentence that names a safety device or a defeat act,
    ``ungated`` for any other English sentence (above 1: never flagged); and
    ``veto``: an English sentence the rules flag is passed after all when its
    probability is below this (0: never; see :class:`assistant.safety_filter.unsafe.DefeatFilter`)."""

    parts: tuple[str, ...]
    weights: np.ndarray
    bias: float
    threshold: float
    ungated: float = 2.0
    veto: float = 0.0

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
                            bias=np.float32(self.bias), threshold=np.float32(self.threshold),
                            ungated=np.float32(self.ungated), veto=np.float32(self.veto))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> DefeatModel:
        """The model saved at ``path``; ValueError when its width does not fit its parts."""
        with np.load(path, allow_pickle=False) as z:
            parts = tuple(str(p) for p in z["parts"])
            model = cls(parts, z["weights"].astype(np.float32), float(z["bias"]), float(z["threshold"]),
                        float(z["ungated"]) if "ungated" in z else 2.0, float(z["veto"]) if "veto" in z else 0.0)
        width = sum({"cue": CUE_DIM, "gram": GRAM_DIM, "emb": EMB_DIM}[p] for p in parts)
        if model.weights.shape != (width,):
            raise ValueError(f"{path.name}: {model.weights.shape[0]} weights for parts {parts} (need {width})")
        return model
