"""The VectorStore contract: every implementation passes the same suite."""

import pytest

pytestmark = pytest.mark.integration


def test_upsert_then_get_roundtrip(vectors):
    vectors.upsert(["a", "b"], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [{"k": "x"}, {"k": "y"}])
    got = vectors.get(["a", "b", "missing"])
    assert set(got) == {"a", "b"}
    assert got["a"] == pytest.approx([1.0, 0.0, 0.0])


def test_upsert_is_idempotent_and_overwrites(vectors):
    vectors.upsert(["a"], [[1.0, 0.0]], [{"k": "x"}])
    vectors.upsert(["a"], [[0.0, 1.0]], [{"k": "z"}])
    assert list(vectors.get(None)) == ["a"]
    assert vectors.get(["a"])["a"] == pytest.approx([0.0, 1.0])
    assert vectors.query([0.0, 1.0], k=5, where={"k": "z"})[0][0] == "a"
    assert vectors.query([0.0, 1.0], k=5, where={"k": "x"}) == []


def test_delete_ignores_absent_ids(vectors):
    vectors.upsert(["a", "b"], [[1.0, 0.0], [0.0, 1.0]], [{}, {}])
    vectors.delete(["a", "nope"])
    assert set(vectors.get(None)) == {"b"}
    vectors.delete([])


def test_query_orders_by_cosine_and_respects_k(vectors):
    vectors.upsert(["near", "mid", "far"], [[1.0, 0.1], [1.0, 1.0], [-1.0, 0.2]], [{}, {}, {}])
    res = vectors.query([1.0, 0.0], k=2)
    assert [i for i, _ in res] == ["near", "mid"]
    assert res[0][1] > res[1][1]
    assert res[0][1] == pytest.approx(0.995, abs=0.01)
    assert len(vectors.query([1.0, 0.0], k=10)) == 3


def test_where_with_several_keys_and_none_values(vectors):
    vectors.upsert(["a", "b", "c"], [[1.0, 0.0], [0.9, 0.1], [0.8, 0.2]],
                   [{"m": "P", "t": "manual", "page": None}, {"m": "P", "t": "log"}, {"m": "Q", "t": "manual"}])
    assert [i for i, _ in vectors.query([1.0, 0.0], k=5, where={"m": "P", "t": "manual"})] == ["a"]


def test_empty_store_query(vectors):
    assert vectors.query([1.0, 0.0], k=3) == []


def test_ids_lists_what_is_stored(vectors):
    vectors.upsert(["a", "b", "c"], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [{}, {}, {}])
    vectors.delete(["b"])
    assert vectors.ids() == {"a", "c"}


def test_sibling_collections_are_independent_and_drop_empties(vectors):
    vectors.upsert(["a"], [[1.0, 0.0]], [{}])
    other = vectors.with_collection(vectors.collection_name + "_sibling")
    other.upsert(["x", "y"], [[0.0, 1.0], [1.0, 1.0]], [{}, {}])
    assert vectors.ids() == {"a"} and other.ids() == {"x", "y"}
    assert other.query([0.0, 1.0], k=1)[0][0] == "x"
    other.drop()
    other.drop()  # absent: ignored
    assert other.ids() == set() and vectors.ids() == {"a"}
