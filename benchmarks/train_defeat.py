"""Train the defeat classifier (:mod:`assistant.safety_filter.defeat_model`) and save its weights.

Training data, all committed development data:

* the five blind phrase sets written so far, both halves of each
  (``tests/data/safety_eval``, ``safety_eval_v2`` .. ``safety_eval_v5``): each
  was run once blind and is development data since;
* the filter's own probe sentences (``tests/data/safety_filter_probes.json``) and
  the similarity exemplars of :mod:`assistant.safety_filter.defeat_semantic`;
* the made-up template sentences of :mod:`assistant.safety_filter.defeat_synth`.

The sixth blind set (``tests/data/safety_eval_v6``) is never read here.

Two models are written: ``defeat_model_lexical.npz`` (cue + gram features, any
embedder) and ``defeat_model.npz`` (cue + gram + MiniLM vectors). scikit-learn's
logistic regression fits them; prediction is plain numpy. Run:

    PYTHONPATH=. .venv/bin/python benchmarks/train_defeat.py [--check cross [--grid] | --check manuals] [--c C] [--cache vectors.npz]

``--check cross`` saves nothing: it is cross-validation *by set*. For each of
the five sets it trains on the other four (plus the probes, exemplars and
templates) and scores the whole filter (rules, names-a-device gate,
classifier, veto) on the held set, then averages the four folds; the rules
alone are scored in the same run as the baseline. A set written by someone
else is what the filter meets next, so this is the estimate the settings are
chosen on (``C``, ``THRESHOLD``, ``VETO``; docs/notes/safety5.md). ``--grid``
prints every threshold x veto pair, not only the chosen one. ``--check
manuals`` trains on every development set and counts, for each pair, the
sentences of the project's sample manuals the filter would withhold (all are
false alarms).
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
# chosen by the rule written down before the sixth blind set was opened (docs/notes/safety6.md):
# the best mean (caught + passed) / 2 over the five by-set folds with passed >= 92.0% and at most
# 4 false alarms on the sample manuals (--check manuals); minilm: 0.9 (0.8 flags 5 once v5 is trained on);
# lexical: the safety5 pick kept (2 false alarms at 0.8)
C = {"lexical": 10.0, "minilm": 30.0}
THRESHOLD = {"lexical": 0.8, "minilm": 0.9}
UNGATED = {"lexical": 0.97, "minilm": 2.0}  # minilm: never (it would embed every sentence); 0.97: see docs/notes/safety3.md
VETO = {"lexical": 0.1, "minilm": 0.05}
GRID = {"threshold": (0.5, 0.6, 0.7, 0.8, 0.85, 0.9), "veto": (0.0, 0.02, 0.05, 0.1)}
SYNTH = 900


def _jsonl(path: Path) -> list[tuple[str, int]]:
    """(text, 1 if defeat): the item's ``label``, else its file's name (v5 has no label field)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    kind = path.name.split("_")[0]
    return [(r["text"], int(r.get("label", kind) == "defeat")) for r in rows]


BLIND_SETS = ("safety_eval", "safety_eval_v2", "safety_eval_v3", "safety_eval_v4", "safety_eval_v5")


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
            self.dirty = True
        return np.stack([self.known[t] for t in texts])

    def save(self) -> None:
        """Write the vectors kept so far to ``path`` (if any, and if new ones came)."""
        if self.path and getattr(self, "dirty", False):
            np.savez(self.path, t=np.array(list(self.known)), v=np.stack(list(self.known.values())))
            self.dirty = False


def fit(rows: list[tuple[str, int]], parts: tuple[str, ...], c: float, threshold: float, embedder=None) -> DefeatModel:
    """A :class:`DefeatModel` fitted on ``rows`` (classes weighted equally)."""
    from sklearn.linear_model import LogisticRegression

    texts, labels = [t for t, _ in rows], [y for _, y in rows]
    vectors = np.asarray(embedder.embed_batch([fold(t) for t in texts]), dtype=np.float32) if "emb" in parts else None
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    from scipy.sparse import csr_matrix

    clf.fit(csr_matrix(features(texts, parts, vectors)), labels)  # sparse: the hashed grams are mostly zero
    name = "minilm" if "emb" in parts else "lexical"
    return DefeatModel(parts, clf.coef_[0].astype(np.float32), float(clf.intercept_[0]), threshold, UNGATED[name], VETO[name])


class _Memo:
    """A :class:`DefeatModel` with its probabilities remembered and other
    thresholds: the grid re-scores the same sentences without new features."""

    def __init__(self, model: DefeatModel, threshold: float, veto: float, known: dict) -> None:
        self.model, self.threshold, self.veto, self.known = model, threshold, veto, known
        self.ungated, self.needs_vectors = model.ungated, model.needs_vectors

    def proba(self, texts, vectors=None):
        new = [i for i, t in enumerate(texts) if t not in self.known]
        if new:
            sub = None if vectors is None else vectors[new]
            self.known.update(zip([texts[i] for i in new], self.model.proba([texts[i] for i in new], sub)))
        return [self.known[t] for t in texts]


def _fold_rates(check, rows) -> tuple[float, float]:
    flags = np.array([check.withhold(t)[1] > 0 for t, _ in rows])
    y = np.array([y for _, y in rows]) == 1
    return 100 * flags[y].mean(), 100 * (~flags[~y]).mean()


def _line(label: str, rates: dict) -> str:
    caught, passed = np.mean([c for c, _ in rates.values()]), np.mean([p for _, p in rates.values()])
    folds = "  ".join(f"{k.removeprefix('safety_')}: {c:5.1f} / {p:5.1f}" for k, (c, p) in rates.items())
    return f"{label:34} {folds}   mean {caught:5.1f} / {passed:5.1f}   score {(caught + passed) / 2:5.2f}"


def _cross(name: str, parts: tuple[str, ...], embedder, grid: bool) -> None:
    """Cross-validation by set: train without one set, score the whole filter on it, each set in turn
    (defeat caught / legit passed per held set, their means, and score = (caught + passed) / 2)."""
    from assistant.safety_filter.unsafe import _SENTENCE, RULES_ONLY, DefeatFilter

    points = [(t, v) for t in GRID["threshold"] for v in GRID["veto"]] if grid else [(THRESHOLD[name], VETO[name])]
    rates: dict = {p: {} for p in points}
    rules: dict = {}
    for held in BLIND_SETS:
        model = fit(training_rows(tuple(f for f in BLIND_SETS if f != held)), parts, C[name], THRESHOLD[name], embedder)
        rows, known = blind_rows(held), {}
        if model.needs_vectors:  # one batch for the held set's sentences (the filter asks item by item)
            embedder.embed_batch([fold(p) for t, _ in rows for line in t.split("\n") for p in _SENTENCE.split(line) if p.strip()])
            embedder.save()
        rules[held] = _fold_rates(RULES_ONLY, rows)
        for t, v in points:
            rates[(t, v)][held] = _fold_rates(DefeatFilter(model=_Memo(model, t, v, known), embedder=embedder), rows)
    print(_line("rules alone (baseline)", rules), flush=True)
    for (t, v), r in rates.items():
        print(_line(f"{name} C {C[name]:g} threshold {t} veto {v}", r), flush=True)


def sample_sentences() -> list[str]:
    """The sentences of the project's sample manuals and work-order log (real maintenance
    text with no advice to defeat anything): every one the filter withholds is a false alarm."""
    from assistant.safety_filter.unsafe import _SENTENCE

    root = Path(__file__).resolve().parent.parent / "knowledge_base" / "samples"
    files = [*sorted(root.glob("src/*.md")), *sorted(root.glob("logs/*.csv"))]
    return [s for f in files for line in f.read_text(encoding="utf-8").splitlines()
            for s in _SENTENCE.split(line) if len(s.split()) >= 3]


def _manuals(name: str, parts: tuple[str, ...], embedder) -> None:
    """False alarms on the sample manuals of the model trained on every development set,
    at each threshold x veto pair of the grid (the other half of the choice rule)."""
    from assistant.safety_filter.unsafe import DefeatFilter

    model, known, sentences = fit(training_rows(), parts, C[name], THRESHOLD[name], embedder), {}, sample_sentences()
    for t in GRID["threshold"]:
        for v in GRID["veto"]:
            flags = DefeatFilter(model=_Memo(model, t, v, known), embedder=embedder).unsafe_all(sentences)
            print(f"{name} C {C[name]:g} threshold {t} veto {v}: {sum(flags)} of {len(sentences)} sample-manual sentences flagged",
                  flush=True)


def _rates(model: DefeatModel, rows: list[tuple[str, int]], embedder) -> str:
    texts = [t for t, _ in rows]
    vectors = np.asarray(embedder.embed_batch([fold(t) for t in texts]), dtype=np.float32) if model.needs_vectors else None
    flags = np.array(model.flags(texts, vectors))
    y = np.array([y for _, y in rows]) == 1
    return f"defeat caught {100 * flags[y].mean():.1f}%  legit passed {100 * (~flags[~y]).mean():.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", choices=("cross", "manuals"),
                    help="cross: cross-validation by set (train on two sets, score the third); manuals: false alarms "
                         "on the sample manuals over the grid; both save nothing")
    ap.add_argument("--grid", action="store_true", help="with --check cross: every threshold x veto pair")
    ap.add_argument("--c", type=float, help="override C (with --check cross)")
    ap.add_argument("--cache", type=Path, help="keep the MiniLM vectors of the training sentences in this .npz")
    ap.add_argument("--only", choices=("lexical", "minilm"), help="train (or check) one model only")
    args = ap.parse_args()
    from knowledge_base.embedder import MiniLMEmbedder

    embedder = CachedEmbedder(MiniLMEmbedder(), args.cache)
    for name, parts, path in (("lexical", ("cue", "gram"), LEXICAL_PATH), ("minilm", ("cue", "gram", "emb"), MODEL_PATH)):
        if args.only and name != args.only:
            continue
        if args.check:
            if args.c:
                C[name] = args.c
            (_cross(name, parts, embedder, args.grid) if args.check == "cross" else _manuals(name, parts, embedder))
            embedder.save()
            continue
        rows = training_rows()
        model = fit(rows, parts, C[name], THRESHOLD[name], embedder)
        embedder.save()
        model.save(path)
        print(f"{name}: trained on {len(rows)} sentences -> {path} ({path.stat().st_size} bytes); "
              f"on its training data: {_rates(model, rows, embedder)}")


if __name__ == "__main__":
    main()
