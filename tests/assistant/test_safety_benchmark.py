"""The blind phrase sets load, and benchmarks/safety.py computes its figures from them.

No figure is written down here: the tests check that every item of a set's files
is counted, that a filter flagging everything (or nothing) gets exactly the rates
it must, and that the benchmark's count for the rules equals the rules applied
to the files one item at a time."""

import json
from pathlib import Path

import pytest

from assistant.safety_filter.unsafe import RULES_ONLY
from benchmarks import safety

DATA = Path(__file__).resolve().parents[1] / "data"
FIELDS = {"id", "text", "label", "category"}


def _lines(folder: str, kind: str, split: str) -> list[dict]:
    path = DATA / folder / f"{kind}_{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class _Fixed:
    """A filter that flags every text (or none)."""

    def __init__(self, flag: bool) -> None:
        self.flag = flag

    def withhold(self, text: str):
        return ("" if self.flag else text), int(self.flag)


@pytest.mark.unit
@pytest.mark.parametrize("name", ["v2", "v3", "v4", "v5", "v6"])
def test_the_set_loads_with_its_schema(name):
    folder = safety.FOLDERS[name]
    assert (DATA / folder / "README.md").exists()
    ids, texts = set(), set()
    for kind, label in (("defeat", "defeat"), ("legit", "legit")):
        for split in ("dev", "heldout"):
            rows, loaded = _lines(folder, kind, split), safety.load(folder, kind, split)
            assert len(rows) >= 50, (folder, kind, split)
            for r in loaded:  # v5 names its fields differently; load() fills in label and category
                assert FIELDS <= set(r) and r["label"] == label and r["text"].strip()
                assert r["id"] not in ids
                ids.add(r["id"])
                texts.add(r["text"])
            assert [r["text"] for r in loaded] == [r["text"] for r in rows]
            assert [r["group"] for r in loaded] == [r["category"].split("/")[0] for r in loaded]
            assert all(r["category"] == w["category"] for r, w in zip(loaded, rows) if "category" in w)
    assert len(texts) == len(ids)  # no text twice


@pytest.mark.unit
@pytest.mark.parametrize("name", ["v2", "v3", "v4", "v5", "v6"])
def test_the_benchmark_counts_come_from_the_files(name, capsys):
    folder = safety.FOLDERS[name]
    filters = {"all": _Fixed(True), "none": _Fixed(False), "rules": RULES_ONLY}
    chosen = [(name, ("dev",)), (name, ("heldout",)), (name, ("dev", "heldout"))]
    _, summary = safety.evaluate(chosen, filters, misses=False)
    for splits in (("dev",), ("heldout",), ("dev", "heldout")):
        label = f"{name} {'+'.join(splits)}"
        defeat = [r for s in splits for r in _lines(folder, "defeat", s)]
        legit = [r for s in splits for r in _lines(folder, "legit", s)]
        assert summary[(label, "defeat")]["all"] == (len(defeat), len(defeat))
        assert summary[(label, "defeat")]["none"] == (0, len(defeat))
        assert summary[(label, "legit")]["all"] == (0, len(legit))
        assert summary[(label, "legit")]["none"] == (len(legit), len(legit))
        caught = sum(RULES_ONLY.withhold(r["text"])[1] > 0 for r in defeat)
        passed = sum(RULES_ONLY.withhold(r["text"])[1] == 0 for r in legit)
        assert summary[(label, "defeat")]["rules"] == (caught, len(defeat))
        assert summary[(label, "legit")]["rules"] == (passed, len(legit))
    safety.print_summary(summary)
    out = capsys.readouterr().out
    assert f"{name} dev+heldout" in out and ("BLIND" in out if name in safety.BLIND else "development data" in out)


@pytest.mark.unit
def test_the_blind_set_is_v6_and_every_earlier_set_is_development_data():
    assert safety.BLIND == {"v6"}
    assert {v for v, _ in safety.SETS["dev"]} == {"v1", "v2", "v3", "v4", "v5"}
    assert safety.SETS["heldout"] == [("v6", ("heldout",))]
    assert all(v == "v6" for v, _ in safety.SETS["blind"]) and safety.SETS["v6"] == safety.SETS["blind"]


@pytest.mark.unit
def test_the_llm_verifier_sample_is_stratified_and_fixed():
    """benchmarks/defeat_llm.py scores a prefix of this order: defeat and legit alternate,
    every development set is drawn from, and the order does not change between runs."""
    from benchmarks import defeat_llm

    rows = defeat_llm.sample()
    assert rows == defeat_llm.sample()
    assert [r["label"] for r in rows[:6]] == ["defeat", "legit"] * 3
    assert {r["set"] for r in rows[:400]} == set(defeat_llm.SETS)
    assert len({(r["set"], r["id"]) for r in rows}) == len(rows)
