"""The contract every embedder in the registry (``knowledge_base.embedder.EMBEDDERS``)
keeps, run against each: name and dimension known without loading a model, one unit
vector of ``dim`` floats per text in order, ``embed`` the same as a batch of one, the same
text the same vector, texts that share words closer than unrelated ones."""

from __future__ import annotations

import math

import pytest

from knowledge_base.embedder import EMBEDDERS, make_embedder

TEXTS = ["pump P-3 shows E-104 high bearing vibration",
         "E-104 bearing vibration on the pump",
         "the compressor oil level is low"]
BACKENDS = [pytest.param("hash", marks=pytest.mark.unit),
            pytest.param("minilm", marks=pytest.mark.integration)]


@pytest.mark.unit
def test_every_registered_embedder_is_under_contract():
    assert {p.values[0] for p in BACKENDS} == set(EMBEDDERS)


@pytest.fixture(scope="module", params=BACKENDS)
def embedder(request):
    return make_embedder(request.param)


def _cos(a, b):
    return sum(x * y for x, y in zip(a, b))


def test_name_and_dim_are_known_before_any_text_is_embedded(embedder):
    assert isinstance(embedder.name, str) and embedder.name
    assert isinstance(embedder.dim, int) and embedder.dim > 0
    assert getattr(embedder, "_model", None) is None  # nothing loaded yet (MiniLM loads on first use)


def test_one_unit_vector_of_dim_floats_per_text_in_order(embedder):
    vectors = embedder.embed_batch(TEXTS)
    assert len(vectors) == len(TEXTS)
    for v in vectors:
        assert len(v) == embedder.dim and all(isinstance(x, float) for x in v)
        assert math.isclose(math.sqrt(sum(x * x for x in v)), 1.0, abs_tol=1e-5)
    assert embedder.embed_batch([]) == []


def test_embed_is_a_batch_of_one_and_deterministic(embedder):
    batch = embedder.embed_batch(TEXTS)
    for text, v in zip(TEXTS, batch):
        one = embedder.embed(text)
        assert max(abs(x - y) for x, y in zip(one, v)) < 1e-5
        assert max(abs(x - y) for x, y in zip(one, embedder.embed(text))) < 1e-6


def test_texts_sharing_words_are_closer_than_unrelated_ones(embedder):
    a, b, c = embedder.embed_batch(TEXTS)
    assert _cos(a, b) > _cos(a, c)
