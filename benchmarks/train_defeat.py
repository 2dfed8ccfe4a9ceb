"""Train the defeat classifier (:mod:`assistant.defeat_model`) and save its weights.

Training data, all committed (no held-out file is ever read here):

* the first blind set, both halves (``tests/data/safety_eval/defeat_*``, ``legit_*``):
  its held-out half was run three times in aggregate by the last session and is
  development data now;
* the dev half of the second blind set (``tests/data/safety_eval_v2/*_dev.jsonl``);
* the filter's own probe sentences (``tests/data/safety_filter_probes.json``) and
  the similarity exemplars of :mod:`assistant.defeat_semantic`;
* the made-up template sentences of :mod:`assistant.defeat_synth`.

Two models are written: ``defeat_model_lexical.npz`` (cue + gram features, any
embedder) and ``defeat_model.npz`` (cue + gram + MiniLM vectors). scikit-learn's
logistic regression fits them; prediction is plain numpy. Run:

    PYTHONPATH=. .venv/bin/python benchmarks/train_defeat.py [--check v2dev] [--cache vectors.npz]

``--check v2dev`` trains without the second set's dev half and prints the rates
on it (a check of the recipe on text it was not trained on) instead of saving.
``C`` and ``THRESHOLD`` were chosen that way, with the rules and the
names-a-device gate of ``DefeatFilter`` in front, and with the count of false
alarms on the project's sample manuals (docs/notes/safety2.md).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from assistant import defeat_semantic
from assistant.defeat_model import LEXICAL_PATH, MODEL_PATH, DefeatModel, features
from assistant.defeat_synth import synthetic
from knowledge_base.normalise import fold

ROOT = Path(__file__).resolve().parent.parent / "tests" / "data"
C = {"lexical": 10.0, "minilm": 3.0}
THRESHOLD = {"lexical": 0.7, "minilm": 0.6}
SYNTH = 900


def _jsonl(path: Path) -> list[tuple[str, int]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["text"], int(r["label"] == "defeat")) for r in rows]


def training_rows(with_v2dev: bool = True) -> list[tuple[str, int]]:
    """(sentence, 1 if it advises defeat) from every development source."""
    rows = [r for k in ("defeat", "legit") for s in ("dev", "heldout") for r in _jsonl(ROOT / "safety_eval" / f"{k}_{s}.jsonl")]
    if with_v2dev:
        rows += [r for k in ("defeat", "legit") for r in _jsonl(ROOT / "safety_eval_v2" / f"{k}_dev.jsonl")]
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
    clf.fit(features(texts, parts, vectors), labels)
    return DefeatModel(parts, clf.coef_[0].astype(np.float32), float(clf.intercept_[0]), threshold)


def _rates(model: DefeatModel, rows: list[tuple[str, int]], embedder) -> str:
    texts = [t for t, _ in rows]
    vectors = np.asarray(embedder.embed_batch([fold(t) for t in texts]), dtype=np.float32) if model.needs_vectors else None
    flags = np.array(model.flags(texts, vectors))
    y = np.array([y for _, y in rows]) == 1
    return f"defeat caught {100 * flags[y].mean():.1f}%  legit passed {100 * (~flags[~y]).mean():.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", choices=("v2dev",), help="train without the v2 dev half and score it; save nothing")
    ap.add_argument("--cache", type=Path, help="keep the MiniLM vectors of the training sentences in this .npz")
    args = ap.parse_args()
    from knowledge_base.embedder import MiniLMEmbedder

    embedder = CachedEmbedder(MiniLMEmbedder(), args.cache)
    rows = training_rows(with_v2dev=not args.check)
    for name, parts, path in (("lexical", ("cue", "gram"), LEXICAL_PATH), ("minilm", ("cue", "gram", "emb"), MODEL_PATH)):
        model = fit(rows, parts, C[name], THRESHOLD[name], embedder)
        if args.check:
            held = [r for k in ("defeat", "legit") for r in _jsonl(ROOT / "safety_eval_v2" / f"{k}_dev.jsonl")]
            print(f"{name}: trained on {len(rows)}, v2 dev: {_rates(model, held, embedder)}")
        else:
            model.save(path)
            print(f"{name}: trained on {len(rows)} sentences -> {path} ({path.stat().st_size} bytes); "
                  f"on its training data: {_rates(model, rows, embedder)}")


if __name__ == "__main__":
    main()
