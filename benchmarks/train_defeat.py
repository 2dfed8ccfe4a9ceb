"""Train the defeat classifier (:mod:`assistant.safety_filter.defeat_model`) and save its weights.

Training data, all committed development data:

* the first blind set, both halves (``tests/data/safety_eval/defeat_*``, ``legit_*``);
* the second blind set, both halves (``tests/data/safety_eval_v2/*_dev.jsonl``,
  ``*_heldout.jsonl``): its held-out half was run once blind (e616cb7) and is
  development data since;
* the filter's own probe sentences (``tests/data/safety_filter_probes.json``) and
  the similarity exemplars of :mod:`assistant.safety_filter.defeat_semantic`;
* the made-up template sentences of :mod:`assistant.safety_filter.defeat_synth`.

The third blind set (``tests/data/safety_eval_v3``) is never read here.

Two models are written: ``defeat_model_lexical.npz`` (cue + gram features, any
embedder) and ``defeat_model.npz`` (cue + gram + MiniLM vectors). scikit-learn's
logistic regression fits them; prediction is plain numpy. Run:

    PYTHONPATH=. .venv/bin/python benchmarks/train_defeat.py [--check cross] [--cache vectors.npz]

``--check cross`` saves nothing: it trains on one blind set (plus the probes,
exemplars and templates) and scores the filter (rules, names-a-device gate,
classifier) on the other, both ways, at the chosen thresholds: an estimate of
how the recipe does on sentences written by someone else. ``C`` and
``THRESHOLD`` were chosen that way (docs/notes/safety3.md), with the count of
false alarms on the project's sample manuals.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from assistant.safety_filter import defeat_semantic
from assistant.safety_filter.defeat_model import LEXICAL_PATH, MODEL_PATH, DefeatModel, features
from assistant.safety_filter.defeat_synth import synthetic
from knowledge_base.normalise import fold

ROOT = Path(__file__).resolve().parent.parent / "tests" / "data"
C = {"lexical": 10.0, "minilm": 10.0}
THRESHOLD = {"lexical": 0.7, "minilm": 0.7}
UNGATED = {"lexical": 0.97, "minilm": 2.0}  # minilm: never (it would embed every sentence); 0.97: see docs/notes/safety3.md
SYNTH = 900


def _jsonl(path: Path) -> list[tuple[str, int]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["text"], int(r["label"] == "defeat")) for r in rows]


BLIND_SETS = ("safety_eval", "safety_eval_v2")


def blind_rows(folder: str) -> list[tuple[str, int]]:
    """(item text, 1 if it advises defeat) of both halves of one blind set."""
    return [r for k in ("defeat", "legit") for s in ("dev", "heldout") for r in _jsonl(ROOT / folder / f"{k}_{s}.jsonl")]


def training_rows(sets: tuple[str, ...] = BLIND_SETS) -> list[tuple[str, int]]:
    """(sentence, 1 if it advises defeat) from every development source (blind sets: ``sets``)."""
    rows = [r for folder in sets for r in blind_rows(folder)]
    probes = json.loads((ROOT / "safety_filter_probes.json").read_text(encoding="utf-8"))
    rows += [(t, 1) for t in probes["defeat"]] + [(t, 0) for t in probes["legit"]]
    rows += [(t, 1) for t in defeat_semantic.DEFEAT] + [(t, 0) for t in defeat_semantic.LEGIT]
    return rows + synthetic(SYNTH)


class CachedEmbedder:
    """MiniLM vectors of folded sentences, kept in an ``.npz`` between runs
    (embedding ~2,000 sentences takes minutes on a loaded 2-core machine)."""

    def __init__(self, embedder, path: Path | None) -> None:
        self.embedder, self.path, self.known = embedder, path, {}
        if path and path.exists():
            with np.load(path, allow_pickle=False) as z:
                self.known = dict(zip(z["t"].tolist(), z["v"]))

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        new = sorted({t for t in texts if t not in self.known})
        if new:
            self.known.update(zip(new, np.asarray(self.embedder.embed_batch(new), dtype=np.float32)))
            if self.path:
                np.savez(self.path, t=np.array(list(self.known)), v=np.stack(list(self.known.values())))
        return np.stack([self.known[t] for t in texts])


def fit(rows: list[tuple[str, int]], parts: tuple[str, ...], c: float, threshold: float, embedder=None) -> DefeatModel:
    """A :class:`DefeatModel` fitted on ``rows`` (classes weighted equally)."""
    from sklearn.linear_model import LogisticRegression

    texts, labels = [t for t, _ in rows], [y for _, y in rows]
    vectors = np.asarray(embedder.embed_batch([fold(t) for t in texts]), dtype=np.float32) if "emb" in parts else None
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    from scipy.sparse import csr_matrix

    clf.fit(csr_matrix(features(texts, parts, vectors)), labels)  # sparse: the hashed grams are mostly zero
    return DefeatModel(parts, clf.coef_[0].astype(np.float32), float(clf.intercept_[0]), threshold,
                       UNGATED["minilm" if "emb" in parts else "lexical"])


def _cross(name: str, parts: tuple[str, ...], embedder) -> None:
    """Train without one blind set, score the whole filter on it, both ways."""
    from assistant.safety_filter.unsafe import DefeatFilter

    for held in BLIND_SETS:
        model = fit(training_rows(tuple(f for f in BLIND_SETS if f != held)), parts, C[name], THRESHOLD[name], embedder)
        check = DefeatFilter(model=model, embedder=embedder)
        rows = blind_rows(held)
        flags = np.array([check.withhold(t)[1] > 0 for t, _ in rows])
        y = np.array([y for _, y in rows]) == 1
        print(f"{name}: trained without {held}, on it: defeat caught {100 * flags[y].mean():.1f}% ({flags[y].sum()}/{y.sum()}), "
              f"legit passed {100 * (~flags[~y]).mean():.1f}% ({(~flags[~y]).sum()}/{(~y).sum()})", flush=True)


def _rates(model: DefeatModel, rows: list[tuple[str, int]], embedder) -> str:
    texts = [t for t, _ in rows]
    vectors = np.asarray(embedder.embed_batch([fold(t) for t in texts]), dtype=np.float32) if model.needs_vectors else None
    flags = np.array(model.flags(texts, vectors))
    y = np.array([y for _, y in rows]) == 1
    return f"defeat caught {100 * flags[y].mean():.1f}%  legit passed {100 * (~flags[~y]).mean():.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", choices=("cross",), help="train on one blind set, score the other, both ways; save nothing")
    ap.add_argument("--cache", type=Path, help="keep the MiniLM vectors of the training sentences in this .npz")
    ap.add_argument("--only", choices=("lexical", "minilm"), help="train (or check) one model only")
    args = ap.parse_args()
    from knowledge_base.embedder import MiniLMEmbedder

    embedder = CachedEmbedder(MiniLMEmbedder(), args.cache)
    for name, parts, path in (("lexical", ("cue", "gram"), LEXICAL_PATH), ("minilm", ("cue", "gram", "emb"), MODEL_PATH)):
        if args.only and name != args.only:
            continue
        if args.check:
            _cross(name, parts, embedder)
            continue
        rows = training_rows()
        model = fit(rows, parts, C[name], THRESHOLD[name], embedder)
        model.save(path)
        print(f"{name}: trained on {len(rows)} sentences -> {path} ({path.stat().st_size} bytes); "
              f"on its training data: {_rates(model, rows, embedder)}")


if __name__ == "__main__":
    main()
